// vitaledesk-cli tariff …
#include <chrono>
#include <ctime>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "app/use_cases.hpp"
#include "cli/command.hpp"

namespace vd::cli {
namespace {

// Parses --date, or today; prints the usage error itself.
std::optional<core::Date> dateOption(const Invocation& inv) {
  const auto text = inv.value("date");
  if (!text) return localToday();
  auto d = core::Date::parseIso(*text);
  if (!d) {
    reportError(inv, d.error(), kUsage);
    return std::nullopt;
  }
  return *d;
}

std::string unitText(const core::DatedRow& r) {
  switch (r.unit) {
    case core::TableUnit::Eur: return r.valueText() + " EUR";
    case core::TableUnit::Percent: return r.valueText() + " %";
    case core::TableUnit::Count: return r.valueText();
  }
  return r.valueText();
}

nlohmann::json rowJson(const core::DatedRow& r) {
  return {{"key", r.key},
          {"kind", r.kind},
          {"value", r.valueText()},
          {"unit", std::string(core::tableUnitName(r.unit))},
          {"effective_from", r.from.iso()},
          {"effective_to", r.to ? nlohmann::json(r.to->iso()) : nlohmann::json(nullptr)},
          {"label_fr", r.labelFr},
          {"label_en", r.labelEn},
          {"source", r.source}};
}

int tariffShow(Invocation& inv) {
  const auto date = dateOption(inv);
  if (!date) return kUsage;
  auto catalog = app::loadShippedTariffs();
  if (!catalog) return reportError(inv, catalog.error(), kEnvironment);
  auto view = app::showTariff(*catalog, inv.positional[0], *date);
  if (!view) return reportError(inv, view.error(), kRejected);
  const core::DatedRow& r = view->current;
  if (inv.has("json")) {
    nlohmann::json j = rowJson(r);
    j["date"] = date->iso();
    j["history"] = nlohmann::json::array();
    for (const auto& h : view->history) j["history"].push_back(rowJson(h));
    *inv.out << j.dump(2) << '\n';
    return kOk;
  }
  std::ostream& o = *inv.out;
  o << r.key << " — " << (inv.lang == core::Lang::Fr || r.labelEn.empty() ? r.labelFr : r.labelEn) << '\n';
  o << unitText(r) << inv.tr(" au ", " on ") << date->iso() << inv.tr(" (en vigueur depuis le ", " (in force since ")
    << r.from.iso() << (r.to ? std::string(inv.tr(" jusqu'au ", " until ")) + r.to->iso() : std::string()) << ")\n";
  o << "Source : " << r.source << '\n' << inv.tr("Historique :", "History:") << '\n';
  for (const auto& h : view->history) {
    o << "  " << h.from.iso() << " → " << (h.to ? h.to->iso() : std::string("          ")) << "  " << unitText(h)
      << '\n';
  }
  return kOk;
}

int tariffList(Invocation& inv) {
  const auto date = dateOption(inv);
  if (!date) return kUsage;
  auto catalog = app::loadShippedTariffs();
  if (!catalog) return reportError(inv, catalog.error(), kEnvironment);
  nlohmann::json arr = nlohmann::json::array();
  for (const core::DatedTable* t :
       {&catalog->acts(), &catalog->parameters(), &catalog->medicineRates(), &catalog->pharmacyFees()}) {
    for (const auto& key : t->keys()) {
      auto row = t->find(key, *date);
      if (!row) continue;  // not in force on that date
      if (inv.has("json")) {
        arr.push_back(rowJson(*row));
      } else {
        *inv.out << std::left << std::setw(26) << key << std::setw(12) << unitText(*row) << ' '
                 << (inv.lang == core::Lang::Fr || row->labelEn.empty() ? row->labelFr : row->labelEn) << '\n';
      }
    }
  }
  if (inv.has("json")) *inv.out << arr.dump(2) << '\n';
  return kOk;
}

}  // namespace

std::vector<Command> tariffCommands() {
  const OptionSpec date{"date", "YYYY-MM-DD", "date of care (default: today)"};
  const OptionSpec json{"json", "", "print JSON"};
  return {
      Command{{"tariff", "show"}, "<CODE>", 1, 1,
              "Show the tariff of an act, a parameter or a medicine class at a date of care, with its history.",
              {date, json}, tariffShow},
      Command{{"tariff", "list"}, "", 0, 0, "List every code in force at a date of care.", {date, json}, tariffList},
  };
}

}  // namespace vd::cli
