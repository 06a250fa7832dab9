#include "sim/identity_generator.hpp"

#include <array>
#include <cstdio>
#include <string_view>

namespace vd::sim {
namespace {
// Names chosen to be recognisably fictitious (test-only identities).
constexpr std::array<std::string_view, 8> kBirthNames{"TESTVITALE", "DEMODESK", "FICTIF", "EXEMPLE",
                                                      "SIMULE", "ESSAI", "MAQUETTE", "PROTOTYPE"};
constexpr std::array<std::string_view, 8> kFirstNames{"CAMILLE", "DOMINIQUE", "CLAUDE", "ALEX",
                                                      "SACHA", "MORGANE", "LOUISON", "ANDREA"};
}  // namespace

SyntheticIdentity IdentityGenerator::next(bool lunar, bool corsica) {
  auto pick = [this](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); };
  const int sex = pick(1, 2);
  const int year = pick(1930, 2024);
  const int month = pick(1, 12);
  const int day = lunar ? 0 : pick(1, core::daysInMonth(year, month));
  char dept[3];
  if (corsica) {
    std::snprintf(dept, sizeof dept, "2%c", pick(0, 1) == 0 ? 'A' : 'B');
  } else {
    const int d = pick(1, 95);
    std::snprintf(dept, sizeof dept, "%02d", d == 20 ? 21 : d);  // 20 is split into 2A/2B
  }
  char body[16];
  std::snprintf(body, sizeof body, "%d%02d%02d%s%03d%03d", sex, year % 100, month, dept, pick(1, 999), pick(1, 999));
  const int key = *core::Nir::computeKey(body);
  char full[24];
  std::snprintf(full, sizeof full, "%s%02d", body, key);
  char birth[16];
  std::snprintf(birth, sizeof birth, "%04d%02d%02d", year, month, day);
  char place[8];
  std::snprintf(place, sizeof place, "%s%03d", dept, pick(1, 999));
  return SyntheticIdentity{*core::Nir::parse(full),
                           std::string(kBirthNames[static_cast<std::size_t>(pick(0, 7))]),
                           {std::string(kFirstNames[static_cast<std::size_t>(pick(0, 7))])},
                           *core::BirthDate::parse(birth),
                           place};
}

}  // namespace vd::sim
