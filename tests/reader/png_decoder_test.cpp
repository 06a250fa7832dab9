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
                                  const std::vector<std::uint8_t>& rows, std::uint8_t interlace = 0) {
  std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<std::uint8_t> ihdr;
  be32(ihdr, w);
  be32(ihdr, h);
  ihdr.insert(ihdr.end(), {8, colour, 0, 0, interlace});
  chunk(png, "IHDR", ihdr);
  chunk(png, "tEXt", {'a', 0, 'b'});  // ancillary: skipped
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
  EXPECT_EQ(reason(makePng(1, 1, 3, {0, 0})), "unsupported");  // palette
  EXPECT_EQ(reason(makePng(1, 1, 0, {0, 7}, 1)), "unsupported");  // interlaced
  EXPECT_EQ(reason(makePng(1, 1, 0, {5, 7})), "filter");
  EXPECT_EQ(reason(makePng(2, 2, 0, {0, 7})), "data");  // too short
  EXPECT_EQ(reason(makePng(1, 1, 0, {0, 7, 8, 9})), "data");  // too long
  EXPECT_EQ(decodePng(good)->pixels.at(0), 7);
}

TEST(QrReader, BlankImageHasNoCode) {
  vd::reader::image::GreyImage img{64, 64, std::vector<std::uint8_t>(64 * 64, 255)};
  EXPECT_EQ(vd::reader::image::readQrText(img).error().code, Errc::ImageNoCode);
  EXPECT_EQ(vd::reader::image::readQrTextFromFile("/nonexistent/x.png").error().code, Errc::FileUnreadable);
}
