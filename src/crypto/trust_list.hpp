#pragma once
/// \file
/// The insurer's signed trust lists (docs/formats/insurer-api.md "Signed trust lists"): revoked
/// app instances, cards in opposition, revoked issuer kids, the day the material was produced
/// and a monotonic sequence number, in ONE COSE_Sign1 document signed by the insurer's
/// trust-list key (its certificate is DIR/trust-list-signer.pem of the trust folder). The same
/// bytes travel on the wire and are installed as DIR/trust-lists.cose. Pure functions over
/// hostile bytes; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "crypto/keys.hpp"

namespace vd::crypto {

/// Bounds of one document (before any signature work).
inline constexpr std::size_t kMaxTrustListBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxTrustListEntries = 200'000;
inline constexpr std::size_t kMaxTrustListEntryBytes = 128;
inline constexpr std::string_view kTrustListsFile = "trust-lists.cose";
inline constexpr std::string_view kTrustListSignerFile = "trust-list-signer.pem";

struct TrustLists {
  std::uint64_t sequence = 0;  ///< strictly increasing from one issue to the next (rollback check)
  core::Date issuedAt = core::Date::fromDayNumber(0);  ///< the day the insurer produced the material
  std::vector<std::string> appInstances;  ///< revoked app-instance ids
  std::vector<std::string> cardSerials;   ///< cards in opposition, lower-case hex serials
  std::vector<std::vector<std::uint8_t>> revokedIssuers;  ///< issuer kids, kKidSize bytes each
};

/// The CBOR payload (a map of exactly v, seq, iat, apps, cards, issuers).
std::vector<std::uint8_t> encodeTrustLists(const TrustLists& lists);
/// Errors: TrustListMalformed {field}.
core::Result<TrustLists> decodeTrustLists(std::span<const std::uint8_t> payload);

/// COSE_Sign1 of encodeTrustLists by `key` (kid = signer certificate's kid). Errors: those of
/// coseSign1Sign.
core::Result<std::vector<std::uint8_t>> signTrustLists(const TrustLists& lists, const PrivateKey& key,
                                                       std::span<const std::uint8_t> kid);

/// Checks `document` against `signer`. Errors: TrustListUnsigned {source} (not a COSE_Sign1
/// array at all: plain JSON/text or a bare payload), TrustListMalformed {reason} (cut or
/// structurally wrong: "truncated", a field), TrustListUnknownSigner {kid hex} (another key),
/// TrustListSignatureInvalid. The signer certificate's validity is the caller's to check
/// (trustListSignerUsable) since only the caller knows the time.
core::Result<TrustLists> verifyTrustLists(std::span<const std::uint8_t> document, const PublicKey& signer,
                                          std::string_view source);

/// The signer may sign lists at `now` (Unix seconds): inside its certificate validity and, when
/// key usage is present, with digitalSignature. A bare public key is accepted (no validity).
/// Errors: TrustListSignerInvalid {kid hex}.
core::Result<void> trustListSignerUsable(const PublicKey& signer, std::int64_t now);

}  // namespace vd::crypto
