#include "core/date.hpp"

#include <cstdio>

namespace vd::core {
namespace {

// days_from_civil / civil_from_days: H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms" (public domain), exact over the whole proleptic Gregorian calendar.
std::int32_t daysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int y, m, d;
};

Ymd civilFromDays(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2 ? 1 : 0), m, d};
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

std::optional<Date> Date::fromYmd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > daysInMonth(year, month)) {
    return std::nullopt;
  }
  return Date(daysFromCivil(year, month, day));
}

Result<Date> Date::parseIso(std::string_view text) {
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(0, 4, y) &&
      digits(5, 2, m) && digits(8, 2, d)) {
    if (auto date = fromYmd(y, m, d)) return *date;
  }
  return fail(Errc::DateInvalid, {std::string(text.substr(0, 32))});
}

int Date::year() const { return civilFromDays(m_days).y; }
int Date::month() const { return civilFromDays(m_days).m; }
int Date::day() const { return civilFromDays(m_days).d; }

int Date::isoWeekday() const {
  // 1970-01-01 was a Thursday (ISO 4).
  const int w = static_cast<int>(((m_days % 7) + 7 + 3) % 7);  // 0 = Monday
  return w + 1;
}

std::string Date::iso() const {
  const Ymd c = civilFromDays(m_days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

}  // namespace vd::core
