#pragma once
/// \file
/// What the vitaledesk-sim commands share to read their arguments: the exit codes
/// (docs/cli.md: 0 ok, 1 rejected, 2 usage error, 3 environment) and a strict number parser.

#include <charconv>
#include <string>
#include <system_error>
#include <type_traits>

namespace vd::sim {

inline constexpr int kOk = 0;
inline constexpr int kUsage = 2;
inline constexpr int kEnvironment = 3;

/// A whole number (int, long, uint64…) or a decimal (fixed notation) within [lo, hi]; the whole
/// string must be used. `out` is left unchanged when false.
template <typename T>
bool parseNumber(const std::string& s, T lo, T hi, T& out) {
  T v{};
  const char* end = s.data() + s.size();
  std::from_chars_result r;
  if constexpr (std::is_floating_point_v<T>) r = std::from_chars(s.data(), end, v, std::chars_format::fixed);
  else r = std::from_chars(s.data(), end, v);
  if (r.ec != std::errc() || r.ptr != end || !(v >= lo && v <= hi)) return false;
  out = v;
  return true;
}

}  // namespace vd::sim
