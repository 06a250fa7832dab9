#include "billing/outbox/outbox.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "billing/outbox/data_key.hpp"
#include "billing/outbox/fse_register.hpp"
#include "billing/outbox/sqlite_detail.hpp"
#include "crypto/aead.hpp"
#include "crypto/digest.hpp"

namespace vd::billing {

using detail::sqlError;
using detail::Stmt;

core::Result<FseRef> FseRef::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= text.size() || text.size() > 64)
    return core::fail(core::Errc::OutboxRefSyntax, {std::string(text.substr(0, 64))});
  FseRef ref{std::string(text.substr(0, slash)), 0};
  const auto num = text.substr(slash + 1);
  const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), ref.number);
  if (ec != std::errc() || p != num.data() + num.size() || ref.number == 0)
    return core::fail(core::Errc::OutboxRefSyntax, {std::string(text)});
  return ref;
}

struct Outbox::Impl {
  sqlite3* db = nullptr;
  std::vector<std::uint8_t> key;
  const core::Clock* clock = nullptr;
  RetryPolicy policy;
  RandomSource* rng = nullptr;
  std::unique_ptr<RandomSource> ownRng;
  core::WorkingDayCalendar calendar;
  std::function<void(const TransitionEvent&)> observer;
  std::vector<TransitionEvent> pendingEvents;  // published after COMMIT

  detail::StmtCache cache;  // the per-sheet statements (move, decrypt, lot members, settle)

  ~Impl() {
    cache.clear();  // a connection with live statements would not close
    sqlite3_close(db);
  }
  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

  core::Result<void> begin() {
    pendingEvents.clear();
    if (!exec("BEGIN IMMEDIATE;")) return sqlError(db, "begin");
    return {};
  }
  core::Result<void> commit() {
    if (!exec("COMMIT;")) {
      auto err = sqlError(db, "commit");
      exec("ROLLBACK;");
      pendingEvents.clear();
      return err;
    }
    if (observer)
      for (const auto& e : pendingEvents) observer(e);
    pendingEvents.clear();
    return {};
  }
  core::Failure abort(core::Failure f) {
    exec("ROLLBACK;");
    pendingEvents.clear();
    return f;
  }

  /// Moves `ref` to `to` if the table allows it from its current state (inside a transaction).
  /// `set` is extra "col=?N" assignments (N from 4) bound by `bind`.
  core::Result<void> move(const FseRef& ref, OutboxState to, std::string_view reason, const std::string& set = {},
                          const std::function<void(Stmt&)>& bind = {}, std::vector<OutboxState> onlyFrom = {}) {
    Stmt cur(&cache, db, "SELECT state FROM outbox WHERE practitioner=?1 AND invoice_number=?2;");
    cur.text(1, ref.practitioner).i64(2, static_cast<std::int64_t>(ref.number));
    const int rc = cur.step();
    if (rc == SQLITE_DONE) return core::fail(core::Errc::OutboxNotFound, {ref.str()});
    if (rc != SQLITE_ROW) return sqlError(db, "select");
    const std::string fromText = cur.col(0);
    const auto from = parseState(fromText);
    // Operator actions are narrower than the table (e.g. no hold of a sheet being sent).
    const bool fromOk = onlyFrom.empty() || (from && std::find(onlyFrom.begin(), onlyFrom.end(), *from) != onlyFrom.end());
    const bool allowed = fromOk && (from ? transitionAllowed(*from, to) : to == OutboxState::Quarantined);
    if (!allowed)
      return core::fail(core::Errc::OutboxTransitionRefused, {fromText, std::string(stateName(to))}, ref.str());
    const std::string sql = "UPDATE outbox SET state=?1" + (set.empty() ? std::string() : ", " + set) +
                            " WHERE practitioner=?2 AND invoice_number=?3;";
    Stmt up(&cache, db, sql);
    up.text(1, stateName(to)).text(2, ref.practitioner).i64(3, static_cast<std::int64_t>(ref.number));
    if (bind) bind(up);
    if (up.step() != SQLITE_DONE) return sqlError(db, "update");
    const core::UnixSeconds now = clock->now();
    if (!detail::appendAudit(db, now, ref.practitioner, static_cast<std::int64_t>(ref.number), fromText,
                             stateName(to), reason, &cache))
      return sqlError(db, "audit");
    pendingEvents.push_back(TransitionEvent{ref, fromText, std::string(stateName(to)), std::string(reason), now});
    return {};
  }

