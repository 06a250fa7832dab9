#pragma once
/// \file
/// AES-256-GCM authenticated encryption (OpenSSL EVP), used to keep patient data encrypted
/// at rest (the outbox's stored care sheets). Sealed form: 12-byte random nonce ‖ ciphertext
/// ‖ 16-byte tag. `aad` (associated data) is authenticated, not encrypted: the outbox binds
/// each document to its row (practitioner and invoice number) so rows cannot be swapped.
/// Thread-safe.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::crypto {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;

/// Encrypts `plaintext`. Errors: Internal (bad key size or OpenSSL failure).
core::Result<std::vector<std::uint8_t>> aeadSeal(std::span<const std::uint8_t> key,
                                                 std::span<const std::uint8_t> plaintext, std::string_view aad);
/// Decrypts and authenticates. Errors: OutboxDecrypt (altered data, wrong key or row).
core::Result<std::vector<std::uint8_t>> aeadOpen(std::span<const std::uint8_t> key,
                                                 std::span<const std::uint8_t> sealed, std::string_view aad);

}  // namespace vd::crypto
