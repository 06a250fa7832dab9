#include "billing/outbox/fse_register.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <tuple>

#include "billing/outbox/data_key.hpp"
#include "billing/outbox/sqlite_detail.hpp"
#include "crypto/aead.hpp"
#include "crypto/digest.hpp"

namespace vd::billing {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Schema migrations, applied in order; PRAGMA user_version = number applied.
constexpr const char* kMigrations[] = {
    R"sql(
      CREATE TABLE invoice_counter(
        practitioner TEXT PRIMARY KEY,
        last_number  INTEGER NOT NULL CHECK (last_number >= 0));
      CREATE TABLE fse(
        practitioner   TEXT NOT NULL,
        invoice_number INTEGER NOT NULL,
        stored_at      TEXT NOT NULL,
        document       TEXT NOT NULL,
        PRIMARY KEY (practitioner, invoice_number));
    )sql",
    // 2: local cap counters of the PF and franchises (pseudonymous beneficiary key).
    R"sql(
      CREATE TABLE cap_charge(
        beneficiary     TEXT NOT NULL,
        practitioner    TEXT NOT NULL,
        day             TEXT NOT NULL,
        pf_cents        INTEGER NOT NULL CHECK (pf_cents >= 0),
        pf_count        INTEGER NOT NULL CHECK (pf_count >= 0),
        franchise_cents INTEGER NOT NULL CHECK (franchise_cents >= 0),
        invoice_number  INTEGER NOT NULL);
      CREATE INDEX cap_charge_by_beneficiary ON cap_charge(beneficiary, day);
    )sql",
    // 3: the outbox (docs/outbox.md): one state row per care sheet, lots, hash-chained audit,
    // quarantine. Sheets stored before this version enter the queue as pending.
    R"sql(
      CREATE TABLE outbox(
        practitioner    TEXT NOT NULL,
        invoice_number  INTEGER NOT NULL,
        state           TEXT NOT NULL,
        care_date       TEXT NOT NULL,
        tiers_payant    INTEGER NOT NULL DEFAULT 0,
        destination     TEXT NOT NULL,
        idem_key        TEXT NOT NULL UNIQUE,
        attempts        INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL,
        next_attempt_at INTEGER,
        sending_until   INTEGER,
        sent_at         INTEGER,
        acknowledged_at INTEGER,
        lot_id          TEXT,
        last_error      TEXT,
        PRIMARY KEY (practitioner, invoice_number),
        FOREIGN KEY (practitioner, invoice_number) REFERENCES fse(practitioner, invoice_number));
      CREATE INDEX outbox_by_state ON outbox(state, next_attempt_at);
      CREATE TABLE lot(
        lot_id      TEXT PRIMARY KEY,
        idem_key    TEXT NOT NULL UNIQUE,
        destination TEXT NOT NULL,
        created_at  INTEGER NOT NULL);
      CREATE TABLE lot_member(
        lot_id         TEXT NOT NULL REFERENCES lot(lot_id),
        practitioner   TEXT NOT NULL,
        invoice_number INTEGER NOT NULL,
        PRIMARY KEY (lot_id, practitioner, invoice_number));
      CREATE TABLE audit(
        seq            INTEGER PRIMARY KEY,
        at             INTEGER NOT NULL,
        practitioner   TEXT NOT NULL,
        invoice_number INTEGER NOT NULL,
        from_state     TEXT NOT NULL,
        to_state       TEXT NOT NULL,
        reason         TEXT NOT NULL,
        prev_hash      TEXT NOT NULL,
        hash           TEXT NOT NULL);
      CREATE TABLE quarantine(
        practitioner   TEXT NOT NULL,
        invoice_number INTEGER NOT NULL,
        at             INTEGER NOT NULL,
        reason         TEXT NOT NULL,
        previous_state TEXT NOT NULL,
        PRIMARY KEY (practitioner, invoice_number));
      INSERT INTO outbox(practitioner, invoice_number, state, care_date, destination, idem_key, created_at)
        SELECT practitioner, invoice_number, 'pending', substr(stored_at, 1, 10), 'default',
               lower(hex(randomblob(16))), CAST(strftime('%s', 'now') AS INTEGER) FROM fse;
    )sql",
    // 4: register facts. "legacy_rows" = "done" once no row of an older version is left (cap
    // keys without "k1:", documents in clear): open() then skips the scans of upgradeLegacyRows.
    R"sql(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql",
};

