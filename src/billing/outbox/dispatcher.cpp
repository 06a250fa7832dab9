#include "billing/outbox/dispatcher.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace vd::billing {

std::string_view dispatchEventName(DispatchEventKind kind) {
  switch (kind) {
    case DispatchEventKind::Online: return "online";
    case DispatchEventKind::Offline: return "offline";
    case DispatchEventKind::LotSent: return "lot_sent";
    case DispatchEventKind::Acknowledged: return "acknowledged";
    case DispatchEventKind::Rejected: return "rejected";
    case DispatchEventKind::Held: return "held";
    case DispatchEventKind::Idle: return "idle";
    case DispatchEventKind::Failed: return "failed";
    case DispatchEventKind::Stopped: return "stopped";
  }
  return "?";
}

QueueCounts QueueCounts::from(const std::map<std::string, int>& byState) {
  auto get = [&](const char* s) {
    const auto it = byState.find(s);
    return it == byState.end() ? 0 : it->second;
  };
  QueueCounts c;
  c.pending = get("pending");
  c.sending = get("sending");
  c.deferred = get("deferred");
  c.awaitingArl = get("awaiting_arl");
  c.acknowledged = get("acknowledged");
  c.rejected = get("rejected");
  c.held = get("held");
  c.quarantined = get("quarantined");
  return c;
}

namespace {

/// Lots claimed ahead in one round (then sent one after the other).
constexpr std::size_t kLotsPerRound = 4;

/// The exclusive dispatch lock `<register>.dispatch` (flock: the kernel drops it when the
/// process dies, so a crashed sender never blocks the next one).
class DispatchLock {
 public:
  DispatchLock() = default;
  DispatchLock(const DispatchLock&) = delete;
  DispatchLock& operator=(const DispatchLock&) = delete;
  ~DispatchLock() { release(); }
  void release() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }
  core::Result<void> acquire(const std::filesystem::path& registerFile) {
    if (m_fd >= 0) return {};
    const std::string path = registerFile.string() + ".dispatch";
    std::error_code ec;
    if (registerFile.has_parent_path()) std::filesystem::create_directories(registerFile.parent_path(), ec);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return core::fail(core::Errc::FseStore, {path + ": " + core::errnoName(errno)});
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) return core::fail(core::Errc::OutboxDispatcherBusy, {path});
      return core::fail(core::Errc::FseStore, {path + ": " + core::errnoName(err)});
    }
    m_fd = fd;
    return {};
  }

 private:
  int m_fd = -1;
};

}  // namespace

struct Dispatcher::Impl {
  DispatcherConfig config;
  std::unique_ptr<LotTransport> transport;
  const core::Clock& clock;
  Sink sink;
  RandomSource* rng = nullptr;
  std::unique_ptr<RandomSource> ownRng;

  // Worker state (touched by the thread that runs the passes only).
  DispatchLock lock;
  std::optional<Outbox> outbox;
  enum class Link { Unknown, Online, Offline } link = Link::Unknown;
  int probeAttempt = 0;
  core::UnixSeconds probeAt = 0;
  core::UnixSeconds nextArlPoll = 0;
  core::UnixSeconds nextMaintenance = 0;
  int storageAttempt = 0;
  core::UnixSeconds storageRetryAt = 0;
  bool drainDeferred = true;  // the first pass sends deferred sheets at once
  int requests = 0;           // network requests made in the current pass

  // Shared with the controlling thread.
  std::mutex mu;
  std::condition_variable cv;
  bool wake = false;
  std::atomic<bool> stopFlag{false};
  std::atomic<bool> forceFlag{true};
  std::thread worker;

  Impl(DispatcherConfig c, std::unique_ptr<LotTransport> t, const core::Clock& cl, Sink s, RandomSource* r)
      : config(std::move(c)), transport(std::move(t)), clock(cl), sink(std::move(s)), rng(r) {
    if (!rng) {
      ownRng = std::make_unique<StdRandomSource>();
      rng = ownRng.get();
    }
    if (!config.transient) config.transient = [](const core::Error& e) { return isTransient(e); };
    config.lotSize = std::max<std::size_t>(config.lotSize, 1);
    config.maxInFlight = std::max<std::size_t>(config.maxInFlight, 1);
  }

