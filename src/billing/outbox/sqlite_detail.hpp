#pragma once
/// \file
/// Internal to src/billing/outbox: small SQLite helpers shared by the register and the
/// outbox, and the hash-chained audit append (one row per state change, in the caller's
/// transaction). Not a public header.

#include <sqlite3.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/digest.hpp"

namespace vd::billing::detail {

/// Prepared statements of one connection, kept for reuse: the outbox's per-sheet paths run the
/// same SQL hundreds of times per lot. Clear it before closing the connection.
class StmtCache {
 public:
  StmtCache() = default;
  StmtCache(const StmtCache&) = delete;
  StmtCache& operator=(const StmtCache&) = delete;
  ~StmtCache() { clear(); }
  void clear() {
    for (auto& [sql, st] : m_statements) sqlite3_finalize(st);
    m_statements.clear();
  }
  /// The statement for `sql` (prepared on first use), or null when it does not compile.
  sqlite3_stmt* get(sqlite3* db, const std::string& sql) {
    const auto it = m_statements.find(sql);
    if (it != m_statements.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) return nullptr;
    m_statements.emplace(sql, st);
    return st;
  }

 private:
  std::unordered_map<std::string, sqlite3_stmt*> m_statements;
};

/// One statement: prepared here and finalized at the end, or borrowed from a StmtCache and
/// reset (bindings cleared) at both ends. A borrower must be done reading before anything it
/// calls borrows the same SQL.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  bool borrowed = false;
  Stmt() = default;
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  Stmt(StmtCache* cache, sqlite3* db, const std::string& sql) {
    if (cache) {
      // Reset on acquisition too: an enclosing borrower of the same SQL (done reading) may
      // still hold it.
      s = cache->get(db, sql);
      borrowed = true;
      if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } else {
      sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    if (!borrowed) {
      sqlite3_finalize(s);
    } else if (s) {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  }
  explicit operator bool() const { return s != nullptr; }
  Stmt& text(int i, std::string_view v) {
    if (s) sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& i64(int i, std::int64_t v) {
    if (s) sqlite3_bind_int64(s, i, v);
    return *this;
  }
  Stmt& null(int i) {
    if (s) sqlite3_bind_null(s, i);
    return *this;
  }
  int step() { return s ? sqlite3_step(s) : SQLITE_ERROR; }
  std::string col(int i) const {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    return t ? std::string(t, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
  }
  std::int64_t colI(int i) const { return sqlite3_column_int64(s, i); }
  bool isNull(int i) const { return sqlite3_column_type(s, i) == SQLITE_NULL; }
};

/// The register error for the last SQLite failure: OutboxDiskFull when the disk is full
/// (SQLITE_FULL: a write gave ENOSPC; or an I/O error whose system errno is ENOSPC, e.g. the
/// WAL index could not grow), FseStore otherwise. Call before any ROLLBACK.
inline core::Failure sqlError(sqlite3* db, const char* what) {
  // The step and SQLite's result code (language-neutral), not sqlite3_errmsg()'s English text.
  const int primary = db ? (sqlite3_extended_errcode(db) & 0xff) : SQLITE_CANTOPEN;
  static constexpr std::pair<int, const char*> kNames[] = {
      {SQLITE_BUSY, "SQLITE_BUSY"},       {SQLITE_LOCKED, "SQLITE_LOCKED"},     {SQLITE_NOMEM, "SQLITE_NOMEM"},
      {SQLITE_READONLY, "SQLITE_READONLY"}, {SQLITE_IOERR, "SQLITE_IOERR"},     {SQLITE_CORRUPT, "SQLITE_CORRUPT"},
      {SQLITE_FULL, "SQLITE_FULL"},       {SQLITE_CANTOPEN, "SQLITE_CANTOPEN"}, {SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT"},
      {SQLITE_NOTADB, "SQLITE_NOTADB"},   {SQLITE_ERROR, "SQLITE_ERROR"}};
  std::string detail = std::string(what) + ": SQLITE " + std::to_string(db ? sqlite3_extended_errcode(db) : primary);
  for (const auto& [code, name] : kNames)
    if (code == primary) detail = std::string(what) + ": " + name;
  if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && sqlite3_system_errno(db) == ENOSPC))
    return core::fail(core::Errc::OutboxDiskFull, {detail});
  return core::fail(core::Errc::FseStore, {detail});
}

inline const std::string& genesisHash() {
  static const std::string g(64, '0');
  return g;
}

/// The hash of one audit entry, chained to the previous one.
inline std::string auditHash(std::string_view prev, std::int64_t seq, std::int64_t at, std::string_view practitioner,
                             std::int64_t number, std::string_view from, std::string_view to,
                             std::string_view reason) {
  std::string material(prev);
  material += '|' + std::to_string(seq) + '|' + std::to_string(at) + '|' + std::string(practitioner) + '|' +
              std::to_string(number) + '|' + std::string(from) + '|' + std::string(to) + '|' + std::string(reason);
  const auto d = crypto::sha256(material);
  return crypto::toHex(d);
}

/// Appends an audit entry in the current transaction. `from` is "" for the enqueue.
inline bool appendAudit(sqlite3* db, core::UnixSeconds at, std::string_view practitioner, std::int64_t number,
                        std::string_view from, std::string_view to, std::string_view reason,
                        StmtCache* cache = nullptr) {
  std::string prev = genesisHash();
  std::int64_t seq = 1;
  {
    Stmt last(cache, db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1;");
    const int rc = last.step();
    if (rc == SQLITE_ROW) {
      seq = last.colI(0) + 1;
      prev = last.col(1);
    } else if (rc != SQLITE_DONE) {
      return false;
    }
  }
  const std::string hash = auditHash(prev, seq, at, practitioner, number, from, to, reason);
  Stmt ins(cache, db,
           "INSERT INTO audit(seq, at, practitioner, invoice_number, from_state, to_state, reason, prev_hash, hash) "
           "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9);");
  ins.i64(1, seq).i64(2, at).text(3, practitioner).i64(4, number).text(5, from).text(6, to).text(7, reason);
  ins.text(8, prev).text(9, hash);
  return ins.step() == SQLITE_DONE;
}

/// Associated data binding an encrypted document to its row.
inline std::string documentAad(std::string_view practitioner, std::uint64_t number) {
  return "vd-fse-doc/1|" + std::string(practitioner) + '|' + std::to_string(number);
}

}  // namespace vd::billing::detail
