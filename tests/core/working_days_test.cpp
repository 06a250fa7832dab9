#include "core/working_days.hpp"

#include <gtest/gtest.h>

#include <set>

using vd::core::Date;
using vd::core::Region;
using vd::core::WorkingDayCalendar;

namespace {

Date d(const char* iso) { return *Date::parseIso(iso); }

TEST(Easter, KnownDates) {
  EXPECT_EQ(vd::core::easterSunday(2025).iso(), "2025-04-20");
  EXPECT_EQ(vd::core::easterSunday(2026).iso(), "2026-04-05");
  EXPECT_EQ(vd::core::easterSunday(2027).iso(), "2027-03-28");
  EXPECT_EQ(vd::core::easterSunday(2000).iso(), "2000-04-23");
  EXPECT_EQ(vd::core::easterSunday(2019).iso(), "2019-04-21");
  EXPECT_EQ(vd::core::easterSunday(2038).iso(), "2038-04-25");  // latest possible date
  EXPECT_EQ(vd::core::easterSunday(2285).iso(), "2285-03-22");  // earliest possible date
}

// Holidays 2025–2027 as published (service-public.fr, "jours fériés").
TEST(WorkingDayCalendar, Holidays2025To2027) {
  const std::map<int, std::set<std::string>> expected{
      {2025, {"2025-01-01", "2025-04-21", "2025-05-01", "2025-05-08", "2025-05-29", "2025-06-09", "2025-07-14",
              "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25"}},
      {2026, {"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25", "2026-07-14",
              "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25"}},
      {2027, {"2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-05-17", "2027-07-14",
              "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25"}},
  };
  const WorkingDayCalendar cal;
  for (const auto& [year, dates] : expected) {
    std::set<std::string> got;
    for (const auto& h : cal.holidays(year)) got.insert(h.date.iso());
    EXPECT_EQ(got, dates) << year;
    // isHoliday agrees with the list for every day of the year.
    for (Date x = *Date::fromYmd(year, 1, 1); x.year() == year; x = x.addDays(1)) {
      EXPECT_EQ(cal.isHoliday(x), dates.count(x.iso()) == 1) << x.iso();
    }
  }
}

TEST(WorkingDayCalendar, AlsaceMoselleAddsGoodFridayAndStStephen) {
  const WorkingDayCalendar am(Region::AlsaceMoselle);
  const WorkingDayCalendar metro;
  EXPECT_TRUE(am.isHoliday(d("2025-04-18")));
  EXPECT_FALSE(metro.isHoliday(d("2025-04-18")));
  EXPECT_TRUE(am.isHoliday(d("2025-12-26")));
  EXPECT_EQ(am.holidays(2026).size(), 13u);
}

TEST(WorkingDayCalendar, AddWorkingDaysSkipsWeekendsAndHolidays) {
  const WorkingDayCalendar cal;
  EXPECT_EQ(cal.addWorkingDays(d("2025-11-20"), 0).iso(), "2025-11-20");
  EXPECT_EQ(cal.addWorkingDays(d("2025-11-20"), 1).iso(), "2025-11-21");  // Thu → Fri
  EXPECT_EQ(cal.addWorkingDays(d("2025-11-21"), 1).iso(), "2025-11-24");  // Fri → Mon
  EXPECT_EQ(cal.addWorkingDays(d("2025-11-22"), 1).iso(), "2025-11-24");  // Sat → Mon
  EXPECT_EQ(cal.addWorkingDays(d("2025-05-28"), 3).iso(), "2025-06-03");  // over Ascension Thu 29
  EXPECT_EQ(cal.addWorkingDays(d("2025-06-06"), 1).iso(), "2025-06-10");  // Whit Monday
  EXPECT_EQ(cal.addWorkingDays(d("2025-12-24"), 3).iso(), "2025-12-30");  // Christmas
  EXPECT_EQ(cal.addWorkingDays(d("2025-12-31"), 1).iso(), "2026-01-02");  // New Year
  EXPECT_EQ(cal.addWorkingDays(d("2025-12-24"), 8).iso(), "2026-01-07");  // tiers payant horizon
  EXPECT_EQ(cal.addWorkingDays(d("2025-06-10"), -1).iso(), "2025-06-06");
  const WorkingDayCalendar am(Region::AlsaceMoselle);
  EXPECT_EQ(am.addWorkingDays(d("2025-12-24"), 3).iso(), "2025-12-31");
}

TEST(WorkingDayCalendar, CountsWorkingDaysBetween) {
  const WorkingDayCalendar cal;
  EXPECT_EQ(cal.workingDaysBetween(d("2025-12-24"), d("2025-12-30")), 3);
  EXPECT_EQ(cal.workingDaysBetween(d("2025-12-30"), d("2025-12-24")), 0);
  // 2026: 365 days, 104 weekend days, 9 holidays on weekdays (1 Nov and 15 Aug fall on a
  // Sunday and a Saturday).
  EXPECT_EQ(cal.workingDaysBetween(d("2025-12-31"), d("2026-12-31")), 252);
  for (Date x = d("2025-01-01"); x < d("2027-12-31"); x = x.addDays(1)) {
    for (int n : {1, 2, 3, 8}) {
      const Date due = cal.addWorkingDays(x, n);
      ASSERT_TRUE(cal.isWorkingDay(due));
      ASSERT_EQ(cal.workingDaysBetween(x, due), n) << x.iso() << " + " << n;
    }
  }
}

}  // namespace
