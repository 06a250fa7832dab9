// The outbox on real SQLite files, with a fake clock and a fake random source (no sleep):
// transition table, lease expiry, backoff bounds, R161-47 deadlines across weekends and
// public holidays, retention, audit chain, quarantine, encryption at rest, and kill -9 of a
// process holding a `sending` lease (0 lost, 0 duplicated).
#include "billing/outbox/outbox.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>

#include "billing/outbox/data_key.hpp"
#include "billing/outbox/fse_register.hpp"
#include "register_fixture.hpp"

using namespace vd::billing;
namespace core = vd::core;
using vd::core::Date;
using vd::core::Errc;
using vd::core::Result;
using vd::billing::testing::at;
using vd::billing::testing::FixedRandom;
using vd::billing::testing::ymd;

namespace {

class OutboxTest : public vd::billing::testing::RegisterFileTest {
 protected:
  OutboxTest() : RegisterFileTest("vd-outbox") {}

  FseRef enqueue(const std::string& practitioner, Date care, bool tiersPayant = false,
                 const std::string& document = "signed-document") {
    auto reg = FseRegister::open(m_file);
    EXPECT_TRUE(reg.ok());
    QueueEntry q;
    q.careDate = care;
    q.tiersPayant = tiersPayant;
    q.destination = "01141";
    q.now = m_clock.now();
    auto n = reg->commitNew(
        practitioner, [&](std::uint64_t) -> Result<std::string> { return document; }, {}, q);
    EXPECT_TRUE(n.ok());
    return FseRef{practitioner, n.ok() ? *n : 0};
  }
  Outbox open() {
    auto o = Outbox::open(m_file, m_clock, m_policy, &m_random);
    EXPECT_TRUE(o.ok()) << (o.ok() ? "" : std::string(vd::core::errcId(o.error().code)));
    return std::move(*o);
  }
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  OutboxState stateOf(Outbox& o, const FseRef& ref) { return *o.show(ref)->state; }

  core::FixedClock m_clock{at(2025, 12, 22)};
  RetryPolicy m_policy{60, 3600, 300};
  FixedRandom m_random;
};

// ---- transition table ----------------------------------------------------------------

TEST(OutboxStateTable, EveryPairIsAllowedOrRefusedExactly) {
  using S = OutboxState;
  const std::set<std::pair<S, S>> allowed{
      {S::Pending, S::Sending},       {S::Deferred, S::Sending},     {S::Sending, S::AwaitingArl},
      {S::Sending, S::Deferred},      {S::Sending, S::Held},         {S::Sending, S::Pending},
      {S::AwaitingArl, S::Acknowledged}, {S::AwaitingArl, S::Rejected}, {S::AwaitingArl, S::Pending},
      {S::AwaitingArl, S::Held},      {S::Pending, S::Held},         {S::Deferred, S::Held},
      {S::Deferred, S::Pending},      {S::Held, S::Pending}};
  int allowedCount = 0;
  for (S from : allStates()) {
    for (S to : allStates()) {
      const bool expected = allowed.count({from, to}) > 0 || (to == S::Quarantined && from != S::Quarantined);
      EXPECT_EQ(transitionAllowed(from, to), expected) << stateName(from) << " -> " << stateName(to);
      allowedCount += expected ? 1 : 0;
    }
  }
  EXPECT_EQ(allowedCount, 14 + 7);
  for (S s : allStates()) EXPECT_EQ(parseState(stateName(s)), s);
  EXPECT_FALSE(parseState("bogus").has_value());
}

TEST_F(OutboxTest, NewSheetIsPendingInTheSameTransactionWithAKeyAndAnAuditEntry) {
  const FseRef ref = enqueue("10099999996", ymd(2025, 12, 22));
  Outbox o = open();
  auto item = o.show(ref);
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->state, OutboxState::Pending);
  EXPECT_EQ(item->attempts, 0);
  EXPECT_EQ(item->idemKey.size(), 32u);
  EXPECT_EQ(item->destination, "01141");
  EXPECT_EQ(*o.verifyAudit(), 1);
  // A failed build consumes no number and leaves no outbox row.
  auto reg = FseRegister::open(m_file);
  auto bad = reg->commitNew("10099999996", [](std::uint64_t) -> Result<std::string> {
    return vd::core::fail(Errc::FseInvalid, {"x"});
  });
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(o.list()->size(), 1u);
}

