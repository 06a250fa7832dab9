#pragma once
/// \file
/// French working days (jours ouvrés: Monday to Friday, public holidays excluded), for the
/// transmission deadlines of CSS R161-47 and ARL follow-up.
///
/// Public holidays (jours fériés), Code du travail art. L3133-1: 1 January, Easter Monday,
/// 1 May, 8 May, Ascension Thursday (Easter + 39 days), Whit Monday (Easter + 50), 14 July,
/// 15 August, 1 November, 11 November, 25 December. Alsace-Moselle adds Good Friday and
/// 26 December (Code du travail art. L3134-13). Whit Monday stays a holiday here even
/// where it is worked as "journée de solidarité": insurer offices and the network treat
/// it as a bank holiday. Easter Sunday itself is a Sunday. Easter is computed with the
/// anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for any Gregorian year.

#include <string_view>
#include <vector>

#include "core/date.hpp"

namespace vd::core {

enum class Region { Metropole, AlsaceMoselle };

struct Holiday {
  Date date;
  std::string_view nameFr;
  std::string_view nameEn;
};

Date easterSunday(int year);

class WorkingDayCalendar {
 public:
  explicit WorkingDayCalendar(Region region = Region::Metropole) : m_region(region) {}

  /// The public holidays of `year`, in date order.
  std::vector<Holiday> holidays(int year) const;
  bool isHoliday(Date d) const;
  bool isWorkingDay(Date d) const { return !d.isWeekend() && !isHoliday(d); }
  /// The date `n` working days after `d` (d itself is not counted, whatever it is); n = 0
  /// gives d. Negative n counts backwards.
  Date addWorkingDays(Date d, int n) const;
  /// Working days in (from, to]: 0 when to ≤ from.
  int workingDaysBetween(Date from, Date to) const;

 private:
  Region m_region;
};

}  // namespace vd::core
