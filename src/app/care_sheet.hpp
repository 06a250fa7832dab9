#pragma once
/// \file
/// The care sheet as the desk edits it: the presenter behind src/ui/care_sheet_panel, with
/// no wx. It holds the typed lines (acts for a GP, medicines for a pharmacy), the patient,
/// the date of care and the accident mention, and turns them on every change into a view
/// model: amounts per line (AMO / AMC / patient, participation forfaitaire and franchise)
/// and totals, or the typed error next to the line it names.
///
/// Threading: pricing is pure in-memory computation (tables + cap history already loaded), so
/// `price()` may run on the UI thread. The cap history comes from the register (SQLite): the
/// caller loads it on a worker with `loadCapHistory` and hands it over with `setCapHistory`.
/// `submitCareSheet` (SQLite + signing) runs on a worker too.
///
/// No patient data leaves this class except in the request it builds for the FSE.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/fse_use_case.hpp"
#include "billing/tariff/care_line.hpp"
#include "billing/tariff/pricing.hpp"
#include "billing/tariff/tariff_catalog.hpp"
#include "core/messages.hpp"

namespace vd::app {

/// One line as the user types it. An all-blank line is ignored (the sheet keeps one spare).
struct CareSheetLineInput {
  billing::CareLineKind kind = billing::CareLineKind::Act;
  std::string code;       ///< act code ("G"), or the CIP13 of a medicine
  int quantity = 1;       ///< number of acts, or of boxes
  std::string unitPrice;  ///< medicine: price of one box, "12.50" or "12,50"
  std::string rateClass;  ///< medicine: reimbursement class "65" (or "MED.65")
  bool ald = false;       ///< care related to the patient's ALD
  bool specific = false;  ///< medicine: a "médicament spécifique" (HD.specific fee)

  bool blank() const;
  /// The typed line, checked field by field (billing::careLineFromFields; `lineNumber` goes
  /// into the errors' `where`). No text form in between.
  core::Result<billing::CareLine> line(int lineNumber) const;
};

struct CareSheetLineView {
  std::string label;                          ///< catalog label of the act / class, in the asked language
  std::optional<billing::PricedLine> priced;  ///< when the whole sheet priced
  std::optional<core::Error> error;           ///< the error that names this line
};

struct CareSheetView {
  std::vector<CareSheetLineView> lines;         ///< one per input line (blank ones have an empty view)
  std::optional<billing::SplitAmounts> totals;  ///< when the sheet priced (lines and fees)
  std::vector<billing::PricedLine> fees;        ///< per-prescription pharmacy fees the engine added
  std::optional<core::Error> sheetError;        ///< an error that names no line (no patient, empty sheet…)
  /// A PF or franchise is withheld: show that the yearly caps are counted locally on this desk.
  bool localCapsNotice = false;
  bool capHistoryLoaded = false;  ///< false: priced as if no earlier charge this year
  bool canSubmit = false;         ///< priced without error, with a patient
};

/// A completion of a code typed at the desk: an act (or a medicine class) in force on the date.
struct CodeCompletion {
  std::string code;
  std::string label;
  core::Money amount;                        ///< tariff of the act (0 for a class)
  core::Rate rate = core::Rate::percent(0);  ///< reimbursement rate of a medicine class
};

class CareSheet {
 public:
  /// `catalog` must not be null; it is shared, read-only.
  explicit CareSheet(std::shared_ptr<const billing::TariffCatalog> catalog);

  void setPatient(std::optional<PatientContext> patient);
  const std::optional<PatientContext>& patient() const { return m_patient; }
  void setPractitionerId(std::string rpps) { m_practitionerId = std::move(rpps); }
  void setDateOfCare(core::Date date) { m_dateOfCare = date; }
  core::Date dateOfCare() const { return m_dateOfCare; }
  void setAccident(bool accident, std::optional<core::Date> date = std::nullopt);
  bool accident() const { return m_accident; }
  /// The beneficiary's local cap counters (from `loadCapHistory` on a worker); null = none yet.
  void setCapHistory(std::shared_ptr<const billing::CapHistory> history) { m_history = std::move(history); }

  std::vector<CareSheetLineInput>& lines() { return m_lines; }
  const std::vector<CareSheetLineInput>& lines() const { return m_lines; }

  /// Prices the sheet at the date of care. Errors are attached to the line they name (where =
  /// "line N" counts non-blank lines), else to the sheet.
  CareSheetView price(core::Lang lang) const;

  /// Acts in force on the date of care whose code starts with `prefix` (case-insensitive),
  /// sorted, at most `max`.
  std::vector<CodeCompletion> completeAct(std::string_view prefix, core::Lang lang, std::size_t max = 12) const;
  /// Medicine reimbursement classes in force on the date of care.
  std::vector<CodeCompletion> medicineClasses(core::Lang lang) const;

  /// The FSE request for the non-blank lines. Errors: CareSheetNoPatient, PricingEmptySheet.
  core::Result<NewFseRequest> request(const PractitionerProfile& practitioner, core::Date today) const;

  /// Empties the lines and the accident mention (after a sheet was queued); keeps patient and date.
  void clearLines();

 private:
  std::shared_ptr<const billing::TariffCatalog> m_catalog;
  std::optional<PatientContext> m_patient;
  std::string m_practitionerId;
  core::Date m_dateOfCare = core::Date::fromDayNumber(0);
  bool m_accident = false;
  std::optional<core::Date> m_accidentDate;
  std::shared_ptr<const billing::CapHistory> m_history;
  std::vector<CareSheetLineInput> m_lines;
};

/// The worker half of "validate → sign → queue": reads the beneficiary's cap counters from
/// the register, prices and builds the FSE, opens the signer (asking the PIN through
/// `askPin` for a token), then numbers, signs and stores it in the outbox in one
/// transaction. `problems` receives every validation problem of an invalid FSE.
/// Blocking (SQLite, token): never on the UI thread.
core::Result<StoredFse> submitCareSheet(const billing::TariffCatalog& catalog, const NewFseRequest& request,
                                        const billing::RegisterLocation& registerFile, const crypto::PinCallback& askPin,
                                        std::vector<core::Error>* problems = nullptr);

/// The 1-based line number in an error's `where` ("line 3" → 3), or 0.
int lineOfError(const core::Error& error);

}  // namespace vd::app