TEST_F(OutboxTest, AllowedAndRefusedTransitionsThroughTheDatabase) {
  const FseRef a = enqueue("P", ymd(2025, 12, 22));
  Outbox o = open();
  std::vector<TransitionEvent> events;
  o.setObserver([&](const TransitionEvent& e) { events.push_back(e); });
  // pending: cannot be acknowledged, rejected or retried.
  EXPECT_EQ(o.acknowledge(a).error().code, Errc::OutboxTransitionRefused);
  EXPECT_EQ(o.reject(a, "R01").error().code, Errc::OutboxTransitionRefused);
  EXPECT_EQ(o.retry(a).error().code, Errc::OutboxTransitionRefused);
  EXPECT_EQ(o.release(a).error().code, Errc::OutboxTransitionRefused);
  ASSERT_TRUE(o.hold(a).ok());
  EXPECT_EQ(stateOf(o, a), OutboxState::Held);
  EXPECT_EQ(o.hold(a).error().code, Errc::OutboxTransitionRefused);
  ASSERT_TRUE(o.release(a).ok());
  auto lot = o.claimLot(10);
  ASSERT_TRUE(lot.ok() && lot->has_value());
  EXPECT_EQ((*lot)->members.size(), 1u);
  EXPECT_EQ((*lot)->members[0].document, "signed-document");
  EXPECT_EQ(stateOf(o, a), OutboxState::Sending);
  EXPECT_EQ(o.hold(a).error().code, Errc::OutboxTransitionRefused);     // operator: not while sending
  EXPECT_EQ(o.release(a).error().code, Errc::OutboxTransitionRefused);  // only the lease returns it
  EXPECT_EQ(o.acknowledge(a).error().code, Errc::OutboxTransitionRefused);
  ASSERT_TRUE(o.markSent(**lot).ok());
  EXPECT_EQ(o.release(a).error().code, Errc::OutboxTransitionRefused);
  EXPECT_EQ(o.retry(a).error().code, Errc::OutboxTransitionRefused);
  EXPECT_EQ(stateOf(o, a), OutboxState::AwaitingArl);
  EXPECT_EQ(o.markSent(**lot).error().code, Errc::OutboxTransitionRefused);
  ASSERT_TRUE(o.acknowledge(a).ok());
  EXPECT_EQ(stateOf(o, a), OutboxState::Acknowledged);
  for (auto r : {o.hold(a), o.release(a), o.retry(a), o.reject(a, "R")})
    EXPECT_EQ(r.error().code, Errc::OutboxTransitionRefused);
  // A permanent failure goes to held, a functional reject to rejected.
  const FseRef b = enqueue("P", ymd(2025, 12, 22));
  const FseRef c = enqueue("P", ymd(2025, 12, 22));
  auto lot2 = o.claimLot(10);
  ASSERT_EQ((*lot2)->members.size(), 2u);
  ASSERT_TRUE(o.markFailed(b, "http_400", false).ok());
  EXPECT_EQ(stateOf(o, b), OutboxState::Held);
  EXPECT_EQ(o.show(b)->lastError, "http_400");
  ASSERT_TRUE(o.markFailed(c, "http_503", true).ok());
  EXPECT_EQ(stateOf(o, c), OutboxState::Deferred);
  ASSERT_TRUE(o.retry(c).ok());
  auto lot3 = o.claimLot(10);
  ASSERT_TRUE(o.markSent(**lot3).ok());
  ASSERT_TRUE(o.reject(c, "ARL_R12").ok());
  EXPECT_EQ(stateOf(o, c), OutboxState::Rejected);
  EXPECT_EQ(o.show(c)->lastError, "ARL_R12");
  EXPECT_EQ(o.hold(FseRef{"P", 99}).error().code, Errc::OutboxNotFound);
  // Every change was published and audited (3 enqueues + the moves above).
  EXPECT_GE(events.size(), 10u);
  for (const auto& e : events) EXPECT_EQ(e.ref.practitioner, "P");
  EXPECT_EQ(*o.verifyAudit(), static_cast<std::int64_t>(3 + events.size()));
}

