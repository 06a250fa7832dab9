#include "billing/outbox/deadlines.hpp"

namespace vd::billing {

core::Date sendDeadline(core::Date careDate, bool tiersPayant, const core::WorkingDayCalendar& cal) {
  return cal.addWorkingDays(careDate, tiersPayant ? kSendWorkingDaysTiersPayant : kSendWorkingDaysPaid);
}

Deadlines computeDeadlines(core::Date careDate, bool tiersPayant, std::optional<core::Date> sentOn,
                           const core::WorkingDayCalendar& cal) {
  Deadlines d{sendDeadline(careDate, tiersPayant, cal), std::nullopt, std::nullopt};
  if (sentOn) {
    d.arlExpected = cal.addWorkingDays(*sentOn, kArlWaitWorkingDays);
    d.resendBy = cal.addWorkingDays(*d.arlExpected, kRetransmitWorkingDays);
  }
  return d;
}

}  // namespace vd::billing
