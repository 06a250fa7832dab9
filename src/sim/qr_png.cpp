#include "sim/qr_png.hpp"

#include <cstdint>
#include <exception>
#include <fstream>
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

core::Result<void> writeQrPng(std::string_view text, const std::filesystem::path& file, int sizePx) {
  if (sizePx < 64 || sizePx > 4096) return core::fail(core::Errc::InvalidArgument, {"--size"});
  ZXing::BitMatrix matrix;
  try {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(4).setEccLevel(4);
    matrix = writer.encode(std::string(text), sizePx, sizePx);
  } catch (const std::exception&) {
    return core::fail(core::Errc::InvalidArgument, {"QR text too long"});
  }
  const int w = matrix.width(), h = matrix.height();
  std::vector<std::uint8_t> raw;
  raw.reserve(static_cast<std::size_t>(h) * (static_cast<std::size_t>(w) + 1));
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < w; ++x) raw.push_back(matrix.get(x, y) ? 0 : 255);
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

}  // namespace vd::sim
