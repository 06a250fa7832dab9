#pragma once
/// \file
/// The care sheet (feuille de soins) of the desk: acts for a GP, medicines for a pharmacy
/// (CIP13 with its check digit, price, reimbursement class, boxes), date of care and accident
/// mention, with the AMO / AMC / patient amounts and the PF / franchise lines recomputed on
/// every change, each pricing error next to the line it names, and validate → sign → queue
/// in one keystroke (Ctrl+Enter).
///
/// The presenter is `app::CareSheet` (no wx): pricing is pure in-memory work and runs on the
/// UI thread; the beneficiary's cap history (SQLite) and the submission (SQLite + signing)
/// run on the desk's billing worker through `DeskContext::runThen`. The PIN of a PKCS#11
/// token is asked with a dialog marshalled to the UI thread.
///
/// UI thread only. Window name "care-sheet"; child names used by the tests and the frame:
/// "date-of-care", "code-N", "qty-N", "price-N", "class-N", "ald-N", "spec-N", "error-N", "amounts-N"
/// (N = 1…kRows), "total-base", "total-amo", "total-amc", "total-pf", "total-franchise",
/// "total-patient-now", "total-patient-final", "fees", "caps-notice", "sheet-error", "result",
/// "submit".

#include <array>
#include <memory>
#include <optional>

#include <wx/event.h>
#include <wx/panel.h>

#include "app/care_sheet.hpp"
#include "app/desk_settings.hpp"

class wxCheckBox;
class wxChoice;
class wxDatePickerCtrl;
class wxDateEvent;
class wxSpinCtrl;
class wxStaticText;
class wxTextCtrl;
class wxButton;
class wxWindow;

namespace vd::ui {

struct DeskContext;

/// Sent (propagating to the frame) after a sheet was queued; GetInt() = invoice number.
wxDECLARE_EVENT(EVT_FSE_QUEUED, wxCommandEvent);

class CareSheetPanel : public wxPanel {
 public:
  /// Number of line rows on the sheet (a consultation has a handful; a pharmacy sheet more
  /// boxes than that goes on two sheets).
  static constexpr int kRows = 8;

  /// `ctx` must outlive the panel (the frame owns both). The date of care starts at today.
  CareSheetPanel(wxWindow* parent, DeskContext& ctx);
  ~CareSheetPanel() override;

  /// The chosen beneficiary of a verified credential, or nullopt (nothing to bill). Reloads
  /// the beneficiary's local cap counters on the worker.
  void setPatient(const std::optional<app::PatientContext>& patient);
  /// GP / reception: acts; pharmacy: medicines.
  void setProfile(app::Profile profile);
  void setDateOfCare(core::Date date);

  /// Puts the focus in the first empty code field (F3).
  void focusCodeEntry();
  /// Validate → sign → queue on the worker (Ctrl+Enter). Ignored while a submission runs or
  /// when the sheet does not price; the result (invoice number or every problem) is shown
  /// and the sheet is cleared on success.
  void validateSignQueue();

  /// The last computed view (tests).
  const app::CareSheetView& view() const { return m_view; }
  bool busy() const { return m_busy; }

 private:
  struct Row {
    wxTextCtrl* code = nullptr;
    wxSpinCtrl* qty = nullptr;
    wxTextCtrl* price = nullptr;
    wxChoice* rateClass = nullptr;
    wxCheckBox* ald = nullptr;
    wxCheckBox* specific = nullptr;
    wxStaticText* label = nullptr;
    wxStaticText* amounts = nullptr;
    wxStaticText* error = nullptr;
  };

  void buildRows(wxWindow* parent, wxSizer* sizer);
  void buildTotals(wxWindow* parent, wxSizer* sizer);
  void onChanged();
  void readInputs();
  void render();
  void refreshCompletion();
  void loadCapHistory();
  void clearSheet();
  void showResult(const wxString& text, bool ok);
  void setWrapped(wxStaticText* text, const wxString& label);

  DeskContext& m_ctx;
  app::CareSheet m_sheet;
  app::CareSheetView m_view;
  app::Profile m_profile = app::Profile::Gp;
  std::array<Row, kRows> m_rows{};
  wxWindow* m_linesWindow = nullptr;  // the scrolled area holding the rows
  wxDatePickerCtrl* m_date = nullptr;
  wxCheckBox* m_accident = nullptr;
  wxDatePickerCtrl* m_accidentDate = nullptr;
  wxStaticText* m_patient = nullptr;
  wxStaticText* m_codeHeader = nullptr;
  wxStaticText* m_qtyHeader = nullptr;
  wxStaticText* m_priceHeader = nullptr;
  wxStaticText* m_classHeader = nullptr;
  wxStaticText* m_specificHeader = nullptr;
  wxStaticText* m_fees = nullptr;
  wxStaticText* m_totBase = nullptr;
  wxStaticText* m_totAmo = nullptr;
  wxStaticText* m_totAmc = nullptr;
  wxStaticText* m_totPf = nullptr;
  wxStaticText* m_totFranchise = nullptr;
  wxStaticText* m_totPatientNow = nullptr;
  wxStaticText* m_totPatientFinal = nullptr;
  wxStaticText* m_capsNotice = nullptr;
  wxStaticText* m_sheetError = nullptr;
  wxStaticText* m_result = nullptr;
  wxButton* m_submit = nullptr;
  bool m_busy = false;
  bool m_updating = false;           // widgets being filled by code: no recompute per keystroke
  unsigned m_historyGeneration = 0;  // drops a late cap history of a previous patient/date
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);  // UI thread only
};

}  // namespace vd::ui
