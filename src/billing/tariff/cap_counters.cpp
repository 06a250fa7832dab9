#include "billing/tariff/cap_counters.hpp"

namespace vd::billing {

core::Money InMemoryCapHistory::pfChargedInYear(const std::string& beneficiaryKey, int year) const {
  const std::lock_guard lock(m_mutex);
  const auto it = m_pfYear.find({beneficiaryKey, year});
  return it == m_pfYear.end() ? core::Money() : it->second;
}

int InMemoryCapHistory::pfCountOnDay(const std::string& beneficiaryKey, const std::string& practitionerId,
                                     core::Date day) const {
  const std::lock_guard lock(m_mutex);
  const auto it = m_pfDay.find({beneficiaryKey, practitionerId, day.dayNumber()});
  return it == m_pfDay.end() ? 0 : it->second;
}

core::Money InMemoryCapHistory::franchiseChargedInYear(const std::string& beneficiaryKey, int year) const {
  const std::lock_guard lock(m_mutex);
  const auto it = m_franchiseYear.find({beneficiaryKey, year});
  return it == m_franchiseYear.end() ? core::Money() : it->second;
}

void InMemoryCapHistory::addPf(const std::string& beneficiaryKey, const std::string& practitionerId, core::Date day,
                               core::Money amount) {
  const std::lock_guard lock(m_mutex);
  m_pfYear[{beneficiaryKey, day.year()}] += amount;
  ++m_pfDay[{beneficiaryKey, practitionerId, day.dayNumber()}];
}

void InMemoryCapHistory::addFranchise(const std::string& beneficiaryKey, core::Date day, core::Money amount) {
  const std::lock_guard lock(m_mutex);
  m_franchiseYear[{beneficiaryKey, day.year()}] += amount;
}

}  // namespace vd::billing
