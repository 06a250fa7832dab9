#include "reader/image/png_decoder.hpp"

#include <algorithm>
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

struct Header {
  std::uint32_t width = 0, height = 0;
  int depth = 8, colour = 0, channels = 1;
  bool interlaced = false;
};

// IHDR: the colour types and bit depths of the PNG specification (§11.2.2) — grey 1/2/4/8/16,
// RGB 8/16, palette 1/2/4/8, grey+alpha 8/16, RGBA 8/16 — deflate, adaptive filtering, no or
// Adam7 interlace.
core::Result<Header> parseHeader(std::span<const std::uint8_t> body) {
  Header h;
  h.width = be32(body.data());
  h.height = be32(body.data() + 4);
  h.depth = body[8];
  h.colour = body[9];
  if (h.width == 0 || h.height == 0 || h.width > kMaxImageSide || h.height > kMaxImageSide) return bad("size");
  if (body[10] != 0 || body[11] != 0 || body[12] > 1) return bad("unsupported");
  h.interlaced = body[12] == 1;
  const int d = h.depth;
  const bool ok = h.colour == 0   ? (d == 1 || d == 2 || d == 4 || d == 8 || d == 16)
                  : h.colour == 3 ? (d == 1 || d == 2 || d == 4 || d == 8)
                  : (h.colour == 2 || h.colour == 4 || h.colour == 6) && (d == 8 || d == 16);
  if (!ok) return bad("unsupported");
  h.channels = h.colour == 2 ? 3 : h.colour == 4 ? 2 : h.colour == 6 ? 4 : 1;
  return h;
}

}  // namespace

core::Result<GreyImage> decodePng(std::span<const std::uint8_t> in) {
  static constexpr std::uint8_t kSig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (in.size() > kMaxPngBytes) return bad("size");
  if (in.size() < 8 || std::memcmp(in.data(), kSig, 8) != 0) return bad("signature");
  std::size_t pos = 8;
  Header h;
  bool haveHeader = false, ended = false;
  std::vector<std::uint8_t> idat, palette;  // palette: luminance of each PLTE entry
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
      auto parsed = parseHeader(body);
      if (!parsed) return core::fail(parsed.error());
      h = *parsed;
      haveHeader = true;
    } else if (!haveHeader) {
      return bad("header");
    } else if (type == "PLTE") {
      // 1..256 RGB entries, before the image data, at most once; ignored for truecolour.
      if (!palette.empty() || !idat.empty() || len == 0 || len % 3 != 0 || len / 3 > 256) return bad("palette");
      for (std::size_t i = 0; i < len; i += 3)
        palette.push_back(static_cast<std::uint8_t>((299 * body[i] + 587 * body[i + 1] + 114 * body[i + 2]) / 1000));
    } else if (type == "IDAT") {
      idat.insert(idat.end(), body.begin(), body.end());
    } else if (type == "IEND") {
      ended = true;
    } else if ((type[0] & 0x20) == 0) {
      return bad("unsupported");  // an unknown critical chunk
    }
    pos += 12 + std::size_t{len};
  }
  if (!haveHeader) return bad("header");
  if (h.colour == 3 && palette.empty()) return bad("palette");

  // The filtered scanlines of every pass (one pass, or the 7 of Adam7), each row prefixed by
  // its filter byte: their total length is known before inflating.
  struct Pass {
    std::uint32_t x0, y0, dx, dy, w, h;
  };
  std::vector<Pass> passes;
  if (h.interlaced) {
    static constexpr std::uint32_t kAdam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                                   {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
    for (const auto& a : kAdam7) {
      const std::uint32_t pw = h.width > a[0] ? (h.width - a[0] + a[2] - 1) / a[2] : 0;
      const std::uint32_t ph = h.height > a[1] ? (h.height - a[1] + a[3] - 1) / a[3] : 0;
      if (pw != 0 && ph != 0) passes.push_back({a[0], a[1], a[2], a[3], pw, ph});
    }
  } else {
    passes.push_back({0, 0, 1, 1, h.width, h.height});
  }
  const std::size_t bitsPerPixel = static_cast<std::size_t>(h.channels) * h.depth;
  const auto rowBytes = [&](std::uint32_t w) { return (std::size_t{w} * bitsPerPixel + 7) / 8; };
  std::size_t expected = 0;
  for (const Pass& p : passes) expected += (rowBytes(p.w) + 1) * p.h;
  if (expected > kMaxRawBytes) return bad("size");
  auto raw = crypto::zlibInflate(idat, expected);
  if (!raw || raw->size() != expected) return bad("data");

  GreyImage img{static_cast<int>(h.width), static_cast<int>(h.height), {}};
  img.pixels.resize(std::size_t{h.width} * h.height);
  const std::size_t bpp = std::max<std::size_t>(1, bitsPerPixel / 8);  // filter byte distance
  const unsigned maxSample = (1u << std::min(h.depth, 8)) - 1;        // 16-bit: high byte only
  std::size_t offset = 0;
  for (const Pass& p : passes) {
    const std::size_t rb = rowBytes(p.w);
    std::vector<std::uint8_t> prev(rb, 0), cur(rb);
    for (std::uint32_t y = 0; y < p.h; ++y) {
      const std::uint8_t* src = raw->data() + offset;
      offset += rb + 1;
      const std::uint8_t filter = src[0];
      if (filter > 4) return bad("filter");
      for (std::size_t i = 0; i < rb; ++i) {
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
      // Sample k of the row (k-th channel value, scaled to 8 bits for depths < 8).
      const auto sample = [&](std::size_t k) -> unsigned {
        if (h.depth == 16) return cur[2 * k];
        if (h.depth == 8) return cur[k];
        const std::size_t bit = k * h.depth;
        return (cur[bit / 8] >> (8 - h.depth - bit % 8)) & maxSample;
      };
      for (std::uint32_t x = 0; x < p.w; ++x) {
        const std::size_t k = std::size_t{x} * static_cast<std::size_t>(h.channels);
        unsigned lum;
        if (h.colour == 3) {
          const unsigned index = sample(k);
          if (index >= palette.size()) return bad("palette");
          lum = palette[index];
        } else if (h.channels >= 3) {
          lum = (299 * sample(k) + 587 * sample(k + 1) + 114 * sample(k + 2)) / 1000;
        } else {
          lum = sample(k) * 255 / maxSample;
        }
        const std::size_t px = std::size_t{p.y0 + y * p.dy} * h.width + p.x0 + std::size_t{x} * p.dx;
        img.pixels[px] = static_cast<std::uint8_t>(lum);
      }
      prev.swap(cur);
    }
  }
  return img;
}

}  // namespace vd::reader::image
