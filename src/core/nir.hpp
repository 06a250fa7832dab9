#pragma once
/// \file
/// NIR — numéro d'inscription au répertoire national d'identification des personnes
/// physiques (RNIPP), the "numéro de sécurité sociale" printed on the carte Vitale.
///
/// Layout (INSEE, "Le numéro d'inscription au répertoire", and décret n° 82-103 modifié):
///   S YY MM DD CCC OOO KK
///   S   sex: 1 man, 2 woman; 7 or 8 for temporary numbers (NIA — numéro identifiant
///       d'attente — and NNP), kept distinct because they must not be qualified as INS-NIR
///   YY  last two digits of the birth year
///   MM  birth month 01–12, or 20–42 / 50–99 when the month is unknown (fictitious months
///       used by INSEE), so these must be accepted
///   DD  birth department (2A/2B for Corsica since 1976, 96/99 abroad)
///   CCC commune (or country) code, OOO order number
///   KK  control key = 97 − (the 13-digit number mod 97), where 2A is read as 19 and 2B as 18
///       (equivalently, subtract 1 000 000 or 2 000 000 from the number).
///
/// A `Nir` is patient data: it is never written to logs and never put in an `Error`.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vd::core {

class Nir {
 public:
  enum class Kind { Permanent, Temporary };
  enum class Sex { Male, Female };

  /// Parses 15 characters; spaces are ignored, letters are upper-cased (2a → 2A).
  /// Errors: NirLength, NirCharacter, NirSexDigit, NirMonth, NirDepartment,
  /// NirKeyMismatch (args: expected key, key read).
  static Result<Nir> parse(std::string_view text);

  /// The control key of a 13-character number (digits, 2A/2B in positions 6–7), or
  /// an error from the same family as parse() when the 13 characters are not a NIR body.
  static Result<int> computeKey(std::string_view body13);

  /// The 15 characters, no spaces.
  const std::string& value() const { return m_value; }
  /// "2 55 08 14 168 025 38".
  std::string formatted() const;
  Kind kind() const;
  /// Sex digit 1/7 → Male, 2/8 → Female.
  Sex sex() const;
  /// Two-digit year and month as written (month may be fictitious, see above).
  int yearTwoDigits() const;
  int month() const;
  /// True when the month is a real calendar month (01–12).
  bool hasCalendarMonth() const { return month() >= 1 && month() <= 12; }
  int key() const;

  friend bool operator==(const Nir&, const Nir&) = default;

 private:
  explicit Nir(std::string value) : m_value(std::move(value)) {}
  std::string m_value;
};

}  // namespace vd::core
