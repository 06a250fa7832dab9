#include "app/local_time.hpp"

#include <array>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>

namespace vd::app {
namespace {

// POSIX rule of metropolitan French time (EU rule since 1996), used only without a tz database.
constexpr const char* kParisPosixRule = "CET-1CEST,M3.5.0,M10.5.0/3";

// The selected zone's name; written by selectDeskTimeZone before any thread, read afterwards.
std::string& selectedName() {
  static std::string name;
  return name;
}

bool wellFormed(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) return false;
  for (const char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                    c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  return true;
}

void applyTz(const std::string& value, std::string_view name) {
  ::setenv("TZ", value.c_str(), 1);
  ::tzset();
  selectedName() = std::string(name);
}

}  // namespace

core::UnixSeconds SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int SystemTimeZone::utcOffsetSeconds(core::UnixSeconds t) const {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (::localtime_r(&tt, &tm) == nullptr) return 0;
  return static_cast<int>(tm.tm_gmtoff);
}

std::string_view SystemTimeZone::name() const {
  if (!selectedName().empty()) return selectedName();
  const char* tz = std::getenv("TZ");
  return tz != nullptr ? std::string_view(tz) : std::string_view("localtime");
}

bool isKnownTimeZone(std::string_view name, const std::filesystem::path& zoneinfo) {
  if (!wellFormed(name)) return false;
  std::ifstream in(zoneinfo / std::string(name), std::ios::binary);
  std::array<char, 4> magic{};
  return in.read(magic.data(), magic.size()) && std::string_view(magic.data(), magic.size()) == "TZif";
}

std::optional<core::Error> selectDeskTimeZone(std::string_view name, std::string_view where,
                                              const std::filesystem::path& zoneinfo) {
  const std::string_view wanted = name.empty() ? kDefaultTimeZone : name;
  if (isKnownTimeZone(wanted, zoneinfo)) {
    applyTz(":" + (zoneinfo / std::string(wanted)).string(), wanted);
    return std::nullopt;
  }
  // The name is echoed: it is a setting, never patient data; bounded so a stray value stays short.
  const std::string shown(wanted.substr(0, 64));
  if (isKnownTimeZone(kDefaultTimeZone, zoneinfo)) {
    applyTz(":" + (zoneinfo / std::string(kDefaultTimeZone)).string(), kDefaultTimeZone);
    return core::makeError(core::Errc::TimeZoneUnknown, {shown, std::string(where)});
  }
  applyTz(kParisPosixRule, kDefaultTimeZone);
  return core::makeError(core::Errc::TimeZoneDatabaseMissing, {zoneinfo.string()});
}

const core::Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

const core::TimeZone& deskTimeZone() {
  static const SystemTimeZone zone;
  return zone;
}

core::Date deskToday(const core::Clock& clock) { return core::today(clock, deskTimeZone()); }

core::Date localDay(core::UnixSeconds t) { return core::localDate(t, deskTimeZone()); }

}  // namespace vd::app
