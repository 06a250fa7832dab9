#include "core/nir.hpp"

#include <gtest/gtest.h>

#include "core/messages.hpp"

using vd::core::Errc;
using vd::core::Nir;

namespace {

// The checked examples of DESIGN §2, plus variants built from them.
TEST(Nir, AcceptsTheReferenceExamples) {
  for (const char* text : {"255081416802538", "253072A07300443", "253072B07300470", "295109912611193"}) {
    auto nir = Nir::parse(text);
    ASSERT_TRUE(nir.ok()) << text << ": " << vd::core::describeLine(nir.error(), vd::core::Lang::En);
    EXPECT_EQ(nir->value(), text);
    EXPECT_EQ(nir->kind(), Nir::Kind::Permanent);
  }
}

TEST(Nir, CorsicanSubstitutionIs19For2AAnd18For2B) {
  EXPECT_EQ(*Nir::computeKey("253072A073004"), 43);  // 2530719073004
  EXPECT_EQ(*Nir::computeKey("253072B073004"), 70);  // 2530718073004
  // Swapping 2A and 2B keeps the digits but not the key.
  auto swapped = Nir::parse("253072A07300470");
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.error().code, Errc::NirKeyMismatch);
  EXPECT_EQ(swapped.error().args.at(0), "43");
  EXPECT_EQ(swapped.error().args.at(1), "70");
}

TEST(Nir, WrongKeyNamesTheExpectedKey) {
  auto nir = Nir::parse("255081416802539");
  ASSERT_FALSE(nir.ok());
  EXPECT_EQ(nir.error().code, Errc::NirKeyMismatch);
  EXPECT_EQ(nir.error().args.at(0), "38");
  const auto fr = vd::core::describe(nir.error(), vd::core::Lang::Fr);
  EXPECT_NE(fr.cause.find("clé attendue 38"), std::string::npos) << fr.cause;
  const auto en = vd::core::describe(nir.error(), vd::core::Lang::En);
  EXPECT_NE(en.cause.find("expected key 38"), std::string::npos) << en.cause;
}

TEST(Nir, SingleDigitErrorsAreAlwaysCaught) {
  // The mod-97 key detects every single-digit substitution: check all of them on one NIR.
  const std::string good = "255081416802538";
  for (std::size_t pos = 0; pos < 13; ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[pos]) continue;
      std::string bad = good;
      bad[pos] = d;
      EXPECT_FALSE(Nir::parse(bad).ok()) << bad;
    }
  }
}

TEST(Nir, KeyBelowTenIsZeroPadded) {
  // Search a body whose key is < 10 and check the round trip through parse().
  std::string body = "1850375123000";
  for (int order = 0; order < 1000; ++order) {
    std::snprintf(body.data() + 10, 4, "%03d", order);
    const int key = *Nir::computeKey(body);
    if (key < 10) {
      auto nir = Nir::parse(body + "0" + std::to_string(key));
      ASSERT_TRUE(nir.ok());
      EXPECT_EQ(nir->key(), key);
      return;
    }
  }
  FAIL() << "no body with a one-digit key found";
}

TEST(Nir, BadLengths) {
  for (const char* text : {"", "25508141680253", "2550814168025381", "2"}) {
    auto nir = Nir::parse(text);
    ASSERT_FALSE(nir.ok()) << text;
    EXPECT_EQ(nir.error().code, Errc::NirLength) << text;
  }
}

TEST(Nir, BadCharactersNameTheirPosition) {
  auto x = Nir::parse("2550X1416802538");
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(x.error().code, Errc::NirCharacter);
  EXPECT_EQ(x.error().args.at(0), "5");
  EXPECT_EQ(Nir::parse("253072C07300443").error().code, Errc::NirCharacter);  // 2C is not Corsica
  EXPECT_EQ(Nir::parse("253073A07300443").error().code, Errc::NirCharacter);  // 3A is not Corsica
  EXPECT_EQ(Nir::parse("2550814168025-8").error().code, Errc::NirCharacter);
  EXPECT_EQ(Nir::parse("25508141680253A").error().code, Errc::NirCharacter);
}

TEST(Nir, SpacesAndLowerCaseAreAccepted) {
  EXPECT_TRUE(Nir::parse("2 55 08 14 168 025 38").ok());
  auto corsica = Nir::parse("2 53 07 2a 073 004 43");
  ASSERT_TRUE(corsica.ok());
  EXPECT_EQ(corsica->value(), "253072A07300443");
}

TEST(Nir, Formatting) {
  EXPECT_EQ(Nir::parse("255081416802538")->formatted(), "2 55 08 14 168 025 38");
  EXPECT_EQ(Nir::parse("253072A07300443")->formatted(), "2 53 07 2A 073 004 43");
}

TEST(Nir, FictitiousMonthsAreAccepted) {
  EXPECT_TRUE(Nir::parse("155201416802586").ok());  // month 20
  EXPECT_TRUE(Nir::parse("155501416802581").ok());  // month 50
  for (const char* body : {"1554214168025", "1553014168025", "1559914168025"}) {
    const int key = *Nir::computeKey(body);
    char full[16];
    std::snprintf(full, sizeof full, "%s%02d", body, key);
    EXPECT_TRUE(Nir::parse(full).ok()) << full;
  }
  for (const char* body : {"1550014168025", "1551314168025", "1551914168025", "1554314168025", "1554914168025"}) {
    auto r = Nir::computeKey(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, Errc::NirMonth) << body;
  }
}

TEST(Nir, TemporaryNumbersAreRecognised) {
  auto nia = Nir::parse("755081416802579");
  ASSERT_TRUE(nia.ok());
  EXPECT_EQ(nia->kind(), Nir::Kind::Temporary);
  EXPECT_EQ(nia->sex(), Nir::Sex::Male);
  EXPECT_EQ(Nir::parse("255081416802538")->sex(), Nir::Sex::Female);
  auto bad = Nir::computeKey("3550814168025");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::NirSexDigit);
}

TEST(Nir, ErrorsNeverEchoTheNumber) {
  for (const char* text : {"255081416802539", "2550X1416802538", "355081416802538"}) {
    auto r = Nir::parse(text);
    ASSERT_FALSE(r.ok());
    for (const auto& a : r.error().args) EXPECT_EQ(a.find("2550814"), std::string::npos) << a;
    EXPECT_EQ(vd::core::describeLine(r.error(), vd::core::Lang::Fr).find("2550814"), std::string::npos);
  }
}

}  // namespace
