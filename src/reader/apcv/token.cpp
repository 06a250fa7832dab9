#include "reader/apcv/token.hpp"

#include <array>
#include <cstdio>

#include "core/date.hpp"
#include "crypto/base45.hpp"
#include "crypto/cose.hpp"
#include "crypto/digest.hpp"
#include "crypto/zlib_codec.hpp"

namespace vd::reader::apcv {
namespace {

namespace cbor = crypto::cbor;
using core::Errc;

constexpr std::array kAllowed{crypto::CoseAlg::ES256, crypto::CoseAlg::EdDSA, crypto::CoseAlg::PS256};

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

// Prefix, Base45 and zlib: the COSE message bytes.
core::Result<std::vector<std::uint8_t>> unwrap(std::string_view text, std::string_view prefix) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() > kMaxTokenText) return core::fail(Errc::ApcvMalformed, {"size"});
  if (text.substr(0, prefix.size()) != prefix) return core::fail(Errc::ApcvPrefix, {std::string(prefix)});
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

core::Result<std::string> wrap(std::span<const std::uint8_t> cose, std::string_view prefix) {
  auto z = crypto::zlibDeflate(cose, 9);
  if (!z) return core::fail(z.error());
  return std::string(prefix) + crypto::base45Encode(*z);
}

}  // namespace

core::Result<Envelope> openEnvelope(std::string_view text, const crypto::TrustStore& trust, std::string_view prefix) {
  auto message = unwrap(text, prefix);
  if (!message) return core::fail(message.error());
  return openCoseEnvelope(*message, trust);
}

core::Result<Envelope> openCoseEnvelope(std::span<const std::uint8_t> cose, const crypto::TrustStore& trust) {
  auto parsed = crypto::parseCoseSign1(cose);
  if (!parsed) return core::fail(parsed.error());
  const cbor::Value* certValue = parsed->unprotectedHeader.find(kAppCertificateHeader);
  if (certValue == nullptr || !certValue->isBytes()) return core::fail(Errc::ApcvMalformed, {"app_certificate"});

  // Level 1: the app-instance certificate against the issuer keys.
  const crypto::CoseKeyLookup lookup = [&trust](std::span<const std::uint8_t> kid) { return trust.issuerByKid(kid); };
  auto certVerified = crypto::coseSign1Verify(certValue->asBytes(), lookup, kAllowed);
  if (!certVerified) {
    const core::Error& e = certVerified.error();
    if (e.code == Errc::CoseUnknownKid) return core::fail(Errc::ApcvUnknownIssuer, e.args);
    return core::fail(Errc::ApcvAppCertificateInvalid, {std::string(core::errcId(e.code))});
  }
  auto cert = decodeAppCertificate(certVerified->payload);
  if (!cert) return core::fail(cert.error());
  auto appKey = crypto::PublicKey::fromDer(cert->publicKeyDer);
  if (!appKey) return core::fail(Errc::ApcvAppCertificateInvalid, {"key"});
  if (parsed->kid != appKey->kid()) return core::fail(Errc::ApcvAppCertificateInvalid, {"kid"});

  // Level 2: the token against the app-instance key.
  if (auto sig = crypto::coseVerifySignature(*parsed, *appKey, kAllowed); !sig) {
    const Errc c = sig.error().code;
    if (c == Errc::CoseSignatureInvalid) return core::fail(Errc::ApcvSignatureInvalid);
    return core::fail(sig.error());
  }
  auto raw = cbor::decode(parsed->payload);
  if (!raw) return core::fail(Errc::ApcvMalformed, {std::string(core::errcId(raw.error().code))});
  return Envelope{parsed->payload, std::move(*raw), std::move(*cert), certVerified->kid};
}

Credential TokenVerifier::verify(std::string_view text) { return check(openEnvelope(text, m_trust, m_options.prefix)); }

Credential TokenVerifier::verifyCose(std::span<const std::uint8_t> cose) { return check(openCoseEnvelope(cose, m_trust)); }