  bool stopping() const { return stopFlag.load(); }

  core::Result<void> prepare() {
    if (outbox) return {};
    if (auto l = lock.acquire(config.registerFile.file); !l) return l;
    auto o = Outbox::open(config.registerFile, clock, config.policy, rng, config.region);
    if (!o) {
      lock.release();
      return core::fail(o.error());
    }
    // We hold the lock: any `sending` row is a dead sender's.
    if (auto r = o->releaseOrphanedClaims(); !r) {
      lock.release();
      return core::fail(r.error());
    }
    outbox = std::move(*o);
    return {};
  }

  QueueCounts counts() {
    if (!outbox) return {};
    auto c = outbox->countByState();
    return c ? QueueCounts::from(*c) : QueueCounts{};
  }
  int inFlight() {
    if (!outbox) return 0;
    auto lots = outbox->lotsAwaitingArl();
    return lots ? static_cast<int>(lots->size()) : 0;
  }

  void emit(DispatchEventKind kind, int sheets = 0, std::string lotId = {}, const core::Error* error = nullptr) {
    if (!sink) return;
    DispatchEvent e;
    e.kind = kind;
    e.counts = counts();
    e.sheets = sheets;
    e.inFlight = inFlight();
    e.lotId = std::move(lotId);
    if (error) {
      e.errorCode = std::string(core::errcId(error->code));
      e.error = *error;
    }
    e.at = clock.now();
    if (kind == DispatchEventKind::Offline) e.nextProbeAt = probeAt;
    sink(e);
  }

  /// A storage error: report it and retry the pass after the policy's backoff.
  core::Failure storageFailed(const core::Error& e, PassReport& report) {
    ++storageAttempt;
    storageRetryAt = clock.now() + config.policy.delay(storageAttempt, *rng);
    report.nextWake = storageRetryAt;
    emit(DispatchEventKind::Failed, 0, {}, &e);
    return core::fail(e);
  }

  void wentOnline() {
    if (link != Link::Online) {
      const bool recovered = link == Link::Offline;
      link = Link::Online;
      probeAttempt = 0;
      if (recovered) drainDeferred = true;  // recovery: every deferred sheet is due now
      emit(DispatchEventKind::Online);
    }
  }

  void wentOffline(const core::Error& e, PassReport& report) {
    ++probeAttempt;
    probeAt = clock.now() + config.policy.delay(probeAttempt, *rng);
    report.offline = true;
    const bool changed = link != Link::Offline;
    link = Link::Offline;
    if (changed) emit(DispatchEventKind::Offline, 0, {}, &e);
  }

  /// Applies an ARL (unknown or duplicate lines change nothing).
  core::Result<void> apply(const Arl& arl, PassReport& report) {
    std::vector<Settlement> lines;
    lines.reserve(arl.entries.size());
    for (const auto& entry : arl.entries) lines.push_back(Settlement{entry.ref, entry.accepted, entry.reasonCode});
    auto r = outbox->settle(lines);
    if (!r) return core::fail(r.error());
    report.acknowledged += r->acknowledged;
    report.rejected += r->rejected;
    if (r->acknowledged > 0) emit(DispatchEventKind::Acknowledged, r->acknowledged, arl.lotId);
    if (r->rejected > 0) emit(DispatchEventKind::Rejected, r->rejected, arl.lotId);
    return {};
  }

  /// Polls the ARLs of the waiting lots. False when the network failed (now Offline).
  core::Result<bool> pollArls(PassReport& report) {
    auto lots = outbox->lotsAwaitingArl();
    if (!lots) return core::fail(lots.error());
    for (const auto& lotId : *lots) {
      if (stopping()) break;
      ++requests;
      auto arl = transport->fetchArl(lotId);
      if (!arl) {
        if (config.transient(arl.error())) {
          wentOffline(arl.error(), report);
          return false;
        }
        continue;  // e.g. unknown lot: the ARL deadline will queue its sheets again
      }
      wentOnline();
      if (*arl)
        if (auto a = apply(**arl, report); !a) return core::fail(a.error());
    }
    return true;
  }

