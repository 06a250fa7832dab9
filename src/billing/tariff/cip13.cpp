#include "billing/tariff/cip13.hpp"

#include <algorithm>

namespace vd::billing {
namespace {

constexpr std::size_t kLength = 13;
constexpr std::string_view kMedicinePrefix = "34009";

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

int Cip13::checkDigit(std::string_view twelveDigits) {
  if (twelveDigits.size() < kLength - 1) return -1;
  int sum = 0;
  for (std::size_t i = 0; i < kLength - 1; ++i) {
    const char c = twelveDigits[i];
    if (!isDigit(c)) return -1;
    // EAN-13: from the left, odd positions weigh 1, even positions weigh 3.
    sum += (c - '0') * (i % 2 == 0 ? 1 : 3);
  }
  return (10 - sum % 10) % 10;
}

core::Result<Cip13> Cip13::parse(std::string_view text) {
  if (text.size() != kLength || !std::all_of(text.begin(), text.end(), isDigit)) {
    return core::fail(core::Errc::Cip13Format);
  }
  if (text.substr(0, kMedicinePrefix.size()) != kMedicinePrefix) return core::fail(core::Errc::Cip13Prefix);
  const int expected = checkDigit(text.substr(0, kLength - 1));
  const int read = text[kLength - 1] - '0';
  if (expected != read) {
    return core::fail(core::Errc::Cip13CheckDigit, {std::to_string(expected), std::to_string(read)});
  }
  return Cip13(std::string(text));
}

}  // namespace vd::billing
