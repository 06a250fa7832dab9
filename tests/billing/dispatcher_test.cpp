// The dispatcher over real SQLite files with an in-memory insurer (FakeInsurer: scripted
// outages, refused lots, lost responses, delayed, negative and duplicate ARLs) and a fake
// clock: outage then recovery delivers each sheet exactly once, 4xx → held, negative ARL →
// rejected with its reason, missing ARL → retransmitted with the same keys, the in-flight
// bound, the dispatch lock, sendNow, and stop() in the middle of a request.
#include "billing/outbox/dispatcher.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "billing/outbox/fse_register.hpp"
#include "register_fixture.hpp"

using namespace vd::billing;
namespace core = vd::core;
using vd::core::Date;
using vd::core::Errc;
using vd::core::Result;
using vd::billing::testing::at;
using vd::billing::testing::ymd;

namespace {

/// The insurer side, shared by the fake transports (its ledger counts each sheet once, by
/// its idempotency key, as the real simulator does).
struct FakeInsurer {
  std::mutex mu;
  // Script.
  bool down = false;                       // every request fails: TransportNetwork (transient)
  int loseNextResponses = 0;               // accept the lot, then fail as if the answer was lost
  std::set<std::string> refusedDestinations;  // TransportRequestRefused (4xx, permanent)
  std::map<FseRef, std::string> negative;  // ARL line refused with this reason
  bool arlInResponse = true;
  bool withholdArls = false;               // no ARL at all until released
  int arlAfterPolls = 0;                   // fetchArl answers "not yet" this many times per lot
  // Observed.
  std::map<std::string, FseRef> sheetByKey;           // accepted sheets, by idempotency key
  std::map<FseRef, std::set<std::string>> keysByRef;  // every key a sheet travelled with
  std::map<FseRef, int> postsByRef;                   // raw posts (retransmissions included)
  std::map<std::string, Arl> arls;                    // per lot id
  std::map<std::string, int> polls;
  int lotPosts = 0, duplicatesSeen = 0, arlFetches = 0;
  // Stop test: the first sendLot waits on this gate.
  bool gateFirstSend = false, gateOpen = false, entered = false;
  std::condition_variable gateCv;

  Arl arlFor(const Lot& lot) {
    Arl arl{lot.lotId, {}};
    for (const auto& m : lot.members) {
      const auto neg = negative.find(m.ref);
      arl.entries.push_back(ArlEntry{m.ref, neg == negative.end(), neg == negative.end() ? "" : neg->second});
    }
    return arl;
  }
};

class FakeTransport final : public LotTransport {
 public:
  explicit FakeTransport(FakeInsurer& insurer) : m_in(insurer) {}

  Result<LotReceipt> sendLot(const Lot& lot) override {
    std::unique_lock<std::mutex> lk(m_in.mu);
    if (m_in.gateFirstSend) {
      m_in.gateFirstSend = false;
      m_in.entered = true;
      m_in.gateCv.notify_all();
      m_in.gateCv.wait_for(lk, std::chrono::seconds(10), [&] { return m_in.gateOpen; });
    }
    ++m_in.lotPosts;
    if (m_in.down) return vd::core::fail(Errc::TransportNetwork, {"connection refused"});
    if (m_in.refusedDestinations.count(lot.destination)) return vd::core::fail(Errc::TransportRequestRefused, {"400"});
    LotReceipt receipt{lot.lotId, false, std::nullopt};
    for (const auto& m : lot.members) {
      ++m_in.postsByRef[m.ref];
      m_in.keysByRef[m.ref].insert(m.idemKey);
      if (!m_in.sheetByKey.emplace(m.idemKey, m.ref).second) {
        ++m_in.duplicatesSeen;
        receipt.duplicate = true;
      }
    }
    m_in.arls[lot.lotId] = m_in.arlFor(lot);
    if (m_in.loseNextResponses > 0) {
      --m_in.loseNextResponses;
      return vd::core::fail(Errc::TransportNetwork, {"connection reset"});
    }
    if (m_in.arlInResponse && !m_in.withholdArls) receipt.arl = m_in.arls[lot.lotId];
    return receipt;
  }

