#pragma once
/// \file
/// The desk's link to the insurer network: the outbox dispatcher (billing/outbox/dispatcher)
/// over the libcurl transport, reporting through the one EventSink (OutboxChanged, the
/// network source's state, log lines without patient data). In the demo mode it also runs
/// the simulator's insurer server in-process on loopback with TEST-ONLY TLS material, and
/// "network off/on" switches that server. It also keeps the trust lists current: at start and
/// every 6 hours it fetches the insurer's revocations into the ApCV and card trust folders
/// (trust_refresh.hpp), on its own thread; a failure is logged and retried after 15 minutes.
///
/// Starting binds a port, opens SQLite and takes the dispatch lock: call `start*` on a worker,
/// never on the UI thread. The other members are thread-safe and do not block.

#include <filesystem>
#include <memory>

#include "app/desk_config.hpp"
#include "app/event_sink.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace vd::app {

class DeskNetwork {
 public:
  /// Demo: TLS material in `paths.dataDir/tls` (made once), the insurer simulator on an
  /// ephemeral loopback port (its ledger in the same folder), the dispatcher on
  /// `paths.registerFile`. The practitioner's CA (`practitionerCa`) is the one the server
  /// trusts for FSE signatures. Errors: SimServerStart, TransportConfig, outbox errors.
  static core::Result<std::unique_ptr<DeskNetwork>> startDemo(const DeskPaths& paths,
                                                              const std::filesystem::path& practitionerCa,
                                                              EventSink& sink);
  /// Production: the dispatcher on `paths.registerFile` towards `paths.serverUrl` with the
  /// client material of `paths.tlsDir`.
  static core::Result<std::unique_ptr<DeskNetwork>> start(const DeskPaths& paths, EventSink& sink);

  ~DeskNetwork();  ///< stops the dispatcher, then the server
  DeskNetwork(const DeskNetwork&) = delete;
  DeskNetwork& operator=(const DeskNetwork&) = delete;

  /// Looks up the rights of the insured person `nir` at `date` online, on the network's own
  /// worker, and posts RightsRefreshed{readAt, …} (never blocks; the NIR is sent, not logged).
  void refreshRights(std::int64_t readAt, std::string nir, core::Date date);

  /// Sends what is due now (after an FSE was queued, or "send now").
  void sendNow();
  /// Demo only: the simulated network goes down (the simulator stops: connections refused) /
  /// comes back (started again on the same port, then the queue drains at once). Blocks for
  /// the simulator's start or stop (milliseconds): call it on a worker. Errors: SimServerStart
  /// (the port was taken meanwhile; the network stays off).
  core::Result<void> setSimulatedOnline(bool online);
  bool hasSimulator() const;
  bool simulatedOnline() const;

  struct Impl;

 private:
  explicit DeskNetwork(std::unique_ptr<Impl> impl);
  /// Both starts end here: the dispatcher on `paths.registerFile`, then the trust refresh.
  static core::Result<std::unique_ptr<DeskNetwork>> startWith(std::unique_ptr<Impl> impl, const DeskPaths& paths,
                                                              EventSink& sink);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace vd::app
