#pragma once
/// \file
/// CIP13: the 13-digit code of a medicine presentation (code identifiant de présentation,
/// managed by the Club Inter-Pharmaceutique), printed as an EAN-13 barcode on every box.
/// A medicine CIP13 starts with 34009 ("3400" then "9"); its last digit is the EAN-13 check
/// digit (GS1 General Specifications, mod-10 with weights 1 and 3 from the left).
///
/// A CIP13 is not patient data, but the medicine dispensed to a patient is: errors never
/// echo the code, only the expected check digit.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vd::billing {

class Cip13 {
 public:
  /// Exactly 13 ASCII digits, prefix 34009, valid check digit. Errors: Cip13Format,
  /// Cip13Prefix, Cip13CheckDigit (expected digit, digit read). Hostile input is fine:
  /// every access is bounds-checked and the text is never echoed.
  static core::Result<Cip13> parse(std::string_view text);

  /// EAN-13 check digit (0–9) of the first 12 characters of `twelveDigits`; -1 when there
  /// are fewer than 12 characters or one of them is not a digit.
  static int checkDigit(std::string_view twelveDigits);

  /// The 13 digits.
  const std::string& digits() const { return m_digits; }

  friend bool operator==(const Cip13&, const Cip13&) = default;

 private:
  explicit Cip13(std::string digits) : m_digits(std::move(digits)) {}
  std::string m_digits;
};

}  // namespace vd::billing