  Result<std::optional<Arl>> fetchArl(std::string_view lotId) override {
    std::lock_guard<std::mutex> lk(m_in.mu);
    ++m_in.arlFetches;
    if (m_in.down) return vd::core::fail(Errc::TransportNetwork, {"connection refused"});
    const auto it = m_in.arls.find(std::string(lotId));
    if (it == m_in.arls.end() || m_in.withholdArls) return std::optional<Arl>();
    if (m_in.polls[it->first]++ < m_in.arlAfterPolls) return std::optional<Arl>();
    return std::optional<Arl>(it->second);  // answered again on every poll: duplicates must be harmless
  }

 private:
  FakeInsurer& m_in;
};

bool transientForTest(const vd::core::Error& e) {
  return e.code == Errc::TransportNetwork || e.code == Errc::TransportTimeout || e.code == Errc::TransportServerBusy;
}

class DispatcherTest : public vd::billing::testing::RegisterFileTest {
 protected:
  DispatcherTest() : RegisterFileTest("vd-dispatch") {}
  void SetUp() override {
    RegisterFileTest::SetUp();
    m_config.registerFile = m_file;
    m_config.lotSize = 10;
    m_config.maxInFlight = 64;
    m_config.arlPollInterval = 30;
    m_config.maintenanceInterval = 300;
    m_config.policy = RetryPolicy{60, 3600, 300};
    m_config.transient = transientForTest;
  }

