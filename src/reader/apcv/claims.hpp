#pragma once
/// \file
/// ApCV token claims and the app-instance certificate (docs/formats/apcv-token.md §4–5): plain
/// values, a bounded decoder from CBOR (hostile input, fuzzed by tests/fuzz/fuzz_apcv_claims)
/// and the encoder used by the simulator. Decoding checks types, sizes and the domain rules
/// that need no clock (NIR key, birth date syntax, exp after iat); time checks are the
/// verifier's. Domain words: NIR (social security number), qualité (the beneficiary's relation
/// to the insured: 0 insured, 6 child…), rang de naissance (birth rank, twins), AMO (base
/// scheme: régime / caisse / centre), AMC (complementary cover), C2S (complémentaire santé
/// solidaire).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace vd::reader::apcv {

inline constexpr std::int64_t kMaxTokenLifetimeSeconds = 600;      ///< exp − iat at most
inline constexpr std::int64_t kMaxDelegationSeconds = 30 * 86400;  ///< until − iat at most

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

struct Delegation {
  std::string birthName;   ///< the delegate's (the person presenting)
  std::string firstNames;
  std::int64_t until = 0;  ///< Unix seconds
};

struct Claims {
  std::string issuer;
  std::int64_t issuedAt = 0;   ///< iat, Unix seconds
  std::int64_t expiresAt = 0;  ///< exp, Unix seconds
  std::vector<std::uint8_t> tokenId;  ///< jti (CWT cti), 8 to 64 bytes
  std::string appInstanceId;
  std::optional<std::vector<std::uint8_t>> challenge;  ///< reader challenge (NFC)
  Person insured;
  std::vector<Person> beneficiaries;
  Rights rights;
  std::optional<Delegation> delegation;
};

/// The app-instance certificate's content (payload of a COSE_Sign1 by the issuer key).
struct AppCertificate {
  std::string issuer;
  std::string appInstanceId;
  std::vector<std::uint8_t> publicKeyDer;  ///< SubjectPublicKeyInfo
  std::int64_t notBefore = 0;
  std::int64_t notAfter = 0;
};

/// Errors: ApcvMalformed with the offending claim's key as argument (never its value).
core::Result<Claims> decodeClaims(std::span<const std::uint8_t> cbor);
std::vector<std::uint8_t> encodeClaims(const Claims& claims);

core::Result<AppCertificate> decodeAppCertificate(std::span<const std::uint8_t> cbor);
std::vector<std::uint8_t> encodeAppCertificate(const AppCertificate& cert);

}  // namespace vd::reader::apcv
