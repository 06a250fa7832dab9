#pragma once
/// \file
/// Synthetic, obviously fictitious identities for the simulator, the demo mode and tests:
/// valid NIRs (key computed by core::Nir), optionally Corsican or lunar birth dates.
/// Deterministic for a seed, so test kits are reproducible.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/birth_date.hpp"
#include "core/nir.hpp"

namespace vd::sim {

struct SyntheticIdentity {
  core::Nir nir;
  std::string birthName;
  std::vector<std::string> firstNames;
  core::BirthDate birthDate;
  std::string birthplace;  ///< INSEE code
};

class IdentityGenerator {
 public:
  explicit IdentityGenerator(std::uint64_t seed) : m_rng(seed) {}
  /// One identity; `lunar` gives a birth date with day 00, `corsica` a 2A/2B birthplace.
  SyntheticIdentity next(bool lunar = false, bool corsica = false);

 private:
  std::mt19937_64 m_rng;
};

}  // namespace vd::sim
