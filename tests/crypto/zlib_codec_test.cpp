#include "crypto/zlib_codec.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using vd::core::Errc;
using namespace vd::crypto;

namespace {

std::vector<std::uint8_t> bytesOf(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(Zlib, RoundTrip) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "carte Vitale " + std::to_string(i) + "\n";
  auto packed = zlibDeflate(bytesOf(text));
  ASSERT_TRUE(packed.ok());
  EXPECT_EQ(packed->at(0), 0x78);
  EXPECT_LT(packed->size(), text.size());
  auto unpacked = zlibInflate(*packed);
  ASSERT_TRUE(unpacked.ok());
  EXPECT_EQ(*unpacked, bytesOf(text));
  auto viaDcc = inflateIfCompressed(*packed);
  ASSERT_TRUE(viaDcc.ok());
  EXPECT_EQ(*viaDcc, bytesOf(text));
}

TEST(Zlib, EmptyInputRoundTrips) {
  auto packed = zlibDeflate({});
  ASSERT_TRUE(packed.ok());
  auto unpacked = zlibInflate(*packed);
  ASSERT_TRUE(unpacked.ok());
  EXPECT_TRUE(unpacked->empty());
}

TEST(Zlib, OutputExactlyAtTheLimitIsAccepted) {
  const std::vector<std::uint8_t> data(1000, 'x');
  auto packed = zlibDeflate(data);
  ASSERT_TRUE(packed.ok());
  EXPECT_TRUE(zlibInflate(*packed, 1000).ok());
  auto over = zlibInflate(*packed, 999);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Errc::ZlibTooLarge);
}

TEST(Zlib, DecompressionBombIsRefused) {
  const std::vector<std::uint8_t> zeros(10u * 1024 * 1024, 0);
  auto bomb = zlibDeflate(zeros);
  ASSERT_TRUE(bomb.ok());
  ASSERT_LT(bomb->size(), 20u * 1024);  // ~10 KiB that would inflate to 10 MiB
  auto r = zlibInflate(*bomb);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::ZlibTooLarge);
  EXPECT_EQ(r.error().args.at(0), std::to_string(kDefaultInflateLimit));
  EXPECT_EQ(inflateIfCompressed(*bomb).error().code, Errc::ZlibTooLarge);
}

TEST(Zlib, TruncatedStreamIsRefused) {
  auto packed = zlibDeflate(bytesOf(std::string(3000, 'a') + "bcdefghij"));
  ASSERT_TRUE(packed.ok());
  for (std::size_t cut : {std::size_t{1}, std::size_t{2}, packed->size() / 2, packed->size() - 1}) {
    const std::vector<std::uint8_t> truncated(packed->begin(), packed->begin() + static_cast<std::ptrdiff_t>(cut));
    auto r = zlibInflate(truncated);
    ASSERT_FALSE(r.ok()) << cut;
    EXPECT_EQ(r.error().code, Errc::ZlibMalformed) << cut;
  }
}

TEST(Zlib, CorruptionAndTrailingBytesAreRefused) {
  auto packed = zlibDeflate(bytesOf("the quick brown fox jumps over the lazy dog"));
  ASSERT_TRUE(packed.ok());
  auto badChecksum = *packed;
  badChecksum.back() ^= 0x01;  // Adler-32
  EXPECT_EQ(zlibInflate(badChecksum).error().code, Errc::ZlibMalformed);
  auto trailing = *packed;
  trailing.push_back(0x00);
  EXPECT_EQ(zlibInflate(trailing).error().code, Errc::ZlibMalformed);
  EXPECT_EQ(zlibInflate(bytesOf("not zlib")).error().code, Errc::ZlibMalformed);
  EXPECT_EQ(zlibInflate({}).error().code, Errc::ZlibMalformed);
}

TEST(Zlib, UncompressedDataPassesThroughAsInTheDcc) {
  const auto plain = bytesOf("\xD2\x84plain COSE");
  auto r = inflateIfCompressed(plain);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, plain);
  EXPECT_EQ(inflateIfCompressed(plain, 4).error().code, Errc::ZlibTooLarge);
  // A 0x78 first byte commits to zlib: a broken stream is an error, not plain data.
  EXPECT_EQ(inflateIfCompressed(bytesOf("\x78garbage")).error().code, Errc::ZlibMalformed);
}

}  // namespace

namespace {
TEST(Crc32, KnownAnswer) {
  const std::string check = "123456789";  // the standard CRC-32 check value
  EXPECT_EQ(vd::crypto::crc32(std::span(reinterpret_cast<const std::uint8_t*>(check.data()), check.size())),
            0xCBF43926u);
  EXPECT_EQ(vd::crypto::crc32({}), 0u);
}
}  // namespace
