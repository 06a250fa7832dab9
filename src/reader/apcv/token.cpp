#include "reader/apcv/token.hpp"

#include <array>
#include <cstdio>
#include <functional>

#include "core/date.hpp"
#include "crypto/base45.hpp"
#include "crypto/cose.hpp"
#include "crypto/digest.hpp"
#include "crypto/zlib_codec.hpp"

namespace vd::reader::apcv {
namespace {

namespace cbor = crypto::cbor;
using core::Errc;

constexpr std::array kIssuerAlgs{crypto::CoseAlg::ES256, crypto::CoseAlg::EdDSA, crypto::CoseAlg::PS256};
constexpr std::array kDeviceAlgs{crypto::CoseAlg::ES256, crypto::CoseAlg::EdDSA};

crypto::CoseAlg algFor(const crypto::PrivateKey& key) {
  switch (key.type()) {
    case crypto::KeyType::Ed25519:
      return crypto::CoseAlg::EdDSA;
    case crypto::KeyType::Rsa:
      return crypto::CoseAlg::PS256;
    default:
      return crypto::CoseAlg::ES256;
  }
}

core::Failure outdated() { return core::fail(Errc::ApcvFormatOutdated, {std::string(kOutdatedPrefix.substr(0, 3))}); }

// Prefix, Base45 and zlib: the COSE message bytes.
core::Result<std::vector<std::uint8_t>> unwrap(std::string_view text, std::string_view prefix) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() > kMaxTokenText) return core::fail(Errc::ApcvMalformed, {"size"});
  if (text.substr(0, prefix.size()) != prefix) {
    if (prefix == kTokenPrefix && text.substr(0, kOutdatedPrefix.size()) == kOutdatedPrefix) return outdated();
    return core::fail(Errc::ApcvPrefix, {std::string(prefix)});
  }
  auto raw = crypto::base45Decode(text.substr(prefix.size()));
  if (!raw) return core::fail(raw.error());
  return crypto::inflateIfCompressed(*raw);
}

// The COSE array with a new unprotected header and/or payload, tag 18.
std::vector<std::uint8_t> rebuild(const crypto::CoseSign1& m, cbor::Value unprotected,
                                  std::span<const std::uint8_t> payload) {
  return cbor::encode(cbor::Value::tagged(
      crypto::kCoseSign1Tag,
      cbor::Value::array({cbor::Value::bytes(m.protectedBytes), std::move(unprotected), cbor::Value::bytes(payload),
                          cbor::Value::bytes(m.signature)})));
}

cbor::Value credentialHeader(std::span<const std::uint8_t> credentialCose) {
  return cbor::Value::map({cbor::MapEntry{cbor::Value::integer(kCredentialHeader), cbor::Value::bytes(credentialCose)}});
}

// The insurer part, verified against the trust store's issuer keys. With a presentation time
// the issuer must be usable then (TrustStore::issuerAt: validity, key usage, revocation), and
// the refusal names why; without one (the envelope check) only the signature counts.
core::Result<crypto::CoseVerified> verifyInsurer(std::span<const std::uint8_t> credentialCose,
                                                 const crypto::TrustStore& trust, std::optional<std::int64_t> at) {
  std::optional<core::Error> refused;
  const crypto::CoseKeyLookup lookup = [&](std::span<const std::uint8_t> kid) -> std::optional<crypto::PublicKey> {
    if (!at) return trust.issuerByKid(kid);
    auto key = trust.issuerAt(kid, *at);
    if (key) return *key;
    refused = key.error();
    return std::nullopt;
  };
  auto verified = crypto::coseSign1Verify(credentialCose, lookup, kIssuerAlgs);
  if (verified) return verified;
  const core::Error& e = verified.error();
  if (e.code == Errc::CoseUnknownKid && refused) return core::fail(*refused);
  if (e.code == Errc::CoseUnknownKid) return core::fail(Errc::ApcvUnknownIssuer, e.args);
  const bool structure = e.code == Errc::CborLimit || e.code == Errc::CborMalformed || e.code == Errc::CoseMalformed ||
                         e.code == Errc::CoseAlgNotProtected;
  if (structure) return core::fail(Errc::ApcvMalformed, {"credential " + std::string(core::errcId(e.code))});
  // A refused algorithm, a key of another family, a bad signature: not the insurer's signature.
  return core::fail(Errc::ApcvCredentialSignatureInvalid);
}