  std::vector<FseRef> enqueue(int n, const std::string& destination = "01141", const std::string& rpps = "10099999996") {
    auto reg = FseRegister::open(m_file);
    EXPECT_TRUE(reg.ok());
    std::vector<FseRef> refs;
    for (int i = 0; i < n; ++i) {
      QueueEntry q;
      q.careDate = core::utcDate(m_clock.now());
      q.destination = destination;
      q.now = m_clock.now();
      auto num = reg->commitNew(rpps, [](std::uint64_t) -> Result<std::string> { return std::string("doc"); }, {}, q);
      EXPECT_TRUE(num.ok());
      refs.push_back(FseRef{rpps, num.ok() ? *num : 0});
    }
    return refs;
  }
  std::unique_ptr<Dispatcher> make() {
    return std::make_unique<Dispatcher>(m_config, std::make_unique<FakeTransport>(m_insurer), m_clock,
                                        [this](const DispatchEvent& e) {
                                          std::lock_guard<std::mutex> lk(m_evMu);
                                          m_events.push_back(e);
                                          m_evCv.notify_all();
                                        },
                                        &m_random);
  }
  Outbox outbox() {
    auto o = Outbox::open(m_file, m_clock, m_config.policy, &m_random);
    EXPECT_TRUE(o.ok());
    return std::move(*o);
  }
  QueueCounts counts() { return QueueCounts::from(*outbox().countByState()); }
  int eventCount(DispatchEventKind kind, int* sheets = nullptr) {
    std::lock_guard<std::mutex> lk(m_evMu);
    int n = 0, s = 0;
    for (const auto& e : m_events)
      if (e.kind == kind) {
        ++n;
        s += e.sheets;
      }
    if (sheets) *sheets = s;
    return n;
  }
  bool waitEvent(DispatchEventKind kind, int count) {
    std::unique_lock<std::mutex> lk(m_evMu);
    return m_evCv.wait_for(lk, std::chrono::seconds(10), [&] {
      int n = 0;
      for (const auto& e : m_events) n += e.kind == kind ? 1 : 0;
      return n >= count;
    });
  }
  std::vector<std::string> auditReasons() {
    std::vector<std::string> out;
    sqlite3* db = nullptr;
    sqlite3_open(m_file.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT reason FROM audit ORDER BY seq;", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  /// Every sheet accepted by the insurer once, under one key, and acknowledged locally.
  void expectDeliveredExactlyOnce(const std::vector<FseRef>& refs) {
    std::set<FseRef> accepted;
    for (const auto& [key, ref] : m_insurer.sheetByKey) accepted.insert(ref);
    EXPECT_EQ(accepted.size(), refs.size());
    EXPECT_EQ(m_insurer.sheetByKey.size(), refs.size());  // one key per sheet: never billed twice
    for (const auto& ref : refs) {
      EXPECT_EQ(m_insurer.keysByRef[ref].size(), 1u) << ref.str();
      EXPECT_EQ(*outbox().show(ref)->state, OutboxState::Acknowledged) << ref.str();
    }
    auto o = outbox();
    EXPECT_TRUE(o.verifyAudit().ok());
  }

  core::FixedClock m_clock{at(2025, 12, 22)};  // a Monday
  vd::billing::testing::FixedRandom m_random;  // always the highest jitter
  DispatcherConfig m_config;
  FakeInsurer m_insurer;
  std::mutex m_evMu;
  std::condition_variable m_evCv;
  std::vector<DispatchEvent> m_events;
};

TEST_F(DispatcherTest, DrainsTheQueueInLotsAndAppliesArlsFromTheResponse) {
  const auto refs = enqueue(25);
  auto d = make();
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lotsSent, 3);
  EXPECT_EQ(r->sheetsSent, 25);
  EXPECT_EQ(r->acknowledged, 25);
  EXPECT_FALSE(r->offline);
  int sent = 0, acked = 0;
  EXPECT_EQ(eventCount(DispatchEventKind::LotSent, &sent), 3);
  EXPECT_EQ(sent, 25);
  EXPECT_EQ(eventCount(DispatchEventKind::Acknowledged, &acked), 3);
  EXPECT_EQ(acked, 25);
  EXPECT_EQ(eventCount(DispatchEventKind::Online), 1);
  ASSERT_EQ(eventCount(DispatchEventKind::Idle), 1);
  const QueueCounts last = m_events.back().counts;
  EXPECT_EQ(last.acknowledged, 25);
  EXPECT_EQ(last.pending + last.sending + last.awaitingArl, 0);
  expectDeliveredExactlyOnce(refs);
}

TEST_F(DispatcherTest, OutageThenRecoveryDeliversEachSheetExactlyOnce) {
  const auto refs = enqueue(120);
  m_insurer.down = true;
  auto d = make();
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->offline);
  EXPECT_EQ(r->sheetsSent, 0);
  EXPECT_EQ(eventCount(DispatchEventKind::Offline), 1);
  EXPECT_EQ(m_events.back().errorCode, vd::core::errcId(Errc::TransportNetwork));
  ASSERT_TRUE(m_events.back().nextProbeAt.has_value());
  EXPECT_EQ(*m_events.back().nextProbeAt, m_clock.now() + 60);  // first probe: min backoff
  QueueCounts c = counts();
  EXPECT_EQ(c.deferred, 10);  // the lot that failed
  EXPECT_EQ(c.pending, 110);  // the lots claimed with it were released unsent
  EXPECT_EQ(c.sending, 0);
  // Before the probe time nothing is tried; then the probe fails (backoff doubles).
  const int postsBefore = m_insurer.lotPosts;
  m_clock.advance(30);
  ASSERT_TRUE(d->runOnce().ok());
  EXPECT_EQ(m_insurer.lotPosts, postsBefore);
  m_clock.advance(31);
  r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->offline);
  EXPECT_EQ(m_insurer.lotPosts, postsBefore + 1);
  EXPECT_EQ(eventCount(DispatchEventKind::Offline), 1);  // a transition, not repeated per probe
  // The network comes back but the first answer is lost after the insurer accepted the lot.
  m_insurer.down = false;
  m_insurer.loseNextResponses = 1;
  m_clock.advance(121);
  r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->offline);
  m_clock.advance(241);
  r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->offline);
  EXPECT_EQ(eventCount(DispatchEventKind::Online), 1);
  c = counts();
  EXPECT_EQ(c.acknowledged, 120);
  EXPECT_EQ(c.deferred + c.pending + c.sending + c.awaitingArl, 0);
  EXPECT_GE(m_insurer.duplicatesSeen, 1);  // the lot whose answer was lost came again, same keys
  expectDeliveredExactlyOnce(refs);
  std::printf("outage: 120 sheets, %d lot posts, %d duplicate lines recognised, %zu accepted once\n",
              m_insurer.lotPosts, m_insurer.duplicatesSeen, m_insurer.sheetByKey.size());
}

