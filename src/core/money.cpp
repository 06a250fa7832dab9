#include "core/money.hpp"

#include <cstdio>
#include <cstdlib>

namespace vd::core {

bool parseHundredths(std::string_view text, std::int64_t& out, bool requireTwoDecimals) {
  std::size_t i = 0;
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    i = 1;
  }
  std::int64_t whole = 0;
  int wholeDigits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (++wholeDigits > 10) return false;
    whole = whole * 10 + (text[i] - '0');
  }
  if (wholeDigits == 0) return false;
  int decimals = 0;
  std::int64_t frac = 0;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++decimals > 2) return false;
      frac = frac * 10 + (text[i] - '0');
    }
    if (decimals == 0) return false;
  }
  if (i != text.size()) return false;
  if (requireTwoDecimals && decimals != 2) return false;
  if (decimals == 1) frac *= 10;
  out = (whole * 100 + frac) * (negative ? -1 : 1);
  return true;
}

Result<Rate> Rate::parse(std::string_view text) {
  std::int64_t h = 0;
  if (!parseHundredths(text, h) || h < 0 || h > 10000) {
    return fail(Errc::RateFormat, {std::string(text.substr(0, 16))});
  }
  return Rate(static_cast<std::int32_t>(h));
}

namespace {
std::string fixed2(std::int64_t h, char sep) {
  const std::int64_t a = std::llabs(h);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld%c%02lld", h < 0 ? "-" : "", static_cast<long long>(a / 100),
                sep, static_cast<long long>(a % 100));
  return buf;
}
}  // namespace

std::string Rate::toString() const { return fixed2(m_bp, '.'); }

Result<Money> Money::parse(std::string_view text) {
  std::int64_t c = 0;
  if (!parseHundredths(text, c)) return fail(Errc::MoneyFormat, {std::string(text.substr(0, 16))});
  return Money(c);
}

Money Money::applyRate(Rate rate) const {
  // |cents| < 10^12 and bp ≤ 10^4: the product fits comfortably in 64 bits.
  const std::int64_t p = m_cents * rate.bp();
  const std::int64_t q = p / 10000;
  const std::int64_t r = p % 10000;
  if (r >= 5000) return Money(q + 1);
  if (r <= -5000) return Money(q - 1);
  return Money(q);
}

std::string Money::toString() const { return fixed2(m_cents, '.'); }
std::string Money::toFrench() const { return fixed2(m_cents, ',') + "\u00a0€"; }

}  // namespace vd::core
