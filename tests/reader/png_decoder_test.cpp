// Strict PNG decoder (hostile files) and the ZXing QR reader on decoded images.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "crypto/zlib_codec.hpp"
#include "reader/image/png_decoder.hpp"
#include "reader/image/qr_reader.hpp"

using vd::core::Errc;
using vd::reader::image::decodePng;

namespace {

std::uint32_t crc(const std::vector<std::uint8_t>& d, std::size_t from) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = from; i < d.size(); ++i) {
    c ^= d[i];
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

void be32(std::vector<std::uint8_t>& o, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) o.push_back(static_cast<std::uint8_t>(v >> s));
}

void chunk(std::vector<std::uint8_t>& png, const char* type, const std::vector<std::uint8_t>& body) {
  be32(png, static_cast<std::uint32_t>(body.size()));
  const std::size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), body.begin(), body.end());
  be32(png, crc(png, start));
}

// rows: already filtered scanlines (filter byte first).
std::vector<std::uint8_t> makePng(std::uint32_t w, std::uint32_t h, std::uint8_t colour,
                                  const std::vector<std::uint8_t>& rows, std::uint8_t interlace = 0,
                                  std::uint8_t depth = 8, const std::vector<std::uint8_t>& plte = {}) {
  std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<std::uint8_t> ihdr;
  be32(ihdr, w);
  be32(ihdr, h);
  ihdr.insert(ihdr.end(), {depth, colour, 0, 0, interlace});
  chunk(png, "IHDR", ihdr);
  chunk(png, "tEXt", {'a', 0, 'b'});  // ancillary: skipped
  if (!plte.empty()) chunk(png, "PLTE", plte);
  chunk(png, "IDAT", *vd::crypto::zlibDeflate(rows));
  chunk(png, "IEND", {});
  return png;
}

}  // namespace

TEST(PngDecoder, GreyWithFilters) {
  // 3x3 grey: row 0 none, row 1 sub, row 2 up/avg/paeth mix via filter 4.
  const std::vector<std::uint8_t> rows{0, 10, 20, 30, 1, 5, 5, 5, 4, 1, 1, 1};
  auto img = decodePng(makePng(3, 3, 0, rows));
  ASSERT_TRUE(img.ok()) << img.error().args.at(0);
  EXPECT_EQ(img->width, 3);
  EXPECT_EQ(img->pixels, (std::vector<std::uint8_t>{10, 20, 30, 5, 10, 15, 6, 11, 16}));
}

TEST(PngDecoder, RgbAndRgbaToLuminance) {
  auto rgb = decodePng(makePng(2, 1, 2, {0, 255, 255, 255, 0, 0, 0}));
  ASSERT_TRUE(rgb.ok());
  EXPECT_EQ(rgb->pixels, (std::vector<std::uint8_t>{255, 0}));
  auto rgba = decodePng(makePng(1, 1, 6, {2, 100, 100, 100, 255}));
  ASSERT_TRUE(rgba.ok());
  EXPECT_EQ(rgba->pixels.at(0), 100);
}

TEST(PngDecoder, RefusesHostileOrUnsupportedFiles) {
  auto reason = [](const std::vector<std::uint8_t>& b) {
    auto r = decodePng(b);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().args.at(0);
  };
  const auto good = makePng(1, 1, 0, {0, 7});
  EXPECT_EQ(reason({1, 2, 3}), "signature");
  auto badCrc = good;
  badCrc[30] ^= 1;
  EXPECT_EQ(reason(badCrc), "crc");
  EXPECT_EQ(reason(std::vector<std::uint8_t>(good.begin(), good.end() - 5)), "chunk");
  EXPECT_EQ(reason(makePng(5000, 1, 0, {0})), "size");
  EXPECT_EQ(reason(makePng(0, 1, 0, {0})), "size");
  EXPECT_EQ(reason(makePng(1, 1, 3, {0, 0})), "palette");                          // no PLTE
  EXPECT_EQ(reason(makePng(1, 1, 3, {0, 1}, 0, 8, {1, 2, 3})), "palette");         // index 1 of 1 entry
  EXPECT_EQ(reason(makePng(1, 1, 3, {0, 0}, 0, 8, {1, 2})), "palette");            // not a multiple of 3
  EXPECT_EQ(reason(makePng(1, 1, 0, {0, 7}, 2)), "unsupported");                   // interlace method 2
  EXPECT_EQ(reason(makePng(1, 1, 3, {0, 0}, 0, 16, {1, 2, 3})), "unsupported");    // 16-bit palette
  EXPECT_EQ(reason(makePng(1, 1, 2, {0, 0, 0, 0}, 0, 4)), "unsupported");          // 4-bit RGB
  EXPECT_EQ(reason(makePng(8, 8, 0, std::vector<std::uint8_t>(8 * 9, 0), 1)), "data");  // not Adam7-sized
  EXPECT_EQ(reason(makePng(4096, 4096, 6, {0}, 0, 16)), "size");  // 128 MiB of scanlines: refused before inflating
  EXPECT_EQ(reason(makePng(1, 1, 0, {5, 7})), "filter");
  EXPECT_EQ(reason(makePng(2, 2, 0, {0, 7})), "data");  // too short
  EXPECT_EQ(reason(makePng(1, 1, 0, {0, 7, 8, 9})), "data");  // too long
  EXPECT_EQ(decodePng(good)->pixels.at(0), 7);
}