Credential TokenVerifier::check(core::Result<Envelope> env) {
  Credential out;
  const std::int64_t now = m_clock.nowUnixSeconds();
  const std::int64_t skew = m_options.skewSeconds;
  auto refuse = [&out](core::Error e) {
    out.reasons.push_back(std::move(e));
    return out;
  };
  if (!env) return refuse(env.error());
  out.issuerKidHex = crypto::toHex(env->issuerKid);
  const AppCertificate& cert = env->appCertificate;
  auto claims = decodeClaims(env->claimsBytes);
  if (!claims) return refuse(claims.error());
  if (claims->appInstanceId != cert.appInstanceId)
    return refuse(core::makeError(Errc::ApcvAppCertificateInvalid, {"aid"}));
  out.claims = std::move(*claims);
  const Claims& c = *out.claims;

  if (m_trust.isAppInstanceRevoked(cert.appInstanceId)) out.reasons.push_back(core::makeError(Errc::ApcvAppRevoked));
  if (now + skew < cert.notBefore || now - skew >= cert.notAfter)
    out.reasons.push_back(core::makeError(Errc::ApcvAppCertificateExpired));
  if (now + skew < c.issuedAt) out.reasons.push_back(core::makeError(Errc::ApcvNotYetValid));
  if (now - skew >= c.expiresAt) out.reasons.push_back(core::makeError(Errc::ApcvExpired));
  if (m_options.expectedChallenge && c.challenge != m_options.expectedChallenge)
    out.reasons.push_back(core::makeError(Errc::ApcvChallengeMismatch));
  if (c.delegation) {
    if (c.delegation->until - c.issuedAt > kMaxDelegationSeconds)
      out.reasons.push_back(core::makeError(Errc::ApcvDelegationTooLong, {"30"}));
    else if (c.delegation->until <= now)
      out.reasons.push_back(core::makeError(Errc::ApcvDelegationExpired));
    else
      out.presentation = presentationOf(c);
  }
  if (!out.reasons.empty()) return out;
  // Recorded only when everything else holds: a refused token does not burn its id.
  auto fresh = m_replay.record(c.tokenId, c.expiresAt + skew, now);
  if (!fresh) return refuse(fresh.error());
  if (!*fresh) return refuse(core::makeError(Errc::ApcvReplay));
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

core::Result<std::vector<std::uint8_t>> signAppCertificate(const AppCertificate& cert,
                                                           const crypto::PrivateKey& issuerKey,
                                                           std::span<const std::uint8_t> issuerKid) {
  return crypto::coseSign1Sign(encodeAppCertificate(cert), issuerKey, algFor(issuerKey), issuerKid);
}

core::Result<std::string> makeToken(const Claims& claims, std::span<const std::uint8_t> appCertificate,
                                    const crypto::PrivateKey& appKey, std::string_view prefix) {
  auto cose = makeTokenCose(claims, appCertificate, appKey);
  if (!cose) return core::fail(cose.error());
  return wrap(*cose, prefix);
}

core::Result<std::string> tokenText(std::span<const std::uint8_t> cose, std::string_view prefix) {
  return wrap(cose, prefix);
}

core::Result<std::vector<std::uint8_t>> tamperTokenCose(std::span<const std::uint8_t> cose, const Claims& altered) {
  auto parsed = crypto::parseCoseSign1(cose);
  if (!parsed) return core::fail(parsed.error());
  return rebuild(*parsed, parsed->unprotectedHeader, encodeClaims(altered));
}

core::Result<std::vector<std::uint8_t>> makeTokenCose(const Claims& claims, std::span<const std::uint8_t> appCertificate,
                                                      const crypto::PrivateKey& appKey) {
  const auto kid = appKey.publicKey().kid();
  auto signed_ = crypto::coseSign1Sign(encodeClaims(claims), appKey, algFor(appKey), kid);
  if (!signed_) return core::fail(signed_.error());
  auto parsed = crypto::parseCoseSign1(*signed_);
  if (!parsed) return core::fail(parsed.error());
  const cbor::Value unprotected = cbor::Value::map(
      {cbor::MapEntry{cbor::Value::integer(kAppCertificateHeader), cbor::Value::bytes(appCertificate)}});
  return rebuild(*parsed, unprotected, parsed->payload);
}

core::Result<std::string> tamperToken(std::string_view text, const Claims& altered, std::string_view prefix) {
  auto message = unwrap(text, prefix);
  if (!message) return core::fail(message.error());
  auto cose = tamperTokenCose(*message, altered);
  if (!cose) return core::fail(cose.error());
  return wrap(*cose, prefix);
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