TEST_F(DispatcherTest, ClientErrorHoldsTheLotForAHumanAndOtherDestinationsGoOn) {
  const auto refused = enqueue(3, "02999");
  const auto fine = enqueue(4, "01141");
  m_insurer.refusedDestinations.insert("02999");
  auto d = make();
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->held, 3);
  EXPECT_EQ(r->acknowledged, 4);
  EXPECT_FALSE(r->offline);
  int held = 0;
  EXPECT_EQ(eventCount(DispatchEventKind::Held, &held), 1);
  EXPECT_EQ(held, 3);
  for (const auto& ref : refused) {
    auto it = outbox().show(ref);
    EXPECT_EQ(*it->state, OutboxState::Held);
    EXPECT_EQ(it->lastError, vd::core::errcId(Errc::TransportRequestRefused));
  }
  // Held sheets are not retried, even when forced.
  const int posts = m_insurer.lotPosts;
  ASSERT_TRUE(d->runOnce(true).ok());
  EXPECT_EQ(m_insurer.lotPosts, posts);
  EXPECT_EQ(counts().held, 3);
}

TEST_F(DispatcherTest, NegativeArlRejectsWithItsReason) {
  const auto refs = enqueue(5);
  m_insurer.negative[refs[2]] = "R12";
  auto d = make();
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->acknowledged, 4);
  EXPECT_EQ(r->rejected, 1);
  int rejected = 0;
  EXPECT_EQ(eventCount(DispatchEventKind::Rejected, &rejected), 1);
  EXPECT_EQ(rejected, 1);
  auto it = outbox().show(refs[2]);
  EXPECT_EQ(*it->state, OutboxState::Rejected);
  EXPECT_EQ(it->lastError, "R12");
  const auto reasons = auditReasons();
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "R12"), 1);
}

TEST_F(DispatcherTest, DelayedArlsArePolledAndAppliedOnce) {
  const auto refs = enqueue(20);
  m_insurer.arlInResponse = false;
  m_insurer.arlAfterPolls = 2;
  auto d = make();
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sheetsSent, 20);
  EXPECT_EQ(r->acknowledged, 0);
  EXPECT_EQ(counts().awaitingArl, 20);
  EXPECT_EQ(m_events.back().kind, DispatchEventKind::Idle);
  EXPECT_EQ(m_events.back().inFlight, 2);
  EXPECT_EQ(r->nextWake, m_clock.now() + 30);  // the next ARL poll
  // Not before the poll interval; then "not yet" twice per lot; then the ARL.
  ASSERT_TRUE(d->runOnce().ok());
  EXPECT_EQ(m_insurer.arlFetches, 0);
  m_clock.advance(30);
  EXPECT_EQ(d->runOnce()->acknowledged, 0);
  m_clock.advance(30);
  EXPECT_EQ(d->runOnce()->acknowledged, 0);
  m_clock.advance(30);
  EXPECT_EQ(d->runOnce()->acknowledged, 20);
  EXPECT_EQ(counts().acknowledged, 20);
  const auto reasons = auditReasons();
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "arl_positive"), 20);
  expectDeliveredExactlyOnce(refs);
}

// ---- what the dispatcher needs from the Outbox ------------------------------------------