// ---- lease and backoff ----------------------------------------------------------------

TEST_F(OutboxTest, ExpiredLeaseReturnsTheSheetToTheQueueWithTheSameKey) {
  const FseRef a = enqueue("P", ymd(2025, 12, 22));
  Outbox o = open();
  const std::string key = o.show(a)->idemKey;
  auto lot = o.claimLot(5);
  ASSERT_TRUE(lot->has_value());
  EXPECT_EQ(*o.show(a)->sendingUntil, m_clock.now() + 300);
  m_clock.advance(299);
  EXPECT_FALSE(o.claimLot(5)->has_value());
  EXPECT_EQ(*o.expireLeases(), 0);
  m_clock.advance(1);
  auto again = o.claimLot(5);
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->members[0].ref, a);
  EXPECT_EQ((*again)->members[0].idemKey, key);
  EXPECT_NE((*again)->lotId, (*lot)->lotId);
  EXPECT_EQ(o.show(a)->attempts, 2);
  EXPECT_TRUE(o.verifyAudit().ok());
}

TEST(RetryPolicyTest, FullJitterBetweenMinAndADoublingCeiling) {
  const RetryPolicy p{60, 3600, 300};
  const std::vector<core::UnixSeconds> ceilings{60, 120, 240, 480, 960, 1920, 3600, 3600};
  for (std::size_t i = 0; i < ceilings.size(); ++i) EXPECT_EQ(p.ceiling(static_cast<int>(i) + 1), ceilings[i]);
  EXPECT_EQ(p.ceiling(1000), 3600);
  FixedRandom r;
  r.mode = FixedRandom::High;
  EXPECT_EQ(p.delay(3, r), 240);
  r.mode = FixedRandom::Low;
  EXPECT_EQ(p.delay(3, r), 60);
  StdRandomSource real;
  for (int attempt = 1; attempt < 30; ++attempt) {
    const auto d = p.delay(attempt, real);
    EXPECT_GE(d, 60);
    EXPECT_LE(d, p.ceiling(attempt));
  }
  const RetryPolicy odd{500, 100, 10};  // max below min: min wins
  EXPECT_EQ(odd.ceiling(5), 500);
}

TEST_F(OutboxTest, TransientFailureIsDeferredWithinTheBackoffBoundsOfTheFakeClock) {
  const FseRef a = enqueue("P", ymd(2025, 12, 22));
  Outbox o = open();
  for (int attempt = 1; attempt <= 8; ++attempt) {
    auto lot = o.claimLot(5);
    ASSERT_TRUE(lot->has_value()) << attempt;
    m_random.mode = attempt % 2 ? FixedRandom::High : FixedRandom::Low;
    ASSERT_TRUE(o.markFailed(a, "network_down", true).ok());
    const auto item = *o.show(a);
    const core::UnixSeconds delay = *item.nextAttemptAt - m_clock.now();
    EXPECT_EQ(delay, attempt % 2 ? m_policy.ceiling(attempt) : m_policy.minBackoff) << attempt;
    EXPECT_EQ(item.attempts, attempt);
    m_clock.advance(delay - 1);
    EXPECT_FALSE(o.claimLot(5)->has_value());
    m_clock.advance(1);
  }
}

// ---- deadlines (CSS R161-47) ------------------------------------------------------------

