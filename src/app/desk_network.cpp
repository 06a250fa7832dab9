#include "app/desk_network.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/desk_settings.hpp"
#include "app/local_time.hpp"
#include "app/task_runner.hpp"
#include "app/trust_refresh.hpp"
#include "billing/outbox/dispatcher.hpp"
#include "core/nir.hpp"
#include "billing/transport/curl_transport.hpp"
#include "sim/server/insurer_server.hpp"

namespace vd::app {

struct DeskNetwork::Impl {
  app::SystemClock clock;
  std::unique_ptr<sim::InsurerServer> server;
  sim::InsurerServerOptions serverOptions;  ///< to start it again on the same port
  std::mutex mutex;                         ///< guards `server` (network off/on)
  bool demo = false;
  std::unique_ptr<billing::Dispatcher> dispatcher;
  std::atomic<bool> online{true};
  billing::TransportConfig transport;
  EventSink* sink = nullptr;
  std::unique_ptr<TaskRunner> rights;  ///< the rights look-ups (network: never the UI's worker)
  std::unique_ptr<billing::RightsClient> rightsClient;  ///< `rights` thread only: one kept-alive connection
  // The trust lists' refresh (trust_refresh.hpp): its own thread, woken to stop.
  std::thread refresher;
  std::mutex refreshMutex;
  std::condition_variable refreshWake;
  bool refreshStop = false;

