#include "crypto/base45.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using vd::core::Errc;
using vd::crypto::base45Decode;
using vd::crypto::base45Encode;

namespace {

std::vector<std::uint8_t> bytesOf(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(Base45, Rfc9285Vectors) {
  // RFC 9285 §4.3 and §4.4.
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"AB", "BB8"}, {"Hello!!", "%69 VD92EX0"}, {"base-45", "UJCLQE7W581"}, {"ietf!", "QED8WEX0"}, {"", ""}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base45Encode(bytesOf(plain)), encoded);
    auto decoded = base45Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, bytesOf(plain));
  }
}

TEST(Base45, RoundTripOfEveryByteValue) {
  std::vector<std::uint8_t> all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  all.push_back(0xFF);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::vector<std::uint8_t> part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    auto decoded = base45Decode(base45Encode(part));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, part);
  }
  // The extremes of a triplet and a pair.
  EXPECT_EQ(base45Encode(std::vector<std::uint8_t>{0xFF, 0xFF}), "FGW");
  EXPECT_EQ(base45Encode(std::vector<std::uint8_t>{0xFF}), "U5");
}

TEST(Base45, RefusesCharactersOutsideTheAlphabet) {
  auto lower = base45Decode("bb8");  // lower case is not Base45
  ASSERT_FALSE(lower.ok());
  EXPECT_EQ(lower.error().code, Errc::Base45Character);
  EXPECT_EQ(lower.error().args.at(0), "1");
  auto mid = base45Decode("BB8B=8");
  ASSERT_FALSE(mid.ok());
  EXPECT_EQ(mid.error().code, Errc::Base45Character);
  EXPECT_EQ(mid.error().args.at(0), "5");
  EXPECT_EQ(base45Decode(std::string_view("BB\0", 3)).error().code, Errc::Base45Character);
  EXPECT_EQ(base45Decode("\xC3\xA9X").error().code, Errc::Base45Character);
}

TEST(Base45, RefusesImpossibleLengths) {
  for (std::string_view text : {"B", "BB8B", "BB8BB8B"}) {
    auto r = base45Decode(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, Errc::Base45Length);
  }
}

TEST(Base45, RefusesValuesOutOfRange) {
  // "GGW" = 16 + 16*45 + 32*2025 = 65536: one above the largest triplet.
  auto triplet = base45Decode("GGW");
  ASSERT_FALSE(triplet.ok());
  EXPECT_EQ(triplet.error().code, Errc::Base45Value);
  EXPECT_EQ(base45Decode(":::").error().code, Errc::Base45Value);
  // "V5" = 31 + 5*45 = 256: one above the largest final pair.
  auto pair = base45Decode("BB8V5");
  ASSERT_FALSE(pair.ok());
  EXPECT_EQ(pair.error().code, Errc::Base45Value);
  EXPECT_EQ(pair.error().args.at(0), "4");
  EXPECT_TRUE(base45Decode("FGW").ok());
  EXPECT_TRUE(base45Decode("U5").ok());
}

}  // namespace