TEST_F(DispatcherTest, OutboxSettleAppliesAnArlOnceAndIgnoresDuplicatesAndStrangers) {
  const auto refs = enqueue(3);
  auto o = outbox();
  auto lot = o.claimLot(10);
  ASSERT_TRUE(lot.ok() && lot->has_value());
  ASSERT_TRUE(o.markSent(**lot).ok());
  EXPECT_EQ(*o.lotsAwaitingArl(), std::vector<std::string>{(*lot)->lotId});
  const std::vector<Settlement> arl{{refs[0], true, ""}, {refs[1], false, "R07"}, {refs[2], true, ""},
                                    {FseRef{"10099999996", 999}, true, ""}};
  auto first = o.settle(arl);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->acknowledged, 2);
  EXPECT_EQ(first->rejected, 1);
  EXPECT_EQ(first->ignored, 1);  // unknown sheet
  auto again = o.settle(arl);    // the same ARL twice
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->acknowledged + again->rejected, 0);
  EXPECT_EQ(again->ignored, 4);
  EXPECT_EQ(o.show(refs[1])->lastError, "R07");
  EXPECT_TRUE(o.lotsAwaitingArl()->empty());
  const auto byState = *o.countByState();
  EXPECT_EQ(byState.at("acknowledged"), 2);
  EXPECT_EQ(byState.at("rejected"), 1);
  EXPECT_EQ(*o.verifyAudit(), 3 + 3 + 3 + 3);  // enqueue, claim, sent, settled
}

TEST_F(DispatcherTest, OutboxReleaseLotReturnsOnlyItsOwnStillSendingMembers) {
  const auto refs = enqueue(4);
  auto o = outbox();
  auto lot = o.claimLot(2);
  ASSERT_TRUE(lot.ok() && lot->has_value());
  EXPECT_EQ(o.show(refs[0])->attempts, 1);
  auto n = o.releaseLot(**lot, "dispatcher_stopped");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(*o.show(refs[0])->state, OutboxState::Pending);
  EXPECT_EQ(o.show(refs[0])->attempts, 0);  // never sent: not an attempt
  EXPECT_EQ(*o.releaseLot(**lot), 0);       // already released: nothing
  // A member whose lease expired and that another lot took is not touched.
  auto mine = o.claimLot(1);
  ASSERT_TRUE(mine.ok() && mine->has_value());
  m_clock.advance(m_config.policy.lease + 1);
  auto other = o.claimLot(1);  // expires the lease, claims the same sheet again
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->members[0].ref, (*mine)->members[0].ref);
  EXPECT_EQ(*o.releaseLot(**mine), 0);
  EXPECT_EQ(*o.show((*other)->members[0].ref)->state, OutboxState::Sending);
  EXPECT_EQ(*o.releaseOrphanedClaims(), 1);
  EXPECT_EQ(o.countByState()->count("sending"), 0u);
  EXPECT_TRUE(o.verifyAudit().ok());
}

TEST_F(DispatcherTest, OutboxClaimCanIgnoreTheBackoffOfDeferredSheets) {
  const auto refs = enqueue(1);
  auto o = outbox();
  auto lot = o.claimLot(5);
  ASSERT_TRUE(lot.ok() && lot->has_value());
  ASSERT_TRUE(o.markLotFailed(**lot, "transport.network", true).ok());
  EXPECT_EQ(*o.show(refs[0])->state, OutboxState::Deferred);
  EXPECT_FALSE(o.claimLot(5)->has_value());  // retry time not reached
  auto now = o.claimLot(5, {}, true);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->members[0].ref, refs[0]);
}

TEST_F(DispatcherTest, MissingArlPastTwoWorkingDaysIsRetransmittedWithTheSameKeys) {
  const auto refs = enqueue(6);
  std::map<FseRef, std::string> keys;
  {
    auto o = outbox();
    for (const auto& ref : refs) keys[ref] = o.show(ref)->idemKey;
  }
  m_insurer.withholdArls = true;
  auto d = make();
  ASSERT_EQ(d->runOnce()->sheetsSent, 6);  // Monday 2025-12-22
  // ARL expected by Wednesday 24th (2 working days); Thursday 25th is Christmas: still
  // waiting on Wednesday evening, late on Friday 26th.
  m_clock.set(at(2025, 12, 24, 20));
  ASSERT_TRUE(d->runOnce().ok());
  EXPECT_EQ(counts().awaitingArl, 6);
  EXPECT_EQ(m_insurer.lotPosts, 1);
  m_clock.set(at(2025, 12, 26, 9));
  m_insurer.withholdArls = false;
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sheetsSent, 6);
  EXPECT_EQ(m_insurer.lotPosts, 2);
  for (const auto& ref : refs) {
    EXPECT_EQ(m_insurer.postsByRef[ref], 2) << ref.str();
    ASSERT_EQ(m_insurer.keysByRef[ref].size(), 1u);
    EXPECT_EQ(*m_insurer.keysByRef[ref].begin(), keys[ref]);  // same idempotency key: billed once
  }
  const auto reasons = auditReasons();
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "arl_missing"), 6);
  expectDeliveredExactlyOnce(refs);
}

