#pragma once
/// \file
/// Retry delays after a transient failure, after Postfix qmgr (minimal_backoff_time /
/// maximal_backoff_time): the ceiling doubles with each attempt between `min` and `max`,
/// and the actual delay is drawn uniformly in [min, ceiling] ("full jitter") so that many
/// desks coming back after an outage do not retry in lockstep.

#include <cstdint>
#include <random>

#include "core/clock.hpp"

namespace vd::billing {

/// Injected randomness: uniform integer in [lo, hi].
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::int64_t uniform(std::int64_t lo, std::int64_t hi) = 0;
};

class StdRandomSource final : public RandomSource {
 public:
  StdRandomSource() : m_engine(std::random_device{}()) {}
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(m_engine);
  }

 private:
  std::mt19937_64 m_engine;
};

struct RetryPolicy {
  core::UnixSeconds minBackoff = 60;    ///< seconds; first retry ceiling
  core::UnixSeconds maxBackoff = 3600;  ///< seconds; ceiling never exceeds it
  core::UnixSeconds lease = 300;        ///< how long a `sending` claim lasts before it returns to the queue

  /// Ceiling for the `attempt`-th failure (1-based): min·2^(attempt−1), capped at max.
  core::UnixSeconds ceiling(int attempt) const;
  /// Delay in [min, ceiling(attempt)], drawn with `rng`.
  core::UnixSeconds delay(int attempt, RandomSource& rng) const;
};

}  // namespace vd::billing
