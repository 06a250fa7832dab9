// libFuzzer target: the ApCV decoders and the whole verifier past the signatures. The first
// byte picks what the rest is; the harness signs it with keys it controls (apcv_fuzz_pki.hpp),
// so fuzzed bytes reach every step of TokenVerifier:
//   0  the insurer credential's payload (CBOR), signed by the trusted insurer, presented by the
//      harness's phone: decoding, UTF-8 and bounds, window, revocation, the kid match, the phone
//      signature with the key the payload names, the digest, delegation;
//   1  the presentation's payload (CBOR), signed by the phone over the genuine credential:
//      window, cti, challenge, the digest comparison, replay;
//   2  a whole insurer COSE_Sign1 (fuzzed kid, alg, headers), presented by the phone;
//   3  QR text to the envelope (prefix, Base45, zlib, COSE) and the verifier.
// Oracles: what decodes re-encodes to the same values; a Verified verdict only with the
// decoders' agreement, the harness phone's key and the right digest; no claims when refused
// for a cryptographic reason.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "apcv_fuzz_pki.hpp"
#include "crypto/cose.hpp"
#include "crypto/digest.hpp"
#include "core/clock.hpp"

namespace apcv = vd::reader::apcv;
using vd::fuzz::fuzzPki;

namespace {

void roundTrips(std::span<const std::uint8_t> input) {
  if (auto c = apcv::decodeInsurerCredential(input)) {
    auto again = apcv::decodeInsurerCredential(apcv::encodeInsurerCredential(*c));
    if (!again || again->insured.nir != c->insured.nir || again->publicKeyDer != c->publicKeyDer ||
        again->notAfter != c->notAfter || again->beneficiaries.size() != c->beneficiaries.size() ||
        again->delegation.has_value() != c->delegation.has_value() || !apcv::isCleanUtf8(c->insured.birthName))
      __builtin_trap();
  }
  if (auto d = apcv::decodeDeviceClaims(input)) {
    auto again = apcv::decodeDeviceClaims(apcv::encodeDeviceClaims(*d));
    if (!again || again->tokenId != d->tokenId || again->credentialDigest != d->credentialDigest ||
        again->challenge != d->challenge)
      __builtin_trap();
  }
}

apcv::Credential verify(std::span<const std::uint8_t> cose) {
  const vd::core::FixedClock clock(vd::fuzz::kFuzzNow);
  apcv::ReplayCache cache;
  return apcv::TokenVerifier(fuzzPki().trust, clock, cache).verifyCose(cose);
}

bool verified(const apcv::Credential& c) {
  if (c.verdict == apcv::Verdict::Verified && (!c.claims || !c.reasons.empty())) __builtin_trap();
  return c.verdict == apcv::Verdict::Verified;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& pki = fuzzPki();
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  roundTrips(rest);
  switch (data[0] % 4) {
    case 0: {  // the insurer's payload
      auto credential = vd::crypto::coseSign1Sign(rest, pki.issuer, vd::crypto::CoseAlg::ES256, pki.issuerKid);
      if (!credential) return 0;
      auto token = apcv::presentCose(*credential, vd::fuzz::FuzzPki::device(), pki.phone);
      if (!token) return 0;
      if (verified(verify(*token))) {
        auto c = apcv::decodeInsurerCredential(rest);
        if (!c || c->publicKeyDer != pki.phoneSpki || c->appInstanceId == "APP-FUZZ-LOST") __builtin_trap();
      }
      break;
    }
    case 1: {  // the phone's payload over the genuine credential
      const auto credential = pki.credentialCose();
      auto signedDevice = vd::crypto::coseSign1Sign(rest, pki.phone, vd::crypto::CoseAlg::EdDSA,
                                                    pki.phone.publicKey().kid());
      if (!signedDevice) return 0;
      auto token = apcv::withCredential(*signedDevice, credential);
      if (!token) return 0;
      if (verified(verify(*token))) {
        auto d = apcv::decodeDeviceClaims(rest);
        if (!d || d->credentialDigest != apcv::credentialDigest(credential)) __builtin_trap();
      }
      break;
    }
    case 2: {  // a whole insurer message
      auto token = apcv::presentCose(rest, vd::fuzz::FuzzPki::device(), pki.phone);
      if (!token) return 0;
      const auto cred = verify(*token);
      if (verified(cred) && cred.issuerKidHex != vd::crypto::toHex(pki.issuerKid)) __builtin_trap();
      break;
    }
    default: {  // QR text
      const std::string_view text(reinterpret_cast<const char*>(rest.data()), rest.size());
      auto env = apcv::openEnvelope(text, pki.trust);
      if (env && env->device.credentialDigest != apcv::credentialDigest(env->credentialCose)) __builtin_trap();
      const vd::core::FixedClock clock(vd::fuzz::kFuzzNow);
      apcv::ReplayCache cache;
      verified(apcv::TokenVerifier(pki.trust, clock, cache).verify(text));
      break;
    }
  }
  return 0;
}
