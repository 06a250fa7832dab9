#pragma once
/// \file
/// INS — identité nationale de santé (CSP L1111-8-1, R1111-8-1 ss.; Référentiel INS v2,
/// ANS). An INS is a matricule (the NIR, or a NIA for a temporary number) with the OID of
/// its assigning authority, plus the five strict traits that must accompany it:
/// birth name, list of birth first names, birth date, sex, INSEE code of the birthplace.
///
/// OIDs (ANS, "Guide d'implémentation de l'INS", table of OIDs):
///   1.2.250.1.213.1.4.8   INS-NIR (production)
///   1.2.250.1.213.1.4.9   INS-NIA (production)
///   1.2.250.1.213.1.4.10  test identities
///   1.2.250.1.213.1.4.11  demonstration identities

#include <string>
#include <string_view>
#include <vector>

#include "core/birth_date.hpp"
#include "core/nir.hpp"
#include "core/result.hpp"

namespace vd::core {

enum class InsOid { InsNir, InsNia, Test, Demo };

std::string_view insOidValue(InsOid oid);
Result<InsOid> parseInsOid(std::string_view oid);
/// "INS-NIR", "INS-NIA", "test", "demo".
std::string_view insOidLabel(InsOid oid);

enum class InsSex { Male, Female, Unknown };

struct InsTraits {
  std::string birthName;                    ///< nom de naissance
  std::vector<std::string> birthFirstNames; ///< prénoms de naissance, in order
  BirthDate birthDate;
  InsSex sex = InsSex::Unknown;
  std::string birthplace;                   ///< code INSEE, 5 characters (2A/2B allowed)
};

class Ins {
 public:
  /// Checks: the matricule kind fits the OID (INS-NIR needs a permanent NIR, INS-NIA a
  /// temporary one); every trait present; birthplace 5 characters; sex known and equal to
  /// the NIR's; the NIR year equal to the birth year's last two digits, and its month equal
  /// to the birth month when both are calendar months.
  static Result<Ins> make(Nir matricule, InsOid oid, InsTraits traits);

  const Nir& matricule() const { return m_matricule; }
  InsOid oid() const { return m_oid; }
  const InsTraits& traits() const { return m_traits; }
  /// The first birth first name, the one displayed ("premier prénom de naissance").
  const std::string& firstName() const { return m_traits.birthFirstNames.front(); }

 private:
  Ins(Nir m, InsOid o, InsTraits t) : m_matricule(std::move(m)), m_oid(o), m_traits(std::move(t)) {}
  Nir m_matricule;
  InsOid m_oid;
  InsTraits m_traits;
};

}  // namespace vd::core