  void startTrustRefresh(const DeskPaths& paths);
  void stopTrustRefresh();
};

void DeskNetwork::Impl::startTrustRefresh(const DeskPaths& paths) {
  refresher = std::thread([this, apcv = paths.apcvTrustDir, card = paths.cardTrustDir] {
    std::unique_lock lock(refreshMutex);
    while (!refreshStop) {
      lock.unlock();
      auto list = billing::fetchRevocations(transport);
      auto applied = list ? applyRevocations(*list, apcv, card, clock.now())
                          : core::Result<TrustRefreshed>(core::fail(list.error()));
      if (applied) {
        sink->post(LogLine{"trust: lists refreshed from the insurer (" + std::to_string(applied->appInstances) +
                           " app instances, " + std::to_string(applied->cardSerials) + " cards in opposition, sequence " +
                           std::to_string(applied->sequence) + ")"});
      } else {
        sink->post(LogLine{"trust: refresh failed (" + std::string(core::errcId(applied.error().code)) +
                           "), previous lists kept"});
      }
      lock.lock();
      const auto wait = applied ? std::chrono::duration_cast<std::chrono::seconds>(kTrustRefreshEvery)
                                : std::chrono::duration_cast<std::chrono::seconds>(kTrustRefreshRetry);
      refreshWake.wait_for(lock, wait, [this] { return refreshStop; });
    }
  });
}

void DeskNetwork::Impl::stopTrustRefresh() {
  {
    const std::lock_guard lock(refreshMutex);
    refreshStop = true;
  }
  refreshWake.notify_all();
  if (refresher.joinable()) refresher.join();  // a fetch under way ends within the transport timeout
}

namespace {

billing::Dispatcher::Sink sinkFor(EventSink& sink, std::string device) {
  return [&sink, device](const billing::DispatchEvent& e) {
    using K = billing::DispatchEventKind;
    if (e.kind != K::Idle && e.kind != K::Stopped) {
      std::string line = "outbox: " + std::string(billing::dispatchEventName(e.kind));
      if (e.sheets > 0) line += " " + std::to_string(e.sheets);
      if (!e.errorCode.empty()) line += " (" + e.errorCode + ")";
      sink.post(LogLine{line});
    }
    sink.post(OutboxChanged{e});
    switch (e.kind) {
      case K::Online:
      case K::LotSent:
      case K::Acknowledged:
      case K::Rejected:
        sink.post(SourceChanged{Source::Network, SourceState::Present, device, std::nullopt});
        break;
      case K::Offline:
        sink.post(SourceChanged{Source::Network, SourceState::Error, device,
                                core::makeError(core::Errc::DeskNetworkOffline, {e.errorCode})});
        break;
      case K::Failed:
      case K::Held:
        sink.post(SourceChanged{Source::Network, SourceState::Error, device,
                                core::makeError(core::Errc::DeskOutboxProblem, {e.errorCode})});
        break;
      case K::Idle:
      case K::Stopped:
        break;
    }
  };
}

core::Result<std::unique_ptr<billing::Dispatcher>> startDispatcher(const billing::RegisterLocation& registerFile,
                                                                  const billing::TransportConfig& tc,
                                                                  const core::Clock& clock, EventSink& sink) {
  auto transport = billing::makeCurlTransport(tc);
  if (!transport) return core::fail(transport.error());
  billing::DispatcherConfig config;
  config.registerFile = registerFile;
  config.arlPollInterval = 2;  // the desk shows acknowledgements as they come
  auto d = std::make_unique<billing::Dispatcher>(config, std::move(*transport), clock, sinkFor(sink, tc.baseUrl));
  if (auto started = d->start(); !started) return core::fail(started.error());
  return d;
}

}  // namespace

DeskNetwork::DeskNetwork(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

DeskNetwork::~DeskNetwork() {
  m_impl->stopTrustRefresh();
  m_impl->rights.reset();  // joins a look-up in progress (bounded by the transport timeout)
  if (m_impl->dispatcher) m_impl->dispatcher->stop();
  m_impl->dispatcher.reset();
  m_impl->server.reset();
}

core::Result<std::unique_ptr<DeskNetwork>> DeskNetwork::startDemo(const DeskPaths& paths,
                                                                  const std::filesystem::path& practitionerCa,
                                                                  EventSink& sink) {
  auto impl = std::make_unique<Impl>();
  const std::filesystem::path tls = paths.dataDir / "tls";
  if (!std::filesystem::exists(tls / "client.key")) {
    if (auto w = sim::writeServerPki(tls); !w) return core::fail(w.error());
  }
  sim::InsurerServerOptions options;
  options.tlsDir = tls;
  options.ledger = paths.dataDir / "insurer-ledger.jsonl";
  options.practitionerCa = practitionerCa;
  options.apcvMaterial = paths.dataDir / "apcv";  // the demo material's trust-list key signs the lists
  auto server = sim::InsurerServer::start(options);
  if (!server) return core::fail(server.error());
  impl->server = std::move(*server);
  impl->serverOptions = options;
  impl->serverOptions.port = impl->server->port();
  impl->demo = true;
  const std::string url = "https://127.0.0.1:" + std::to_string(impl->server->port());
  impl->transport = billing::transportConfigFromTlsDir(tls, url);
  impl->transport.totalTimeout = std::chrono::milliseconds(5000);
  return startWith(std::move(impl), paths, sink);
}

core::Result<std::unique_ptr<DeskNetwork>> DeskNetwork::start(const DeskPaths& paths, EventSink& sink) {
  auto impl = std::make_unique<Impl>();
  impl->transport = billing::transportConfigFromTlsDir(paths.tlsDir, paths.serverUrl);
  if (!paths.tlsClientKey.empty()) impl->transport.clientKey = paths.tlsClientKey;
  if (!paths.tlsClientCert.empty()) impl->transport.clientCertFile = paths.tlsClientCert;
  impl->transport.pkcs11Module = paths.tlsPkcs11Module.empty() ? kDefaultPkcs11Module : paths.tlsPkcs11Module;
  impl->transport.pinnedPublicKey = paths.tlsPinnedKey;
  return startWith(std::move(impl), paths, sink);
}

core::Result<std::unique_ptr<DeskNetwork>> DeskNetwork::startWith(std::unique_ptr<Impl> impl, const DeskPaths& paths,
                                                                   EventSink& sink) {
  impl->sink = &sink;
  auto d = startDispatcher(paths.registerLocation(), impl->transport, impl->clock, sink);
  if (!d) return core::fail(d.error());
  impl->dispatcher = std::move(*d);
  impl->startTrustRefresh(paths);
  return std::unique_ptr<DeskNetwork>(new DeskNetwork(std::move(impl)));
}

void DeskNetwork::refreshRights(std::int64_t readAt, std::string nir, core::Date date) {
  if (!m_impl->rights) m_impl->rights = std::make_unique<TaskRunner>();
  Impl* impl = m_impl.get();
  m_impl->rights->post([impl, readAt, nir = std::move(nir), date] {
    RightsRefreshed r;
    r.readAt = readAt;
    auto parsed = core::Nir::parse(nir);
    if (!parsed) {
      r.error = parsed.error();
      impl->sink->post(r);
      return;
    }
    if (!impl->rightsClient) {
      auto client = billing::RightsClient::make(impl->transport);
      if (!client) {
        r.error = client.error();
        impl->sink->post(r);
        return;
      }
      impl->rightsClient = std::move(*client);
    }
    auto answer = impl->rightsClient->lookup(*parsed, date);
    const std::int64_t now = impl->clock.now();
    r.rights.at = core::utcDate(now).iso() + " " + std::to_string(now % 86400 / 3600 / 10) +
           std::to_string(now % 86400 / 3600 % 10) + ":" + std::to_string(now % 3600 / 60 / 10) +
           std::to_string(now % 3600 / 60 % 10) + " UTC";
    if (!answer) {
      r.error = answer.error();
    } else {
      OnlineRights& o = r.rights;
      o.asOf = answer->asOf.empty() ? date.iso() : answer->asOf;
      o.amoOpen = answer->amoOpen;
      o.regime = answer->regime;
      o.caisse = answer->caisse;
      o.centre = answer->centre;
      o.exemptions = answer->exemptions;
      o.c2s = answer->c2s;
      o.amcOrganisation = answer->amcOrganisation;
      o.amcTiersPayant = answer->amcTiersPayant;
    }
    impl->sink->post(r);
  });
}

void DeskNetwork::sendNow() {
  if (m_impl->dispatcher) m_impl->dispatcher->sendNow();
}

core::Result<void> DeskNetwork::setSimulatedOnline(bool online) {
  if (!m_impl->demo) return {};
  {
    // "Network off" stops the simulator (connections refused, as when a link is down), "on"
    // starts it again on the same port with the same ledger: the dispatcher's transient-error
    // path (deferred, probing) is what the newcomer sees.
    std::lock_guard lock(m_impl->mutex);
    m_impl->online = online;
    if (!online) {
      m_impl->server.reset();
    } else if (!m_impl->server) {
      auto server = sim::InsurerServer::start(m_impl->serverOptions);
      if (!server) {
        m_impl->online = false;  // still down: say so, the user may try again
        return core::fail(server.error());
      }
      m_impl->server = std::move(*server);
    }
  }
  if (online) sendNow();
  return {};
}

bool DeskNetwork::hasSimulator() const { return m_impl->demo; }
bool DeskNetwork::simulatedOnline() const { return m_impl->online; }

}  // namespace vd::app
