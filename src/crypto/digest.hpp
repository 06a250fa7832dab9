#pragma once
/// \file
/// OpenSSL-backed primitives every other crypto piece builds on: SHA-256 (trust-store key
/// ids, the audit hash chain) and cryptographically secure random bytes (card and NFC
/// challenges, idempotency keys). Thread-safe.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::span<const std::uint8_t> data);
Sha256Digest sha256(std::string_view text);

/// HMAC-SHA-256 (RFC 2104) of `text` under `key` (keyed pseudonyms: the cap counters' keys).
Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view text);

/// `n` bytes from OpenSSL's CSPRNG (RAND_bytes). Errc::Internal if the generator fails.
core::Result<std::vector<std::uint8_t>> randomBytes(std::size_t n);

/// Lower-case hexadecimal.
std::string toHex(std::span<const std::uint8_t> bytes);

}  // namespace vd::crypto