// The phone's signature, with the key the insurer bound to the app instance.
core::Result<void> verifyDevice(const crypto::CoseSign1& outer, const InsurerCredential& credential) {
  auto appKey = crypto::PublicKey::fromDer(credential.publicKeyDer);
  if (!appKey) return core::fail(Errc::ApcvMalformed, {"key"});
  if (outer.kid != appKey->kid()) return core::fail(Errc::ApcvDeviceKeyMismatch);
  // Any failure here (wrong signature, an algorithm that is not the bound key's) is the phone's.
  if (!crypto::coseVerifySignature(outer, *appKey, kDeviceAlgs)) return core::fail(Errc::ApcvSignatureInvalid);
  return {};
}

bool sameBytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Every cryptographic step in order, stopping at the first failure; `afterInsurer` sees the
// insurer credential once its signature holds (the verifier's window and revocation checks).
core::Result<Envelope> openChecked(std::span<const std::uint8_t> cose, const crypto::TrustStore& trust,
                                   std::optional<std::int64_t> at,
                                   const std::function<void(const Envelope&)>& afterInsurer) {
  auto outer = crypto::parseCoseSign1(cose);
  if (!outer) return core::fail(outer.error());
  const cbor::Value* part = outer->unprotectedHeader.find(kCredentialHeader);
  if (part == nullptr) {
    if (outer->unprotectedHeader.find(kOutdatedAppCertificateHeader) != nullptr) return outdated();
    return core::fail(Errc::ApcvMalformed, {"credential"});
  }
  if (!part->isBytes()) return core::fail(Errc::ApcvMalformed, {"credential"});
  Envelope env;
  env.credentialCose = part->asBytes();
  auto insurer = verifyInsurer(env.credentialCose, trust, at);
  if (!insurer) return core::fail(insurer.error());
  env.issuerKid = insurer->kid;
  auto credential = decodeInsurerCredential(insurer->payload);
  if (!credential) return core::fail(credential.error());
  // The claimed issuer must be the signing certificate's identity when it states one.
  if (const auto facts = insurer->key.certificateFacts();
      facts && !facts->organizationIdentifier.empty() && credential->issuer != facts->organizationIdentifier)
    return core::fail(Errc::ApcvIssuerMismatch, {credential->issuer, facts->organizationIdentifier});
  env.credential = std::move(*credential);
  if (afterInsurer) afterInsurer(env);
  if (auto device = verifyDevice(*outer, env.credential); !device) return core::fail(device.error());
  auto device = decodeDeviceClaims(outer->payload);
  if (!device) return core::fail(device.error());
  env.device = std::move(*device);
  if (!sameBytes(env.device.credentialDigest, credentialDigest(env.credentialCose)))
    return core::fail(Errc::ApcvDigestMismatch);
  auto rawCredential = cbor::decode(insurer->payload);
  auto rawDevice = cbor::decode(outer->payload);
  if (!rawCredential || !rawDevice) return core::fail(Errc::ApcvMalformed, {"cbor"});
  env.rawClaims = cbor::Value::map({cbor::MapEntry{cbor::Value::text("credential"), std::move(*rawCredential)},
                                    cbor::MapEntry{cbor::Value::text("presentation"), std::move(*rawDevice)}});
  return env;
}

}  // namespace

core::Result<Envelope> openEnvelope(std::string_view text, const crypto::TrustStore& trust, std::string_view prefix) {
  auto message = unwrap(text, prefix);
  if (!message) return core::fail(message.error());
  return openCoseEnvelope(*message, trust);
}

