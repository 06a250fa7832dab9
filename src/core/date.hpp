#pragma once
/// \file
/// A calendar date (proleptic Gregorian, no time zone): dates of care, effective dates of
/// tariffs, deadlines. Stored as a day number so comparisons and arithmetic are exact.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vd::core {

class Date {
 public:
  /// The date if (y, m, d) exists in the calendar (years 1 to 9999).
  static std::optional<Date> fromYmd(int year, int month, int day);
  /// Strict "YYYY-MM-DD". Errc::DateInvalid (the text is echoed: never pass patient data).
  static Result<Date> parseIso(std::string_view text);
  /// Days since 1970-01-01 (may be negative).
  static Date fromDayNumber(std::int32_t days) { return Date(days); }

  int year() const;
  int month() const;
  int day() const;
  std::int32_t dayNumber() const { return m_days; }
  /// ISO weekday: 1 = Monday … 7 = Sunday.
  int isoWeekday() const;
  bool isWeekend() const { return isoWeekday() >= 6; }
  Date addDays(std::int32_t n) const { return Date(m_days + n); }
  /// "YYYY-MM-DD".
  std::string iso() const;

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  explicit Date(std::int32_t days) : m_days(days) {}
  std::int32_t m_days = 0;
};

/// Days in a month of a year (Gregorian leap rule). `month` in 1..12.
int daysInMonth(int year, int month);

/// Number of days from b to a (a − b).
inline std::int32_t daysBetween(Date a, Date b) { return a.dayNumber() - b.dayNumber(); }

}  // namespace vd::core
