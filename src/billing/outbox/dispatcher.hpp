#pragma once
/// \file
/// The dispatcher: the worker that empties the outbox into the insurer network
/// (docs/outbox.md, "Dispatcher"). It owns its Outbox (opened on its own thread: one Outbox
/// per thread) and its LotTransport, and loops: claim a lot per destination, send it, apply
/// the receipt (markSent, then the ARL lines when the ARL came with it), poll the ARLs of the
/// lots still waiting, and from time to time expire leases and queue again the sheets whose
/// ARL is late (R161-47). A transient failure (network, timeout, 5xx) takes it Offline: it
/// then probes with the retry policy's backoff (one real lot per probe) and, on success,
/// goes back Online and drains the deferred sheets at once. A permanent failure (4xx,
/// functional reject) holds the lot's sheets for a human.
///
/// Only one dispatcher per register at a time: it holds an exclusive lock on
/// `<register>.dispatch` (flock, released by the kernel if the process dies), so at start
/// every `sending` row is a dead sender's and goes straight back to `pending`.
///
/// Time comes from the injected core::Clock (tests use core::FixedClock and call runOnce()); waits are on
/// a condition variable, stop() sets a flag: no thread is ever killed. Events carry counts,
/// lot ids and error codes only — never patient data.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "billing/outbox/lot_transport.hpp"
#include "billing/outbox/outbox.hpp"
#include "billing/outbox/retry_policy.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/working_days.hpp"

namespace vd::billing {

enum class DispatchEventKind {
  Online,        ///< the network answered (first contact, or recovery after an outage)
  Offline,       ///< a transient failure: the lot is deferred, probing with backoff (`nextProbeAt`)
  LotSent,       ///< a lot was accepted (`sheets` members, now awaiting their ARL)
  Acknowledged,  ///< positive ARL lines applied (`sheets`)
  Rejected,      ///< negative ARL lines applied (`sheets`; reason codes are in the queue)
  Held,          ///< a permanent failure held a lot's sheets (`sheets`, `errorCode`)
  Idle,          ///< a pass ended: nothing due now, or the in-flight bound is reached
  Failed,        ///< the register could not be read or written (`errorCode`); retried after backoff
  Stopped,       ///< the worker ended (stop()): nothing is left `sending`
};
std::string_view dispatchEventName(DispatchEventKind kind);

/// Sheets per outbox state.
struct QueueCounts {
  int pending = 0, sending = 0, deferred = 0, awaitingArl = 0, acknowledged = 0, rejected = 0, held = 0,
      quarantined = 0;
  static QueueCounts from(const std::map<std::string, int>& byState);
  friend bool operator==(const QueueCounts&, const QueueCounts&) = default;
};

struct DispatchEvent {
  DispatchEventKind kind = DispatchEventKind::Idle;
  QueueCounts counts;             ///< after the change
  int sheets = 0;                 ///< sheets concerned by this event (LotSent, Acknowledged, Rejected, Held)
  int inFlight = 0;               ///< lots sent and still waiting for their ARL
  std::string lotId;              ///< random lot id, or empty
  std::string errorCode;          ///< core::errcId of the failure (Offline, Held, Failed)
  std::optional<core::Error> error;  ///< that failure (codes and hosts, never patient data)
  core::UnixSeconds at = 0;
  std::optional<core::UnixSeconds> nextProbeAt;  ///< Offline: when the network is tried again
};

struct DispatcherConfig {
  RegisterLocation registerFile;  ///< the database (and where its data key lives)
  std::size_t lotSize = 50;  ///< sheets per lot (per destination)
  /// In-flight bound: at most this many lots sent and not yet settled by their ARL. When it is
  /// reached the dispatcher sends nothing more and only polls ARLs; a lot whose ARL is past
  /// R161-47's 2 working days is queued again (retransmitMissingArl) and frees its slot.
  std::size_t maxInFlight = 16;
  core::UnixSeconds arlPollInterval = 60;       ///< seconds between ARL polls of waiting lots
  core::UnixSeconds maintenanceInterval = 300;  ///< seconds between expireLeases + retransmitMissingArl
  RetryPolicy policy;                     ///< lease, and the probe backoff while Offline
  core::Region region = core::Region::Metropole;
  /// Which transport errors are worth retrying; defaults to billing::isTransient.
  std::function<bool(const core::Error&)> transient;
};

/// What one pass did (runOnce), for tests and the CLI.
struct PassReport {
  int lotsSent = 0;
  int sheetsSent = 0;
  int acknowledged = 0;
  int rejected = 0;
  int held = 0;
  bool offline = false;
  core::UnixSeconds nextWake = 0;  ///< core::Clock time of the next pass when nothing wakes it earlier
};

class Dispatcher {
 public:
  /// Called on the worker thread; must not block (the wx adapter posts with CallAfter).
  using Sink = std::function<void(const DispatchEvent&)>;

  /// `rng` (probe backoff and outbox retries) may be null: a system source.
  Dispatcher(DispatcherConfig config, std::unique_ptr<LotTransport> transport, const core::Clock& clock, Sink sink,
             RandomSource* rng = nullptr);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;
  ~Dispatcher();  ///< stop()

  /// Starts the worker: takes the dispatch lock, opens the outbox on the worker thread and
  /// returns its error (OutboxDispatcherBusy, FseStore, …) if that failed. The first pass
  /// treats deferred sheets as due (as sendNow()).
  core::Result<void> start();
  /// Wakes the worker at once; deferred sheets are due whatever their retry time, and an
  /// Offline worker probes now.
  void sendNow();
  /// Asks the worker to stop and joins it: the request in progress finishes (bounded by the
  /// transport timeout) and is applied; a lot claimed but not sent goes back to `pending`.
  void stop();
  bool running() const;

  /// Synchronous use without start() (tests, benchmarks): one pass on the calling thread,
  /// which then owns the outbox. The first call takes the lock. `force` = sendNow().
  core::Result<PassReport> runOnce(bool force = false);
  /// Asks a running pass to stop after its current request (for runOnce callers on another thread).
  void requestStop();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace vd::billing
