#include "core/money.hpp"

#include <gtest/gtest.h>

using vd::core::Money;
using vd::core::Rate;

namespace {

TEST(Money, ParseAndFormat) {
  EXPECT_EQ(Money::parse("30.00")->cents(), 3000);
  EXPECT_EQ(Money::parse("30")->cents(), 3000);
  EXPECT_EQ(Money::parse("26.5")->cents(), 2650);
  EXPECT_EQ(Money::parse("0,51")->cents(), 51);
  EXPECT_EQ(Money::parse("-2.00")->cents(), -200);
  for (const char* bad : {"", ".", "1.", ".5", "1.234", "1,2,3", "abc", "1e3", "--1", "12345678901.00", " 1"}) {
    EXPECT_FALSE(Money::parse(bad).ok()) << bad;
  }
  EXPECT_EQ(Money::cents(3000).toString(), "30.00");
  EXPECT_EQ(Money::cents(-5).toString(), "-0.05");
  EXPECT_EQ(Money::cents(-200).toString(), "-2.00");
  EXPECT_EQ(Money::cents(2650).toFrench(), "26,50\u00a0€");
}

TEST(Money, RateRoundsHalfAwayFromZero) {
  EXPECT_EQ(Money::euros(30).applyRate(Rate::percent(70)).cents(), 2100);    // 21.00
  EXPECT_EQ(Money::cents(2650).applyRate(Rate::percent(70)).cents(), 1855);  // exact
  EXPECT_EQ(Money::cents(110).applyRate(Rate::percent(15)).cents(), 17);     // 16.5 → 17
  EXPECT_EQ(Money::cents(333).applyRate(Rate::percent(65)).cents(), 216);    // 216.45 → 216
  EXPECT_EQ(Money::cents(-110).applyRate(Rate::percent(15)).cents(), -17);   // −16.5 → −17
  EXPECT_EQ(Money::cents(999).applyRate(Rate::percent(100)).cents(), 999);
  EXPECT_EQ(Money::cents(999).applyRate(Rate::percent(0)).cents(), 0);
  EXPECT_EQ(Money::cents(1).applyRate(Rate::basisPoints(5000)).cents(), 1);  // 0.5 → 1
  EXPECT_EQ(Money::cents(1).applyRate(Rate::basisPoints(4999)).cents(), 0);
}

TEST(Money, ShareAndComplementAlwaysAddUp) {
  // The billing code computes one share and gives the remainder to the other payer.
  for (std::int64_t c = 0; c < 5000; c += 7) {
    for (int p : {15, 30, 35, 60, 65, 70, 80, 100}) {
      const Money total = Money::cents(c);
      const Money amo = total.applyRate(Rate::percent(p));
      const Money rest = total - amo;
      ASSERT_EQ((amo + rest).cents(), c);
      ASSERT_LE(std::llabs(amo.cents() * 100 - c * p), 50);  // within half a cent
    }
  }
}

TEST(Rate, ParseAndFormat) {
  EXPECT_EQ(Rate::parse("70")->bp(), 7000);
  EXPECT_EQ(Rate::parse("70.00")->bp(), 7000);
  EXPECT_EQ(Rate::parse("12.5")->bp(), 1250);
  EXPECT_FALSE(Rate::parse("100.01").ok());
  EXPECT_FALSE(Rate::parse("-1").ok());
  EXPECT_EQ(Rate::percent(65).toString(), "65.00");
}

}  // namespace
