#pragma once
/// \file
/// A strict PNG reader for QR images given as files (`token verify --image`): every colour type
/// and bit depth of the PNG specification (grey 1–16 bits, palette 1–8 bits, RGB, grey+alpha,
/// RGBA 8/16 bits; alpha and tRNS ignored), every filter type, Adam7 interlace. Output is
/// luminance, what the QR reader needs. Hostile input: the chunk structure, CRCs, the header,
/// the palette and the inflated length (computed from the header, capped) are checked here
/// before any decoding; the pixels are then decoded by libpng (Debian's libpng16, with its own
/// limits set and benign errors made errors); fuzzed by tests/fuzz/fuzz_png.

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace vd::reader::image {

/// 8-bit luminance, row stride = width.
struct GreyImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

inline constexpr int kMaxImageSide = 4096;
inline constexpr std::size_t kMaxPngBytes = 16 * 1024 * 1024;
/// Filtered scanlines after inflate (a 4096² RGBA 8-bit image is 64 MiB + one byte a row).
inline constexpr std::size_t kMaxRawBytes = 4096 * (4096 * 4 + 1);

/// Errors: ImageMalformed with a short reason (signature, chunk, crc, header, unsupported,
/// palette, data, filter, size).
core::Result<GreyImage> decodePng(std::span<const std::uint8_t> bytes);

}  // namespace vd::reader::image