TEST_F(DispatcherTest, InFlightBoundStopsSendingUntilArlsComeBack) {
  enqueue(50);
  m_config.lotSize = 5;
  m_config.maxInFlight = 2;
  m_insurer.arlInResponse = false;
  m_insurer.withholdArls = true;
  auto d = make();
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lotsSent, 2);
  EXPECT_EQ(counts().pending, 40);
  EXPECT_EQ(m_events.back().kind, DispatchEventKind::Idle);
  EXPECT_EQ(m_events.back().inFlight, 2);
  ASSERT_TRUE(d->runOnce(true).ok());
  EXPECT_EQ(m_insurer.lotPosts, 2);  // forced, but still bounded
  m_insurer.withholdArls = false;
  m_clock.advance(30);
  r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->acknowledged, 10);
  EXPECT_EQ(r->lotsSent, 2);  // two slots freed, two lots more
  EXPECT_EQ(counts().pending, 30);
}

TEST_F(DispatcherTest, DeferredSheetsKeepPriorityWhenTheInFlightBoundInterrupts) {
  const auto refs = enqueue(15);
  m_config.lotSize = 5;
  m_config.maxInFlight = 1;
  m_insurer.arlInResponse = false;
  m_insurer.withholdArls = true;
  {
    // A previous run failed twice (sheets 1–10 deferred with retry times an hour away).
    auto o = outbox();
    for (int i = 0; i < 2; ++i) {
      auto lot = o.claimLot(5);
      ASSERT_TRUE(lot.ok() && lot->has_value());
      ASSERT_TRUE(o.markLotFailed(**lot, "transport.network", true).ok());
    }
  }
  EXPECT_EQ(counts().deferred, 10);
  auto d = make();
  ASSERT_EQ(d->runOnce()->lotsSent, 1);  // first pass: deferred due at once, then the bound
  m_insurer.withholdArls = false;
  m_clock.advance(30);
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->acknowledged, 5);
  EXPECT_EQ(r->lotsSent, 1);
  for (int i = 5; i < 10; ++i)  // the second deferred lot went before the pending sheets 11–15
    EXPECT_EQ(*outbox().show(refs[static_cast<std::size_t>(i)])->state, OutboxState::AwaitingArl) << i;
  EXPECT_EQ(counts().pending, 5);
}

TEST_F(DispatcherTest, OfflineWithNothingLeftToProbeBecomesIdleWithoutRequests) {
  const auto refs = enqueue(2);
  m_insurer.down = true;
  auto d = make();
  ASSERT_TRUE(d->runOnce()->offline);
  for (const auto& ref : refs) ASSERT_TRUE(outbox().hold(ref).ok());  // the operator holds them
  const int posts = m_insurer.lotPosts;
  m_clock.advance(3600);
  auto r = d->runOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->offline);
  EXPECT_EQ(m_insurer.lotPosts, posts);
  EXPECT_EQ(m_events.back().kind, DispatchEventKind::Idle);
  EXPECT_GT(r->nextWake, m_clock.now());  // the worker sleeps: no busy loop
}

TEST_F(DispatcherTest, OneDispatcherPerRegisterAndDeadSendersClaimsReturnAtOnce) {
  const auto refs = enqueue(4);
  {
    auto o = outbox();
    ASSERT_TRUE(o.claimLot(10)->has_value());  // a sender that died holding a fresh lease
  }
  EXPECT_EQ(counts().sending, 4);
  auto first = make();
  ASSERT_TRUE(first->start().ok());
  ASSERT_TRUE(waitEvent(DispatchEventKind::Idle, 1));
  auto second = make();
  auto busy = second->start();
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, Errc::OutboxDispatcherBusy);
  first->stop();
  EXPECT_EQ(m_events.back().kind, DispatchEventKind::Stopped);
  const auto reasons = auditReasons();
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "sender_restarted"), 4);
  expectDeliveredExactlyOnce(refs);
  // The lock is free again once the first one stopped.
  ASSERT_TRUE(second->start().ok());
  second->stop();
}

