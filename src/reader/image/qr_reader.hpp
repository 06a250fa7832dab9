#pragma once
/// \file
/// QR codes from images with ZXing-C++ (QR only, explicit row stride). The only place in
/// vd_reader that includes ZXing.

#include <string>

#include "core/result.hpp"
#include "reader/image/png_decoder.hpp"

namespace vd::reader::image {

/// The text of the first QR code found. Errors: ImageNoCode.
core::Result<std::string> readQrText(const GreyImage& image);

/// Reads a PNG file and its QR code. Errors: FileUnreadable, ImageMalformed, ImageNoCode.
core::Result<std::string> readQrTextFromFile(const std::string& path);

}  // namespace vd::reader::image
