#pragma once
/// \file
/// Money in integer euro cents, and rates in basis points (hundredths of a percent).
/// No floating point anywhere in amounts.
///
/// Rounding rule (one place, here): a rate applied to an amount, `amount × rate`, is
/// rounded to the nearest cent, halves away from zero ("arrondi commercial": 0.165 → 0.17,
/// −0.165 → −0.17). Shares are computed once each and the remainder given to the last
/// payer by the billing code, so a split always adds up to the total to the cent.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vd::core {

/// A rate in basis points: 7000 = 70.00 %.
class Rate {
 public:
  static constexpr Rate basisPoints(std::int32_t bp) { return Rate(bp); }
  static constexpr Rate percent(std::int32_t p) { return Rate(p * 100); }
  /// "70", "70.5", "70.00" (at most two decimals, 0 to 100 %). Errc::RateFormat.
  static Result<Rate> parse(std::string_view text);

  constexpr std::int32_t bp() const { return m_bp; }
  /// "70.00".
  std::string toString() const;
  friend auto operator<=>(const Rate&, const Rate&) = default;

 private:
  constexpr explicit Rate(std::int32_t bp) : m_bp(bp) {}
  std::int32_t m_bp = 0;
};

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money cents(std::int64_t c) { return Money(c); }
  static constexpr Money euros(std::int64_t e) { return Money(e * 100); }
  /// "30", "30.5", "30.50", "30,50", "-2.00" (at most two decimals, |amount| < 10^10 €).
  /// Errc::MoneyFormat.
  static Result<Money> parse(std::string_view text);

  constexpr std::int64_t cents() const { return m_cents; }
  /// `this × rate`, rounded as described in the file comment.
  Money applyRate(Rate rate) const;
  /// "30.00", "-2.00".
  std::string toString() const;
  /// French display: "30,00 €".
  std::string toFrench() const;

  constexpr Money operator+(Money o) const { return Money(m_cents + o.m_cents); }
  constexpr Money operator-(Money o) const { return Money(m_cents - o.m_cents); }
  constexpr Money operator*(std::int64_t n) const { return Money(m_cents * n); }
  constexpr Money operator-() const { return Money(-m_cents); }
  Money& operator+=(Money o) { m_cents += o.m_cents; return *this; }
  Money& operator-=(Money o) { m_cents -= o.m_cents; return *this; }
  friend constexpr auto operator<=>(const Money&, const Money&) = default;

 private:
  constexpr explicit Money(std::int64_t c) : m_cents(c) {}
  std::int64_t m_cents = 0;
};

inline constexpr Money min(Money a, Money b) { return a < b ? a : b; }
inline constexpr Money max(Money a, Money b) { return a < b ? b : a; }

/// Parses a fixed-point decimal with at most `maxDecimals` decimals into hundredths.
/// Accepts '.' or ',' as separator and a leading '-'. Shared by Money, Rate and tables.
bool parseHundredths(std::string_view text, std::int64_t& out, bool requireTwoDecimals = false);

}  // namespace vd::core
