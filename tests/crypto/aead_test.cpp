// AES-256-GCM seal/open: round trip, fresh nonce each time, and every alteration refused.
#include "crypto/aead.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace vd::crypto;

namespace {

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

TEST(AeadTest, RoundTripAndEveryAlterationIsRefused) {
  const std::vector<std::uint8_t> key(kAeadKeySize, 0x42);
  const auto plain = bytes("NIR 255081416802538 DUPONT");
  auto sealed = aeadSeal(key, plain, "row-1");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), plain.size() + kAeadNonceSize + kAeadTagSize);
  EXPECT_EQ(std::string(sealed->begin(), sealed->end()).find("255081416802538"), std::string::npos);
  EXPECT_EQ(*aeadOpen(key, *sealed, "row-1"), plain);
  EXPECT_NE(*aeadSeal(key, plain, "row-1"), *sealed);  // fresh nonce
  EXPECT_EQ(aeadOpen(key, *sealed, "row-2").error().code, vd::core::Errc::OutboxDecrypt);
  auto otherKey = key;
  otherKey[0] ^= 1;
  EXPECT_EQ(aeadOpen(otherKey, *sealed, "row-1").error().code, vd::core::Errc::OutboxDecrypt);
  for (std::size_t i = 0; i < sealed->size(); i += 7) {
    auto altered = *sealed;
    altered[i] ^= 0x01;
    EXPECT_FALSE(aeadOpen(key, altered, "row-1").ok()) << i;
  }
  EXPECT_FALSE(aeadOpen(key, std::vector<std::uint8_t>(10), "row-1").ok());
  EXPECT_FALSE(aeadSeal(std::vector<std::uint8_t>(16), plain, "").ok());
  auto empty = aeadSeal(key, {}, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(aeadOpen(key, *empty, "")->empty());
}

}  // namespace
