#include "sim/qr_png.hpp"

#include <cmath>
#include <cstdint>
#include <exception>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include "crypto/zlib_codec.hpp"

namespace vd::sim {
namespace {

void be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

void chunk(std::vector<std::uint8_t>& png, const char* type, const std::vector<std::uint8_t>& body) {
  be32(png, static_cast<std::uint32_t>(body.size()));
  const std::size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), body.begin(), body.end());
  be32(png, crypto::crc32(std::span(png).subspan(start)));
}

}  // namespace

core::Result<GreyImage> renderQr(std::string_view text, int sizePx) {
  if (sizePx < 64 || sizePx > 4096) return core::fail(core::Errc::InvalidArgument, {"--size"});
  ZXing::BitMatrix matrix;
  try {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(4).setEccLevel(4);
    matrix = writer.encode(std::string(text), sizePx, sizePx);
  } catch (const std::exception&) {
    return core::fail(core::Errc::InvalidArgument, {"QR text too long"});
  }
  GreyImage img{matrix.width(), matrix.height(), {}};
  img.pixels.reserve(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height));
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) img.pixels.push_back(matrix.get(x, y) ? 0 : 255);
  return img;
}

core::Result<GreyImage> cameraFrame(std::string_view text, int qrSidePx, int frameW, int frameH, const Degradation& d) {
  if (qrSidePx < 16 || qrSidePx > 4096 || frameW < 16 || frameH < 16 || frameW > 4096 || frameH > 4096)
    return core::fail(core::Errc::InvalidArgument, {"frame size"});
  auto qr = renderQr(text, 64);  // 64 px is below any token's module count: one pixel per module
  if (!qr) return core::fail(qr.error());
  return degrade(placeCentered(resize(*qr, qrSidePx, qrSidePx), frameW, frameH), d);
}

std::string syntheticQrText(std::size_t length, std::uint64_t seed) {
  static constexpr char kBase45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  std::string text = "VD2:";
  while (text.size() < length) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;  // 64-bit LCG (Knuth's MMIX)
    text += kBase45[(seed >> 33) % 45];
  }
  text.resize(length);
  return text;
}

core::Result<void> writeGreyPng(const GreyImage& img, const std::filesystem::path& file) {
  const int w = img.width, h = img.height;
  std::vector<std::uint8_t> raw;
  raw.reserve(static_cast<std::size_t>(h) * (static_cast<std::size_t>(w) + 1));
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    const auto row = img.pixels.begin() + static_cast<std::ptrdiff_t>(y) * w;
    raw.insert(raw.end(), row, row + w);
  }
  auto idat = crypto::zlibDeflate(raw, 9);
  if (!idat) return core::fail(idat.error());
  std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<std::uint8_t> ihdr;
  be32(ihdr, static_cast<std::uint32_t>(w));
  be32(ihdr, static_cast<std::uint32_t>(h));
  ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});  // 8-bit greyscale, deflate, no filter choice, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", *idat);
  chunk(png, "IEND", {});
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  if (!out.flush()) return core::fail(core::Errc::FileUnreadable, {file.filename().string(), "write"});
  return {};
}

core::Result<void> writeQrPng(std::string_view text, const std::filesystem::path& file, int sizePx,
                              const Degradation& d) {
  auto qr = renderQr(text, sizePx);
  if (!qr) return core::fail(qr.error());
  GreyImage img = std::move(*qr);
  if (d.rotateDegrees != 0) {
    const double rad = d.rotateDegrees * std::numbers::pi / 180.0;
    const int side = static_cast<int>(std::ceil(img.width * (std::abs(std::cos(rad)) + std::abs(std::sin(rad)))));
    img = placeCentered(img, side, side);
  }
  return writeGreyPng(degrade(img, d), file);
}

}  // namespace vd::sim