constexpr const char* kLegacyRowsDone = "INSERT OR REPLACE INTO meta(key, value) VALUES('legacy_rows', 'done');";

core::Failure storeError(sqlite3* db, const char* what) { return detail::sqlError(db, what); }

using detail::Stmt;

}  // namespace

struct FseRegister::Impl {
  sqlite3* db = nullptr;
  std::vector<std::uint8_t> key;
  ~Impl() { sqlite3_close(db); }

  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

  core::Result<std::vector<std::uint8_t>> seal(const std::string& practitioner, std::uint64_t number,
                                               const std::string& document) const {
    const auto* p = reinterpret_cast<const std::uint8_t*>(document.data());
    return crypto::aeadSeal(key, {p, document.size()}, detail::documentAad(practitioner, number));
  }

  /// The key under which a beneficiary's cap charges are stored: HMAC-SHA-256 of the caller's
  /// pseudonymous key under the register's data key ("k1:" + 24 hex digits). A hash of NIR,
  /// birth date and rank alone could be reversed by trying every NIR of a birth month; without
  /// the key file it cannot.
  std::string capKey(const std::string& beneficiaryKey) const {
    const auto mac = crypto::hmacSha256(key, beneficiaryKey);
    return "k1:" + crypto::toHex(std::span(mac.data(), 12));
  }

  /// Runs `body` in one IMMEDIATE transaction: committed when it succeeds, rolled back otherwise.
  template <class Body>
  core::Result<void> inTransaction(Body&& body) {
    if (!exec("BEGIN IMMEDIATE;")) return storeError(db, "begin");
    if (auto done = body(); !done) {
      exec("ROLLBACK;");
      return done;
    }
    if (!exec("COMMIT;")) {
      auto err = storeError(db, "commit");
      exec("ROLLBACK;");
      return err;
    }
    return {};
  }

  /// True once the rows of older versions have been upgraded (meta "legacy_rows").
  /// Rows written under the data key: sealed sheets, keyed cap counters.
  bool holdsKeyedRows() {
    detail::Stmt st(db,
                    "SELECT EXISTS(SELECT 1 FROM fse) OR "
                    "EXISTS(SELECT 1 FROM cap_charge WHERE beneficiary LIKE 'k1:%');");
    // An unreadable answer counts as rows: refusing to make a key is the safe side.
    return st.s == nullptr || sqlite3_step(st.s) != SQLITE_ROW || sqlite3_column_int(st.s, 0) != 0;
  }
  bool legacyRowsDone() {
    detail::Stmt st(db, "SELECT 1 FROM meta WHERE key='legacy_rows' AND value='done';");
    return st.step() == SQLITE_ROW;
  }

  /// Rows of older versions are upgraded in place, once, in one transaction: documents stored
  /// in clear are encrypted, cap keys without the "k1:" prefix re-keyed; then "legacy_rows" is
  /// recorded so that later opens do not scan the tables again.
  core::Result<void> upgradeLegacyRows() {
    return inTransaction([&]() -> core::Result<void> {
      if (legacyRowsDone()) return {};  // another process did it meanwhile
      if (auto enc = encryptLegacyDocuments(); !enc) return enc;
      if (auto rekeyed = rekeyLegacyCapCharges(); !rekeyed) return rekeyed;
      if (!exec(kLegacyRowsDone)) return storeError(db, "meta");
      return {};
    });
  }

  /// Rows written before keyed pseudonyms (no "k1:" prefix) are re-keyed (in upgradeLegacyRows).
  core::Result<void> rekeyLegacyCapCharges() {
    std::vector<std::string> legacy;
    {
      detail::Stmt st(db, "SELECT DISTINCT beneficiary FROM cap_charge WHERE beneficiary NOT LIKE 'k1:%';");
      while (st.step() == SQLITE_ROW) legacy.push_back(st.col(0));
    }
    for (const std::string& old : legacy) {
      detail::Stmt up(db, "UPDATE cap_charge SET beneficiary=?1 WHERE beneficiary=?2;");
      up.text(1, capKey(old)).text(2, old);
      if (up.step() != SQLITE_DONE) return storeError(db, "cap_charge");
    }
    return {};
  }

