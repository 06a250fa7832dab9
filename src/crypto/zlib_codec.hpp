#pragma once
/// \file
/// zlib (RFC 1950) compression of the ApCV token payload, as in the EU Digital COVID
/// Certificate. Inflation is bounded: the caller gives the largest output it accepts, and a
/// stream that would produce more (a decompression bomb) is refused without ever allocating
/// beyond that limit. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace vd::crypto {

/// Default largest inflated size: far above any token (a few KiB), far below a bomb.
inline constexpr std::size_t kDefaultInflateLimit = 64 * 1024;

/// Inflates one complete zlib stream. Errors: ZlibTooLarge {limit} when the output would
/// exceed `maxOutput` bytes; ZlibMalformed {reason} for a bad header, corrupt or truncated
/// data, a bad Adler-32, or bytes after the end of the stream.
core::Result<std::vector<std::uint8_t>> zlibInflate(std::span<const std::uint8_t> compressed,
                                                    std::size_t maxOutput = kDefaultInflateLimit);

/// The EU DCC rule: data starting with the zlib header byte 0x78 is inflated (zlibInflate);
/// anything else is taken as uncompressed and returned as is — still subject to `maxOutput`
/// (ZlibTooLarge). A stream starting with 0x78 that does not inflate is an error, not
/// uncompressed data.
core::Result<std::vector<std::uint8_t>> inflateIfCompressed(std::span<const std::uint8_t> data,
                                                            std::size_t maxOutput = kDefaultInflateLimit);

/// zlib-format compression (simulator side), `level` 0–9 (9: smallest QR code).
/// Errors: InvalidArgument for a bad level, Internal if zlib fails.
/// CRC-32 (ISO 3309, the checksum of PNG chunks and gzip), computed by zlib.
std::uint32_t crc32(std::span<const std::uint8_t> data);

core::Result<std::vector<std::uint8_t>> zlibDeflate(std::span<const std::uint8_t> data, int level = 9);

}  // namespace vd::crypto
