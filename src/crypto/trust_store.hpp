#pragma once
/// \file
/// Trust material for signed tokens: issuer (insurer) keys, revocation lists and the date the
/// material was produced. Loaded once from a directory (docs/formats/apcv-token.md §6):
///
///   DIR/issuers/*.pem            X.509 certificates or bare public keys (PEM) of the issuers
///   DIR/revoked-app-instances.txt   one app-instance id a line, '#' comments, blank lines ignored
///   (cards in opposition: the card trust folder's opposition.txt, vitale_card_reader.hpp)
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

namespace vd::crypto {

class TrustStore {
 public:
  /// Loads DIR. Errors: TrustStoreMissing (no DIR or no DIR/issuers), TrustStoreInvalid (an
  /// unreadable certificate, an over-long list line, a bad trust.json).
  static core::Result<TrustStore> load(const std::filesystem::path& dir);

  /// Builds a store in memory (tests).
  static TrustStore fromKeys(std::vector<PublicKey> issuers, std::set<std::string, std::less<>> revokedAppInstances = {},
                             std::optional<core::Date> issuedAt = std::nullopt);

  /// The issuer key with this kid (8 bytes, see keys.hpp), if any.
  std::optional<PublicKey> issuerByKid(std::span<const std::uint8_t> kid) const;
  bool isAppInstanceRevoked(std::string_view appInstanceId) const;
  std::size_t issuerCount() const { return m_issuers.size(); }
  std::size_t revokedAppInstanceCount() const { return m_revokedApps.size(); }
  /// When the material was produced (trust.json), if stated.
  std::optional<core::Date> issuedAt() const { return m_issuedAt; }
  /// "Trust material is N days old" at `today`; nullopt when issued_at is unknown.
  std::optional<int> ageInDays(core::Date today) const;

 private:
  std::vector<PublicKey> m_issuers;
  std::set<std::string, std::less<>> m_revokedApps;
  std::optional<core::Date> m_issuedAt;
};

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
