#pragma once
/// \file
/// The ApCV token (docs/formats/apcv-token.md): QR text = "VD1:" + Base45(zlib(COSE_Sign1(claims))),
/// signed by the phone's app-instance key, whose certificate (a COSE_Sign1 by an issuer key of
/// the trust store) travels in the token's unprotected header, label -65537.
///
/// `openEnvelope` checks the prefix, Base45, zlib, both signatures and returns the raw claims;
/// `TokenVerifier` adds the meaning: validity window with bounded skew, revocation, replay,
/// delegation, reader challenge — and returns a credential with a verdict and its reasons.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/cbor_value.hpp"
#include "crypto/keys.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/claims.hpp"
#include "reader/apcv/clock.hpp"
#include "reader/apcv/replay_cache.hpp"

namespace vd::reader::apcv {

inline constexpr std::string_view kTokenPrefix = "VD1:";
inline constexpr std::int64_t kAppCertificateHeader = -65537;  ///< unprotected header label
inline constexpr std::int64_t kDefaultSkewSeconds = 60;
inline constexpr std::size_t kMaxTokenText = 8192;

/// A token whose envelope and signatures hold (claims not interpreted).
struct Envelope {
  std::vector<std::uint8_t> claimsBytes;  ///< the COSE payload
  crypto::cbor::Value rawClaims;          ///< decoded (any shape)
  AppCertificate appCertificate;
  std::vector<std::uint8_t> issuerKid;
};

/// Errors, first failing step: ApcvPrefix, Base45*/Zlib*/Cbor*/Cose* (envelope), ApcvMalformed
/// (no app certificate), ApcvUnknownIssuer, ApcvAppCertificateInvalid, ApcvSignatureInvalid.
/// Trailing CR/LF (scanner terminators) are removed first.
core::Result<Envelope> openEnvelope(std::string_view text, const crypto::TrustStore& trust,
                                    std::string_view prefix = kTokenPrefix);
/// The same from the COSE_Sign1 bytes themselves (NFC answer, docs/formats/apcv-nfc.md: no
/// prefix, Base45 or zlib). Errors as openEnvelope from the COSE step on.
core::Result<Envelope> openCoseEnvelope(std::span<const std::uint8_t> cose, const crypto::TrustStore& trust);

enum class Verdict { Verified, Refused };

/// Who presents a delegated credential, in parts: the caller words it in its language.
struct Presentation {
  std::string delegate;    ///< the person presenting: "<first names> <birth name>" (birth name alone
                           ///< when there are no first names)
  std::string holder;      ///< the insured, on whose behalf, same form
  std::int64_t until = 0;  ///< end of the delegation, Unix seconds
};

/// What the desk shows. `claims` is set only once both signatures are verified; with a Refused
/// verdict it must be displayed as refused data, never as verified.
struct Credential {
  Verdict verdict = Verdict::Refused;
  std::vector<core::Error> reasons;  ///< empty when Verified
  std::optional<Claims> claims;
  std::string issuerKidHex;
  /// Set when delegated (and the delegation holds).
  std::optional<Presentation> presentation;
};

struct VerifyOptions {
  std::string prefix = std::string(kTokenPrefix);
  std::int64_t skewSeconds = kDefaultSkewSeconds;
  std::optional<std::vector<std::uint8_t>> expectedChallenge;  ///< NFC: the reader's challenge
};

/// Verifies tokens against one trust store, at the clock's time, recording accepted token ids
/// in the replay cache. Not thread-safe (one per worker); the referenced objects must outlive it.
class TokenVerifier {
 public:
  TokenVerifier(const crypto::TrustStore& trust, const Clock& clock, ReplayCache& replay, VerifyOptions options = {})
      : m_trust(trust), m_clock(clock), m_replay(replay), m_options(std::move(options)) {}
  Credential verify(std::string_view text);
  /// The binary token of an NFC answer (COSE_Sign1 bytes); same checks as verify().
  Credential verifyCose(std::span<const std::uint8_t> cose);

 private:
  Credential check(core::Result<Envelope> env);
  const crypto::TrustStore& m_trust;
  const Clock& m_clock;
  ReplayCache& m_replay;
  VerifyOptions m_options;
};

/// The parts of a delegated presentation; nullopt without a delegation.
std::optional<Presentation> presentationOf(const Claims& claims);

/// Signs an app-instance certificate with an issuer key (simulator, tests).
core::Result<std::vector<std::uint8_t>> signAppCertificate(const AppCertificate& cert, const crypto::PrivateKey& issuerKey,
                                                           std::span<const std::uint8_t> issuerKid);

/// Makes the QR text (simulator, tests): claims signed with the app key (kid = its SPKI kid),
/// app certificate in the unprotected header, zlib level 9, Base45, prefix.
core::Result<std::string> makeToken(const Claims& claims, std::span<const std::uint8_t> appCertificate,
                                    const crypto::PrivateKey& appKey, std::string_view prefix = kTokenPrefix);

/// The binary token (COSE_Sign1 bytes, tag 18) that makeToken wraps: the NFC answer.
core::Result<std::vector<std::uint8_t>> makeTokenCose(const Claims& claims, std::span<const std::uint8_t> appCertificate,
                                                      const crypto::PrivateKey& appKey);
/// QR text of a binary token: prefix + Base45(zlib level 9).
core::Result<std::string> tokenText(std::span<const std::uint8_t> cose, std::string_view prefix = kTokenPrefix);
/// Binary token with its claims replaced but the old signature kept (the "tampered" kit over NFC).
core::Result<std::vector<std::uint8_t>> tamperTokenCose(std::span<const std::uint8_t> cose, const Claims& altered);

/// Same token with its claims replaced but the old signature kept (the "tampered" kit).
core::Result<std::string> tamperToken(std::string_view text, const Claims& altered,
                                      std::string_view prefix = kTokenPrefix);

/// CBOR diagnostic-like text of a value (support output of raw claims); bytes in hex.
std::string diagnostic(const crypto::cbor::Value& v);

}  // namespace vd::reader::apcv
