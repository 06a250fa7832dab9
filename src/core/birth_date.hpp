#pragma once
/// \file
/// Birth dates as the insurer records them. Some are "lunar" (dates lunaires): not a
/// calendar date because the day or month was unknown or conventional — day or month 00,
/// a day past 31 or past the end of its month. The carte Vitale and the INS carry them as
/// such (Référentiel national d'identitovigilance, RNIV, fiche "dates de naissance
/// lunaires"). They must be kept exactly: the raw YYYYMMDD is the value.

#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/result.hpp"

namespace vd::core {

class BirthDate {
 public:
  /// Exactly 8 digits YYYYMMDD; any day/month digits accepted (lunar dates). The year must
  /// be 1800 or later. Errc::BirthDateFormat otherwise (the text is not echoed).
  static Result<BirthDate> parse(std::string_view yyyymmdd);
  static BirthDate fromDate(Date d);

  const std::string& raw() const { return m_raw; }
  int year() const;
  int month() const;  ///< raw month, may be 0 or > 12
  int day() const;    ///< raw day, may be 0 or > 31
  /// True when raw() is not a calendar date.
  bool isLunar() const { return !calendar().has_value(); }
  /// The calendar date when raw() is one.
  std::optional<Date> calendar() const;
  /// "DD/MM/YYYY" from the raw digits (so "00/00/1950" for a lunar date).
  std::string display() const;

  /// Age in whole years at `on`. Rule, valid for lunar dates too: the raw month and day are
  /// compared as the number MMDD with the MMDD of `on`; the birthday is reached when
  /// on.MMDD ≥ birth.MMDD. So month 00 or day 00 count as the start of the year/month (the
  /// birthday is reached earlier, never later), day > 31 as after the month's last day, and
  /// a 29 February birthday is reached on 1 March in common years. Negative when `on` is
  /// before the birth year.
  int ageAt(Date on) const;

  friend bool operator==(const BirthDate&, const BirthDate&) = default;

 private:
  explicit BirthDate(std::string raw) : m_raw(std::move(raw)) {}
  std::string m_raw;
};

}  // namespace vd::core
