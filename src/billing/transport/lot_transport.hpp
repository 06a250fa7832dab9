#pragma once
/// \file
/// The port between the outbox dispatcher and the insurer network (docs/formats/insurer-api.md).
/// The production adapter is the libcurl mutual-TLS client (curl_transport.hpp); unit tests of
/// the dispatcher use an in-memory fake. Errors are values in the 800 block of core::Errc;
/// `isTransient()` says whether the dispatcher retries (network, timeout, 5xx) or holds the
/// sheet for a human (4xx, functional reject, bad server answer).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/outbox/outbox.hpp"
#include "core/result.hpp"

namespace vd::billing {

/// One care sheet's line of an ARL (accusé de réception logique).
struct ArlEntry {
  FseRef ref;
  bool accepted = false;
  std::string reasonCode;  ///< empty when accepted; a code, never patient data
};

/// A signed per-lot acknowledgement, already verified against the insurer trust by the transport.
struct Arl {
  std::string lotId;
  std::vector<ArlEntry> entries;
};

/// What the network answered to one lot POST.
struct LotReceipt {
  std::string lotId;
  bool duplicate = false;   ///< the server already had this lot (same idempotency key): not counted twice
  std::optional<Arl> arl;   ///< present when the ARL came with the response; else poll later
};

/// Where and how to reach the insurer network. Paths, never key material in memory longer than needed.
struct TransportConfig {
  std::string baseUrl;          ///< e.g. https://127.0.0.1:8443
  std::string caFile;           ///< the ONLY trust anchors for the server certificate: the system
                                ///< store (CA path, bundle, SSL_CERT_DIR/SSL_CERT_FILE) is never used
  std::string clientCertFile;   ///< PEM client certificate (mutual TLS)
  std::string clientKey;        ///< PEM key file path, or a pkcs11: URI (then `pkcs11Module` is used)
  std::string pkcs11Module;     ///< e.g. /usr/lib/softhsm/libsofthsm2.so (only for a pkcs11: key)
  std::string pin;              ///< PKCS#11 PIN for this process only; never written anywhere
  std::string pinnedPublicKey;  ///< "sha256//<base64>[;sha256//…]" of the server key; empty = no pin
  std::string proxy;            ///< e.g. http://proxy:3128; empty = none (CURLOPT_PROXY)
  std::string arlTrustFile;     ///< certificate of the key that signs ARLs
  std::chrono::milliseconds connectTimeout{5000};
  std::chrono::milliseconds totalTimeout{30000};
};

class LotTransport {
 public:
  virtual ~LotTransport() = default;
  /// POSTs a lot (its idempotency key and its members' keys travel with it).
  virtual core::Result<LotReceipt> sendLot(const Lot& lot) = 0;
  /// Asks for the ARL of a lot sent earlier; nullopt while the insurer has not produced it.
  virtual core::Result<std::optional<Arl>> fetchArl(std::string_view lotId) = 0;
};

/// True for errors worth retrying later (network down, refused, reset, timeout, 5xx, 429).
bool isTransient(const core::Error& e);

}  // namespace vd::billing