  /// Runs `body` in one transaction.
  template <class F>
  core::Result<void> transact(F&& body) {
    if (auto b = begin(); !b) return b;
    if (auto r = body(); !r) return abort(core::fail(r.error()));
    return commit();
  }

  core::Result<std::string> decrypt(const FseRef& ref) {
    Stmt st(&cache, db, "SELECT document FROM fse WHERE practitioner=?1 AND invoice_number=?2;");
    st.text(1, ref.practitioner).i64(2, static_cast<std::int64_t>(ref.number));
    if (st.step() != SQLITE_ROW)
      return core::fail(core::Errc::OutboxDecrypt, {core::frEn("document absent", "document missing")});
    if (sqlite3_column_type(st.s, 0) != SQLITE_BLOB)
      return core::fail(core::Errc::OutboxDecrypt, {core::frEn("document non chiffré", "document not encrypted")});
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st.s, 0));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st.s, 0));
    auto plain = crypto::aeadOpen(key, {p, n}, detail::documentAad(ref.practitioner, ref.number));
    if (!plain) return core::fail(plain.error());
    return std::string(plain->begin(), plain->end());
  }

  core::Result<void> quarantine(const FseRef& ref, const std::string& previous, std::string_view reason) {
    Stmt q(db,
           "INSERT OR REPLACE INTO quarantine(practitioner, invoice_number, at, reason, previous_state) "
           "VALUES(?1,?2,?3,?4,?5);");
    q.text(1, ref.practitioner).i64(2, static_cast<std::int64_t>(ref.number)).i64(3, clock->now());
    q.text(4, reason).text(5, previous);
    if (q.step() != SQLITE_DONE) return sqlError(db, "quarantine");
    return move(ref, OutboxState::Quarantined, reason, "last_error=?4, sending_until=NULL",
                [&](Stmt& s) { s.text(4, reason); });
  }

  core::Result<int> expireLeasesLocked() {
    std::vector<FseRef> expired;
    {
      Stmt st(db, "SELECT practitioner, invoice_number FROM outbox WHERE state='sending' AND sending_until<=?1;");
      st.i64(1, clock->now());
      while (st.step() == SQLITE_ROW) expired.push_back({st.col(0), static_cast<std::uint64_t>(st.colI(1))});
    }
    for (const auto& ref : expired) {
      auto r = move(ref, OutboxState::Pending, "lease_expired", "sending_until=NULL");
      if (!r) return core::fail(r.error());
    }
    return static_cast<int>(expired.size());
  }

  /// Sending failed (inside a transaction): transient → deferred with backoff, else held.
  core::Result<void> fail(const FseRef& ref, std::string_view errorCode, bool transient) {
    if (!transient)
      return move(ref, OutboxState::Held, errorCode, "sending_until=NULL, last_error=?4",
                  [&](Stmt& s) { s.text(4, errorCode); });
    Stmt a(db, "SELECT attempts FROM outbox WHERE practitioner=?1 AND invoice_number=?2;");
    a.text(1, ref.practitioner).i64(2, static_cast<std::int64_t>(ref.number));
    const int attempts = a.step() == SQLITE_ROW ? static_cast<int>(a.colI(0)) : 1;
    const core::UnixSeconds next = clock->now() + policy.delay(std::max(attempts, 1), *rng);
    return move(ref, OutboxState::Deferred, errorCode, "sending_until=NULL, last_error=?4, next_attempt_at=?5",
                [&](Stmt& s) { s.text(4, errorCode).i64(5, next); });
  }

  OutboxItem readItem(const Stmt& st) const {
    OutboxItem it;
    it.ref = {st.col(0), static_cast<std::uint64_t>(st.colI(1))};
    it.rawState = st.col(2);
    it.state = parseState(it.rawState);
    const auto care = core::Date::parseIso(st.col(3));
    it.careDate = care ? *care : core::utcDate(0);
    it.tiersPayant = st.colI(4) != 0;
    it.destination = st.col(5);
    it.idemKey = st.col(6);
    it.attempts = static_cast<int>(st.colI(7));
    auto opt = [&](int i) { return st.isNull(i) ? std::nullopt : std::optional<core::UnixSeconds>(st.colI(i)); };
    it.nextAttemptAt = opt(8);
    it.sendingUntil = opt(9);
    it.sentAt = opt(10);
    it.acknowledgedAt = opt(11);
    it.lotId = st.col(12);
    it.lastError = st.col(13);
    std::optional<core::Date> sentOn;
    if (it.sentAt) sentOn = core::utcDate(*it.sentAt);
    it.deadlines = computeDeadlines(it.careDate, it.tiersPayant, sentOn, calendar);
    const bool waitingArl = it.state == OutboxState::AwaitingArl && it.deadlines.arlExpected;
    it.deadline = waitingArl ? *it.deadlines.arlExpected : it.deadlines.sendBy;
    const bool open = it.state && *it.state != OutboxState::Acknowledged && *it.state != OutboxState::Rejected;
    const core::Date today = core::utcDate(clock->now());
    it.overdue = open && today > it.deadline;
    // "Due soon" asks the user to send: only sheets not sent yet (a sheet awaiting its ARL is
    // retransmitted by the dispatcher when the ARL is late; that is not the user's to do).
    const bool unsent = it.state && (*it.state == OutboxState::Pending || *it.state == OutboxState::Deferred ||
                                     *it.state == OutboxState::Sending || *it.state == OutboxState::Held);
    it.dueSoon = unsent && !it.overdue && it.deadline <= calendar.addWorkingDays(today, 1);
    return it;
  }
};

