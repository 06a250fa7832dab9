#pragma once
// Shared by the ApCV fuzz targets (fuzz_apcv_claims, fuzz_nfc_answer): a TEST-ONLY insurer and
// phone whose keys the harness controls (fixed PEM below, made for these harnesses only and
// never used anywhere else), the trust store that knows that insurer, and a genuine credential
// of that phone. With them fuzzed inputs get past the insurer's signature, the kid match, the
// phone's signature and the digest instead of stopping at "unknown issuer".
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/keys.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/claims.hpp"
#include "reader/apcv/token.hpp"

namespace vd::fuzz {

inline constexpr std::int64_t kFuzzNow = 1795000000;  // the verifiers' fixed clock

inline constexpr const char* kFuzzIssuerPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg82+25Jm9MVwaMRh4\n"
    "L4S0h5eDOh62o/Z9Gdt1N/eY8euhRANCAAR/xhCRsFIXaWy+2pFNSD6xk4fnKDTv\n"
    "5ZDtPxinFu6Oms3DZ/FzS0LdoEUTi3C6Nj4Nh1alHq/Spwaz6W+bA+9R\n"
    "-----END PRIVATE KEY-----\n";
inline constexpr const char* kFuzzPhonePem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIOgTNOt/zbSBlNqr8iAHrCZbw9gYLKrwKguV38Aizcve\n"
    "-----END PRIVATE KEY-----\n";

struct FuzzPki {
  crypto::PrivateKey issuer = crypto::PrivateKey::fromPem(kFuzzIssuerPem).value();
  crypto::PrivateKey phone = crypto::PrivateKey::fromPem(kFuzzPhonePem).value();
  std::vector<std::uint8_t> issuerKid = issuer.publicKey().kid();
  std::vector<std::uint8_t> phoneSpki = phone.publicKey().spkiDer();
  crypto::TrustStore trust = crypto::TrustStore::fromKeys({issuer.publicKey()}, {"APP-FUZZ-LOST"});

  /// The genuine credential the harness's insurer issued to its phone (valid at kFuzzNow).
  reader::apcv::InsurerCredential credential() const {
    reader::apcv::InsurerCredential c;
    c.issuer = "FUZZ-ISSUER";
    c.issuedAt = c.notBefore = kFuzzNow - 86400;
    c.notAfter = kFuzzNow + 86400;
    c.appInstanceId = "APP-FUZZ";
    c.publicKeyDer = phoneSpki;
    c.insured = {"255081416802538", "DEMO", "Camille", "19550800", 1, 0, "1.2.250.1.213.1.4.10"};
    c.rights = {"2026-11-01", "01", "751", "0001", {"ALD"}, false, "AMC"};
    return c;
  }
  std::vector<std::uint8_t> credentialCose() const {
    return reader::apcv::signCredential(credential(), issuer, issuerKid).value();
  }
  /// A presentation at kFuzzNow (digest left empty: presentCose computes it).
  static reader::apcv::DeviceClaims device(std::optional<std::vector<std::uint8_t>> challenge = std::nullopt) {
    reader::apcv::DeviceClaims d;
    d.issuedAt = kFuzzNow;
    d.expiresAt = kFuzzNow + 120;
    d.tokenId = std::vector<std::uint8_t>(16, 0x7A);
    d.challenge = std::move(challenge);
    return d;
  }
};

inline const FuzzPki& fuzzPki() {
  static const FuzzPki pki;
  return pki;
}

}  // namespace vd::fuzz
