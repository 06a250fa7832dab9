#include "reader/pcsc/atr.hpp"

#include <gtest/gtest.h>

#include <vector>

using vd::reader::parseAtr;

namespace {

TEST(Atr, Vitale2ContactCardOffersT0) {
  const std::vector<std::uint8_t> vitale{0x3B, 0x75, 0x13, 0x00, 0x00, 0x45, 0x09, 0xEA, 0x90, 0x00};
  auto atr = parseAtr(vitale);
  ASSERT_TRUE(atr.ok());
  EXPECT_TRUE(atr->offersT0);
  EXPECT_FALSE(atr->offersT1);
  EXPECT_FALSE(atr->contactless);
  EXPECT_FALSE(atr->hasTck);
  EXPECT_EQ(atr->historical, (std::vector<std::uint8_t>{0x45, 0x09, 0xEA, 0x90, 0x00}));
}

TEST(Atr, PcscPart3ContactlessAtr) {
  const std::vector<std::uint8_t> phone{0x3B, 0x80, 0x80, 0x01, 0x01};
  auto atr = parseAtr(phone);
  ASSERT_TRUE(atr.ok());
  EXPECT_TRUE(atr->contactless);
  EXPECT_TRUE(atr->offersT1);
  EXPECT_TRUE(atr->hasTck);
  EXPECT_TRUE(atr->tckValid);
  const std::vector<std::uint8_t> badTck{0x3B, 0x80, 0x80, 0x01, 0x02};
  EXPECT_FALSE(parseAtr(badTck)->tckValid);
}

TEST(Atr, RejectsTruncatedOrOversized) {
  const std::vector<std::vector<std::uint8_t>> bad{
      {}, {0x3B}, {0x3C, 0x00}, {0x3B, 0x75, 0x13, 0x00}, {0x3B, 0x80, 0x80}, {0x3B, 0x02, 0x01},
      {0x3B, 0x00, 0x00},  // trailing byte
      std::vector<std::uint8_t>(34, 0x3B)};
  for (const auto& b : bad) EXPECT_FALSE(parseAtr(b).ok()) << b.size();
}

}  // namespace
