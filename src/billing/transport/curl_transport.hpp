#pragma once
/// \file
/// The production LotTransport: libcurl over HTTPS with mutual TLS (client key in a PEM file
/// or in a PKCS#11 token through the libp11 engine), an optional HTTP proxy, connect and
/// total timeouts and connection reuse (docs/formats/insurer-api.md). libcurl is included
/// only in src/billing/transport. Errors are the 800 block of core::Errc, classified by
/// isTransient() (lot_transport.hpp). The PIN is never logged nor put in an error.
///
/// Thread affinity: one transport per thread (it owns a curl easy handle).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/outbox/lot_transport.hpp"
#include "billing/transport/transport_config.hpp"
#include "core/date.hpp"
#include "core/nir.hpp"
#include "core/result.hpp"

namespace vd::billing {

/// Builds the transport. Errors: TransportConfig {what} (missing file, bad URL, no pkcs11
/// engine), never a network error (nothing is sent before the first call).
core::Result<std::unique_ptr<LotTransport>> makeCurlTransport(const TransportConfig& config);

/// Checks a TransportConfig::pinnedPublicKey: "sha256//" and the base64 of a SHA-256 (44
/// characters ending with '='), several joined by ';' (the insurer's current and next key);
/// empty = no pin. Errors: TlsPinnedKeyInvalid {the bad item}.
core::Result<void> checkPinnedPublicKey(std::string_view pins);

/// The configuration for the files `vitaledesk-sim pki server DIR` writes: ca.pem,
/// client.pem, client.key, arl-signer.pem.
TransportConfig transportConfigFromTlsDir(const std::filesystem::path& dir, std::string baseUrl);

/// One beneficiary's rights at a date, as the insurer's rights service (ADRi-like) answers.
struct RightsSnapshot {
  std::string asOf;             ///< YYYY-MM-DD: the date asked for
  bool amoOpen = false;         ///< base-scheme (AMO) rights open at that date
  std::string regime, caisse, centre;
  std::vector<std::string> exemptions;  ///< in force at that date: "ALD", "MAT"
  bool c2s = false;
  std::optional<std::string> amcOrganisation;  ///< complementary cover in force, if any
  bool amcTiersPayant = false;
};

/// POST /v1/rights for `nir` at `date`. Errors: the 800 block; RightsUnknownInsured when
/// the insurer does not know the person. The NIR is sent, never logged. One connection per
/// call (a TLS handshake each time): a desk keeps a RightsClient instead.
core::Result<RightsSnapshot> lookupRights(const TransportConfig& config, const core::Nir& nir, core::Date date);

/// The rights look-up with its connection kept open between patients (keep-alive: no new TLS
/// handshake per look-up; curl reconnects by itself when the server closed it). Thread
/// affinity: one thread (it owns a curl easy handle).
class RightsClient {
 public:
  /// Errors: TransportConfig (nothing is sent before the first look-up).
  static core::Result<std::unique_ptr<RightsClient>> make(const TransportConfig& config);
  ~RightsClient();
  RightsClient(const RightsClient&) = delete;
  RightsClient& operator=(const RightsClient&) = delete;
  /// As lookupRights.
  core::Result<RightsSnapshot> lookup(const core::Nir& nir, core::Date date);

 private:
  struct Impl;
  explicit RightsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

/// GET /v1/apcv/revocations: the insurer-signed trust lists as received (COSE_Sign1 bytes,
/// crypto/trust_list.hpp), NOT verified here: app::applyRevocations checks them against the
/// desk's trust-list signer before installing. Errors: the transport's, and those of
/// wire::parseSignedTrustLists (truncated, unsigned).
struct RevocationList {
  std::vector<std::uint8_t> document;
};
core::Result<RevocationList> fetchRevocations(const TransportConfig& config);

}  // namespace vd::billing
