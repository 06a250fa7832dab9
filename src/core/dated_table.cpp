#include "core/dated_table.hpp"

#include <algorithm>
#include <array>

namespace vd::core {
namespace {

constexpr std::size_t kMaxLines = 100000;
constexpr std::size_t kMaxLineLength = 4096;

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                     : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool validKey(std::string_view k) {
  if (k.empty() || k.size() > 64) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

struct Columns {
  int key = -1, kind = -1, value = -1, unit = -1, from = -1, to = -1, labelFr = -1,
      labelEn = -1, source = -1;
};

}  // namespace

std::string_view tableUnitName(TableUnit unit) {
  switch (unit) {
    case TableUnit::Eur: return "EUR";
    case TableUnit::Percent: return "percent";
    case TableUnit::Count: return "count";
  }
  return "?";
}

std::string DatedRow::valueText() const {
  if (unit == TableUnit::Count) return std::to_string(hundredths / 100);
  return Money::cents(hundredths).toString();
}

Result<DatedTable> DatedTable::parse(std::string_view text, std::string name) {
  DatedTable table;
  table.m_name = name;
  Columns col;
  std::size_t headerSize = 0;
  int lineNo = 0;
  std::size_t pos = 0;
  auto where = [&] { return name + ":" + std::to_string(lineNo); };

  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineNo;
    if (static_cast<std::size_t>(lineNo) > kMaxLines) {
      return fail(Errc::TableColumns, {"?", "?"}, where());
    }
    if (lineNo == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // UTF-8 BOM
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.size() > kMaxLineLength) return fail(Errc::TableField, {"line.length"}, where());
    auto fields = splitFields(line);
    for (auto& f : fields) f = trim(f);

    if (headerSize == 0) {
      headerSize = fields.size();
      const std::array<std::pair<std::string_view, int*>, 9> known{{
          {"key", &col.key}, {"kind", &col.kind}, {"value", &col.value}, {"unit", &col.unit},
          {"effective_from", &col.from}, {"effective_to", &col.to}, {"label_fr", &col.labelFr},
          {"label_en", &col.labelEn}, {"source", &col.source},
      }};
      for (std::size_t i = 0; i < fields.size(); ++i) {
        for (const auto& [n, slot] : known) {
          if (fields[i] == n) *slot = static_cast<int>(i);
        }
      }
      for (const auto& [n, slot] : known) {
        const bool optional = n == "kind" || n == "label_fr" || n == "label_en";
        if (*slot < 0 && !optional) return fail(Errc::TableHeader, {std::string(n)}, where());
      }
      continue;
    }

    if (fields.size() != headerSize) {
      return fail(Errc::TableColumns, {std::to_string(fields.size()), std::to_string(headerSize)}, where());
    }
    auto field = [&](int i) { return i < 0 ? std::string_view() : fields[static_cast<std::size_t>(i)]; };

    DatedRow row;
    row.line = lineNo;
    row.key = std::string(field(col.key));
    if (!validKey(row.key)) return fail(Errc::TableField, {"key"}, where());
    row.kind = std::string(field(col.kind));
    row.labelFr = std::string(field(col.labelFr));
    row.labelEn = std::string(field(col.labelEn));
    row.source = std::string(field(col.source));
    if (row.source.empty()) return fail(Errc::TableField, {"source"}, where());

    const std::string_view unit = field(col.unit);
    if (unit == "EUR") row.unit = TableUnit::Eur;
    else if (unit == "percent") row.unit = TableUnit::Percent;
    else if (unit == "count") row.unit = TableUnit::Count;
    else return fail(Errc::TableUnit, {std::string(unit.substr(0, 32))}, where());

    const std::string_view value = field(col.value);
    bool valueOk = false;
    if (row.unit == TableUnit::Count) {
      std::int64_t h = 0;
      valueOk = value.find_first_of(".,") == std::string_view::npos && parseHundredths(value, h) && h >= 0;
      row.hundredths = h;
    } else {
      valueOk = value.find(',') == std::string_view::npos && parseHundredths(value, row.hundredths, true);
      if (row.unit == TableUnit::Percent && (row.hundredths < 0 || row.hundredths > 10000)) valueOk = false;
    }
    if (!valueOk) return fail(Errc::TableValue, {std::string(value.substr(0, 32))}, where());

    auto from = Date::parseIso(field(col.from));
    if (!from) return fail(Errc::TableDate, {std::string(field(col.from).substr(0, 32))}, where());
    row.from = *from;
    if (!field(col.to).empty()) {
      auto to = Date::parseIso(field(col.to));
      if (!to) return fail(Errc::TableDate, {std::string(field(col.to).substr(0, 32))}, where());
      if (*to < row.from) return fail(Errc::TablePeriod, {from->iso(), to->iso()}, where());
      row.to = *to;
    }

    auto& periods = table.m_rows[row.key];
    for (const DatedRow& other : periods) {
      const bool disjoint = (row.to && *row.to < other.from) || (other.to && *other.to < row.from);
      if (!disjoint) return fail(Errc::TableOverlap, {row.key, std::to_string(other.line)}, where());
    }
    periods.push_back(std::move(row));
  }

  if (headerSize == 0) return fail(Errc::TableHeader, {"key"}, name + ":1");
  if (table.m_rows.empty()) return fail(Errc::TableEmpty, {name}, name);
  for (auto& [key, periods] : table.m_rows) {
    std::sort(periods.begin(), periods.end(), [](const DatedRow& a, const DatedRow& b) { return a.from < b.from; });
  }
  return table;
}

Result<DatedRow> DatedTable::find(std::string_view key, Date date) const {
  const auto it = m_rows.find(key);
  if (it == m_rows.end()) return fail(Errc::TariffUnknownCode, {std::string(key.substr(0, 32))});
  for (const DatedRow& row : it->second) {
    if (row.covers(date)) return row;
  }
  const DatedRow& first = it->second.front();
  const DatedRow& last = it->second.back();
  return fail(Errc::TariffNotInForce,
              {it->first, date.iso(), first.from.iso(), last.to ? last.to->iso() : std::string("…")});
}

std::vector<DatedRow> DatedTable::history(std::string_view key) const {
  const auto it = m_rows.find(key);
  return it == m_rows.end() ? std::vector<DatedRow>{} : it->second;
}

std::vector<std::string> DatedTable::keys() const {
  std::vector<std::string> out;
  out.reserve(m_rows.size());
  for (const auto& [k, v] : m_rows) out.push_back(k);
  return out;
}

std::size_t DatedTable::rowCount() const {
  std::size_t n = 0;
  for (const auto& [k, v] : m_rows) n += v.size();
  return n;
}

}  // namespace vd::core
