#pragma once
/// \file
/// The time source of token verification (STYLE practice 5): verification logic reads a
/// Clock and never the system time, so tests use FixedClock and never sleep.

#include <chrono>
#include <cstdint>

namespace vd::reader {

/// Seconds since 1970-01-01T00:00:00Z. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t nowUnixSeconds() const = 0;
};

/// A clock stopped at a given instant (tests, `token verify --at`).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t t) : m_t(t) {}
  std::int64_t nowUnixSeconds() const override { return m_t; }
  void set(std::int64_t t) { m_t = t; }
  void advance(std::int64_t s) { m_t += s; }

 private:
  std::int64_t m_t;
};

/// The system clock: the one production adapter, used at the composition root only.
class SystemClock final : public Clock {
 public:
  std::int64_t nowUnixSeconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace vd::reader
