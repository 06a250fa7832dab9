#pragma once
/// \file
/// The production time adapters and the desk's one "today" (issue #13 item 5).
///
/// - `SystemClock`: the system's real-time clock (`std::chrono::system_clock`).
/// - The desk's zone: an IANA name (setting `/Desk/TimeZone`, CLI `--time-zone` or
///   `VD_TIME_ZONE`; default "Europe/Paris") looked up in the system tz database (Debian
///   `tzdata`, /usr/share/zoneinfo) and applied to the process with `TZ` + `tzset()`.
///   Offsets are then read with `localtime_r` / `tm_gmtoff`.
///
/// Threading: `selectDeskTimeZone` writes the environment and must be called once at start-up
/// (main, wxApp::OnInit, runCli) before any thread exists. That makes the rest safe: glibc's
/// `localtime_r` reads the zone loaded by `tzset()` under its own lock and does not re-read `TZ`,
/// and nobody writes `TZ` afterwards, so `deskTimeZone()`, `deskToday()` and `localDay()` may be
/// called from any thread.
///
/// Errors: an unknown name gives Errc::TimeZoneUnknown (naming the setting) and the desk uses
/// Europe/Paris; with no tz database at all, Errc::TimeZoneDatabaseMissing and the built-in
/// Paris rule (CET-1CEST,M3.5.0,M10.5.0/3). Never UTC silently.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace vd::app {

inline constexpr std::string_view kDefaultTimeZone = "Europe/Paris";
inline constexpr std::string_view kTimeZoneSetting = "/Desk/TimeZone";

/// The system clock: the one production `core::Clock`. Thread-safe.
class SystemClock final : public core::Clock {
 public:
  core::UnixSeconds now() const override;
};

/// The process's zone as loaded by `selectDeskTimeZone` (or the inherited `TZ` if it was never
/// called), read through `localtime_r`. Thread-safe once selection is done.
class SystemTimeZone final : public core::TimeZone {
 public:
  int utcOffsetSeconds(core::UnixSeconds t) const override;
  std::string_view name() const override;
};

/// Whether `name` is a well-formed IANA zone name present in the tz database under `zoneinfo`
/// (a TZif file; no "..", no absolute path). Reads the file's first bytes.
bool isKnownTimeZone(std::string_view name, const std::filesystem::path& zoneinfo = "/usr/share/zoneinfo");

/// Selects the desk's zone for the whole process (`TZ` + `tzset()`). An empty name means the
/// default (Europe/Paris). `where` names the setting or option for the message
/// ("/Desk/TimeZone", "--time-zone", "VD_TIME_ZONE"). Returns the warning when it fell back to
/// Europe/Paris (unknown name) or to the built-in Paris rule (no tz database); the zone is set
/// in every case. Call before any thread starts (see the file comment).
std::optional<core::Error> selectDeskTimeZone(std::string_view name, std::string_view where,
                                              const std::filesystem::path& zoneinfo = "/usr/share/zoneinfo");

/// The process-wide system clock and desk zone.
const core::Clock& systemClock();
const core::TimeZone& deskTimeZone();

/// THE desk's "today": the local day of `clock.now()` in the desk's zone. The reader hub, the
/// main window, the care sheet panel and the CLI all call this.
core::Date deskToday(const core::Clock& clock = systemClock());
/// The desk's local day of an instant (e.g. a `--at` time).
core::Date localDay(core::UnixSeconds t);

}  // namespace vd::app