namespace {
constexpr const char* kItemColumns =
    "SELECT practitioner, invoice_number, state, care_date, tiers_payant, destination, idem_key, attempts, "
    "next_attempt_at, sending_until, sent_at, acknowledged_at, coalesce(lot_id,''), coalesce(last_error,'') "
    "FROM outbox";
}  // namespace

Outbox::Outbox(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Outbox::Outbox(Outbox&&) noexcept = default;
Outbox& Outbox::operator=(Outbox&&) noexcept = default;
Outbox::~Outbox() = default;

core::Result<Outbox> Outbox::open(const RegisterLocation& where, const core::Clock& clock, RetryPolicy policy,
                                  RandomSource* rng, core::Region region) {
  const std::filesystem::path& registerFile = where.file;
  {
    auto reg = FseRegister::open(where);  // migrations, key creation, legacy encryption
    if (!reg) return core::fail(reg.error());
  }
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(registerFile.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK)
    return sqlError(impl->db, "open");
  sqlite3_busy_timeout(impl->db, 5000);
  if (!impl->exec("PRAGMA journal_mode=WAL;") || !impl->exec("PRAGMA synchronous=FULL;") ||
      !impl->exec("PRAGMA foreign_keys=ON;"))
    return sqlError(impl->db, "pragma");
  auto key = loadOrCreateDataKey(where, false);  // FseRegister::open made it if it was new
  if (!key) return core::fail(key.error());
  impl->key = std::move(*key);
  impl->clock = &clock;
  impl->policy = policy;
  if (!rng) {
    impl->ownRng = std::make_unique<StdRandomSource>();
    rng = impl->ownRng.get();
  }
  impl->rng = rng;
  impl->calendar = core::WorkingDayCalendar(region);
  return Outbox(std::move(impl));
}

void Outbox::setObserver(std::function<void(const TransitionEvent&)> observer) {
  m_impl->observer = std::move(observer);
}

core::Result<int> Outbox::expireLeases() {
  int count = 0;
  auto r = m_impl->transact([&]() -> core::Result<void> {
    auto n = m_impl->expireLeasesLocked();
    if (!n) return core::fail(n.error());
    count = *n;
    return {};
  });
  if (!r) return core::fail(r.error());
  return count;
}

core::Result<std::optional<Lot>> Outbox::claimLot(std::size_t max, std::string_view destination, bool ignoreBackoff) {
  Impl& m = *m_impl;
  std::optional<Lot> lot;
  auto r = m.transact([&]() -> core::Result<void> {
    if (auto n = m.expireLeasesLocked(); !n) return core::fail(n.error());
    const core::UnixSeconds now = m.clock->now();
    // Deferred sheets are due when their retry time came, or all of them when asked.
    const core::UnixSeconds dueBy = ignoreBackoff ? std::numeric_limits<core::UnixSeconds>::max() : now;
    std::string dest(destination);
    if (dest.empty()) {
      Stmt d(m.db,
             "SELECT destination FROM outbox WHERE state='pending' OR (state='deferred' AND next_attempt_at<=?1) "
             "ORDER BY created_at, practitioner, invoice_number LIMIT 1;");
      d.i64(1, dueBy);
      const int rc = d.step();
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return sqlError(m.db, "select");
      dest = d.col(0);
    }
    std::vector<std::pair<FseRef, std::string>> due;
    {
      Stmt st(m.db,
              "SELECT practitioner, invoice_number, idem_key FROM outbox WHERE destination=?1 AND "
              "(state='pending' OR (state='deferred' AND next_attempt_at<=?2)) "
              "ORDER BY created_at, practitioner, invoice_number LIMIT ?3;");
      st.text(1, dest).i64(2, dueBy).i64(3, static_cast<std::int64_t>(max));
      int rc = 0;
      while ((rc = st.step()) == SQLITE_ROW) due.push_back({{st.col(0), static_cast<std::uint64_t>(st.colI(1))}, st.col(2)});
      if (rc != SQLITE_DONE) return sqlError(m.db, "select");
    }
    if (due.empty()) return {};
    auto lotId = crypto::randomBytes(16);
    auto lotKey = crypto::randomBytes(16);
    if (!lotId || !lotKey) return core::fail(core::Errc::Internal, {"random"});
    Lot l{crypto::toHex(*lotId), crypto::toHex(*lotKey), dest, {}};
    Stmt ins(m.db, "INSERT INTO lot(lot_id, idem_key, destination, created_at) VALUES(?1,?2,?3,?4);");
    ins.text(1, l.lotId).text(2, l.idemKey).text(3, dest).i64(4, now);
    if (ins.step() != SQLITE_DONE) return sqlError(m.db, "lot");
    for (auto& [ref, idem] : due) {
      auto doc = m.decrypt(ref);
      if (!doc) {
        Stmt cur(m.db, "SELECT state FROM outbox WHERE practitioner=?1 AND invoice_number=?2;");
        cur.text(1, ref.practitioner).i64(2, static_cast<std::int64_t>(ref.number));
        const std::string prev = cur.step() == SQLITE_ROW ? cur.col(0) : std::string();
        if (auto q = m.quarantine(ref, prev, "unreadable_document"); !q) return q;
        continue;
      }
      auto mv = m.move(ref, OutboxState::Sending, "claimed",
                       "sending_until=?4, attempts=attempts+1, lot_id=?5, next_attempt_at=NULL", [&](Stmt& s) {
                         s.i64(4, now + m.policy.lease).text(5, l.lotId);
                       });
      if (!mv) return mv;
      Stmt mem(&m.cache, m.db, "INSERT INTO lot_member(lot_id, practitioner, invoice_number) VALUES(?1,?2,?3);");
      mem.text(1, l.lotId).text(2, ref.practitioner).i64(3, static_cast<std::int64_t>(ref.number));
      if (mem.step() != SQLITE_DONE) return sqlError(m.db, "lot member");
      l.members.push_back(ClaimedFse{ref, idem, std::move(*doc)});
    }
    if (!l.members.empty()) lot = std::move(l);
    return {};
  });
  if (!r) return core::fail(r.error());
  return lot;
}

core::Result<void> Outbox::markSent(const Lot& lot) {
  Impl& m = *m_impl;
  return m.transact([&]() -> core::Result<void> {
    for (const auto& member : lot.members) {
      auto mv = m.move(member.ref, OutboxState::AwaitingArl, "lot_accepted",
                       "sending_until=NULL, sent_at=?4, last_error=NULL", [&](Stmt& s) { s.i64(4, m.clock->now()); });
      if (!mv) return mv;
    }
    return {};
  });
}

core::Result<int> Outbox::releaseLot(const Lot& lot, std::string_view reason) {
  Impl& m = *m_impl;
  int count = 0;
  auto r = m.transact([&]() -> core::Result<void> {
    for (const auto& member : lot.members) {
      Stmt cur(m.db, "SELECT state, coalesce(lot_id,'') FROM outbox WHERE practitioner=?1 AND invoice_number=?2;");
      cur.text(1, member.ref.practitioner).i64(2, static_cast<std::int64_t>(member.ref.number));
      if (cur.step() != SQLITE_ROW) continue;
      // Only a member still leased by this lot (its lease may have expired and another lot taken it).
      if (cur.col(0) != "sending" || cur.col(1) != lot.lotId) continue;
      auto mv = m.move(member.ref, OutboxState::Pending, reason,
                       "sending_until=NULL, attempts=max(attempts-1,0)");
      if (!mv) return mv;
      ++count;
    }
    return {};
  });
  if (!r) return core::fail(r.error());
  return count;
}

core::Result<int> Outbox::releaseOrphanedClaims() {
  Impl& m = *m_impl;
  int count = 0;
  auto r = m.transact([&]() -> core::Result<void> {
    std::vector<FseRef> claimed;
    {
      Stmt st(m.db, "SELECT practitioner, invoice_number FROM outbox WHERE state='sending';");
      while (st.step() == SQLITE_ROW) claimed.push_back({st.col(0), static_cast<std::uint64_t>(st.colI(1))});
    }
    for (const auto& ref : claimed)
      if (auto mv = m.move(ref, OutboxState::Pending, "sender_restarted", "sending_until=NULL"); !mv) return mv;
    count = static_cast<int>(claimed.size());
    return {};
  });
  if (!r) return core::fail(r.error());
  return count;
}

core::Result<std::vector<std::string>> Outbox::lotsAwaitingArl() {
  Stmt st(m_impl->db,
          "SELECT lot_id FROM outbox WHERE state='awaiting_arl' AND lot_id IS NOT NULL "
          "GROUP BY lot_id ORDER BY min(sent_at), lot_id;");
  std::vector<std::string> lots;
  int rc = 0;
  while ((rc = st.step()) == SQLITE_ROW) lots.push_back(st.col(0));
  if (rc != SQLITE_DONE) return sqlError(m_impl->db, "select");
  return lots;
}

core::Result<SettleResult> Outbox::settle(const std::vector<Settlement>& lines) {
  Impl& m = *m_impl;
  SettleResult out;
  auto r = m.transact([&]() -> core::Result<void> {
    out = {};
    for (const auto& line : lines) {
      Stmt cur(&m.cache, m.db, "SELECT state FROM outbox WHERE practitioner=?1 AND invoice_number=?2;");
      cur.text(1, line.ref.practitioner).i64(2, static_cast<std::int64_t>(line.ref.number));
      if (cur.step() != SQLITE_ROW || cur.col(0) != "awaiting_arl") {
        ++out.ignored;
        continue;
      }
      if (line.accepted) {
        auto mv = m.move(line.ref, OutboxState::Acknowledged, "arl_positive", "acknowledged_at=?4, last_error=NULL",
                         [&](Stmt& s) { s.i64(4, m.clock->now()); });
        if (!mv) return mv;
        ++out.acknowledged;
      } else {
        const std::string reason = line.reasonCode.empty() ? std::string("arl_negative") : line.reasonCode;
        auto mv = m.move(line.ref, OutboxState::Rejected, reason, "last_error=?4", [&](Stmt& s) { s.text(4, reason); });
        if (!mv) return mv;
        ++out.rejected;
      }
    }
    return {};
  });
  if (!r) return core::fail(r.error());
  return out;
}

core::Result<std::map<std::string, int>> Outbox::countByState() {
  Stmt st(m_impl->db, "SELECT state, count(*) FROM outbox GROUP BY state;");
  std::map<std::string, int> counts;
  int rc = 0;
  while ((rc = st.step()) == SQLITE_ROW) counts[st.col(0)] = static_cast<int>(st.colI(1));
  if (rc != SQLITE_DONE) return sqlError(m_impl->db, "select");
  return counts;
}

core::Result<void> Outbox::markFailed(const FseRef& ref, std::string_view errorCode, bool transient) {
  return m_impl->transact([&] { return m_impl->fail(ref, errorCode, transient); });
}

core::Result<void> Outbox::markLotFailed(const Lot& lot, std::string_view errorCode, bool transient) {
  return m_impl->transact([&]() -> core::Result<void> {
    for (const auto& member : lot.members)
      if (auto r = m_impl->fail(member.ref, errorCode, transient); !r) return r;
    return {};
  });
}

core::Result<void> Outbox::acknowledge(const FseRef& ref) {
  Impl& m = *m_impl;
  return m.transact([&]() -> core::Result<void> {
    return m.move(ref, OutboxState::Acknowledged, "arl_positive", "acknowledged_at=?4, last_error=NULL",
                  [&](Stmt& s) { s.i64(4, m.clock->now()); });
  });
}

core::Result<void> Outbox::reject(const FseRef& ref, std::string_view reasonCode) {
  Impl& m = *m_impl;
  return m.transact([&]() -> core::Result<void> {
    return m.move(ref, OutboxState::Rejected, reasonCode, "last_error=?4", [&](Stmt& s) { s.text(4, reasonCode); });
  });
}

core::Result<int> Outbox::retransmitMissingArl() {
  Impl& m = *m_impl;
  int count = 0;
  auto r = m.transact([&]() -> core::Result<void> {
    std::vector<FseRef> late;
    {
      Stmt st(m.db, (std::string(kItemColumns) + " WHERE state='awaiting_arl';").c_str());
      const core::Date today = core::utcDate(m.clock->now());
      while (st.step() == SQLITE_ROW) {
        const OutboxItem it = m.readItem(st);
        if (it.deadlines.arlExpected && today > *it.deadlines.arlExpected) late.push_back(it.ref);
      }
    }
    for (const auto& ref : late) {
      auto mv = m.move(ref, OutboxState::Pending, "arl_missing", "last_error='arl_missing'");
      if (!mv) return mv;
    }
    count = static_cast<int>(late.size());
    return {};
  });
  if (!r) return core::fail(r.error());
  return count;
}

core::Result<void> Outbox::hold(const FseRef& ref, std::string_view reason) {
  return m_impl->transact([&] {
    return m_impl->move(ref, OutboxState::Held, reason, {}, {},
                        {OutboxState::Pending, OutboxState::Deferred, OutboxState::AwaitingArl});
  });
}

core::Result<void> Outbox::release(const FseRef& ref) {
  return m_impl->transact(
      [&] { return m_impl->move(ref, OutboxState::Pending, "operator_release", {}, {}, {OutboxState::Held}); });
}

core::Result<void> Outbox::retry(const FseRef& ref) {
  return m_impl->transact(
      [&] {
        return m_impl->move(ref, OutboxState::Pending, "operator_retry", "next_attempt_at=NULL", {},
                            {OutboxState::Deferred});
      });
}

core::Result<std::vector<OutboxItem>> Outbox::list() {
  Stmt st(m_impl->db, (std::string(kItemColumns) + " ORDER BY practitioner, invoice_number;").c_str());
  std::vector<OutboxItem> items;
  int rc = 0;
  while ((rc = st.step()) == SQLITE_ROW) items.push_back(m_impl->readItem(st));
  if (rc != SQLITE_DONE) return sqlError(m_impl->db, "select");
  return items;
}

core::Result<OutboxItem> Outbox::show(const FseRef& ref) {
  Stmt st(m_impl->db, (std::string(kItemColumns) + " WHERE practitioner=?1 AND invoice_number=?2;").c_str());
  st.text(1, ref.practitioner).i64(2, static_cast<std::int64_t>(ref.number));
  const int rc = st.step();
  if (rc == SQLITE_DONE) return core::fail(core::Errc::OutboxNotFound, {ref.str()});
  if (rc != SQLITE_ROW) return sqlError(m_impl->db, "select");
  return m_impl->readItem(st);
}

core::Result<OutboxStats> Outbox::stats() {
  auto items = list();
  if (!items) return core::fail(items.error());
  OutboxStats s;
  for (const auto& it : *items) {
    ++s.byState[it.rawState];
    if (it.overdue) ++s.overdue;
    else if (it.dueSoon) ++s.dueWithinOneWorkingDay;
  }
  return s;
}

core::Result<int> Outbox::purge() {
  Impl& m = *m_impl;
  int count = 0;
  auto r = m.transact([&]() -> core::Result<void> {
    const core::UnixSeconds cutoff = m.clock->now() - static_cast<core::UnixSeconds>(kRetentionDays) * 86400;
    std::vector<FseRef> old;
    {
      Stmt st(m.db,
              "SELECT practitioner, invoice_number FROM outbox WHERE state='acknowledged' AND "
              "acknowledged_at IS NOT NULL AND acknowledged_at<=?1;");
      st.i64(1, cutoff);
      while (st.step() == SQLITE_ROW) old.push_back({st.col(0), static_cast<std::uint64_t>(st.colI(1))});
    }
    for (const auto& ref : old) {
      for (const char* sql : {"DELETE FROM lot_member WHERE practitioner=?1 AND invoice_number=?2;",
                              "DELETE FROM outbox WHERE practitioner=?1 AND invoice_number=?2;",
                              "DELETE FROM fse WHERE practitioner=?1 AND invoice_number=?2;"}) {
        Stmt d(m.db, sql);
        d.text(1, ref.practitioner).i64(2, static_cast<std::int64_t>(ref.number));
        if (d.step() != SQLITE_DONE) return sqlError(m.db, "purge");
      }
      if (!detail::appendAudit(m.db, m.clock->now(), ref.practitioner, static_cast<std::int64_t>(ref.number),
                               "acknowledged", "purged", "retention_90d"))
        return sqlError(m.db, "audit");
    }
    count = static_cast<int>(old.size());
    return {};
  });
  if (!r) return core::fail(r.error());
  return count;
}

core::Result<int> Outbox::quarantineUnreadable() {
  Impl& m = *m_impl;
  int count = 0;
  auto r = m.transact([&]() -> core::Result<void> {
    std::vector<std::tuple<FseRef, std::string, std::string>> bad;
    {
      Stmt st(m.db, "SELECT practitioner, invoice_number, state, care_date FROM outbox WHERE state<>'quarantined';");
      while (st.step() == SQLITE_ROW) {
        FseRef ref{st.col(0), static_cast<std::uint64_t>(st.colI(1))};
        const std::string state = st.col(2);
        if (!parseState(state)) bad.emplace_back(ref, state, "unreadable_state");
        else if (!core::Date::parseIso(st.col(3))) bad.emplace_back(ref, state, "unreadable_care_date");
        else if (state != "acknowledged" && !m.decrypt(ref)) bad.emplace_back(ref, state, "unreadable_document");
      }
    }
    for (const auto& [ref, state, reason] : bad)
      if (auto q = m.quarantine(ref, state, reason); !q) return q;
    count = static_cast<int>(bad.size());
    return {};
  });
  if (!r) return core::fail(r.error());
  return count;
}

core::Result<std::int64_t> Outbox::verifyAudit() {
  Stmt st(m_impl->db,
          "SELECT seq, at, practitioner, invoice_number, from_state, to_state, reason, prev_hash, hash FROM audit "
          "ORDER BY seq;");
  std::string prev = detail::genesisHash();
  std::int64_t expected = 1;
  int rc = 0;
  while ((rc = st.step()) == SQLITE_ROW) {
    const std::int64_t seq = st.colI(0);
    const std::string hash =
        detail::auditHash(prev, seq, st.colI(1), st.col(2), st.colI(3), st.col(4), st.col(5), st.col(6));
    if (seq != expected || st.col(7) != prev || st.col(8) != hash)
      return core::fail(core::Errc::OutboxAuditBroken, {std::to_string(seq)});
    prev = hash;
    ++expected;
  }
  if (rc != SQLITE_DONE) return sqlError(m_impl->db, "audit");
  return expected - 1;
}

core::Result<std::string> Outbox::document(const FseRef& ref) { return m_impl->decrypt(ref); }

}  // namespace vd::billing
