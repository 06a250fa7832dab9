#pragma once
/// \file
/// Shared by the PC/SC benchmarks (card_bench.cpp, nfc_bench.cpp): nearest-rank percentiles and
/// the raw APDU round trip that serves as their floor.

#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "reader/card/apdu.hpp"

namespace vd::bench {

/// Nearest-rank percentile (p in 0..1) of a non-empty sample.
inline double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const std::size_t rank = static_cast<std::size_t>(p * static_cast<double>(v.size()) + 0.999999);
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

/// `rounds` round trips of `apdu` (µs each) after 10 unmeasured ones; nullopt when one fails
/// or does not answer 9000.
inline std::optional<std::vector<double>> roundTrips(reader::ApduChannel& channel, std::span<const std::uint8_t> apdu,
                                                     int rounds) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> us;
  for (int i = 0; i < rounds + 10; ++i) {
    const auto t0 = Clock::now();
    auto r = channel.transmit(apdu);
    const auto t1 = Clock::now();
    if (!r || !r->ok()) return std::nullopt;
    if (i >= 10) us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  return us;
}

}  // namespace vd::bench