TEST(PngDecoder, PaletteAndLowBitDepths) {
  // 2-bit palette, 3 pixels: indices 2, 0, 1 → luminance of the entries (white, black, grey).
  const std::vector<std::uint8_t> plte{0, 0, 0, 128, 128, 128, 255, 255, 255};
  auto pal = decodePng(makePng(3, 1, 3, {0, 0b10000100}, 0, 2, plte));
  ASSERT_TRUE(pal.ok()) << pal.error().args.at(0);
  EXPECT_EQ(pal->pixels, (std::vector<std::uint8_t>{255, 0, 128}));
  // 1-bit grey, 10 pixels (two bytes, last one padded): 1011001110.
  auto bits = decodePng(makePng(10, 1, 0, {0, 0b10110011, 0b10000000}, 0, 1));
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(bits->pixels, (std::vector<std::uint8_t>{255, 0, 255, 255, 0, 0, 255, 255, 255, 0}));
  // 16-bit grey and RGB: the high byte counts; sub filter works on 2 and 6 bytes per pixel.
  auto g16 = decodePng(makePng(2, 1, 0, {1, 0x12, 0x34, 0x10, 0x00}, 0, 16));
  ASSERT_TRUE(g16.ok());
  EXPECT_EQ(g16->pixels, (std::vector<std::uint8_t>{0x12, 0x22}));
  auto rgb16 = decodePng(makePng(1, 1, 2, {0, 255, 0, 255, 0, 255, 0}, 0, 16));
  ASSERT_TRUE(rgb16.ok());
  EXPECT_EQ(rgb16->pixels.at(0), 255);
}

TEST(PngDecoder, Adam7Interlace) {
  // A 5×3 grey image, pixel (x, y) = 10·y + x, written in the 7 Adam7 passes. Pass sizes:
  // 1:1×1 2:1×1 3:none 4:1×1 5:3×1 6:2×2 7:5×1 (x0, y0, dx, dy as in the PNG specification).
  const int w = 5, h = 3;
  const int adam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
  std::vector<std::uint8_t> rows;
  for (const auto& a : adam7) {
    for (int y = a[1]; y < h; y += a[3]) {
      if (a[0] >= w) break;
      rows.push_back(0);
      for (int x = a[0]; x < w; x += a[2]) rows.push_back(static_cast<std::uint8_t>(10 * y + x));
    }
  }
  auto img = decodePng(makePng(w, h, 0, rows, 1));
  ASSERT_TRUE(img.ok()) << img.error().args.at(0);
  std::vector<std::uint8_t> want;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) want.push_back(static_cast<std::uint8_t>(10 * y + x));
  EXPECT_EQ(img->pixels, want);
  auto one = decodePng(makePng(1, 1, 0, {0, 7}, 1));  // only the first pass has pixels
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->pixels.at(0), 7);
}

TEST(QrReader, BlankImageHasNoCode) {
  vd::reader::image::GreyImage img{64, 64, std::vector<std::uint8_t>(64 * 64, 255)};
  EXPECT_EQ(vd::reader::image::readQrText(img).error().code, Errc::ImageNoCode);
  EXPECT_EQ(vd::reader::image::readQrTextFromFile("/nonexistent/x.png").error().code, Errc::FileUnreadable);
}
