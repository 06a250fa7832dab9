#include "core/date.hpp"

#include <gtest/gtest.h>

#include "core/birth_date.hpp"

using vd::core::BirthDate;
using vd::core::Date;

namespace {

Date d(const char* iso) { return *Date::parseIso(iso); }

TEST(Date, ParsesStrictIso) {
  EXPECT_EQ(d("2024-12-22").iso(), "2024-12-22");
  EXPECT_EQ(d("2024-02-29").day(), 29);
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "20241222", "2024-12-22x", "",
                          "abcd-ef-gh", "0000-01-01"}) {
    EXPECT_FALSE(Date::parseIso(bad).ok()) << bad;
  }
}

TEST(Date, WeekdaysAndArithmetic) {
  EXPECT_EQ(d("1970-01-01").isoWeekday(), 4);
  EXPECT_EQ(d("2025-01-01").isoWeekday(), 3);
  EXPECT_EQ(d("2026-11-23").isoWeekday(), 1);
  EXPECT_EQ(d("1969-12-31").isoWeekday(), 3);
  EXPECT_EQ(d("2024-02-28").addDays(1).iso(), "2024-02-29");
  EXPECT_EQ(d("2023-02-28").addDays(1).iso(), "2023-03-01");
  EXPECT_EQ(d("1900-03-01").addDays(-1).iso(), "1900-02-28");
  EXPECT_EQ(d("2000-03-01").addDays(-1).iso(), "2000-02-29");
  EXPECT_EQ(vd::core::daysBetween(d("2025-01-01"), d("2024-01-01")), 366);
  EXPECT_LT(d("2024-12-21"), d("2024-12-22"));
}

TEST(Date, RoundTripsEveryDayOverFourCenturies) {
  Date x = d("1800-01-01");
  for (int i = 0; i < 146097; ++i, x = x.addDays(1)) {
    const auto back = Date::fromYmd(x.year(), x.month(), x.day());
    ASSERT_TRUE(back.has_value());
    ASSERT_EQ(*back, x);
  }
}

TEST(BirthDate, KeepsLunarDatesRaw) {
  for (const char* raw : {"19500000", "19501200", "19500015", "19500235", "19500231", "19451332"}) {
    auto b = BirthDate::parse(raw);
    ASSERT_TRUE(b.ok()) << raw;
    EXPECT_EQ(b->raw(), raw);
    EXPECT_TRUE(b->isLunar()) << raw;
    EXPECT_FALSE(b->calendar().has_value());
  }
  auto normal = BirthDate::parse("19550814");
  ASSERT_TRUE(normal.ok());
  EXPECT_FALSE(normal->isLunar());
  EXPECT_EQ(normal->calendar()->iso(), "1955-08-14");
  EXPECT_EQ(normal->display(), "14/08/1955");
  EXPECT_EQ(BirthDate::parse("19500000")->display(), "00/00/1950");
}

TEST(BirthDate, RejectsWhatIsNotEightDigits) {
  for (const char* bad : {"", "1950000", "195000000", "1950-01-01", "19a00101", "17991231"}) {
    auto b = BirthDate::parse(bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.error().code, vd::core::Errc::BirthDateFormat);
    EXPECT_TRUE(b.error().args.empty()) << "birth dates are patient data: never echoed";
  }
}

TEST(BirthDate, AgeRuleForCalendarAndLunarDates) {
  const auto b = *BirthDate::parse("20190601");
  EXPECT_EQ(b.ageAt(d("2025-05-31")), 5);
  EXPECT_EQ(b.ageAt(d("2025-06-01")), 6);
  // Month 00: birthday counted from 1 January.
  const auto m00 = *BirthDate::parse("20190000");
  EXPECT_EQ(m00.ageAt(d("2024-12-31")), 5);
  EXPECT_EQ(m00.ageAt(d("2025-01-01")), 6);
  // Day 00: birthday counted from the first of the month.
  const auto d00 = *BirthDate::parse("20190600");
  EXPECT_EQ(d00.ageAt(d("2025-05-31")), 5);
  EXPECT_EQ(d00.ageAt(d("2025-06-01")), 6);
  // Day past the month's end: birthday after the last day of the month.
  const auto d35 = *BirthDate::parse("20190635");
  EXPECT_EQ(d35.ageAt(d("2025-06-30")), 5);
  EXPECT_EQ(d35.ageAt(d("2025-07-01")), 6);
  // 29 February: reached on 1 March in a common year.
  const auto leap = *BirthDate::parse("20200229");
  EXPECT_EQ(leap.ageAt(d("2025-02-28")), 4);
  EXPECT_EQ(leap.ageAt(d("2025-03-01")), 5);
  EXPECT_EQ(leap.ageAt(d("2028-02-29")), 8);
  EXPECT_EQ(b.ageAt(d("2019-01-01")), -1);
}

}  // namespace
