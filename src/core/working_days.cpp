#include "core/working_days.hpp"

#include <algorithm>

namespace vd::core {

Date easterSunday(int y) {
  const int a = y % 19;
  const int b = y / 100;
  const int c = y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return *Date::fromYmd(y, month, day);
}

std::vector<Holiday> WorkingDayCalendar::holidays(int year) const {
  const Date easter = easterSunday(year);
  auto fixed = [year](int m, int d) { return *Date::fromYmd(year, m, d); };
  std::vector<Holiday> out{
      {fixed(1, 1), "Jour de l'an", "New Year's Day"},
      {easter.addDays(1), "Lundi de Pâques", "Easter Monday"},
      {fixed(5, 1), "Fête du travail", "Labour Day"},
      {fixed(5, 8), "Victoire 1945", "Victory in Europe Day"},
      {easter.addDays(39), "Ascension", "Ascension Day"},
      {easter.addDays(50), "Lundi de Pentecôte", "Whit Monday"},
      {fixed(7, 14), "Fête nationale", "Bastille Day"},
      {fixed(8, 15), "Assomption", "Assumption Day"},
      {fixed(11, 1), "Toussaint", "All Saints' Day"},
      {fixed(11, 11), "Armistice 1918", "Armistice Day"},
      {fixed(12, 25), "Noël", "Christmas Day"},
  };
  if (m_region == Region::AlsaceMoselle) {
    out.push_back({easter.addDays(-2), "Vendredi saint", "Good Friday"});
    out.push_back({fixed(12, 26), "Saint-Étienne", "St Stephen's Day"});
  }
  std::sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

bool WorkingDayCalendar::isHoliday(Date d) const {
  const int y = d.year();
  const int m = d.month();
  const int day = d.day();
  // Fixed-date holidays first: cheap and most frequent.
  if ((m == 1 && day == 1) || (m == 5 && (day == 1 || day == 8)) || (m == 7 && day == 14) ||
      (m == 8 && day == 15) || (m == 11 && (day == 1 || day == 11)) || (m == 12 && day == 25)) {
    return true;
  }
  if (m_region == Region::AlsaceMoselle && m == 12 && day == 26) return true;
  if (m < 3 || m > 6) return false;  // movable feasts fall between 20 March and 14 June
  const std::int32_t offset = daysBetween(d, easterSunday(y));
  return offset == 1 || offset == 39 || offset == 50 ||
         (m_region == Region::AlsaceMoselle && offset == -2);
}

Date WorkingDayCalendar::addWorkingDays(Date d, int n) const {
  const int step = n >= 0 ? 1 : -1;
  int remaining = n >= 0 ? n : -n;
  while (remaining > 0) {
    d = d.addDays(step);
    if (isWorkingDay(d)) --remaining;
  }
  return d;
}

int WorkingDayCalendar::workingDaysBetween(Date from, Date to) const {
  int count = 0;
  for (Date d = from.addDays(1); d <= to; d = d.addDays(1)) {
    if (isWorkingDay(d)) ++count;
  }
  return count;
}

}  // namespace vd::core