TEST(DeadlinesTest, ChristmasAndNewYearAndWeekends) {
  const vd::core::WorkingDayCalendar cal;
  // Wed 24 Dec 2025: 25 Dec holiday, weekend 27-28 → Fri 26, Mon 29, Tue 30.
  EXPECT_EQ(sendDeadline(ymd(2025, 12, 24), false, cal), ymd(2025, 12, 30));
  // Tiers payant, 8 working days: 26, 29, 30, 31, (1 Jan holiday) 2, 5, 6, 7.
  EXPECT_EQ(sendDeadline(ymd(2025, 12, 24), true, cal), ymd(2026, 1, 7));
  // Fri 19 Dec 2025: the weekend does not count → Mon 22, Tue 23, Wed 24.
  EXPECT_EQ(sendDeadline(ymd(2025, 12, 19), false, cal), ymd(2025, 12, 24));
  // Care on a Saturday: the next three working days.
  EXPECT_EQ(sendDeadline(ymd(2025, 12, 20), false, cal), ymd(2025, 12, 24));
}

TEST(DeadlinesTest, AscensionAndWhitMonday2025) {
  const vd::core::WorkingDayCalendar cal;
  // Wed 28 May 2025, Ascension Thu 29 May: Fri 30, Mon 2 Jun, Tue 3 Jun.
  EXPECT_EQ(sendDeadline(ymd(2025, 5, 28), false, cal), ymd(2025, 6, 3));
  // Sent Wed 28 May: ARL expected by Mon 2 Jun, else retransmit by Wed 4 Jun.
  const auto d = computeDeadlines(ymd(2025, 5, 28), false, ymd(2025, 5, 28), cal);
  EXPECT_EQ(*d.arlExpected, ymd(2025, 6, 2));
  EXPECT_EQ(*d.resendBy, ymd(2025, 6, 4));
  // Thu 5 Jun: Fri 6, (Whit Monday 9 Jun) Tue 10, Wed 11.
  EXPECT_EQ(sendDeadline(ymd(2025, 6, 5), false, cal), ymd(2025, 6, 11));
}

TEST_F(OutboxTest, MissingArlIsRetransmittedAfterTwoWorkingDaysAndOverdueIsFlagged) {
  m_clock.set(at(2025, 5, 28));
  const FseRef a = enqueue("P", ymd(2025, 5, 28));
  Outbox o = open();
  auto lot = o.claimLot(5);
  ASSERT_TRUE(o.markSent(**lot).ok());
  EXPECT_EQ(o.show(a)->deadline, ymd(2025, 6, 2));
  m_clock.set(at(2025, 6, 2, 23));
  EXPECT_EQ(*o.retransmitMissingArl(), 0);
  EXPECT_FALSE(o.show(a)->overdue);
  m_clock.set(at(2025, 6, 3, 0));
  EXPECT_TRUE(o.show(a)->overdue);
  EXPECT_EQ(o.stats()->overdue, 1);
  EXPECT_EQ(*o.retransmitMissingArl(), 1);
  const auto item = *o.show(a);
  EXPECT_EQ(item.state, OutboxState::Pending);
  EXPECT_EQ(item.lastError, "arl_missing");
  // Still within the send deadline? Care 28 May → 3 Jun: not overdue on 3 Jun, overdue on 4 Jun.
  EXPECT_FALSE(item.overdue);
  m_clock.set(at(2025, 6, 4));
  EXPECT_TRUE(o.show(a)->overdue);
  const auto s = *o.stats();
  EXPECT_EQ(s.byState.at("pending"), 1);
}

// ---- retention ---------------------------------------------------------------------------

