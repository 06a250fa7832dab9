#pragma once
/// \file
/// The two signed parts of an ApCV token (docs/formats/apcv-token.md §4–5), on the model of
/// ISO/IEC 18013-5 (mdoc): the **insurer credential** (the holder's data, signed by the insurer
/// for one app instance's public key) and the **device claims** (the presentation, signed by
/// that app instance's key over a SHA-256 digest of the exact insurer-signed bytes).
///
/// Plain values, bounded decoders from CBOR (hostile input, fuzzed by
/// tests/fuzz/fuzz_apcv_claims) and the encoders used by the simulator. Decoding checks types,
/// sizes, UTF-8 and the domain rules that need no clock (NIR key, birth date syntax, window
/// lengths); time checks are the verifier's. Domain words: NIR (social security number),
/// qualité (the beneficiary's relation to the insured: 0 insured, 6 child…), rang de naissance
/// (birth rank, twins), AMO (base scheme: régime / caisse / centre), AMC (complementary cover),
/// C2S (complémentaire santé solidaire), INS (identifiant national de santé, by its OID).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::reader::apcv {

inline constexpr std::int64_t kMaxTokenLifetimeSeconds = 600;        ///< presentation exp − iat at most
inline constexpr std::int64_t kMaxDelegationSeconds = 30 * 86400;    ///< delegated credential exp − nbf at most
inline constexpr std::int64_t kMaxCredentialSeconds = 400 * 86400;   ///< any credential exp − nbf at most
inline constexpr std::size_t kMaxClaimText = 256;                    ///< bytes of any text claim
inline constexpr std::size_t kCredentialDigestSize = 32;             ///< SHA-256

struct Person {
  std::string nir;         ///< 15 characters, key checked
  std::string birthName;   ///< "nom"
  std::string firstNames;  ///< "prn"
  std::string birthDate;   ///< raw YYYYMMDD, possibly lunar (day or month 00)
  int birthRank = 1;       ///< 1..9
  int qualite = 0;         ///< 0..99
  std::string insOid;      ///< INS OID, empty when absent
};

struct Rights {
  std::string asOf;  ///< YYYY-MM-DD: date of the snapshot
  std::string regime, caisse, centre;
  std::vector<std::string> exemptions;
  bool c2s = false;
  std::string amc;  ///< complementary cover id, empty when none
};

/// A credential the insurer issued to a delegate's app instance on behalf of the holder
/// ("ins"). The delegation ends with the credential (`until` = its exp).
struct Delegation {
  std::string birthName;   ///< the delegate's (the person presenting)
  std::string firstNames;
  std::int64_t until = 0;  ///< Unix seconds (the credential's exp; not encoded separately)
};

/// What the insurer signs: the holder's data bound to one app instance's public key.
struct InsurerCredential {
  std::string issuer;                      ///< 1 (iss)
  std::int64_t issuedAt = 0;               ///< 6 (iat)
  std::int64_t notBefore = 0;              ///< 5 (nbf)
  std::int64_t notAfter = 0;               ///< 4 (exp)
  std::string appInstanceId;               ///< "aid": the app instance it was issued to
  std::vector<std::uint8_t> publicKeyDer;  ///< "key": that instance's SubjectPublicKeyInfo
  Person insured;                          ///< "ins": the holder
  std::vector<Person> beneficiaries;       ///< "ben"
  Rights rights;                           ///< "rts"
  std::optional<Delegation> delegation;    ///< "dlg": set when issued to a delegate
};

/// What the phone signs: one presentation of one credential.
struct DeviceClaims {
  std::int64_t issuedAt = 0;                           ///< 6 (iat)
  std::int64_t expiresAt = 0;                          ///< 4 (exp), ≤ iat + 600 s
  std::vector<std::uint8_t> tokenId;                   ///< 7 (cti), 8 to 64 bytes
  std::optional<std::vector<std::uint8_t>> challenge;  ///< "chl": the reader's (NFC)
  std::vector<std::uint8_t> credentialDigest;          ///< "cdg": SHA-256 of the insurer COSE_Sign1 bytes
};

/// The verified token as consumers read it: the insurer's data and the presentation's times.
struct Claims {
  std::string issuer;
  std::int64_t issuedAt = 0;   ///< presentation iat, Unix seconds
  std::int64_t expiresAt = 0;  ///< presentation exp, Unix seconds
  std::vector<std::uint8_t> tokenId;
  std::string appInstanceId;
  std::optional<std::vector<std::uint8_t>> challenge;
  Person insured;
  std::vector<Person> beneficiaries;
  Rights rights;
  std::optional<Delegation> delegation;
  std::int64_t validFrom = 0;   ///< the insurer credential's nbf
  std::int64_t validUntil = 0;  ///< the insurer credential's exp
};

/// Both parts seen together (only meaningful once both signatures and the digest hold).
Claims claimsOf(const InsurerCredential& credential, const DeviceClaims& device);

/// Errors: ApcvMalformed with the offending claim's key as argument (never its value): wrong
/// type, a text over kMaxClaimText bytes, not UTF-8 or with control characters, a bad NIR or
/// date, exp before nbf or more than 400 days after it (the 30 days of a delegation are the
/// verifier's check, ApcvDelegationTooLong).
core::Result<InsurerCredential> decodeInsurerCredential(std::span<const std::uint8_t> cbor);
std::vector<std::uint8_t> encodeInsurerCredential(const InsurerCredential& credential);

/// Errors: ApcvMalformed {key}: exp not after iat or over 600 s later, cti size, chl size, cdg
/// not 32 bytes.
core::Result<DeviceClaims> decodeDeviceClaims(std::span<const std::uint8_t> cbor);
std::vector<std::uint8_t> encodeDeviceClaims(const DeviceClaims& device);

/// Well-formed UTF-8 (no overlong forms, surrogates or code points over U+10FFFF) without C0
/// control characters or DEL.
bool isCleanUtf8(std::string_view text);

}  // namespace vd::reader::apcv
