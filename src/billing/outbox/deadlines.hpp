#pragma once
/// \file
/// Transmission deadlines of the Code de la sécurité sociale, art. R161-47: the care sheet
/// is sent within 3 working days of the care when the patient paid, 8 under tiers payant;
/// when no acknowledgement (ARL) came within 2 working days of the sending, it is sent again
/// within 2 more working days. FSE and ARL are kept at least 90 days (retention.hpp).
/// Working days: core::WorkingDayCalendar (weekends and French public holidays excluded).

#include <optional>

#include "core/date.hpp"
#include "core/working_days.hpp"

namespace vd::billing {

inline constexpr int kSendWorkingDaysPaid = 3;
inline constexpr int kSendWorkingDaysTiersPayant = 8;
inline constexpr int kArlWaitWorkingDays = 2;
inline constexpr int kRetransmitWorkingDays = 2;
inline constexpr int kRetentionDays = 90;

struct Deadlines {
  core::Date sendBy = core::Date::fromDayNumber(0);  ///< last day to transmit
  std::optional<core::Date> arlExpected;  ///< after sending: last day the ARL may arrive
  std::optional<core::Date> resendBy;     ///< after sending: last day to retransmit without ARL
};

core::Date sendDeadline(core::Date careDate, bool tiersPayant, const core::WorkingDayCalendar& cal);
Deadlines computeDeadlines(core::Date careDate, bool tiersPayant, std::optional<core::Date> sentOn,
                           const core::WorkingDayCalendar& cal);

}  // namespace vd::billing