TEST_F(OutboxTest, NothingIsPurgedBeforeAcknowledgementPlus90Days) {
  const FseRef acked = enqueue("P", ymd(2025, 12, 22));
  const FseRef rejected = enqueue("P", ymd(2025, 12, 22));
  const FseRef pending = enqueue("Q", ymd(2025, 12, 22));
  Outbox o = open();
  auto lot = o.claimLot(10, "01141");
  ASSERT_TRUE(o.markSent(**lot).ok());
  ASSERT_TRUE(o.acknowledge(acked).ok());
  ASSERT_TRUE(o.reject(rejected, "R").ok());
  (void)pending;
  const core::UnixSeconds ackAt = m_clock.now();
  m_clock.set(ackAt + 90 * 86400 - 1);
  EXPECT_EQ(*o.purge(), 0);
  EXPECT_TRUE(o.document(acked).ok());
  m_clock.set(ackAt + 90 * 86400);
  EXPECT_EQ(*o.purge(), 1);
  EXPECT_EQ(o.show(acked).error().code, Errc::OutboxNotFound);
  EXPECT_FALSE(o.document(acked).ok());
  m_clock.advance(1000 * 86400);
  EXPECT_EQ(*o.purge(), 0);
  EXPECT_EQ(o.list()->size(), 2u);
  EXPECT_TRUE(o.document(rejected).ok());
  EXPECT_TRUE(o.verifyAudit().ok());
  // The invoice number is never reused after a purge.
  auto reg = FseRegister::open(m_file);
  EXPECT_EQ(*reg->lastNumber("P"), 2u);
}

// ---- audit -------------------------------------------------------------------------------

TEST_F(OutboxTest, AuditChainVerifiesAndDetectsAModifiedOrDeletedRow) {
  const FseRef a = enqueue("P", ymd(2025, 12, 22));
  {
    Outbox o = open();
    ASSERT_TRUE(o.hold(a).ok());
    ASSERT_TRUE(o.release(a).ok());
    ASSERT_TRUE(o.hold(a).ok());
    EXPECT_EQ(*o.verifyAudit(), 4);
  }
  sql("UPDATE audit SET reason='edited' WHERE seq=2;");
  {
    Outbox o = open();
    auto v = o.verifyAudit();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().code, Errc::OutboxAuditBroken);
    EXPECT_EQ(v.error().args.at(0), "2");
  }
  sql("UPDATE audit SET reason='operator_hold' WHERE seq=2;");
  EXPECT_TRUE(open().verifyAudit().ok());
  sql("DELETE FROM audit WHERE seq=3;");
  auto v = open().verifyAudit();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().args.at(0), "4");
}

// ---- quarantine --------------------------------------------------------------------------

