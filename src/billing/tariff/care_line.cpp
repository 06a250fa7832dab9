#include "billing/tariff/care_line.hpp"

#include <array>

namespace vd::billing {
namespace {

constexpr std::size_t kMaxFields = 7;  // CIP, code, price, boxes, rate, ALD, SPEC
constexpr std::size_t kMaxCodeLength = 8;
/// A box price above this is certainly a typing error (prices are given per box).
constexpr core::Money kMaxUnitPrice = core::Money::euros(100000);

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

/// 1..kMaxLineQuantity, decimal digits only (at most two).
std::optional<int> parseQuantity(std::string_view s) {
  if (s.empty() || s.size() > 2) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > kMaxLineQuantity) return std::nullopt;
  return v;
}

std::optional<std::string> parseCode(std::string_view s) {
  if (s.empty() || s.size() > kMaxCodeLength) return std::nullopt;
  std::string out;
  for (char c : s) {
    const char u = upper(c);
    if (!((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))) return std::nullopt;
    out += u;
  }
  return out;
}

std::optional<std::string> parseRateClass(std::string_view s) {
  for (std::string_view known : {"100", "65", "35", "30", "15"}) {
    if (s == known) return "MED." + std::string(known);
  }
  return std::nullopt;
}

core::Failure syntax(const char* field, int lineNumber) {
  return core::fail(core::Errc::CareLineSyntax, {field}, careLineWhere(lineNumber));
}

}  // namespace

std::string careLineWhere(int lineNumber) {
  return "line " + std::to_string(lineNumber);
}

CareLine CareLine::act(std::string code, int quantity, bool aldRelated) {
  CareLine l;
  l.kind = CareLineKind::Act;
  l.code = std::move(code);
  l.quantity = quantity;
  l.aldRelated = aldRelated;
  return l;
}

CareLine CareLine::medicine(Cip13 cip, core::Money unitPrice, int boxes, std::string rateClass, bool aldRelated) {
  CareLine l;
  l.kind = CareLineKind::Medicine;
  l.cip = std::move(cip);
  l.unitPrice = unitPrice;
  l.quantity = boxes;
  l.medicineClass = std::move(rateClass);
  l.aldRelated = aldRelated;
  return l;
}

core::Result<CareLine> parseCareLine(std::string_view text, int lineNumber) {
  if (text.size() > kMaxCareLineLength) return syntax("length", lineNumber);
  text = trim(text);
  if (text.empty()) return syntax("code", lineNumber);

  std::array<std::string_view, kMaxFields> fields{};
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    if (count == kMaxFields) return syntax("count", lineNumber);
    const std::size_t colon = text.find(':', start);
    const std::size_t end = colon == std::string_view::npos ? text.size() : colon;
    fields[count++] = trim(text.substr(start, end - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }

  // Trailing flags, each at most once, in any order: "ALD" on both forms, "SPEC" (a
  // médicament spécifique, which adds the HD.specific fee) on medicines only.
  bool ald = false;
  bool specific = false;
  while (count > 1) {
    if (!ald && equalsIgnoreCase(fields[count - 1], "ALD")) {
      ald = true;
    } else if (!specific && equalsIgnoreCase(fields[count - 1], "SPEC")) {
      specific = true;
    } else {
      break;
    }
    --count;
  }

  CareLineFields form;
  form.ald = ald;
  form.specific = specific;
  if (equalsIgnoreCase(fields[0], "CIP")) {
    if (count != 4 && count != 5) return syntax("count", lineNumber);
    form.kind = CareLineKind::Medicine;
    form.code = fields[1];
    form.unitPrice = fields[2];
    form.quantity = fields[3];
    if (count == 5) {
      if (fields[4].empty()) return syntax("rate", lineNumber);
      form.rate = fields[4];
    }
    return careLineFromFields(form, lineNumber);
  }
  if (specific) return syntax("flag", lineNumber);
  if (count > 2) return syntax("count", lineNumber);
  form.code = fields[0];
  form.quantity = count == 2 ? fields[1] : std::string_view("1");
  return careLineFromFields(form, lineNumber);
}

core::Result<CareLine> careLineFromFields(const CareLineFields& f, int lineNumber) {
  const std::string_view code = trim(f.code);
  const auto quantity = parseQuantity(trim(f.quantity));
  if (f.kind == CareLineKind::Medicine) {
    auto cip = Cip13::parse(code);
    if (!cip) {
      core::Error e = cip.error();
      e.where = careLineWhere(lineNumber);
      return core::fail(std::move(e));
    }
    auto price = core::Money::parse(trim(f.unitPrice));
    if (!price || *price <= core::Money() || *price > kMaxUnitPrice) return syntax("price", lineNumber);
    if (!quantity) return syntax("quantity", lineNumber);
    std::string rateClass;
    const std::string_view rate = trim(f.rate);
    if (!rate.empty()) {
      auto parsed = parseRateClass(rate);
      if (!parsed) return syntax("rate", lineNumber);
      rateClass = std::move(*parsed);
    }
    CareLine line = CareLine::medicine(std::move(*cip), *price, *quantity, std::move(rateClass), f.ald);
    line.specificMedicine = f.specific;
    return line;
  }
  if (f.kind != CareLineKind::Act) return syntax("code", lineNumber);
  if (f.specific) return syntax("flag", lineNumber);
  if (equalsIgnoreCase(code, "CIP")) return syntax("count", lineNumber);
  auto parsedCode = parseCode(code);
  if (!parsedCode) return syntax("code", lineNumber);
  if (!quantity) return syntax("quantity", lineNumber);
  return CareLine::act(std::move(*parsedCode), *quantity, f.ald);
}

}  // namespace vd::billing