  /// Sends one claimed lot. False when the network failed (now Offline).
  core::Result<bool> sendOne(const Lot& lot, PassReport& report) {
    auto receipt = transport->sendLot(lot);
    if (!receipt) {
      const bool transient = config.transient(receipt.error());
      const std::string code(core::errcId(receipt.error().code));
      if (auto f = outbox->markLotFailed(lot, code, transient); !f) return core::fail(f.error());
      if (transient) {
        wentOffline(receipt.error(), report);
        return false;
      }
      wentOnline();  // the network answered: it refused this lot
      report.held += static_cast<int>(lot.members.size());
      emit(DispatchEventKind::Held, static_cast<int>(lot.members.size()), lot.lotId, &receipt.error());
      return true;
    }
    if (auto s = outbox->markSent(lot); !s) return core::fail(s.error());
    wentOnline();
    ++report.lotsSent;
    report.sheetsSent += static_cast<int>(lot.members.size());
    emit(DispatchEventKind::LotSent, static_cast<int>(lot.members.size()), lot.lotId);
    if (receipt->arl)
      if (auto a = apply(*receipt->arl, report); !a) return core::fail(a.error());
    return true;
  }

  enum class Round { Sent, NothingDue, Bounded };

  /// Claims up to kLotsPerRound lots within the in-flight room and sends them one by one;
  /// lots not sent (stop, outage) go back to pending.
  core::Result<Round> sendRound(bool ignoreBackoff, PassReport& report) {
    const int flying = inFlight();
    const int room = static_cast<int>(config.maxInFlight) - flying;
    if (room <= 0) return Round::Bounded;
    std::vector<Lot> lots;
    for (int i = 0; i < std::min<int>(room, static_cast<int>(kLotsPerRound)); ++i) {
      auto lot = outbox->claimLot(config.lotSize, {}, ignoreBackoff);
      if (!lot) {
        for (const auto& l : lots) (void)outbox->releaseLot(l, "released_unsent");
        return core::fail(lot.error());
      }
      if (!*lot) break;
      lots.push_back(std::move(**lot));
    }
    std::optional<core::Error> failure;
    std::size_t i = 0;
    while (i < lots.size() && !stopping()) {
      ++requests;
      auto sent = sendOne(lots[i++], report);
      if (!sent) failure = sent.error();
      if (!sent || !*sent) break;  // storage failure, or offline: the rest are released below
    }
    for (; i < lots.size(); ++i) {
      const char* reason = stopping() ? "dispatcher_stopped" : failure ? "released_unsent" : "network_down";
      if (auto r = outbox->releaseLot(lots[i], reason); !r && !failure) failure = r.error();
    }
    if (failure) return core::fail(*failure);
    return lots.empty() ? Round::NothingDue : Round::Sent;
  }