TEST_F(OutboxTest, UnreadableRowsAreQuarantinedNeverDropped) {
  const FseRef good = enqueue("P", ymd(2025, 12, 22));
  const FseRef badDoc = enqueue("P", ymd(2025, 12, 22));
  const FseRef badState = enqueue("P", ymd(2025, 12, 22));
  const FseRef badAtClaim = enqueue("P", ymd(2025, 12, 22));
  sql("UPDATE fse SET document = zeroblob(64) WHERE invoice_number=2;");
  sql("UPDATE outbox SET state='garbled' WHERE invoice_number=3;");
  Outbox o = open();
  EXPECT_EQ(*o.quarantineUnreadable(), 2);
  EXPECT_EQ(stateOf(o, badDoc), OutboxState::Quarantined);
  EXPECT_EQ(stateOf(o, badState), OutboxState::Quarantined);
  EXPECT_EQ(o.show(badDoc)->lastError, "unreadable_document");
  EXPECT_EQ(*o.quarantineUnreadable(), 0);
  // Corrupted later, met by the sender: quarantined instead of sent.
  sql("UPDATE fse SET document = CAST('plain text' AS BLOB) WHERE invoice_number=4;");
  auto lot = o.claimLot(10);
  ASSERT_TRUE(lot->has_value());
  ASSERT_EQ((*lot)->members.size(), 1u);
  EXPECT_EQ((*lot)->members[0].ref, good);
  EXPECT_EQ(stateOf(o, badAtClaim), OutboxState::Quarantined);
  EXPECT_EQ(o.list()->size(), 4u);
  EXPECT_EQ(o.release(badDoc).error().code, Errc::OutboxTransitionRefused);
  EXPECT_TRUE(o.verifyAudit().ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM quarantine;", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 3);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// ---- encryption at rest --------------------------------------------------------------------

std::string fileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(OutboxTest, KnownNirAndNameNeverAppearInClearInTheDatabaseFiles) {
  const std::string nir = "255081416802538";
  const std::string name = "DUPONTELLIER";
  const std::string document = "-----BEGIN FSE-----\n{\"insured\":{\"nir\":\"" + nir + "\",\"birth_name\":\"" + name +
                               "\",\"first_name\":\"MARGUERITE\"}}\n-----END FSE-----\n";
  auto reg = FseRegister::open(m_file);
  ASSERT_TRUE(reg.ok());
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(reg->commitNew("P", [&](std::uint64_t) -> Result<std::string> { return document; }).ok());
  EXPECT_EQ(*reg->document("P", 7), document);
  auto check = [&](const char* when) {
    for (const char* suffix : {"", "-wal", "-journal"}) {
      const auto path = std::filesystem::path(m_file.string() + suffix);
      if (!std::filesystem::exists(path)) continue;
      const std::string bytes = fileBytes(path);
      EXPECT_EQ(bytes.find(nir), std::string::npos) << when << suffix;
      EXPECT_EQ(bytes.find(name), std::string::npos) << when << suffix;
      EXPECT_EQ(bytes.find("MARGUERITE"), std::string::npos) << when << suffix;
    }
  };
  ASSERT_TRUE(std::filesystem::exists(m_file.string() + "-wal"));
  check("open");
  reg = FseRegister::open(m_dir / "other.db");  // closes the first connection (checkpoint)
  check("closed");
  struct stat st {};
  ASSERT_EQ(::stat(dataKeyPath(m_file).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  // A key readable by others is refused; a wrong key cannot decrypt (quarantine, not garbage).
  ::chmod(dataKeyPath(m_file).c_str(), 0644);
  auto refused = FseRegister::open(m_file);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::OutboxKeyFile);
  ::chmod(dataKeyPath(m_file).c_str(), 0600);
  // Another key (a wrong backup restored): the sheets cannot be decrypted (quarantine, not garbage).
  const std::string right = fileBytes(dataKeyPath(m_file));
  {
    std::string other = right;
    other[0] = static_cast<char>(other[0] ^ 0x5A);
    std::ofstream(dataKeyPath(m_file), std::ios::binary | std::ios::trunc) << other;
  }
  auto wrong = FseRegister::open(m_file);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->document("P", 1).error().code, Errc::OutboxDecrypt);
  std::ofstream(dataKeyPath(m_file), std::ios::binary | std::ios::trunc) << right;
  EXPECT_EQ(*FseRegister::open(m_file)->document("P", 7), document);
}

// A lost key file with sealed sheets in the register: start refused with the action (restore the
// key), no new key made, nothing quarantined or lost; the restored key opens everything again.
TEST_F(OutboxTest, MissingDataKeyWithEncryptedRowsRefusesToStartAndLosesNothing) {
  const FseRef ref = enqueue("10099999996", ymd(2025, 12, 22));
  const auto key = dataKeyPath(m_file);
  const std::string saved = fileBytes(key);
  std::filesystem::remove(key);
  for (int attempt = 0; attempt < 2; ++attempt) {  // refused every time, not only the first
    auto refused = Outbox::open(m_file, m_clock, m_policy, &m_random);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::OutboxKeyFile);
    EXPECT_NE(refused.error().args.at(0).find("missing"), std::string::npos) << refused.error().args.at(0);
    EXPECT_FALSE(std::filesystem::exists(key));  // no new key was made
    EXPECT_EQ(FseRegister::open(m_file).error().code, Errc::OutboxKeyFile);
  }
  std::ofstream(key, std::ios::binary) << saved;
  ::chmod(key.c_str(), 0600);
  Outbox o = open();
  EXPECT_EQ(stateOf(o, ref), OutboxState::Pending);  // not quarantined
  EXPECT_EQ(*FseRegister::open(m_file)->document(ref.practitioner, ref.number), "signed-document");
}

// A brand-new register makes its key (0600); so does an empty one whose key was lost.
TEST_F(OutboxTest, NewRegisterCreatesItsKey) {
  { Outbox o = open(); }
  struct stat st {};
  ASSERT_EQ(::stat(dataKeyPath(m_file).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove(dataKeyPath(m_file));
  { Outbox o = open(); }  // nothing was sealed under the lost key
  EXPECT_TRUE(std::filesystem::exists(dataKeyPath(m_file)));
}

// The key kept apart from the register (/Outbox/DataKeyFile, --data-key): made there, never next to
// the database; the register alone (a copied .db, a stolen backup) opens nothing; a key folder that
// is missing (a disk not mounted) is refused and never created, even for a new register.
TEST_F(OutboxTest, DataKeyKeptElsewhereIsTheOnlyKeyAndItsFolderIsNeverCreated) {
  const auto keyDir = m_dir / "key-disk";
  std::filesystem::create_directories(keyDir);
  const RegisterLocation apart(m_file, keyDir / "register.key");
  {
    auto reg = FseRegister::open(apart);
    ASSERT_TRUE(reg.ok());
    QueueEntry q;
    q.careDate = ymd(2025, 12, 22);
    q.now = m_clock.now();
    ASSERT_TRUE(reg->commitNew("P", [](std::uint64_t) -> Result<std::string> { return std::string("sealed"); }, {}, q).ok());
  }
  EXPECT_TRUE(std::filesystem::exists(keyDir / "register.key"));
  EXPECT_FALSE(std::filesystem::exists(dataKeyPath(m_file)));  // nothing next to the database
  auto o = Outbox::open(apart, m_clock, m_policy, &m_random);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*FseRegister::open(apart)->document("P", 1), "sealed");
  // The register without its key: refused, no key made beside it.
  auto alone = FseRegister::open(m_file);
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.error().code, Errc::OutboxKeyFile);
  EXPECT_FALSE(std::filesystem::exists(dataKeyPath(m_file)));
  // The key's disk is not mounted: refused for this register and for a brand-new one.
  const auto unmounted = m_dir / "not-mounted" / "register.key";
  for (const auto& db : {m_file, m_dir / "new.db"}) {
    auto refused = Outbox::open(RegisterLocation(db, unmounted), m_clock, m_policy, &m_random);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::OutboxKeyFile);
    EXPECT_NE(refused.error().args.at(0).find("not mounted"), std::string::npos) << refused.error().args.at(0);
  }
  EXPECT_FALSE(std::filesystem::exists(unmounted.parent_path()));
}