  // Documents stored in clear by a version before encryption (TEXT rows) are encrypted in place
  // (in upgradeLegacyRows).
  core::Result<void> encryptLegacyDocuments() {
    std::vector<std::tuple<std::string, std::int64_t, std::string>> rows;
    {
      detail::Stmt st(db, "SELECT practitioner, invoice_number, document FROM fse WHERE typeof(document)='text';");
      while (st.step() == SQLITE_ROW) rows.emplace_back(st.col(0), st.colI(1), st.col(2));
    }
    for (const auto& [practitioner, number, document] : rows) {
      auto sealed = seal(practitioner, static_cast<std::uint64_t>(number), document);
      if (!sealed) return core::fail(sealed.error());
      detail::Stmt up(db, "UPDATE fse SET document=?1 WHERE practitioner=?2 AND invoice_number=?3;");
      sqlite3_bind_blob(up.s, 1, sealed->data(), static_cast<int>(sealed->size()), SQLITE_TRANSIENT);
      up.text(2, practitioner).i64(3, number);
      if (up.step() != SQLITE_DONE) return storeError(db, "encrypt");
    }
    return {};
  }
};

FseRegister::FseRegister(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
FseRegister::FseRegister(FseRegister&&) noexcept = default;
FseRegister& FseRegister::operator=(FseRegister&&) noexcept = default;
FseRegister::~FseRegister() = default;

std::vector<CapCharge> capChargesOf(const Fse& fse, const std::string& beneficiaryKey) {
  CapCharge charge{beneficiaryKey, fse.practitioner.rpps, fse.createdOn, {}, 0, {}};
  for (const auto& l : fse.lines) {
    charge.day = l.date;
    charge.pf += l.participationForfaitaire;
    charge.pfCount += l.participationForfaitaire > core::Money() ? 1 : 0;
    charge.franchise += l.franchise;
  }
  if (charge.pfCount == 0 && charge.franchise <= core::Money()) return {};
  return {charge};
}

QueueEntry queueEntryOf(const Fse& fse) {
  QueueEntry queue;
  queue.careDate = fse.createdOn;
  for (const auto& l : fse.lines) queue.careDate = std::min(*queue.careDate, l.date);
  queue.tiersPayant = fse.tiersPayantAmo;
  queue.destination = fse.amo.regime + fse.amo.caisse;
  return queue;
}

core::Result<FseRegister> FseRegister::open(const RegisterLocation& where) {
  const std::filesystem::path& file = where.file;
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(file.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    return storeError(impl->db, "open");
  }
  sqlite3_busy_timeout(impl->db, kBusyTimeoutMs);
  if (!impl->exec("PRAGMA journal_mode=WAL;") || !impl->exec("PRAGMA synchronous=FULL;") ||
      !impl->exec("PRAGMA foreign_keys=ON;")) {
    return storeError(impl->db, "pragma");
  }
  if (!impl->exec("BEGIN IMMEDIATE;")) return storeError(impl->db, "migrate");
  int version = 0;
  {
    Stmt st;
    if (sqlite3_prepare_v2(impl->db, "PRAGMA user_version;", -1, &st.s, nullptr) != SQLITE_OK ||
        sqlite3_step(st.s) != SQLITE_ROW) {
      impl->exec("ROLLBACK;");
      return storeError(impl->db, "user_version");
    }
    version = sqlite3_column_int(st.s, 0);
  }
  constexpr int kTarget = static_cast<int>(std::size(kMigrations));
  if (version > kTarget) {
    impl->exec("ROLLBACK;");
    return core::fail(core::Errc::FseStore,
                      {core::frEn("base d'une version plus récente de VitaleDesk, schéma " + std::to_string(version),
                                  "database from a newer VitaleDesk, schema " + std::to_string(version))});
  }
  for (int v = version; v < kTarget; ++v) {
    if (!impl->exec(kMigrations[v])) {
      auto err = storeError(impl->db, "migration");
      impl->exec("ROLLBACK;");
      return err;
    }
  }
  const std::string setVersion = "PRAGMA user_version=" + std::to_string(kTarget) + ";";
  // A new register has no row of an older version: nothing to upgrade, ever.
  if ((version == 0 && !impl->exec(kLegacyRowsDone)) || !impl->exec(setVersion.c_str()) || !impl->exec("COMMIT;")) {
    auto err = storeError(impl->db, "migration commit");
    impl->exec("ROLLBACK;");
    return err;
  }
  // A new key only for a register that holds nothing under the old one (sheets, keyed cap
  // counters): never silently replace a lost key.
  // (A register from before encryption holds its sheets in clear: its first key is made here.)
  auto key = loadOrCreateDataKey(where, !impl->legacyRowsDone() || !impl->holdsKeyedRows());
  if (!key) return core::fail(key.error());
  impl->key = std::move(*key);
  if (!impl->legacyRowsDone()) {
    if (auto upgraded = impl->upgradeLegacyRows(); !upgraded) return core::fail(upgraded.error());
  }
  return FseRegister(std::move(impl));
}

core::Result<std::uint64_t> FseRegister::lastNumber(const std::string& practitionerId) {
  Stmt st;
  if (sqlite3_prepare_v2(m_impl->db, "SELECT last_number FROM invoice_counter WHERE practitioner=?1;", -1, &st.s,
                         nullptr) != SQLITE_OK) {
    return storeError(m_impl->db, "select");
  }
  sqlite3_bind_text(st.s, 1, practitionerId.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(st.s);
  if (rc == SQLITE_ROW) return static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0));
  if (rc == SQLITE_DONE) return std::uint64_t{0};
  return storeError(m_impl->db, "select");
}

