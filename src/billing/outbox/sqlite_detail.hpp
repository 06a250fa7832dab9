#pragma once
/// \file
/// Internal to src/billing/outbox: small SQLite helpers shared by the register and the
/// outbox, and the hash-chained audit append (one row per state change, in the caller's
/// transaction). Not a public header.

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "billing/outbox/clock.hpp"
#include "core/result.hpp"
#include "crypto/digest.hpp"

namespace vd::billing::detail {

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt() = default;
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s); }
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

inline core::Failure sqlError(sqlite3* db, const char* what) {
  return core::fail(core::Errc::FseStore, {std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "open")});
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
inline bool appendAudit(sqlite3* db, UnixSeconds at, std::string_view practitioner, std::int64_t number,
                        std::string_view from, std::string_view to, std::string_view reason) {
  std::string prev = genesisHash();
  std::int64_t seq = 1;
  {
    Stmt last(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1;");
    const int rc = last.step();
    if (rc == SQLITE_ROW) {
      seq = last.colI(0) + 1;
      prev = last.col(1);
    } else if (rc != SQLITE_DONE) {
      return false;
    }
  }
  const std::string hash = auditHash(prev, seq, at, practitioner, number, from, to, reason);
  Stmt ins(db,
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
