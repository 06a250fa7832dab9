#include "crypto/digest.hpp"

#include <gtest/gtest.h>

namespace {

TEST(Digest, Sha256KnownAnswers) {
  // FIPS 180-2 appendix B.1 and the empty string.
  EXPECT_EQ(vd::crypto::toHex(vd::crypto::sha256(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(vd::crypto::toHex(vd::crypto::sha256(std::string_view(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Digest, HmacSha256KnownAnswer) {
  // RFC 4231, test case 2.
  const std::string key = "Jefe";
  EXPECT_EQ(vd::crypto::toHex(vd::crypto::hmacSha256(
                std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Digest, RandomBytesDiffer) {
  auto a = vd::crypto::randomBytes(16);
  auto b = vd::crypto::randomBytes(16);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->size(), 16u);
  EXPECT_NE(*a, *b);
}

}  // namespace
