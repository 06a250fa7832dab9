#include "app/care_sheet.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace vd::app {
namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const std::string& label(const core::DatedRow& row, core::Lang lang) {
  return lang == core::Lang::En && !row.labelEn.empty() ? row.labelEn : row.labelFr;
}

std::string rateKey(const std::string& rateClass) {
  const std::string r = upper(trimmed(rateClass));
  return r.rfind("MED.", 0) == 0 ? r.substr(4) : r;
}

const billing::InMemoryCapHistory& noHistory() {
  static const billing::InMemoryCapHistory empty;
  return empty;
}

}  // namespace

bool CareSheetLineInput::blank() const {
  return trimmed(code).empty() &&
         (kind == billing::CareLineKind::Act || (trimmed(unitPrice).empty() && trimmed(rateClass).empty()));
}

core::Result<billing::CareLine> CareSheetLineInput::line(int lineNumber) const {
  const bool medicine = kind == billing::CareLineKind::Medicine;
  const std::string count = std::to_string(quantity);
  const std::string rate = medicine ? rateKey(rateClass) : std::string();
  billing::CareLineFields f;
  f.kind = kind;
  f.code = code;
  f.quantity = count;
  f.unitPrice = unitPrice;
  f.rate = rate;
  f.ald = ald;
  f.specific = medicine && specific;
  return billing::careLineFromFields(f, lineNumber);
}

CareSheet::CareSheet(std::shared_ptr<const billing::TariffCatalog> catalog) : m_catalog(std::move(catalog)) {}

void CareSheet::setPatient(std::optional<PatientContext> patient) {
  m_patient = std::move(patient);
  m_history.reset();  // the counters belong to the previous beneficiary
}

void CareSheet::setAccident(bool accident, std::optional<core::Date> date) {
  m_accident = accident;
  m_accidentDate = accident ? date : std::nullopt;
}

int lineOfError(const core::Error& error) {
  constexpr std::string_view kPrefix = "line ";
  const std::string_view w = error.where;
  if (w.substr(0, kPrefix.size()) != kPrefix) return 0;
  int n = 0;
  const char* first = w.data() + kPrefix.size();
  const auto [ptr, ec] = std::from_chars(first, w.data() + w.size(), n);
  return ec == std::errc() && ptr != first ? n : 0;
}

CareSheetView CareSheet::price(core::Lang lang) const {
  CareSheetView view;
  view.lines.resize(m_lines.size());
  view.capHistoryLoaded = m_history != nullptr;
  billing::CareSheet sheet{m_dateOfCare, m_practitionerId, m_patient ? m_patient->coverage : billing::Coverage{}, {}};
  std::vector<std::size_t> rowOf;  // non-blank line n (1-based) is input row rowOf[n - 1]
  bool lineErrors = false;
  for (std::size_t i = 0; i < m_lines.size(); ++i) {
    const CareSheetLineInput& in = m_lines[i];
    if (in.blank()) continue;
    rowOf.push_back(i);
    const int n = static_cast<int>(rowOf.size());
    CareSheetLineView& out = view.lines[i];
    auto line = in.line(n);
    if (!line) {
      out.error = line.error();
      lineErrors = true;
      continue;
    }
    // Each code is looked up on its own so that every unknown code shows on its line at once.
    const bool act = line->kind == billing::CareLineKind::Act;
    if (act || !line->medicineClass.empty()) {
      const core::DatedTable& table = act ? m_catalog->acts() : m_catalog->medicineRates();
      auto row = table.find(act ? line->code : line->medicineClass, m_dateOfCare);
      if (!row) {
        out.error = row.error();
        out.error->where = billing::careLineWhere(n);
        lineErrors = true;
        continue;
      }
      out.label = label(*row, lang);
    }
    sheet.lines.push_back(std::move(*line));
  }
  if (rowOf.empty() || lineErrors) return view;
  if (!m_patient) {
    view.sheetError = core::makeError(core::Errc::CareSheetNoPatient);
    return view;
  }
  const billing::PricingEngine engine(*m_catalog);
  auto priced = engine.price(sheet, m_history ? *m_history : static_cast<const billing::CapHistory&>(noHistory()));
  if (!priced) {
    const int n = lineOfError(priced.error());
    if (n >= 1 && static_cast<std::size_t>(n) <= rowOf.size())
      view.lines[rowOf[static_cast<std::size_t>(n - 1)]].error = priced.error();
    else
      view.sheetError = priced.error();
    return view;
  }
  for (std::size_t k = 0; k < priced->lines.size() && k < rowOf.size(); ++k)
    view.lines[rowOf[k]].priced = priced->lines[k];
  view.totals = priced->totals;
  view.fees = priced->fees;
  view.localCapsNotice = priced->totals.pfDeducted > core::Money() || priced->totals.franchiseDeducted > core::Money();
  view.canSubmit = true;
  return view;
}

std::vector<CodeCompletion> CareSheet::completeAct(std::string_view prefix, core::Lang lang, std::size_t max) const {
  const std::string p = upper(trimmed(prefix));
  std::vector<CodeCompletion> out;
  for (const std::string& key : m_catalog->acts().keys()) {
    if (out.size() >= max) break;
    if (key.rfind(p, 0) != 0) continue;
    auto row = m_catalog->acts().find(key, m_dateOfCare);
    if (!row) continue;  // not in force on the date of care
    out.push_back(CodeCompletion{key, label(*row, lang), row->money(), core::Rate::percent(0)});
  }
  return out;
}

std::vector<CodeCompletion> CareSheet::medicineClasses(core::Lang lang) const {
  std::vector<CodeCompletion> out;
  for (const std::string& key : m_catalog->medicineRates().keys()) {
    auto row = m_catalog->medicineRates().find(key, m_dateOfCare);
    if (!row || key.rfind("MED.", 0) != 0) continue;
    out.push_back(CodeCompletion{key.substr(4), label(*row, lang), core::Money(), row->rate()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.rate.bp() > b.rate.bp(); });
  return out;
}

core::Result<NewFseRequest> CareSheet::request(const PractitionerProfile& practitioner, core::Date today) const {
  if (!m_patient) return core::fail(core::Errc::CareSheetNoPatient);
  NewFseRequest r{practitioner, *m_patient, {}, m_dateOfCare, today, m_accident, m_accidentDate};
  for (const auto& in : m_lines) {
    if (in.blank()) continue;
    auto line = in.line(static_cast<int>(r.careLines.size() + 1));
    if (!line) return core::fail(line.error());
    r.careLines.push_back(std::move(*line));
  }
  if (r.careLines.empty()) return core::fail(core::Errc::PricingEmptySheet);
  return r;
}

void CareSheet::clearLines() {
  m_lines.clear();
  m_accident = false;
  m_accidentDate.reset();
  m_history.reset();  // the register changed: the counters are read again
}

core::Result<StoredFse> submitCareSheet(const billing::TariffCatalog& catalog, const NewFseRequest& request,
                                        const billing::RegisterLocation& registerFile, const crypto::PinCallback& askPin,
                                        std::vector<core::Error>* problems) {
  std::error_code ec;
  std::filesystem::create_directories(registerFile.file.parent_path(), ec);  // a failure shows when opening
  auto history = loadCapHistory(registerFile, request.patient, request.dateOfCare.year());
  if (!history) return core::fail(history.error());
  auto fse = buildFse(catalog, request, **history);
  if (!fse) return core::fail(fse.error());
  auto signer = openSigner(request.practitioner.signing, askPin);
  if (!signer) return core::fail(signer.error());
  return signAndStore(std::move(*fse), **signer, registerFile, problems);
}

}  // namespace vd::app
