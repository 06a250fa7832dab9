#include "core/ins.hpp"

#include <array>

namespace vd::core {
namespace {
struct OidRow {
  InsOid oid;
  std::string_view value;
  std::string_view label;
};
constexpr std::array kOids{
    OidRow{InsOid::InsNir, "1.2.250.1.213.1.4.8", "INS-NIR"},
    OidRow{InsOid::InsNia, "1.2.250.1.213.1.4.9", "INS-NIA"},
    OidRow{InsOid::Test, "1.2.250.1.213.1.4.10", "test"},
    OidRow{InsOid::Demo, "1.2.250.1.213.1.4.11", "demo"},
};

bool validBirthplace(std::string_view code) {
  if (code.size() != 5) return false;
  for (std::size_t i = 0; i < 5; ++i) {
    const char c = code[i];
    const bool corsica = i == 1 && code[0] == '2' && (c == 'A' || c == 'B');
    if (!corsica && (c < '0' || c > '9')) return false;
  }
  return true;
}
}  // namespace

std::string_view insOidValue(InsOid oid) {
  for (const auto& r : kOids) {
    if (r.oid == oid) return r.value;
  }
  return {};
}

std::string_view insOidLabel(InsOid oid) {
  for (const auto& r : kOids) {
    if (r.oid == oid) return r.label;
  }
  return {};
}

Result<InsOid> parseInsOid(std::string_view oid) {
  for (const auto& r : kOids) {
    if (r.value == oid) return r.oid;
  }
  return fail(Errc::InsOid, {std::string(oid.substr(0, 40))});
}

Result<Ins> Ins::make(Nir matricule, InsOid oid, InsTraits traits) {
  const bool temporary = matricule.kind() == Nir::Kind::Temporary;
  if (oid == InsOid::InsNir && temporary) return fail(Errc::InsMatricule, {"INS-NIR"});
  if (oid == InsOid::InsNia && !temporary) return fail(Errc::InsMatricule, {"INS-NIA"});
  if (traits.birthName.empty()) return fail(Errc::InsTrait, {"birth_name"});
  if (traits.birthFirstNames.empty() || traits.birthFirstNames.front().empty()) {
    return fail(Errc::InsTrait, {"birth_first_names"});
  }
  if (traits.sex == InsSex::Unknown) return fail(Errc::InsTrait, {"sex"});
  if (!validBirthplace(traits.birthplace)) return fail(Errc::InsTrait, {"birthplace"});
  const InsSex nirSex = matricule.sex() == Nir::Sex::Male ? InsSex::Male : InsSex::Female;
  if (nirSex != traits.sex) return fail(Errc::InsInconsistent, {"sex"});
  if (matricule.yearTwoDigits() != traits.birthDate.year() % 100) {
    return fail(Errc::InsInconsistent, {"birth_year"});
  }
  const int birthMonth = traits.birthDate.month();
  if (matricule.hasCalendarMonth() && birthMonth >= 1 && birthMonth <= 12 &&
      matricule.month() != birthMonth) {
    return fail(Errc::InsInconsistent, {"birth_month"});
  }
  return Ins(std::move(matricule), oid, std::move(traits));
}

}  // namespace vd::core
