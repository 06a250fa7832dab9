#pragma once
/// \file
/// Trust material for signed tokens: issuer (insurer) keys, revocation lists and the date the
/// material was produced. Loaded once from a directory (docs/formats/apcv-token.md §6):
///
///   DIR/issuers/*.pem            X.509 certificates or bare public keys (PEM) of the issuers
///   DIR/trust-list-signer.pem    the insurer's trust-list signing certificate (the anchor of
///                                the signed lists, installed with the issuers)
///   DIR/trust-lists.cose         the insurer-signed trust lists (trust_list.hpp): revoked app
///                                instances, cards in opposition, revoked issuer kids, the
///                                material's day and sequence number — installed as one file
///
/// When trust-lists.cose is present it is the ONLY source of lists: it must verify against
/// trust-list-signer.pem, and the unsigned files below are ignored. Without it (a folder made by
/// hand by an administrator, older material) the unsigned local files are read:
///   DIR/revoked-app-instances.txt   one app-instance id a line, '#' comments, blank lines ignored
///   DIR/trust.json               {"issued_at": "YYYY-MM-DD"} — when the material was produced
///
/// Only the issuers/ folder is required. Immutable after loading: safe to share between threads.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "crypto/keys.hpp"
#include "crypto/trust_list.hpp"

namespace vd::crypto {

class TrustStore {
 public:
  /// Loads DIR. Errors: TrustStoreMissing (no DIR or no DIR/issuers), TrustStoreInvalid (an
  /// unreadable certificate, an over-long list line, a bad trust.json), TrustListSignerMissing
  /// (trust-lists.cose without its signer certificate), those of verifyTrustLists.
  static core::Result<TrustStore> load(const std::filesystem::path& dir);
  /// The same store with `lists` in place of its revocation lists and date (tests, fuzzing).
  TrustStore withLists(const TrustLists& lists) const;

  /// Builds a store in memory (tests).
  static TrustStore fromKeys(std::vector<PublicKey> issuers, std::set<std::string, std::less<>> revokedAppInstances = {},
                             std::optional<core::Date> issuedAt = std::nullopt);

  /// The issuer key with this kid (8 bytes, see keys.hpp), if any.
  std::optional<PublicKey> issuerByKid(std::span<const std::uint8_t> kid) const;
  /// The issuer key with this kid, if it may vouch for a credential presented at `at` (Unix
  /// seconds): known (ApcvUnknownIssuer {kid hex}), not revoked by the signed lists
  /// (ApcvIssuerRevoked {kid hex}), key usage allowing digitalSignature when the certificate
  /// has the extension (ApcvIssuerKeyUsage {kid hex}), `at` inside the certificate's
  /// notBefore..notAfter (ApcvIssuerNotYetValid / ApcvIssuerExpired {kid hex, day}). A bare
  /// public key has no validity or usage to check.
  core::Result<PublicKey> issuerAt(std::span<const std::uint8_t> kid, std::int64_t at) const;
  bool isIssuerRevoked(std::span<const std::uint8_t> kid) const;
  bool isAppInstanceRevoked(std::string_view appInstanceId) const;
  /// The signed lists' sequence number; nullopt when the lists are the unsigned local files.
  std::optional<std::uint64_t> sequence() const { return m_sequence; }
  std::size_t revokedIssuerCount() const { return m_revokedIssuers.size(); }
  std::size_t issuerCount() const { return m_issuers.size(); }
  std::size_t revokedAppInstanceCount() const { return m_revokedApps.size(); }
  /// When the material was produced (trust.json), if stated.
  std::optional<core::Date> issuedAt() const { return m_issuedAt; }
  /// "Trust material is N days old" at `today`; nullopt when issued_at is unknown.
  std::optional<int> ageInDays(core::Date today) const;

 private:
  std::vector<PublicKey> m_issuers;
  std::set<std::string, std::less<>> m_revokedApps;
  std::set<std::vector<std::uint8_t>> m_revokedIssuers;
  std::optional<core::Date> m_issuedAt;
  std::optional<std::uint64_t> m_sequence;
};

/// Reads and checks DIR/trust-lists.cose against DIR/trust-list-signer.pem; nullopt when the
/// folder has no signed lists. Errors: as TrustStore::load.
core::Result<std::optional<TrustLists>> loadSignedTrustLists(const std::filesystem::path& dir);
/// DIR/trust-list-signer.pem. Errors: TrustListSignerMissing {dir}, TrustStoreInvalid.
core::Result<PublicKey> loadTrustListSigner(const std::filesystem::path& dir);

/// Parses a revocation list: one entry a line, text after '#' ignored, spaces trimmed, blank
/// lines skipped; an entry longer than 128 bytes is TrustStoreInvalid.
core::Result<std::set<std::string, std::less<>>> parseRevocationList(std::string_view text);

/// Parses trust.json (one flat object; only "issued_at": "YYYY-MM-DD" is read). Errors:
/// TrustStoreInvalid {"trust.json: issued_at"}.
core::Result<core::Date> parseIssuedAt(std::string_view json);

/// PEM of a trust anchor as the store loads it: "CERTIFICATE" when the key carries its X.509
/// certificate (the kid is then the certificate's), else "PUBLIC KEY".
std::string trustAnchorPem(const PublicKey& key);

}  // namespace vd::crypto
