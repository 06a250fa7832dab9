#pragma once
/// \file
/// The simulated phone's screen: a QR code image (PNG, 8-bit grey) of a token's text, made with
/// the ZXing-C++ writer (ZXing is allowed only in src/reader/image and src/sim), optionally as a
/// camera would see it (sim/image_degrade.hpp). The QR benchmark renders its frames here too.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sim/image_degrade.hpp"

namespace vd::sim {

/// `text` as a QR code (ECC level M, 4-module quiet zone), black on white, scaled by a whole
/// number of pixels per module to about `sizePx` square. Errors: InvalidArgument (size outside
/// 64..4096 or text too long for a QR).
core::Result<GreyImage> renderQr(std::string_view text, int sizePx);

/// A camera-like frame (the QR benchmark's): `text` rendered at one pixel per module, scaled
/// (bilinear) to `qrSidePx` square — so module sizes need not be whole pixels — centred on a
/// white frameW × frameH canvas, then degraded by `d`. Errors: those of renderQr.
core::Result<GreyImage> cameraFrame(std::string_view text, int qrSidePx, int frameW, int frameH, const Degradation& d);

/// "VD2:" followed by Base45-alphabet characters from a seeded generator, `length` characters in
/// all: a stand-in with a real token's QR size whose pixels are the same on every run (a real
/// token carries a random id and signature). The QR benchmark and tests decode it.
std::string syntheticQrText(std::size_t length, std::uint64_t seed);

/// Writes an 8-bit greyscale PNG. Errors: FileUnreadable (write).
core::Result<void> writeGreyPng(const GreyImage& img, const std::filesystem::path& file);

/// renderQr, then (when rotating) a white canvas grown so the rotated code fits, then `d`, then
/// the PNG. Errors: those of renderQr and writeGreyPng.
core::Result<void> writeQrPng(std::string_view text, const std::filesystem::path& file, int sizePx,
                              const Degradation& d = {});

}  // namespace vd::sim
