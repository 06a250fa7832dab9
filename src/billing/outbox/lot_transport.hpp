#pragma once
/// \file
/// The port between the outbox dispatcher and the insurer network (docs/formats/insurer-api.md),
/// owned by the outbox: `billing/transport` implements it and includes this header, the outbox
/// never includes `billing/transport` (tests/check_includes.cmake), so the two do not depend on
/// each other. The production adapter is the libcurl mutual-TLS client
/// (transport/curl_transport.hpp, configured by transport/transport_config.hpp); unit tests of
/// the dispatcher use an in-memory fake. Errors are values in the 800 block of core::Errc;
/// `isTransient()` says whether the dispatcher retries (network, timeout, 5xx) or holds the
/// sheet for a human (4xx, functional reject, bad server answer).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/outbox/outbox.hpp"
#include "core/error.hpp"
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

class LotTransport {
 public:
  virtual ~LotTransport() = default;
  /// POSTs a lot (its idempotency key and its members' keys travel with it).
  virtual core::Result<LotReceipt> sendLot(const Lot& lot) = 0;
  /// Asks for the ARL of a lot sent earlier; nullopt while the insurer has not produced it.
  virtual core::Result<std::optional<Arl>> fetchArl(std::string_view lotId) = 0;
};

/// True for errors worth retrying later (network down, refused, reset, timeout, 5xx, 429).
inline bool isTransient(const core::Error& e) {
  return e.code == core::Errc::TransportNetwork || e.code == core::Errc::TransportTimeout ||
         e.code == core::Errc::TransportServerBusy;
}

}  // namespace vd::billing
