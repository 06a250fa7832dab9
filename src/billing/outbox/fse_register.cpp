#include "billing/outbox/fse_register.hpp"

#include <sqlite3.h>

#include <ctime>

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
};

core::Failure storeError(sqlite3* db, const char* what) {
  return core::fail(core::Errc::FseStore, {std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "open")});
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

}  // namespace

struct FseRegister::Impl {
  sqlite3* db = nullptr;
  ~Impl() { sqlite3_close(db); }

  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
};

FseRegister::FseRegister(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
FseRegister::FseRegister(FseRegister&&) noexcept = default;
FseRegister& FseRegister::operator=(FseRegister&&) noexcept = default;
FseRegister::~FseRegister() = default;

core::Result<FseRegister> FseRegister::open(const std::filesystem::path& file) {
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
    return core::fail(core::Errc::FseStore, {"database from a newer VitaleDesk (schema " + std::to_string(version) + ")"});
  }
  for (int v = version; v < kTarget; ++v) {
    if (!impl->exec(kMigrations[v])) {
      auto err = storeError(impl->db, "migration");
      impl->exec("ROLLBACK;");
      return err;
    }
  }
  const std::string setVersion = "PRAGMA user_version=" + std::to_string(kTarget) + ";";
  if (!impl->exec(setVersion.c_str()) || !impl->exec("COMMIT;")) {
    auto err = storeError(impl->db, "migration commit");
    impl->exec("ROLLBACK;");
    return err;
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
    const std::vector<CapCharge>& charges) {
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
  Stmt ins, up;
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const bool ok =
      sqlite3_prepare_v2(db, "INSERT INTO fse(practitioner, invoice_number, stored_at, document) VALUES(?1,?2,?3,?4);",
                         -1, &ins.s, nullptr) == SQLITE_OK &&
      sqlite3_bind_text(ins.s, 1, practitionerId.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
      sqlite3_bind_int64(ins.s, 2, static_cast<sqlite3_int64>(number)) == SQLITE_OK &&
      sqlite3_bind_text(ins.s, 3, stamp, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
      sqlite3_bind_text(ins.s, 4, document->c_str(), static_cast<int>(document->size()), SQLITE_TRANSIENT) ==
          SQLITE_OK &&
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
    const bool capOk =
        sqlite3_prepare_v2(db,
                           "INSERT INTO cap_charge(beneficiary, practitioner, day, pf_cents, pf_count, "
                           "franchise_cents, invoice_number) VALUES(?1,?2,?3,?4,?5,?6,?7);",
                           -1, &cap.s, nullptr) == SQLITE_OK &&
        sqlite3_bind_text(cap.s, 1, c.beneficiaryKey.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
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
  sqlite3_bind_text(st.s, 1, beneficiaryKey.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 2, from.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 3, to.c_str(), -1, SQLITE_TRANSIENT);
  auto history = std::make_unique<InMemoryCapHistory>();
  int rc = 0;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    const auto* practitioner = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
    const auto* dayText = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1));
    auto day = core::Date::parseIso(dayText ? dayText : "");
    if (!day) return core::fail(core::Errc::FseStore, {"cap counters: unreadable day"});
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
  if (sqlite3_step(st.s) != SQLITE_ROW) return core::fail(core::Errc::FseStore, {"no such care sheet"});
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
  return std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st.s, 0)));
}

}  // namespace vd::billing
