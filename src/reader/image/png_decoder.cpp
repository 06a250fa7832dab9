#include "reader/image/png_decoder.hpp"

#include <png.h>

#include <array>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "crypto/zlib_codec.hpp"  // crc32 of the chunk walk

namespace vd::reader::image {
namespace {

core::Failure bad(const char* why) { return core::fail(core::Errc::ImageMalformed, {why}); }

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
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

// libpng on a file whose structure decodePng has checked: luminance out, 8 bits a sample
// (16-bit samples keep their high byte, 1/2/4-bit grey is scaled, palette indices are looked up
// here, each checked against the palette), alpha and tRNS ignored, RGB weighted 0.299/0.587/0.114 (Rec. 601). A libpng error is
// ImageMalformed: "filter", "palette" (an index past the palette) or "data" (too little or too
// much image data, broken deflate stream). Benign errors are errors here: the file is hostile.
struct PngRead {
  std::span<const std::uint8_t> in;
  std::size_t pos = 0;
  char message[128] = {};
};

[[noreturn]] void onPngError(png_structp png, png_const_charp message) {
  auto* r = static_cast<PngRead*>(png_get_error_ptr(png));
  std::snprintf(r->message, sizeof r->message, "%s", message);
  png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp) {}

void readFromMemory(png_structp png, png_bytep out, png_size_t n) {
  auto* r = static_cast<PngRead*>(png_get_io_ptr(png));
  if (n > r->in.size() - r->pos) png_error(png, "Read past the end");
  std::memcpy(out, r->in.data() + r->pos, n);
  r->pos += n;
}

core::Result<void> decodePixels(std::span<const std::uint8_t> in, GreyImage& img) {
  PngRead r{in, 0, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, onPngError, onPngWarning);
  if (png == nullptr) return bad("data");
  png_infop info = png_create_info_struct(png);
  // Everything the rows need exists before setjmp; after it only libpng writes, into that memory.
  std::vector<png_bytep> rows(static_cast<std::size_t>(img.height));
  for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = img.pixels.data() + y * static_cast<std::size_t>(img.width);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
    const std::string_view m(r.message);
    if (m.find("filter") != std::string_view::npos) return bad("filter");
    if (m.find("palette") != std::string_view::npos) return bad("palette");
    return bad("data");
  }
  png_set_read_fn(png, &r, readFromMemory);
  png_set_user_limits(png, kMaxImageSide, kMaxImageSide);
  png_set_chunk_malloc_max(png, kMaxPngBytes);
  png_set_benign_errors(png, 0);
  png_set_check_for_invalid_index(png, 1);
  png_read_info(png, info);
  const int colour = png_get_color_type(png, info);
  png_set_strip_16(png);
  png_set_strip_alpha(png);
  if (colour == PNG_COLOR_TYPE_PALETTE) png_set_packing(png);  // one index a byte, mapped below
  if (colour == PNG_COLOR_TYPE_GRAY || colour == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_expand_gray_1_2_4_to_8(png);
  if (colour == PNG_COLOR_TYPE_RGB || colour == PNG_COLOR_TYPE_RGB_ALPHA) png_set_rgb_to_gray_fixed(png, 1, 29900, 58700);
  (void)png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != static_cast<png_size_t>(img.width)) png_error(png, "unexpected output format");
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  // Palette images: each index must name an entry (libpng 1.6.39's own check is off by one).
  std::array<std::uint8_t, 256> lum{};
  int entries = 0;
  png_colorp plte = nullptr;
  if (colour == PNG_COLOR_TYPE_PALETTE) (void)png_get_PLTE(png, info, &plte, &entries);
  for (int i = 0; i < entries && i < 256; ++i)
    lum[static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>((299 * plte[i].red + 587 * plte[i].green + 114 * plte[i].blue) / 1000);
  png_destroy_read_struct(&png, &info, nullptr);
  if (colour != PNG_COLOR_TYPE_PALETTE) return {};
  for (std::uint8_t& px : img.pixels) {
    if (px >= entries) return bad("palette");
    px = lum[px];
  }
  return {};
}

}  // namespace

core::Result<GreyImage> decodePng(std::span<const std::uint8_t> in) {
  static constexpr std::uint8_t kSig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (in.size() > kMaxPngBytes) return bad("size");
  if (in.size() < 8 || std::memcmp(in.data(), kSig, 8) != 0) return bad("signature");
  std::size_t pos = 8;
  Header h;
  bool haveHeader = false, ended = false;
  bool haveImageData = false;
  std::size_t paletteEntries = 0;
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
      if (paletteEntries != 0 || haveImageData || len == 0 || len % 3 != 0 || len / 3 > 256) return bad("palette");
      paletteEntries = len / 3;
    } else if (type == "IDAT") {
      haveImageData = true;
    } else if (type == "IEND") {
      ended = true;
    } else if ((type[0] & 0x20) == 0) {
      return bad("unsupported");  // an unknown critical chunk
    }
    pos += 12 + std::size_t{len};
  }
  if (!haveHeader) return bad("header");
  if (h.colour == 3 && paletteEntries == 0) return bad("palette");
  if (!haveImageData) return bad("data");

  // The inflated size of the filtered scanlines is known from the header: refused before any
  // inflating when over the cap.
  std::size_t expected = 0;
  const std::size_t bitsPerPixel = static_cast<std::size_t>(h.channels) * static_cast<std::size_t>(h.depth);
  const auto rowBytes = [&](std::uint32_t w) { return (std::size_t{w} * bitsPerPixel + 7) / 8; };
  if (h.interlaced) {
    static constexpr std::uint32_t kAdam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                                   {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
    for (const auto& a : kAdam7) {
      const std::uint32_t pw = h.width > a[0] ? (h.width - a[0] + a[2] - 1) / a[2] : 0;
      const std::uint32_t ph = h.height > a[1] ? (h.height - a[1] + a[3] - 1) / a[3] : 0;
      if (pw != 0 && ph != 0) expected += (rowBytes(pw) + 1) * ph;
    }
  } else {
    expected = (rowBytes(h.width) + 1) * h.height;
  }
  if (expected > kMaxRawBytes) return bad("size");

  // The structure holds: libpng decodes the pixels (inflate, filters, Adam7, bit depths).
  GreyImage img{static_cast<int>(h.width), static_cast<int>(h.height), {}};
  img.pixels.resize(std::size_t{h.width} * h.height);
  if (auto decoded = decodePixels(in, img); !decoded) return core::fail(decoded.error());
  return img;
}

}  // namespace vd::reader::image
