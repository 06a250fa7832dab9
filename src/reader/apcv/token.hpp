#pragma once
/// \file
/// The ApCV token (docs/formats/apcv-token.md), on the model of ISO/IEC 18013-5 (mdoc): QR text
/// = "VD2:" + Base45(zlib(COSE_Sign1 by the phone's app-instance key)). That outer message's
/// payload is the presentation (DeviceClaims: token id, short window, reader challenge, SHA-256
/// of the insurer part); its unprotected header, label -65538, carries the insurer part: a
/// COSE_Sign1 by an issuer key of the trust store over the holder's data and the app
/// instance's public key (InsurerCredential). A stolen phone key thus proves nothing about any
/// other person or rights: identity and rights are only what the insurer signed.
///
/// `openEnvelope` checks the prefix, Base45, zlib, both signatures and the digest and returns
/// both parts; `TokenVerifier` adds the meaning: the insurer credential's window, revocation of
/// the app instance, the presentation window with bounded skew, the reader challenge,
/// delegation, replay — and returns a credential with a verdict and its reasons.

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
#include "core/clock.hpp"
#include "reader/apcv/replay_cache.hpp"

namespace vd::reader::apcv {

inline constexpr std::string_view kTokenPrefix = "VD2:";
inline constexpr std::string_view kOutdatedPrefix = "VD1:";         ///< refused: ApcvFormatOutdated
inline constexpr std::int64_t kCredentialHeader = -65538;          ///< unprotected header: the insurer part
inline constexpr std::int64_t kOutdatedAppCertificateHeader = -65537;  ///< VD1's app certificate
inline constexpr std::int64_t kDefaultSkewSeconds = 60;
inline constexpr std::size_t kMaxTokenText = 8192;

/// A token whose envelope, both signatures and digest hold (meaning not yet checked).
struct Envelope {
  std::vector<std::uint8_t> credentialCose;  ///< the insurer COSE_Sign1 exactly as carried (digest input)
  InsurerCredential credential;
  DeviceClaims device;
  std::vector<std::uint8_t> issuerKid;
  crypto::cbor::Value rawClaims;  ///< {"credential": insurer payload, "presentation": phone payload}
};

/// Errors, first failing step: ApcvFormatOutdated {VD1} (a VD1 prefix or app certificate),
/// ApcvPrefix, Base45*/Zlib*/Cbor*/Cose* (envelope), ApcvMalformed {credential…} (no insurer
/// part, or its content), ApcvUnknownIssuer {kid}, ApcvCredentialSignatureInvalid,
/// ApcvDeviceKeyMismatch (the outer kid is not the credential's key), ApcvSignatureInvalid (the
/// phone's), ApcvMalformed {key} (presentation), ApcvDigestMismatch. Trailing CR/LF (scanner
/// terminators) are removed first.
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

/// What the desk shows. `claims` is set only once both signatures and the digest are verified;
/// with a Refused verdict it must be displayed as refused data, never as verified.
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

/// Verifies tokens against one trust store, at the clock's time, recording a token id in the
/// replay cache only once everything else holds (a refused token does not burn its id).
/// Order: envelope, insurer signature, insurer window, app instance revoked, phone key and
/// signature, digest, presentation window, challenge, delegation (≤ 30 days), replay. The
/// cryptographic steps stop at the first failure; the others add reasons. Not thread-safe (one
/// per worker); the referenced objects must outlive it.
class TokenVerifier {
 public:
  TokenVerifier(const crypto::TrustStore& trust, const core::Clock& clock, ReplayCache& replay, VerifyOptions options = {})
      : m_trust(trust), m_clock(clock), m_replay(replay), m_options(std::move(options)) {}
  Credential verify(std::string_view text);
  /// The binary token of an NFC answer (COSE_Sign1 bytes); same checks as verify().
  Credential verifyCose(std::span<const std::uint8_t> cose);

 private:
  const crypto::TrustStore& m_trust;
  const core::Clock& m_clock;
  ReplayCache& m_replay;
  VerifyOptions m_options;
};

/// The parts of a delegated presentation; nullopt without a delegation.
std::optional<Presentation> presentationOf(const Claims& claims);

// --- Making tokens (the simulated insurer and phone, tests, fuzzing, bench) ---

/// The insurer part: COSE_Sign1 (tag 18) of encodeInsurerCredential by the issuer key, kid in
/// the protected header.
core::Result<std::vector<std::uint8_t>> signCredential(const InsurerCredential& credential,
                                                       const crypto::PrivateKey& issuerKey,
                                                       std::span<const std::uint8_t> issuerKid);
/// SHA-256 of the insurer part's bytes: the "cdg" the phone signs.
std::vector<std::uint8_t> credentialDigest(std::span<const std::uint8_t> credentialCose);
/// The binary token (the NFC answer): `device` signed by the app key (kid = its SPKI kid), the
/// insurer part in the unprotected header. An empty device.credentialDigest is computed.
core::Result<std::vector<std::uint8_t>> presentCose(std::span<const std::uint8_t> credentialCose, DeviceClaims device,
                                                    const crypto::PrivateKey& appKey);
/// QR text of a binary token: prefix + Base45(zlib level 9).
core::Result<std::string> tokenText(std::span<const std::uint8_t> cose, std::string_view prefix = kTokenPrefix);
/// presentCose then tokenText.
core::Result<std::string> makeToken(std::span<const std::uint8_t> credentialCose, const DeviceClaims& device,
                                    const crypto::PrivateKey& appKey, std::string_view prefix = kTokenPrefix);

/// The insurer part with its payload replaced, the insurer's signature kept (forgeries).
core::Result<std::vector<std::uint8_t>> alterCredential(std::span<const std::uint8_t> credentialCose,
                                                        const InsurerCredential& altered);
/// The token with another insurer part, the phone's signature kept (the "tampered" kit).
core::Result<std::vector<std::uint8_t>> withCredential(std::span<const std::uint8_t> tokenCose,
                                                       std::span<const std::uint8_t> credentialCose);
/// The token with its presentation replaced, the phone's signature kept.
core::Result<std::vector<std::uint8_t>> alterPresentation(std::span<const std::uint8_t> tokenCose,
                                                          const DeviceClaims& altered);

/// CBOR diagnostic-like text of a value (support output of raw claims); bytes in hex.
std::string diagnostic(const crypto::cbor::Value& v);

}  // namespace vd::reader::apcv
