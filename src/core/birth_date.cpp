#include "core/birth_date.hpp"

#include <cstdio>

namespace vd::core {
namespace {
int num(std::string_view s) {
  int n = 0;
  for (const char c : s) n = n * 10 + (c - '0');
  return n;
}
}  // namespace

Result<BirthDate> BirthDate::parse(std::string_view text) {
  if (text.size() != 8) return fail(Errc::BirthDateFormat);
  for (const char c : text) {
    if (c < '0' || c > '9') return fail(Errc::BirthDateFormat);
  }
  if (num(text.substr(0, 4)) < 1800) return fail(Errc::BirthDateFormat);
  return BirthDate(std::string(text));
}

BirthDate BirthDate::fromDate(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year(), d.month(), d.day());
  return BirthDate(buf);
}

int BirthDate::year() const { return num(std::string_view(m_raw).substr(0, 4)); }
int BirthDate::month() const { return num(std::string_view(m_raw).substr(4, 2)); }
int BirthDate::day() const { return num(std::string_view(m_raw).substr(6, 2)); }

std::optional<Date> BirthDate::calendar() const { return Date::fromYmd(year(), month(), day()); }

std::string BirthDate::display() const {
  const std::string_view r = m_raw;
  std::string out;
  out.append(r.substr(6, 2)).append("/").append(r.substr(4, 2)).append("/").append(r.substr(0, 4));
  return out;
}

int BirthDate::ageAt(Date on) const {
  const int onMmdd = on.month() * 100 + on.day();
  const int birthMmdd = month() * 100 + day();
  return on.year() - year() - (onMmdd < birthMmdd ? 1 : 0);
}

}  // namespace vd::core