TEST_F(DispatcherTest, SendNowWakesTheWorkerAtOnce) {
  enqueue(3);
  auto d = make();
  ASSERT_TRUE(d->start().ok());
  ASSERT_TRUE(waitEvent(DispatchEventKind::Idle, 1));
  EXPECT_EQ(counts().acknowledged, 3);
  // The worker now sleeps until its next maintenance (300 s of the fake clock).
  enqueue(2);
  const auto t0 = std::chrono::steady_clock::now();
  d->sendNow();
  ASSERT_TRUE(waitEvent(DispatchEventKind::Idle, 2));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(counts().acknowledged, 5);
  d->stop();
  EXPECT_FALSE(d->running());
}

TEST_F(DispatcherTest, StopInTheMiddleOfARequestLeavesNothingHalfSent) {
  const auto refs = enqueue(40);  // 4 lots claimed in the first round
  m_insurer.gateFirstSend = true;
  auto d = make();
  ASSERT_TRUE(d->start().ok());
  {
    std::unique_lock<std::mutex> lk(m_insurer.mu);
    ASSERT_TRUE(m_insurer.gateCv.wait_for(lk, std::chrono::seconds(10), [&] { return m_insurer.entered; }));
  }
  EXPECT_EQ(counts().sending, 40);  // the round's lots are claimed; the first is on the wire
  std::thread stopper([&] { d->stop(); });
  while (d->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  {
    std::lock_guard<std::mutex> lk(m_insurer.mu);
    m_insurer.gateOpen = true;
  }
  m_insurer.gateCv.notify_all();
  stopper.join();
  const QueueCounts c = counts();
  EXPECT_EQ(c.sending, 0);
  EXPECT_EQ(c.acknowledged, 10);  // the request in progress finished and was applied
  EXPECT_EQ(c.pending, 30);       // the lots claimed but not sent went back
  EXPECT_EQ(m_insurer.lotPosts, 1);
  const auto reasons = auditReasons();
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "dispatcher_stopped"), 30);
  EXPECT_EQ(m_events.back().kind, DispatchEventKind::Stopped);
  EXPECT_EQ(m_events.back().counts.sending, 0);
  for (const auto& ref : refs) {
    const auto it = *outbox().show(ref);
    if (it.state == OutboxState::Pending) {
      EXPECT_EQ(it.attempts, 0);
    }
  }
  // A new dispatcher finishes the job, every sheet once.
  auto again = make();
  ASSERT_TRUE(again->runOnce().ok());
  expectDeliveredExactlyOnce(refs);
}

TEST_F(DispatcherTest, AnUnusableRegisterIsReportedAsFailed) {
  std::filesystem::create_directories(m_file);  // a directory where the database should be
  auto d = make();
  auto r = d->runOnce();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::FseStore);
  ASSERT_EQ(eventCount(DispatchEventKind::Failed), 1);
  EXPECT_EQ(m_events.back().errorCode, vd::core::errcId(Errc::FseStore));
  EXPECT_EQ(m_insurer.lotPosts, 0);
  auto started = make()->start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, Errc::FseStore);
}

TEST_F(DispatcherTest, EventsNeverCarryPatientDataOnlyCountsCodesAndLotIds) {
  enqueue(2);
  auto d = make();
  ASSERT_TRUE(d->runOnce().ok());
  for (const auto& e : m_events) {
    EXPECT_TRUE(e.lotId.empty() || e.lotId.size() == 32u);
    EXPECT_FALSE(dispatchEventName(e.kind).empty());
  }
  EXPECT_EQ(dispatchEventName(DispatchEventKind::LotSent), "lot_sent");
}

}  // namespace