core::Result<Envelope> openCoseEnvelope(std::span<const std::uint8_t> cose, const crypto::TrustStore& trust) {
  return openChecked(cose, trust, std::nullopt, {});
}

Credential TokenVerifier::verify(std::string_view text) {
  auto message = unwrap(text, m_options.prefix);
  if (!message) {
    Credential out;
    out.reasons.push_back(message.error());
    return out;
  }
  return verifyCose(*message);
}

Credential TokenVerifier::verifyCose(std::span<const std::uint8_t> cose) {
  Credential out;
  const std::int64_t now = m_clock.now();
  const std::int64_t skew = m_options.skewSeconds;
  const auto reason = [&out](Errc code, std::vector<std::string> args = {}) {
    out.reasons.push_back(core::makeError(code, std::move(args)));
  };
  // Between the insurer's signature and the phone's: the insurer window, then revocation.
  const auto insurerChecks = [&](const Envelope& env) {
    out.issuerKidHex = crypto::toHex(env.issuerKid);
    const InsurerCredential& c = env.credential;
    if (now + skew < c.notBefore) reason(Errc::ApcvCredentialNotYetValid);
    if (now - skew >= c.notAfter) reason(c.delegation ? Errc::ApcvDelegationExpired : Errc::ApcvCredentialExpired);
    if (m_trust.isAppInstanceRevoked(c.appInstanceId)) reason(Errc::ApcvAppRevoked);
  };
  auto env = openChecked(cose, m_trust, now, insurerChecks);
  if (!env) {
    out.reasons.push_back(env.error());
    return out;
  }
  out.claims = claimsOf(env->credential, env->device);
  const Claims& c = *out.claims;
  if (now + skew < c.issuedAt) reason(Errc::ApcvNotYetValid);
  if (now - skew >= c.expiresAt) reason(Errc::ApcvExpired);
  if (m_options.expectedChallenge && c.challenge != m_options.expectedChallenge) reason(Errc::ApcvChallengeMismatch);
  if (c.delegation) {
    // The delegate presents: the credential names the delegate's app instance and key, so the
    // phone signature above already proves it; the insurer's window must fit 30 days.
    if (c.validUntil - c.validFrom > kMaxDelegationSeconds) reason(Errc::ApcvDelegationTooLong, {"30"});
    else if (out.reasons.empty()) out.presentation = presentationOf(c);
  }
  if (!out.reasons.empty()) return out;
  // Recorded only when the credential can be shown: a refused token does not burn its id.
  auto fresh = m_replay.record(c.tokenId, c.expiresAt + skew, now);
  if (!fresh) {
    out.reasons.push_back(fresh.error());
    return out;
  }
  if (!*fresh) {
    reason(Errc::ApcvReplay);
    return out;
  }
  out.verdict = Verdict::Verified;
  return out;
}

std::optional<Presentation> presentationOf(const Claims& c) {
  if (!c.delegation) return std::nullopt;
  const auto name = [](const std::string& first, const std::string& last) {
    return first.empty() ? last : first + " " + last;
  };
  return Presentation{name(c.delegation->firstNames, c.delegation->birthName),
                      name(c.insured.firstNames, c.insured.birthName), c.delegation->until};
}

core::Result<std::vector<std::uint8_t>> signCredential(const InsurerCredential& credential,
                                                       const crypto::PrivateKey& issuerKey,
                                                       std::span<const std::uint8_t> issuerKid) {
  return crypto::coseSign1Sign(encodeInsurerCredential(credential), issuerKey, algFor(issuerKey), issuerKid);
}

std::vector<std::uint8_t> credentialDigest(std::span<const std::uint8_t> credentialCose) {
  const auto d = crypto::sha256(credentialCose);
  return {d.begin(), d.end()};
}

