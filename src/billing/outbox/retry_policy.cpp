#include "billing/outbox/retry_policy.hpp"

#include <algorithm>

namespace vd::billing {

UnixSeconds RetryPolicy::ceiling(int attempt) const {
  const UnixSeconds lo = std::max<UnixSeconds>(minBackoff, 0);
  const UnixSeconds hi = std::max(lo, maxBackoff);
  UnixSeconds c = lo;
  for (int i = 1; i < attempt && c < hi; ++i) c = c > hi / 2 ? hi : c * 2;
  return std::min(std::max(c, lo), hi);
}

UnixSeconds RetryPolicy::delay(int attempt, RandomSource& rng) const {
  const UnixSeconds lo = std::max<UnixSeconds>(minBackoff, 0);
  const UnixSeconds hi = ceiling(attempt);
  return std::clamp(rng.uniform(lo, hi), lo, hi);
}

}  // namespace vd::billing
