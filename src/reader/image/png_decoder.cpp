#include "reader/image/png_decoder.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/zlib_codec.hpp"

namespace vd::reader::image {
namespace {

core::Failure bad(const char* why) { return core::fail(core::Errc::ImageMalformed, {why}); }

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<std::uint8_t>(a);
  return static_cast<std::uint8_t>(pb <= pc ? b : c);
}

}  // namespace

core::Result<GreyImage> decodePng(std::span<const std::uint8_t> in) {
  static constexpr std::uint8_t kSig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (in.size() > kMaxPngBytes) return bad("size");
  if (in.size() < 8 || std::memcmp(in.data(), kSig, 8) != 0) return bad("signature");
  std::size_t pos = 8;
  std::uint32_t width = 0, height = 0;
  int channels = 0;
  bool haveHeader = false, ended = false;
  std::vector<std::uint8_t> idat;
  while (!ended) {
    if (in.size() - pos < 12) return bad("chunk");
    const std::uint32_t len = be32(in.data() + pos);
    if (len > in.size() - pos - 12) return bad("chunk");
    const auto typeAndBody = in.subspan(pos + 4, 4 + std::size_t{len});
    if (crypto::crc32(typeAndBody) != be32(in.data() + pos + 8 + len)) return bad("crc");
    const std::string type(reinterpret_cast<const char*>(typeAndBody.data()), 4);
    const auto body = typeAndBody.subspan(4);
    if (type == "IHDR") {
      if (haveHeader || len != 13) return bad("header");
      width = be32(body.data());
      height = be32(body.data() + 4);
      const int depth = body[8], colour = body[9];
      if (width == 0 || height == 0 || width > kMaxImageSide || height > kMaxImageSide) return bad("size");
      if (depth != 8 || body[10] != 0 || body[11] != 0 || body[12] != 0) return bad("unsupported");
      channels = colour == 0 ? 1 : colour == 4 ? 2 : colour == 2 ? 3 : colour == 6 ? 4 : 0;
      if (channels == 0) return bad("unsupported");
      haveHeader = true;
    } else if (type == "IDAT") {
      if (!haveHeader) return bad("header");
      idat.insert(idat.end(), body.begin(), body.end());
    } else if (type == "IEND") {
      ended = true;
    } else if (!haveHeader && type != "IHDR") {
      return bad("header");
    } else if ((type[0] & 0x20) == 0) {
      return bad("unsupported");  // an unknown critical chunk (PLTE: palette images)
    }
    pos += 12 + std::size_t{len};
  }
  if (!haveHeader) return bad("header");
  const std::size_t rowBytes = std::size_t{width} * static_cast<std::size_t>(channels);
  const std::size_t expected = (rowBytes + 1) * height;
  auto raw = crypto::zlibInflate(idat, expected);
  if (!raw || raw->size() != expected) return bad("data");

  GreyImage img{static_cast<int>(width), static_cast<int>(height), {}};
  img.pixels.resize(std::size_t{width} * height);
  std::vector<std::uint8_t> prev(rowBytes, 0), cur(rowBytes);
  const std::size_t bpp = static_cast<std::size_t>(channels);
  for (std::uint32_t y = 0; y < height; ++y) {
    const std::uint8_t* src = raw->data() + y * (rowBytes + 1);
    const std::uint8_t filter = src[0];
    if (filter > 4) return bad("filter");
    for (std::size_t i = 0; i < rowBytes; ++i) {
      const int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      int pred = 0;
      switch (filter) {
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) / 2; break;
        case 4: pred = paeth(a, b, c); break;
        default: break;
      }
      cur[i] = static_cast<std::uint8_t>(src[1 + i] + pred);
    }
    for (std::uint32_t x = 0; x < width; ++x) {
      const std::uint8_t* p = cur.data() + std::size_t{x} * bpp;
      std::uint8_t lum = p[0];
      if (channels >= 3) lum = static_cast<std::uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000);
      img.pixels[std::size_t{y} * width + x] = lum;
    }
    prev.swap(cur);
  }
  return img;
}

}  // namespace vd::reader::image
