#pragma once
/// \file
/// The simulator of the insurer network (docs/formats/insurer-api.md): an HTTPS server with
/// mutual TLS (Boost.Beast over Asio + OpenSSL, confined to insurer_server.cpp) that accepts
/// lots of signed FSE with idempotency, answers signed ARLs (positive and negative, with
/// reason codes, possibly delayed), rights look-ups and the ApCV revocation list, and keeps a
/// ledger of what it accepted so tests compare what was sent with what was received.
/// TEST AND DEMO ONLY: it is not the real SESAM-Vitale network.
///
/// Threading: start() runs the server on its own thread; every public member is thread-safe.
/// The destructor stops it and joins the thread. No patient data is ever logged.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace vd::sim {

struct InsurerServerOptions {
  std::filesystem::path tlsDir;               ///< from writeServerPki()
  std::string bindAddress = "127.0.0.1";
  std::uint16_t port = 0;                     ///< 0 = ephemeral
  /// downFor: refuses connections (listener closed) for this long after start.
  /// latency: delay before each answer. arlDelay: an ARL is ready this long after its lot.
  std::chrono::milliseconds downFor{0}, latency{0}, arlDelay{0};
  double failRate = 0, dropMidResponse = 0;   ///< probabilities 0..1 (fail = 503; drop = the
                                              ///< lot is processed, then the answer is cut)
  std::filesystem::path ledger;               ///< empty = memory only; else JSON-lines file, fsynced
  std::uint64_t seed = 0;
  /// PEM file of the certification authorities of the practitioners' FSE signing
  /// certificates; empty = tlsDir/ca.pem (`vitaledesk-sim pki practitioner --out` into the
  /// same folder, or before writeServerPki into it, shares that CA).
  std::filesystem::path practitionerCa;
  /// `apcv init` material whose trust-list signer key signs GET /v1/apcv/revocations (the lists
  /// of sim::kitTrustLists); empty = that endpoint answers 503 trust_lists_unavailable.
  std::filesystem::path apcvMaterial;
  /// What GET /v1/apcv/revocations serves, for tests: good (signed), unsigned (the old plain
  /// JSON lists), unknown-key (signed by a key nobody trusts), bad-signature (signed, then one
  /// list entry changed), truncated (the answer cut in the middle, as a download cut short).
  std::string trustListMode = "good";
  /// Sequence number of the served lists; 0 = the current Unix time (so it grows across
  /// restarts). A smaller number than a desk has installed is a replayed older list.
  std::uint64_t trustListSequence = 0;
};

/// The modes of InsurerServerOptions::trustListMode, in help order.
const std::vector<std::string>& trustListModes();

/// What the ledger holds (also after a restart with the same ledger file).
struct LedgerCounts {
  std::size_t lots = 0, fseAccepted = 0, fseRejected = 0, duplicatesIgnored = 0;
};

class InsurerServer {
 public:
  /// Loads the TLS material and the ledger, binds, and starts serving. Errors: SimServerStart
  /// {reason} (TLS files, bind), SimLedger {reason} (unreadable ledger).
  static core::Result<std::unique_ptr<InsurerServer>> start(const InsurerServerOptions&);
  ~InsurerServer();                 ///< stops cleanly, joins its thread(s)
  InsurerServer(const InsurerServer&) = delete;
  InsurerServer& operator=(const InsurerServer&) = delete;

  std::uint16_t port() const;
  void setOnline(bool online);      ///< demo "network off": connections are closed at once
  LedgerCounts counts() const;
  /// TCP connections accepted since start (tests check that clients keep connections alive).
  std::size_t connectionsAccepted() const;

  struct Impl;

 private:
  explicit InsurerServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

/// TEST-ONLY TLS material: CA, server cert (SAN IP:127.0.0.1, DNS:localhost, serverAuth), client cert+key
/// (clientAuth), ARL signer cert+key. Files: ca.pem server.pem server.key client.pem client.key arl-signer.pem
/// arl-signer.key (plus ca-key.pem, reused when present, like crypto/test_pki).
core::Result<void> writeServerPki(const std::filesystem::path& dir);

/// Counts of a ledger file (`vitaledesk-sim ledger FILE`). Errors: SimLedger.
core::Result<LedgerCounts> readLedgerCounts(const std::filesystem::path& ledger);

}  // namespace vd::sim