TEST_F(OutboxTest, ClearDocumentsOfAnOlderSchemaAreEncryptedAndQueuedOnOpen) {
  std::filesystem::create_directories(m_dir);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(m_file.string().c_str(), &db), SQLITE_OK);
    const char* v2 =
        "CREATE TABLE invoice_counter(practitioner TEXT PRIMARY KEY, last_number INTEGER NOT NULL);"
        "CREATE TABLE fse(practitioner TEXT NOT NULL, invoice_number INTEGER NOT NULL, stored_at TEXT NOT NULL,"
        " document TEXT NOT NULL, PRIMARY KEY (practitioner, invoice_number));"
        "CREATE TABLE cap_charge(beneficiary TEXT, practitioner TEXT, day TEXT, pf_cents INTEGER, pf_count INTEGER,"
        " franchise_cents INTEGER, invoice_number INTEGER);"
        "INSERT INTO invoice_counter VALUES('P', 1);"
        "INSERT INTO fse VALUES('P', 1, '2025-12-22T09:00:00Z', 'NIR 255081416802538 DUPONTELLIER');"
        "PRAGMA user_version=2;";
    ASSERT_EQ(sqlite3_exec(db, v2, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  Outbox o = open();
  const auto item = *o.show(FseRef{"P", 1});
  EXPECT_EQ(item.state, OutboxState::Pending);
  EXPECT_EQ(item.careDate, ymd(2025, 12, 22));
  EXPECT_EQ(*o.document(FseRef{"P", 1}), "NIR 255081416802538 DUPONTELLIER");
}

// ---- crash of a sender holding leases -----------------------------------------------------

TEST_F(OutboxTest, Kill9OfASenderLosesNothingAndDuplicatesNothing) {
  constexpr int kSheets = 40;
  constexpr int kRounds = 25;
  std::map<std::uint64_t, std::string> keys;
  for (int i = 0; i < kSheets; ++i) enqueue(i % 2 ? "P" : "Q", ymd(2025, 12, 22));
  {
    Outbox o = open();
    auto all = o.list();
    ASSERT_TRUE(all.ok());
    for (const auto& it : all.value()) keys[it.ref.number * 2 + (it.ref.practitioner == "P")] = it.idemKey;
  }
  std::mt19937 rng(20251222);
  for (int round = 0; round < kRounds; ++round) {
    m_clock.advance(1000);  // past any lease of the previous round
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      core::FixedClock clock(m_clock.now());
      FixedRandom random;
      auto o = Outbox::open(m_file, clock, m_policy, &random);
      if (!o) ::_exit(3);
      for (;;) {
        auto lot = o->claimLot(3);
        if (!lot) ::_exit(4);
        if (!lot->has_value()) break;
        char b = 'c';
        (void)!::write(fds[1], &b, 1);
        if (!o->markSent(**lot)) ::_exit(5);
        b = 's';
        (void)!::write(fds[1], &b, 1);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    const int progress = std::uniform_int_distribution<int>(0, 3)(rng);
    char b = 0;
    for (int i = 0; i < progress && ::read(fds[0], &b, 1) == 1; ++i) {
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) << round;
  }
  // Recovery by a new sender, after the leases expired.
  m_clock.advance(1000);
  Outbox o = open();
  for (;;) {
    auto lot = o.claimLot(7);
    ASSERT_TRUE(lot.ok());
    if (!lot->has_value()) break;
    ASSERT_TRUE(o.markSent(**lot).ok());
  }
  auto listed = o.list();
  ASSERT_TRUE(listed.ok());
  const std::vector<OutboxItem> items = listed.value();
  ASSERT_EQ(items.size(), static_cast<std::size_t>(kSheets));
  int awaiting = 0;
  for (const auto& it : items) {
    awaiting += it.state == OutboxState::AwaitingArl;
    EXPECT_EQ(it.idemKey, keys[it.ref.number * 2 + (it.ref.practitioner == "P")]) << it.ref.str();
  }
  // Each sheet accepted exactly once (sending → awaiting_arl once in the audit).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT count(*), count(DISTINCT practitioner || '/' || invoice_number) FROM audit "
                     "WHERE from_state='sending' AND to_state='awaiting_arl';",
                     -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const int accepted = sqlite3_column_int(st, 0);
  const int distinct = sqlite3_column_int(st, 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
  std::printf("kill -9 rounds: %d, sheets: %d, delivered: %d, lost: %d, duplicated: %d\n", kRounds, kSheets,
              distinct, kSheets - awaiting, accepted - distinct);
  EXPECT_EQ(awaiting, kSheets);
  EXPECT_EQ(accepted, kSheets);
  EXPECT_EQ(distinct, kSheets);
  EXPECT_TRUE(o.verifyAudit().ok());
}

TEST(FseRefTest, ParsesRppsSlashNumber) {
  auto r = FseRef::parse("10099999996/12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->practitioner, "10099999996");
  EXPECT_EQ(r->number, 12u);
  for (const char* bad : {"", "/1", "P/", "P/0", "P/x", "P1"})
    EXPECT_EQ(FseRef::parse(bad).error().code, Errc::OutboxRefSyntax) << bad;
}

}  // namespace
