#pragma once
/// \file
/// A small, strict PNG decoder for QR images given as files (`token verify --image`): 8-bit
/// greyscale, grey+alpha, RGB or RGBA, not interlaced; every filter type. Output is luminance,
/// what the QR reader needs. Hostile input: chunk lengths, CRCs, sizes and the inflated length
/// are checked before use; fuzzed by tests/fuzz/fuzz_png.

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

/// Errors: ImageMalformed with a short reason (signature, chunk, crc, header, unsupported,
/// data, filter, size).
core::Result<GreyImage> decodePng(std::span<const std::uint8_t> bytes);

}  // namespace vd::reader::image
