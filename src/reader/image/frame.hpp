#pragma once
/// \file
/// A camera-like frame: 8-bit luminance with an explicit row stride (camera buffers pad their
/// rows). The frame does not own its pixels.

#include <cstddef>
#include <cstdint>

#include "core/result.hpp"
#include "reader/image/png_decoder.hpp"

namespace vd::reader::image {

struct Frame {
  const std::uint8_t* data = nullptr;  ///< first pixel of the first row
  int width = 0;
  int height = 0;
  int stride = 0;  ///< bytes from one row to the next, ≥ width

  /// The whole image (stride = width); `img` must outlive the frame.
  static Frame of(const GreyImage& img) { return Frame{img.pixels.data(), img.width, img.height, img.width}; }

  /// Bytes the frame spans: (height − 1) × stride + width.
  std::size_t span() const {
    return static_cast<std::size_t>(height - 1) * static_cast<std::size_t>(stride) + static_cast<std::size_t>(width);
  }
};

/// Checks 1 ≤ width, height ≤ kMaxImageSide, width ≤ stride ≤ 4 × kMaxImageSide and data set.
/// Errors: ImageMalformed ("frame").
core::Result<void> checkFrame(const Frame& f);

/// A packed copy (stride = width) of a valid frame.
GreyImage copyFrame(const Frame& f);

}  // namespace vd::reader::image
