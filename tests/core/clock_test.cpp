// The one rule for "today" (core/clock.hpp): the local calendar day of an instant given the
// zone's UTC offset at that instant, checked at the boundaries that matter to a French desk.

#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace vd::core {
namespace {

constexpr int kHour = 3600;

// Seconds since the epoch of a UTC wall time (test helper over the Date arithmetic under test).
UnixSeconds utc(int y, int mo, int d, int h, int mi, int s) {
  return startOfUtcDay(*Date::fromYmd(y, mo, d)) + h * 3600 + mi * 60 + s;
}

Date ymd(int y, int m, int d) { return *Date::fromYmd(y, m, d); }

// Europe/Paris as the EU rule states it (summer time from 01:00Z on the last Sunday of March to
// 01:00Z on the last Sunday of October), written out for 2026 only: the tests below check the
// rule's arithmetic, app/local_time_test.cpp checks the real tz database against it.
class Paris2026 final : public TimeZone {
 public:
  int utcOffsetSeconds(UnixSeconds t) const override {
    const bool summer = t >= utc(2026, 3, 29, 1, 0, 0) && t < utc(2026, 10, 25, 1, 0, 0);
    return summer ? 2 * kHour : kHour;
  }
  std::string_view name() const override { return "Europe/Paris"; }
};

TEST(UtcDate, FloorsBeforeAndAfterTheEpoch) {
  EXPECT_EQ(utcDate(0), ymd(1970, 1, 1));
  EXPECT_EQ(utcDate(86399), ymd(1970, 1, 1));
  EXPECT_EQ(utcDate(86400), ymd(1970, 1, 2));
  EXPECT_EQ(utcDate(-1), ymd(1969, 12, 31));
  EXPECT_EQ(utcDate(-86400), ymd(1969, 12, 31));
  EXPECT_EQ(utcDate(-86401), ymd(1969, 12, 30));
  EXPECT_EQ(startOfUtcDay(ymd(2026, 12, 7)), utc(2026, 12, 7, 0, 0, 0));
  EXPECT_EQ(utcDate(utc(2026, 12, 7, 23, 59, 59)), ymd(2026, 12, 7));
}

TEST(LocalDate, ParisWinterMidnightIsTwentyThreeUtc) {
  const Paris2026 paris;
  EXPECT_EQ(localDate(utc(2026, 12, 7, 22, 59, 59), paris), ymd(2026, 12, 7));
  EXPECT_EQ(localDate(utc(2026, 12, 7, 23, 0, 0), paris), ymd(2026, 12, 8));
  // The UTC day disagrees for that hour: the bug this rule removes.
  EXPECT_EQ(utcDate(utc(2026, 12, 7, 23, 0, 0)), ymd(2026, 12, 7));
}

TEST(LocalDate, ParisSummerMidnightIsTwentyTwoUtc) {
  const Paris2026 paris;
  EXPECT_EQ(localDate(utc(2026, 7, 14, 21, 59, 59), paris), ymd(2026, 7, 14));
  EXPECT_EQ(localDate(utc(2026, 7, 14, 22, 0, 0), paris), ymd(2026, 7, 15));
}

TEST(LocalDate, DaylightSavingChangeDays) {
  const Paris2026 paris;
  // 29 March 2026: 02:00 local becomes 03:00 (01:00Z). The day starts at 23:00Z the day before
  // (still winter time) and ends at 22:00Z (summer time): a 23-hour day.
  EXPECT_EQ(localDate(utc(2026, 3, 28, 22, 59, 59), paris), ymd(2026, 3, 28));
  EXPECT_EQ(localDate(utc(2026, 3, 28, 23, 0, 0), paris), ymd(2026, 3, 29));
  EXPECT_EQ(localDate(utc(2026, 3, 29, 0, 59, 59), paris), ymd(2026, 3, 29));  // 01:59:59 CET
  EXPECT_EQ(localDate(utc(2026, 3, 29, 1, 0, 0), paris), ymd(2026, 3, 29));    // 03:00:00 CEST
  EXPECT_EQ(localDate(utc(2026, 3, 29, 21, 59, 59), paris), ymd(2026, 3, 29));
  EXPECT_EQ(localDate(utc(2026, 3, 29, 22, 0, 0), paris), ymd(2026, 3, 30));
  // 25 October 2026: 03:00 local becomes 02:00 (01:00Z). The day starts at 22:00Z (summer time)
  // and ends at 23:00Z (winter time): a 25-hour day, the repeated hour stays on the 25th.
  EXPECT_EQ(localDate(utc(2026, 10, 24, 21, 59, 59), paris), ymd(2026, 10, 24));
  EXPECT_EQ(localDate(utc(2026, 10, 24, 22, 0, 0), paris), ymd(2026, 10, 25));
  EXPECT_EQ(localDate(utc(2026, 10, 25, 0, 30, 0), paris), ymd(2026, 10, 25));  // 02:30 CEST
  EXPECT_EQ(localDate(utc(2026, 10, 25, 1, 30, 0), paris), ymd(2026, 10, 25));  // 02:30 CET
  EXPECT_EQ(localDate(utc(2026, 10, 25, 22, 59, 59), paris), ymd(2026, 10, 25));
  EXPECT_EQ(localDate(utc(2026, 10, 25, 23, 0, 0), paris), ymd(2026, 10, 26));
}

TEST(LocalDate, OverseasZones) {
  const FixedOffsetZone cayenne("America/Cayenne", -3 * kHour);
  const FixedOffsetZone reunion("Indian/Reunion", 4 * kHour);
  // Guyane: behind UTC, the local day ends at 03:00Z of the next UTC day.
  EXPECT_EQ(localDate(utc(2026, 12, 8, 2, 59, 59), cayenne), ymd(2026, 12, 7));
  EXPECT_EQ(localDate(utc(2026, 12, 8, 3, 0, 0), cayenne), ymd(2026, 12, 8));
  // La Réunion: ahead, the local day starts at 20:00Z of the previous UTC day.
  EXPECT_EQ(localDate(utc(2026, 12, 7, 19, 59, 59), reunion), ymd(2026, 12, 7));
  EXPECT_EQ(localDate(utc(2026, 12, 7, 20, 0, 0), reunion), ymd(2026, 12, 8));
  EXPECT_EQ(reunion.name(), "Indian/Reunion");
}

TEST(LocalDate, TodayReadsTheClockOnce) {
  const Paris2026 paris;
  FixedClock clock(utc(2026, 12, 7, 22, 59, 59));
  EXPECT_EQ(today(clock, paris), ymd(2026, 12, 7));
  clock.advance(1);
  EXPECT_EQ(today(clock, paris), ymd(2026, 12, 8));
  clock.set(utc(2026, 12, 7, 12, 0, 0));
  EXPECT_EQ(today(clock, paris), ymd(2026, 12, 7));
}

TEST(FixedClock, IsSafeToReadWhileAnotherThreadAdvancesIt) {
  FixedClock clock(1000);
  std::thread writer([&] {
    for (int i = 0; i < 10000; ++i) clock.advance(1);
  });
  UnixSeconds last = 0;
  for (int i = 0; i < 10000; ++i) {
    const UnixSeconds t = clock.now();
    EXPECT_GE(t, last);  // monotonic: every read is a whole value written by the other thread
    last = t;
  }
  writer.join();
  EXPECT_EQ(clock.now(), 11000);
}

}  // namespace
}  // namespace vd::core
