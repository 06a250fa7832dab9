#pragma once
// Shared by the app tests: the worked example's patient (adult with an AMC paying the ticket
// modérateur) as the JSON the desk reads, and the test practitioner signing with a key file.
#include "app/fse_use_case.hpp"
#include "crypto/test_pki.hpp"

namespace vd::app::testing {

inline constexpr const char* kAdultWithAmc = R"({
  "insured": {"nir": "255081416802538", "birth_name": "TESTVITALE", "first_name": "CAMILLE",
              "birth_date": "19550814", "birth_rank": 1},
  "amo": {"regime": "01", "caisse": "141", "centre": "0000", "exemption": ""},
  "amc": {"organisation": "99999997", "contract": "TEST", "covers_ticket_moderateur": true, "tiers_payant": false},
  "tiers_payant_amo": false
})";

/// "Dr TEST" (RPPS 10099999996, sector 1) signing with the key file of `pki`.
inline PractitionerProfile testPractitioner(const crypto::TestPkiFiles& pki) {
  PractitionerProfile p;
  p.identity = {"10099999996", "141999995", "Dr TEST", "01", 1, false, "cabinet principal"};
  p.signing = {SigningConfig::Kind::KeyFile, pki.key, pki.certificate, {}};
  return p;
}

}  // namespace vd::app::testing
