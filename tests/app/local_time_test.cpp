// The desk's zone from the real tz database (Debian tzdata) and the one "today" shared by the
// reader hub, the CLI (app::localDay of --at) and the care sheet (app::deskToday), across
// midnight UTC. Each test runs in its own process (gtest_discover_tests), so setting TZ here
// happens before any thread, as app/local_time.hpp requires.

#include "app/local_time.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <utility>

#include "app/reader_hub.hpp"
#include "core/messages.hpp"

namespace vd::app {
namespace {

constexpr int kHour = 3600;

core::UnixSeconds utc(int y, int mo, int d, int h, int mi, int s) {
  return core::startOfUtcDay(*core::Date::fromYmd(y, mo, d)) + h * 3600 + mi * 60 + s;
}
core::Date ymd(int y, int m, int d) { return *core::Date::fromYmd(y, m, d); }

class NullSink final : public EventSink {
 public:
  void post(DeskEvent) override {}
};

TEST(LocalTime, KnowsIanaNamesAndRefusesPaths) {
  EXPECT_TRUE(isKnownTimeZone("Europe/Paris"));
  EXPECT_TRUE(isKnownTimeZone("America/Cayenne"));
  EXPECT_TRUE(isKnownTimeZone("Indian/Reunion"));
  EXPECT_FALSE(isKnownTimeZone("Europe/Pariss"));
  EXPECT_FALSE(isKnownTimeZone(""));
  EXPECT_FALSE(isKnownTimeZone("/etc/localtime"));
  EXPECT_FALSE(isKnownTimeZone("../../etc/passwd"));
  EXPECT_FALSE(isKnownTimeZone("Europe/Paris;rm"));
  EXPECT_FALSE(isKnownTimeZone("Europe"));  // a folder, not a TZif file
}

TEST(LocalTime, ParisFromTheTzDatabaseAtTheBoundaries) {
  ::setenv("TZ", "UTC", 1);  // whatever the machine says, the desk's zone is the one selected
  ASSERT_FALSE(selectDeskTimeZone("Europe/Paris", kTimeZoneSetting));
  const core::TimeZone& zone = deskTimeZone();
  EXPECT_EQ(zone.name(), "Europe/Paris");
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 12, 7, 23, 0, 0)), kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 7, 14, 22, 0, 0)), 2 * kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 3, 29, 0, 59, 59)), kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 3, 29, 1, 0, 0)), 2 * kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 10, 25, 0, 59, 59)), 2 * kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 10, 25, 1, 0, 0)), kHour);
  EXPECT_EQ(localDay(utc(2026, 12, 7, 22, 59, 59)), ymd(2026, 12, 7));
  EXPECT_EQ(localDay(utc(2026, 12, 7, 23, 0, 0)), ymd(2026, 12, 8));
  EXPECT_EQ(localDay(utc(2026, 7, 14, 21, 59, 59)), ymd(2026, 7, 14));
  EXPECT_EQ(localDay(utc(2026, 7, 14, 22, 0, 0)), ymd(2026, 7, 15));
}

TEST(LocalTime, HubCliAndCareSheetAgreeAcrossMidnightUtc) {
  ASSERT_FALSE(selectDeskTimeZone("Europe/Paris", kTimeZoneSetting));
  core::FixedClock clock(utc(2026, 12, 7, 22, 59, 59));
  NullSink sink;
  ReaderHubConfig config;
  config.watchPcsc = false;
  ReaderHub hub(config, sink, clock);
  for (const auto& [t, day] : {std::pair{utc(2026, 12, 7, 22, 59, 59), ymd(2026, 12, 7)},
                               std::pair{utc(2026, 12, 7, 23, 0, 0), ymd(2026, 12, 8)},
                               std::pair{utc(2026, 12, 7, 23, 59, 59), ymd(2026, 12, 8)},
                               std::pair{utc(2026, 12, 8, 0, 0, 0), ymd(2026, 12, 8)}}) {
    clock.set(t);
    EXPECT_EQ(hub.today(), day) << t;          // ReaderHub::today (trust ages, card reads)
    EXPECT_EQ(deskToday(clock), day) << t;     // care sheet default date, main window, CLI today
    EXPECT_EQ(localDay(clock.now()), day) << t;  // the CLI's day of --at
  }
}

TEST(LocalTime, OverseasZonesFromTheTzDatabase) {
  ASSERT_FALSE(selectDeskTimeZone("America/Cayenne", "--time-zone"));
  EXPECT_EQ(deskTimeZone().utcOffsetSeconds(utc(2026, 12, 7, 12, 0, 0)), -3 * kHour);
  EXPECT_EQ(localDay(utc(2026, 12, 8, 2, 59, 59)), ymd(2026, 12, 7));
  EXPECT_EQ(localDay(utc(2026, 12, 8, 3, 0, 0)), ymd(2026, 12, 8));
  ASSERT_FALSE(selectDeskTimeZone("Indian/Reunion", "--time-zone"));
  EXPECT_EQ(deskTimeZone().utcOffsetSeconds(utc(2026, 7, 14, 12, 0, 0)), 4 * kHour);
  EXPECT_EQ(localDay(utc(2026, 12, 7, 20, 0, 0)), ymd(2026, 12, 8));
}

TEST(LocalTime, UnknownZoneIsAnErrorNamingTheSettingAndParisIsUsed) {
  ::setenv("TZ", "UTC", 1);
  const auto warning = selectDeskTimeZone("Europe/Pariss", kTimeZoneSetting);
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->code, core::Errc::TimeZoneUnknown);
  ASSERT_EQ(warning->args.size(), 2U);
  EXPECT_EQ(warning->args[0], "Europe/Pariss");
  EXPECT_EQ(warning->args[1], "/Desk/TimeZone");
  const std::string fr = core::describeLine(*warning, core::Lang::Fr);
  const std::string en = core::describeLine(*warning, core::Lang::En);
  EXPECT_NE(fr.find("/Desk/TimeZone"), std::string::npos) << fr;
  EXPECT_NE(en.find("Europe/Paris"), std::string::npos) << en;
  EXPECT_EQ(deskTimeZone().name(), "Europe/Paris");
  EXPECT_EQ(localDay(utc(2026, 12, 7, 23, 0, 0)), ymd(2026, 12, 8));  // Paris, not UTC
}

TEST(LocalTime, WithoutATzDatabaseTheBuiltInParisRuleApplies) {
  const std::filesystem::path empty = std::filesystem::temp_directory_path() / "vd-no-zoneinfo";
  std::filesystem::create_directories(empty);
  const auto warning = selectDeskTimeZone("Europe/Paris", kTimeZoneSetting, empty);
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->code, core::Errc::TimeZoneDatabaseMissing);
  const core::TimeZone& zone = deskTimeZone();
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 3, 29, 0, 59, 59)), kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 3, 29, 1, 0, 0)), 2 * kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 10, 25, 0, 59, 59)), 2 * kHour);
  EXPECT_EQ(zone.utcOffsetSeconds(utc(2026, 10, 25, 1, 0, 0)), kHour);
  EXPECT_EQ(localDay(utc(2026, 12, 7, 23, 0, 0)), ymd(2026, 12, 8));
  std::filesystem::remove(empty);
}

}  // namespace
}  // namespace vd::app