  core::Result<PassReport> pass(bool force) {
    PassReport report;
    if (auto p = prepare(); !p) return storageFailed(p.error(), report);
    const core::UnixSeconds now = clock.now();
    if (!force && storageAttempt > 0 && now < storageRetryAt) {
      report.nextWake = storageRetryAt;
      return report;
    }
    if (force) drainDeferred = true;
    if (now >= nextMaintenance) {
      if (auto r = outbox->expireLeases(); !r) return storageFailed(r.error(), report);
      if (auto r = outbox->retransmitMissingArl(); !r) return storageFailed(r.error(), report);
      nextMaintenance = now + config.maintenanceInterval;
    }
    if (link == Link::Offline && !force && now < probeAt) {
      report.offline = true;
      report.nextWake = std::min(probeAt, nextMaintenance);
      return report;
    }
    const bool probing = link == Link::Offline;
    bool online = true;
    requests = 0;
    // 1. ARLs of the lots sent earlier (while probing, the first request is the probe).
    if (force || probing || now >= nextArlPoll) {
      auto polled = pollArls(report);
      if (!polled) return storageFailed(polled.error(), report);
      online = *polled;
      nextArlPoll = clock.now() + config.arlPollInterval;
    }
    // 2. New lots, while online, not stopping and within the in-flight bound.
    while (online && !stopping()) {
      auto round = sendRound(drainDeferred || probing, report);
      if (!round) return storageFailed(round.error(), report);
      online = link != Link::Offline;
      if (*round == Round::NothingDue) drainDeferred = false;  // every deferred sheet was tried
      if (*round != Round::Sent) break;
    }
    storageAttempt = 0;
    if (probing && requests == 0) {
      // Nothing left to try (e.g. the deferred sheets were held meanwhile): the link is unknown.
      link = Link::Unknown;
      probeAttempt = 0;
    }
    if (link == Link::Offline) {
      report.offline = true;
      report.nextWake = std::min(probeAt, nextMaintenance);
      return report;
    }
    report.nextWake = std::min(nextMaintenance, inFlight() > 0 ? nextArlPoll : nextMaintenance);
    emit(DispatchEventKind::Idle);
    return report;
  }

  void loop() {
    std::unique_lock<std::mutex> lk(mu);
    while (!stopFlag) {
      wake = false;
      lk.unlock();
      const bool force = forceFlag.exchange(false);
      auto r = pass(force);
      const core::UnixSeconds next = r ? r->nextWake : (storageRetryAt > 0 ? storageRetryAt : clock.now() + 1);
      lk.lock();
      if (stopFlag || wake) continue;
      // At least 1 s between passes nobody asked for (no busy loop whatever the clock says).
      const core::UnixSeconds delay = std::max<core::UnixSeconds>(next - clock.now(), 1);
      cv.wait_for(lk, std::chrono::seconds(delay), [&] { return stopFlag.load() || wake; });
    }
    lk.unlock();
    if (outbox) emit(DispatchEventKind::Stopped);
    outbox.reset();  // closed on the thread that opened it
    lock.release();
  }
};

Dispatcher::Dispatcher(DispatcherConfig config, std::unique_ptr<LotTransport> transport, const core::Clock& clock, Sink sink,
                       RandomSource* rng)
    : m_impl(std::make_unique<Impl>(std::move(config), std::move(transport), clock, std::move(sink), rng)) {}

Dispatcher::~Dispatcher() { stop(); }

core::Result<void> Dispatcher::start() {
  Impl& m = *m_impl;
  if (m.worker.joinable()) return {};
  m.stopFlag = false;
  m.forceFlag = true;
  std::promise<core::Result<void>> ready;
  auto readyFuture = ready.get_future();
  m.worker = std::thread([&m, &ready] {
    auto p = m.prepare();
    const bool ok = p.ok();
    ready.set_value(std::move(p));
    if (ok) m.loop();
  });
  auto r = readyFuture.get();
  if (!r) {
    m.worker.join();
    return r;
  }
  return {};
}

void Dispatcher::sendNow() {
  Impl& m = *m_impl;
  {
    std::lock_guard<std::mutex> lk(m.mu);
    m.forceFlag = true;
    m.wake = true;
  }
  m.cv.notify_all();
}

void Dispatcher::requestStop() {
  Impl& m = *m_impl;
  {
    std::lock_guard<std::mutex> lk(m.mu);
    m.stopFlag = true;
  }
  m.cv.notify_all();
}

void Dispatcher::stop() {
  requestStop();
  if (m_impl->worker.joinable()) m_impl->worker.join();
}

bool Dispatcher::running() const { return m_impl->worker.joinable() && !m_impl->stopFlag; }

core::Result<PassReport> Dispatcher::runOnce(bool force) {
  Impl& m = *m_impl;
  const bool first = m.forceFlag.exchange(false);
  return m.pass(force || first);
}

}  // namespace vd::billing
