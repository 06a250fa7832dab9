#pragma once
/// \file
/// QR codes from images (QR only, explicit row stride): ZXing-C++ first, then zbar after a
/// ZXing miss (docs/PERFORMANCE.md, "QR decoding": zbar recovers most of ZXing's misses on
/// blurred frames for a cost paid only on misses). The only place in vd_reader that includes
/// ZXing or zbar.

#include <string>

#include "core/result.hpp"
#include "reader/image/frame.hpp"
#include "reader/image/png_decoder.hpp"

namespace vd::reader::image {

enum class QrEngine {
  ZXing,         ///< ZXing-C++ alone (try harder, try rotate)
  Zbar,          ///< zbar alone
  ZXingThenZbar  ///< the default: zbar only after a ZXing miss
};

/// Which engine found the code (ZXing or Zbar) and its text.
struct QrResult {
  std::string text;
  QrEngine foundBy = QrEngine::ZXing;
};

/// The first QR code found in the frame. Thread-safe (no shared state). Errors: ImageMalformed
/// ("frame", see checkFrame), ImageNoCode.
core::Result<QrResult> decodeQr(const Frame& frame, QrEngine engine = QrEngine::ZXingThenZbar);

/// The text of the first QR code found (ZXing then zbar). Errors: ImageNoCode.
core::Result<std::string> readQrText(const GreyImage& image);

/// Reads a PNG file and its QR code. Errors: FileUnreadable, ImageMalformed, ImageNoCode.
core::Result<std::string> readQrTextFromFile(const std::string& path);

}  // namespace vd::reader::image