core::Result<std::vector<std::uint8_t>> presentCose(std::span<const std::uint8_t> credentialCose, DeviceClaims device,
                                                    const crypto::PrivateKey& appKey) {
  if (device.credentialDigest.empty()) device.credentialDigest = credentialDigest(credentialCose);
  const auto kid = appKey.publicKey().kid();
  auto signed_ = crypto::coseSign1Sign(encodeDeviceClaims(device), appKey, algFor(appKey), kid);
  if (!signed_) return core::fail(signed_.error());
  auto parsed = crypto::parseCoseSign1(*signed_);
  if (!parsed) return core::fail(parsed.error());
  return rebuild(*parsed, credentialHeader(credentialCose), parsed->payload);
}

core::Result<std::string> tokenText(std::span<const std::uint8_t> cose, std::string_view prefix) {
  auto z = crypto::zlibDeflate(cose, 9);
  if (!z) return core::fail(z.error());
  return std::string(prefix) + crypto::base45Encode(*z);
}

core::Result<std::string> makeToken(std::span<const std::uint8_t> credentialCose, const DeviceClaims& device,
                                    const crypto::PrivateKey& appKey, std::string_view prefix) {
  auto cose = presentCose(credentialCose, device, appKey);
  if (!cose) return core::fail(cose.error());
  return tokenText(*cose, prefix);
}

core::Result<std::vector<std::uint8_t>> alterCredential(std::span<const std::uint8_t> credentialCose,
                                                        const InsurerCredential& altered) {
  auto parsed = crypto::parseCoseSign1(credentialCose);
  if (!parsed) return core::fail(parsed.error());
  return rebuild(*parsed, parsed->unprotectedHeader, encodeInsurerCredential(altered));
}

core::Result<std::vector<std::uint8_t>> withCredential(std::span<const std::uint8_t> tokenCose,
                                                       std::span<const std::uint8_t> credentialCose) {
  auto parsed = crypto::parseCoseSign1(tokenCose);
  if (!parsed) return core::fail(parsed.error());
  return rebuild(*parsed, credentialHeader(credentialCose), parsed->payload);
}

core::Result<std::vector<std::uint8_t>> alterPresentation(std::span<const std::uint8_t> tokenCose,
                                                          const DeviceClaims& altered) {
  auto parsed = crypto::parseCoseSign1(tokenCose);
  if (!parsed) return core::fail(parsed.error());
  return rebuild(*parsed, parsed->unprotectedHeader, encodeDeviceClaims(altered));
}

std::string diagnostic(const cbor::Value& v) {
  switch (v.kind()) {
    case cbor::Value::Kind::Int:
      return std::to_string(v.asInt());
    case cbor::Value::Kind::Bytes:
      return "h'" + crypto::toHex(v.asBytes()) + "'";
    case cbor::Value::Kind::Text: {
      std::string s = "\"";
      for (char ch : v.asText()) {
        if (ch == '"' || ch == '\\') s += '\\';
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(ch));
          s += buf;
        } else {
          s += ch;
        }
      }
      return s + "\"";
    }
    case cbor::Value::Kind::Array: {
      std::string s = "[";
      for (std::size_t i = 0; i < v.items().size(); ++i) s += (i ? ", " : "") + diagnostic(v.items()[i]);
      return s + "]";
    }
    case cbor::Value::Kind::Map: {
      std::string s = "{";
      for (std::size_t i = 0; i < v.entries().size(); ++i)
        s += (i ? ", " : "") + diagnostic(v.entries()[i].key) + ": " + diagnostic(v.entries()[i].value);
      return s + "}";
    }
    case cbor::Value::Kind::Tag:
      return std::to_string(v.tag()) + "(" + diagnostic(v.tagContent()) + ")";
    case cbor::Value::Kind::Bool:
      return v.asBool() ? "true" : "false";
    case cbor::Value::Kind::Null:
      return "null";
    case cbor::Value::Kind::Undefined:
      return "undefined";
    case cbor::Value::Kind::Float:
      return std::to_string(v.asFloat());
  }
  return "?";
}

}  // namespace vd::reader::apcv