core::Result<std::uint64_t> FseRegister::commitNew(
    const std::string& practitionerId, const std::function<core::Result<std::string>(std::uint64_t)>& build,
    const std::vector<CapCharge>& charges, const QueueEntry& queue) {
  sqlite3* db = m_impl->db;
  // IMMEDIATE: take the write lock first, so two desks can never read the same last number.
  if (!m_impl->exec("BEGIN IMMEDIATE;")) return storeError(db, "begin");
  auto rollback = [this] { m_impl->exec("ROLLBACK;"); };
  auto last = lastNumber(practitionerId);
  if (!last) {
    rollback();
    return core::fail(last.error());
  }
  const std::uint64_t number = *last + 1;
  auto document = build(number);
  if (!document) {
    rollback();
    return core::fail(document.error());
  }
  auto sealed = m_impl->seal(practitionerId, number, *document);
  if (!sealed) {
    rollback();
    return core::fail(sealed.error());
  }
  Stmt ins, up;
  char stamp[32];
  const std::time_t now = queue.now ? static_cast<std::time_t>(*queue.now) : std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const bool ok =
      sqlite3_prepare_v2(db, "INSERT INTO fse(practitioner, invoice_number, stored_at, document) VALUES(?1,?2,?3,?4);",
                         -1, &ins.s, nullptr) == SQLITE_OK &&
      sqlite3_bind_text(ins.s, 1, practitionerId.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
      sqlite3_bind_int64(ins.s, 2, static_cast<sqlite3_int64>(number)) == SQLITE_OK &&
      sqlite3_bind_text(ins.s, 3, stamp, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
      sqlite3_bind_blob(ins.s, 4, sealed->data(), static_cast<int>(sealed->size()), SQLITE_TRANSIENT) == SQLITE_OK &&
      sqlite3_step(ins.s) == SQLITE_DONE &&
      sqlite3_prepare_v2(db,
                         "INSERT INTO invoice_counter(practitioner, last_number) VALUES(?1, ?2) "
                         "ON CONFLICT(practitioner) DO UPDATE SET last_number=excluded.last_number;",
                         -1, &up.s, nullptr) == SQLITE_OK &&
      sqlite3_bind_text(up.s, 1, practitionerId.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
      sqlite3_bind_int64(up.s, 2, static_cast<sqlite3_int64>(number)) == SQLITE_OK && sqlite3_step(up.s) == SQLITE_DONE;
  if (!ok) {
    auto err = storeError(db, "insert");
    rollback();
    return err;
  }
  for (const CapCharge& c : charges) {
    Stmt cap;
    const std::string day = c.day.iso();
    const std::string stored = m_impl->capKey(c.beneficiaryKey);
    const bool capOk =
        sqlite3_prepare_v2(db,
                           "INSERT INTO cap_charge(beneficiary, practitioner, day, pf_cents, pf_count, "
                           "franchise_cents, invoice_number) VALUES(?1,?2,?3,?4,?5,?6,?7);",
                           -1, &cap.s, nullptr) == SQLITE_OK &&
        sqlite3_bind_text(cap.s, 1, stored.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
        sqlite3_bind_text(cap.s, 2, c.practitionerId.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
        sqlite3_bind_text(cap.s, 3, day.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
        sqlite3_bind_int64(cap.s, 4, c.pf.cents()) == SQLITE_OK && sqlite3_bind_int(cap.s, 5, c.pfCount) == SQLITE_OK &&
        sqlite3_bind_int64(cap.s, 6, c.franchise.cents()) == SQLITE_OK &&
        sqlite3_bind_int64(cap.s, 7, static_cast<sqlite3_int64>(number)) == SQLITE_OK &&
        sqlite3_step(cap.s) == SQLITE_DONE;
    if (!capOk) {
      auto err = storeError(db, "cap counters");
      rollback();
      return err;
    }
  }
  // The outbox row: pending, with its idempotency key, in this same transaction.
  auto idem = crypto::randomBytes(16);
  if (!idem) {
    rollback();
    return core::fail(idem.error());
  }
  const core::Date careDate = queue.careDate ? *queue.careDate : core::utcDate(static_cast<core::UnixSeconds>(now));
  detail::Stmt q(db,
                 "INSERT INTO outbox(practitioner, invoice_number, state, care_date, tiers_payant, destination, "
                 "idem_key, created_at) VALUES(?1,?2,'pending',?3,?4,?5,?6,?7);");
  q.text(1, practitionerId).i64(2, static_cast<std::int64_t>(number)).text(3, careDate.iso());
  q.i64(4, queue.tiersPayant ? 1 : 0).text(5, queue.destination).text(6, crypto::toHex(*idem)).i64(7, now);
  if (q.step() != SQLITE_DONE ||
      !detail::appendAudit(db, now, practitionerId, static_cast<std::int64_t>(number), "", "pending", "enqueued")) {
    auto err = storeError(db, "outbox");
    rollback();
    return err;
  }
  if (!m_impl->exec("COMMIT;")) {
    auto err = storeError(db, "commit");
    rollback();
    return err;
  }
  return number;
}

core::Result<std::unique_ptr<InMemoryCapHistory>> FseRegister::capHistory(const std::string& beneficiaryKey,
                                                                         int year) {
  Stmt st;
  if (sqlite3_prepare_v2(m_impl->db,
                         "SELECT practitioner, day, pf_cents, pf_count, franchise_cents FROM cap_charge "
                         "WHERE beneficiary=?1 AND day >= ?2 AND day <= ?3;",
                         -1, &st.s, nullptr) != SQLITE_OK) {
    return storeError(m_impl->db, "select");
  }
  const std::string from = std::to_string(year) + "-01-01";
  const std::string to = std::to_string(year) + "-12-31";
  const std::string stored = m_impl->capKey(beneficiaryKey);
  sqlite3_bind_text(st.s, 1, stored.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 2, from.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 3, to.c_str(), -1, SQLITE_TRANSIENT);
  auto history = std::make_unique<InMemoryCapHistory>();
  int rc = 0;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    const auto* practitioner = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
    const auto* dayText = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1));
    auto day = core::Date::parseIso(dayText ? dayText : "");
    if (!day) return core::fail(core::Errc::FseStore, {"cap_charge.day"});
    const auto pf = core::Money::cents(sqlite3_column_int64(st.s, 2));
    const int pfCount = sqlite3_column_int(st.s, 3);
    // One participation per recorded PF (the daily cap counts them); the amount is spread
    // so that the yearly sum stays exact.
    for (int i = 0; i < pfCount; ++i) {
      history->addPf(beneficiaryKey, practitioner ? practitioner : "", *day,
                     i == 0 ? pf : core::Money());
    }
    const auto franchise = core::Money::cents(sqlite3_column_int64(st.s, 4));
    if (franchise > core::Money()) history->addFranchise(beneficiaryKey, *day, franchise);
  }
  if (rc != SQLITE_DONE) return storeError(m_impl->db, "select");
  return history;
}

core::Result<std::string> FseRegister::document(const std::string& practitionerId, std::uint64_t number) {
  Stmt st;
  if (sqlite3_prepare_v2(m_impl->db, "SELECT document FROM fse WHERE practitioner=?1 AND invoice_number=?2;", -1,
                         &st.s, nullptr) != SQLITE_OK) {
    return storeError(m_impl->db, "select");
  }
  sqlite3_bind_text(st.s, 1, practitionerId.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 2, static_cast<sqlite3_int64>(number));
  if (sqlite3_step(st.s) != SQLITE_ROW)
    return core::fail(core::Errc::FseStore, {core::frEn("FSE introuvable", "no such care sheet")});
  if (sqlite3_column_type(st.s, 0) == SQLITE_BLOB) {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st.s, 0));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st.s, 0));
    auto plain = crypto::aeadOpen(m_impl->key, {p, n}, detail::documentAad(practitionerId, number));
    if (!plain) return core::fail(plain.error());
    return std::string(plain->begin(), plain->end());
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
  return std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st.s, 0)));
}

}  // namespace vd::billing
