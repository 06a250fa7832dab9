#pragma once
/// \file
/// Dated tables: values that change on a date (tariffs, flat-rate contributions, caps,
/// reimbursement rates), read from CSV files shipped in resources/tariffs/. Parsing is pure:
/// the caller reads the file and passes its text and name, errors carry "name:line".
///
/// Format (docs/tariffs.md): UTF-8, comma-separated, '#' starts a comment line, the first
/// other line is the header. Required columns: key, value, unit, effective_from,
/// effective_to, source; optional: kind, label_fr, label_en. Dates are YYYY-MM-DD;
/// effective_to is the last day the value applies, empty while in force. Units: EUR and
/// percent take exactly two decimals, count a whole number. Periods of one key never overlap.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace vd::core {

enum class TableUnit { Eur, Percent, Count };

struct DatedRow {
  std::string key;
  std::string kind;
  std::int64_t hundredths = 0;  ///< value × 100 (cents, basis points, count × 100)
  TableUnit unit = TableUnit::Eur;
  Date from = *Date::fromYmd(1970, 1, 1);
  std::optional<Date> to;       ///< inclusive; nullopt = still in force
  std::string labelFr;
  std::string labelEn;
  std::string source;
  int line = 0;                 ///< 1-based line in the file

  bool covers(Date d) const { return from <= d && (!to || d <= *to); }
  Money money() const { return Money::cents(hundredths); }
  Rate rate() const { return Rate::basisPoints(static_cast<std::int32_t>(hundredths)); }
  std::int64_t count() const { return hundredths / 100; }
  /// "30.00", "70.00", "4".
  std::string valueText() const;
};

std::string_view tableUnitName(TableUnit unit);

class DatedTable {
 public:
  /// Parses and validates the whole file; the first problem is returned with
  /// where = "<name>:<line>".
  static Result<DatedTable> parse(std::string_view text, std::string name);

  const std::string& name() const { return m_name; }
  /// The row of `key` in force on `date`. Errors: TariffUnknownCode (key),
  /// TariffNotInForce (key, date, first from, last to or "…").
  Result<DatedRow> find(std::string_view key, Date date) const;
  /// True when the table has at least one period for `key`.
  bool contains(std::string_view key) const { return m_rows.find(key) != m_rows.end(); }
  /// All periods of `key`, oldest first (empty when unknown).
  std::vector<DatedRow> history(std::string_view key) const;
  /// Every key, sorted.
  std::vector<std::string> keys() const;
  std::size_t rowCount() const;

 private:
  std::string m_name;
  std::map<std::string, std::vector<DatedRow>, std::less<>> m_rows;  // sorted by `from`
};

}  // namespace vd::core
