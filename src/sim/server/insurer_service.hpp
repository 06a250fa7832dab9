#pragma once
/// \file
/// What the simulated insurer network answers, independent of HTTP plumbing: one request in,
/// one response out (docs/formats/insurer-api.md). insurer_server.cpp feeds it from Beast.
/// Thread-safe: signatures are checked in parallel, ledger decisions under one mutex.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "billing/transport/insurer_wire.hpp"
#include "crypto/cms.hpp"
#include "sim/server/insurer_ledger.hpp"
#include "sim/server/insurer_server.hpp"

namespace vd::sim {

struct ServiceRequest {
  std::string method;          ///< "GET", "POST"
  std::string target;          ///< path (a query string is ignored)
  std::string idempotencyKey;  ///< the Idempotency-Key header
  std::string body;
};

struct ServiceResponse {
  int status = 200;
  std::string body;               ///< JSON
  std::optional<int> retryAfter;  ///< seconds (202 and 503)
};

class InsurerService {
 public:
  /// Loads the ARL signer, the practitioner trust and the ledger from the options.
  /// Errors: SimServerStart {file}, SimLedger.
  static core::Result<std::unique_ptr<InsurerService>> open(const InsurerServerOptions& options);

  ServiceResponse handle(const ServiceRequest& request);
  LedgerCounts counts() const;

 private:
  InsurerService(crypto::SigningKey arlKey, crypto::X509Cert arlCert, std::vector<crypto::X509Cert> anchors,
                 InsurerLedger ledger, std::chrono::milliseconds arlDelay, InsurerServerOptions trustLists);
  ServiceResponse postLot(const ServiceRequest& request);
  ServiceResponse getArl(const std::string& lotId);
  ServiceResponse postRights(const ServiceRequest& request);
  ServiceResponse getRevocations();
  /// What the content alone decides (signature, reference, validity, care dates).
  LedgerEntry examine(const billing::wire::LotMemberRequest& member) const;
  ServiceResponse receipt(const LedgerLot& lot, bool duplicate, int status);

  mutable std::mutex m_mutex;
  crypto::SigningKey m_arlKey;
  crypto::X509Cert m_arlCert;
  std::vector<crypto::X509Cert> m_anchors;
  InsurerLedger m_ledger;
  std::chrono::milliseconds m_arlDelay;
  InsurerServerOptions m_trustLists;  ///< apcvMaterial, trustListMode, trustListSequence (fixed at open)
  /// The signed document of a good list, made at the first request and served as is after (a
  /// real insurer publishes one document per sequence number; ECDSA signatures differ each time).
  std::optional<std::vector<std::uint8_t>> m_trustListDocument;
};

/// Every certificate of a PEM file (a bundle). Errors: FileUnreadable, CertificateUnreadable.
core::Result<std::vector<crypto::X509Cert>> readCertificates(const std::filesystem::path& file);

}  // namespace vd::sim
