#pragma once
/// \file
/// The one time source of VitaleDesk (STYLE practice 5) and the one rule for "today".
///
/// Every lease, backoff, token validity, retention and date-of-care decision reads a `Clock`,
/// never the system time: tests and `--at` use `FixedClock` and never sleep. The production
/// clock and the desk's zone from the tz database are adapters in `app` (app/local_time.hpp);
/// core stays pure (no I/O).
///
/// "Today" is the desk's local calendar day: the instant shifted by the zone's UTC offset *at
/// that instant* (`localDate`). It is the day of care a practitioner sees on the wall calendar
/// (Europe/Paris unless configured: 00:30 in Paris on 8 December is 23:30Z on 7 December and the
/// day of care is the 8th). UTC days (`utcDate`) remain for the outbox's UTC retention only.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/date.hpp"

namespace vd::core {

/// Seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
using UnixSeconds = std::int64_t;

/// The time source port. Implementations must be thread-safe: workers read it concurrently.
class Clock {
 public:
  virtual ~Clock() = default;
  /// The current instant.
  virtual UnixSeconds now() const = 0;
};

/// A clock stopped at a given instant (tests, `--at`). `now()` may be read from any thread while
/// one thread calls `set`/`advance` (atomic).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(UnixSeconds t = 0) : m_t(t) {}
  UnixSeconds now() const override { return m_t.load(std::memory_order_relaxed); }
  void set(UnixSeconds t) { m_t.store(t, std::memory_order_relaxed); }
  void advance(UnixSeconds s) { m_t.fetch_add(s, std::memory_order_relaxed); }

 private:
  std::atomic<UnixSeconds> m_t;
};

/// The desk's time zone port: the offset from UTC of the local wall clock at an instant (it
/// changes at daylight-saving transitions). Implementations must be thread-safe.
class TimeZone {
 public:
  virtual ~TimeZone() = default;
  /// Local time minus UTC at instant `t`, in seconds (Europe/Paris: 3600 in winter, 7200 in summer).
  virtual int utcOffsetSeconds(UnixSeconds t) const = 0;
  /// The zone's name for messages and logs (an IANA name such as "Europe/Paris").
  virtual std::string_view name() const = 0;
};

/// A zone whose offset never changes (tests; zones without daylight saving such as
/// America/Cayenne, -3 h, or Indian/Reunion, +4 h).
class FixedOffsetZone final : public TimeZone {
 public:
  FixedOffsetZone(std::string zoneName, int offsetSeconds) : m_name(std::move(zoneName)), m_offset(offsetSeconds) {}
  int utcOffsetSeconds(UnixSeconds) const override { return m_offset; }
  std::string_view name() const override { return m_name; }

 private:
  std::string m_name;
  int m_offset;
};

/// The UTC calendar day of an instant (floor division: correct before 1970 too).
Date utcDate(UnixSeconds t);
/// 00:00:00Z of a day.
inline UnixSeconds startOfUtcDay(Date d) { return static_cast<UnixSeconds>(d.dayNumber()) * 86400; }

/// THE rule for the local day: the calendar day of `t` on a wall clock `utcOffsetSeconds` ahead
/// of UTC. Pure; the caller passes the offset in force at `t`.
inline Date localDate(UnixSeconds t, int utcOffsetSeconds) { return utcDate(t + utcOffsetSeconds); }
/// The local day of `t` in `zone` (its offset at `t`).
inline Date localDate(UnixSeconds t, const TimeZone& zone) { return localDate(t, zone.utcOffsetSeconds(t)); }
/// "Today" in `zone` by `clock`: the day of care by default.
inline Date today(const Clock& clock, const TimeZone& zone) { return localDate(clock.now(), zone); }

}  // namespace vd::core
