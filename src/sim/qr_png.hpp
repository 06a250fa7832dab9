#pragma once
/// \file
/// The simulated phone's screen: a QR code image (PNG, 8-bit grey) of a token's text, made with
/// the ZXing-C++ writer (ZXing is allowed only in src/reader/image and src/sim).

#include <filesystem>
#include <string_view>

#include "core/result.hpp"

namespace vd::sim {

/// Writes `text` as a QR code (ECC level M, 4-module quiet zone) scaled to about `sizePx` square.
/// Errors: InvalidArgument (size outside 64..4096 or text too long for a QR), FileUnreadable (write).
core::Result<void> writeQrPng(std::string_view text, const std::filesystem::path& file, int sizePx);

}  // namespace vd::sim
