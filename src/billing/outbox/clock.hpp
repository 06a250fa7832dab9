#pragma once
/// \file
/// Injected time for the outbox: every lease, backoff, deadline and retention decision reads
/// a `Clock` (STYLE practice 5). Times are UTC seconds since 1970-01-01. Tests use
/// `FakeClock` and never sleep.

#include <cstdint>
#include <ctime>

#include "core/date.hpp"

namespace vd::billing {

using UnixSeconds = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds now() const override { return static_cast<UnixSeconds>(std::time(nullptr)); }
};

/// Manual clock for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixSeconds start = 0) : m_now(start) {}
  UnixSeconds now() const override { return m_now; }
  void set(UnixSeconds t) { m_now = t; }
  void advance(UnixSeconds s) { m_now += s; }

 private:
  UnixSeconds m_now;
};

/// UTC calendar day of a time.
inline core::Date utcDate(UnixSeconds t) {
  return core::Date::fromDayNumber(static_cast<std::int32_t>((t >= 0 ? t : t - 86399) / 86400));
}
/// 00:00 UTC of a day.
inline UnixSeconds startOfDay(core::Date d) { return static_cast<UnixSeconds>(d.dayNumber()) * 86400; }

}  // namespace vd::billing
