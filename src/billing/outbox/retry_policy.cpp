#include "billing/outbox/retry_policy.hpp"

#include <algorithm>

namespace vd::billing {

core::UnixSeconds RetryPolicy::ceiling(int attempt) const {
  const core::UnixSeconds lo = std::max<core::UnixSeconds>(minBackoff, 0);
  const core::UnixSeconds hi = std::max(lo, maxBackoff);
  core::UnixSeconds c = lo;
  for (int i = 1; i < attempt && c < hi; ++i) c = c > hi / 2 ? hi : c * 2;
  return std::min(std::max(c, lo), hi);
}

core::UnixSeconds RetryPolicy::delay(int attempt, RandomSource& rng) const {
  const core::UnixSeconds lo = std::max<core::UnixSeconds>(minBackoff, 0);
  const core::UnixSeconds hi = ceiling(attempt);
  return std::clamp(rng.uniform(lo, hi), lo, hi);
}

}  // namespace vd::billing
