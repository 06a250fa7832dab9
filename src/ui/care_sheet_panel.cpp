#include "ui/care_sheet_panel.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <tuple>

#include <wx/app.h>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/datectrl.h>
#include <wx/dateevt.h>
#include <wx/gbsizer.h>
#include <wx/log.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/textdlg.h>

#include "app/local_time.hpp"
#include "ui/desk_context.hpp"
#include "ui/ui_text.hpp"

namespace vd::ui {

wxDEFINE_EVENT(EVT_FSE_QUEUED, wxCommandEvent);

namespace {

const wxColour kErrorColour(176, 0, 32);
const wxColour kOkColour(0, 110, 50);
/// A user who walked away from the PIN prompt: the signature is abandoned, the worker freed.
constexpr auto kPinPromptLimit = std::chrono::minutes(5);

wxStaticText* named(wxStaticText* t, const char* name) {
  t->SetName(name);
  return t;
}

// Issue #5: the yearly caps need the patient's whole history, which only the insurer has.
wxString capsNoticeText() {
  return _(
      "The yearly caps of the participation forfaitaire and of the franchises are counted LOCALLY on this "
      "desk: charges made elsewhere are not known here, the insurer settles the difference.");
}

// The error of row `n`, prefixed with its row in the desk's language (the error's own `where`
// counts non-blank lines only and is not translated).
wxString lineErrorText(const core::Error& e, int n, core::Lang lang) {
  const core::UserMessage m = core::describe(e, lang);
  return wxString::Format(_("Line %d: %s %s"), n, utf8(m.cause), utf8(m.action));
}

wxString lineName(const char* what, int n) {
  return wxString::Format("%s-%d", what, n);
}

struct Outcome {
  std::optional<app::StoredFse> stored;
  std::optional<core::Error> error;
  std::vector<core::Error> problems;
};

}  // namespace

CareSheetPanel::CareSheetPanel(wxWindow* parent, DeskContext& ctx)
    : wxPanel(parent, wxID_ANY), m_ctx(ctx), m_sheet(ctx.catalog), m_profile(ctx.profile) {
  SetName("care-sheet");
  auto* top = new wxBoxSizer(wxVERTICAL);

  auto* head = new wxBoxSizer(wxHORIZONTAL);
  m_patient = named(new wxStaticText(this, wxID_ANY, _("No patient")), "patient");
  head->Add(m_patient, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 12);
  head->Add(new wxStaticText(this, wxID_ANY, _("Date of care")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
  m_date = new wxDatePickerCtrl(this, wxID_ANY, toWxDate(app::deskToday()), wxDefaultPosition, wxDefaultSize,
                                wxDP_DROPDOWN | wxDP_SHOWCENTURY);
  m_date->SetName("date-of-care");
  head->Add(m_date, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 12);
  m_accident = new wxCheckBox(this, wxID_ANY, _("Accident caused by a third party, on"));
  m_accident->SetName("accident");
  head->Add(m_accident, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
  m_accidentDate = new wxDatePickerCtrl(this, wxID_ANY, toWxDate(app::deskToday()), wxDefaultPosition, wxDefaultSize,
                                        wxDP_DROPDOWN | wxDP_SHOWCENTURY);
  m_accidentDate->SetName("accident-date");
  m_accidentDate->Enable(false);
  head->Add(m_accidentDate, 0, wxALIGN_CENTER_VERTICAL);
  top->Add(head, 0, wxEXPAND | wxALL, 8);

  auto* lines = new wxScrolledWindow(this, wxID_ANY);
  m_linesWindow = lines;
  lines->SetScrollRate(0, 10);
  auto* grid = new wxGridBagSizer(2, 8);
  buildRows(lines, grid);
  lines->SetSizer(grid);
  top->Add(lines, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);

  buildTotals(this, top);

  m_fees = named(new wxStaticText(this, wxID_ANY, wxString()), "fees");
  top->Add(m_fees, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 8);
  m_capsNotice = named(new wxStaticText(this, wxID_ANY, capsNoticeText()), "caps-notice");
  m_capsNotice->Hide();
  top->Add(m_capsNotice, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 8);
  m_sheetError = named(new wxStaticText(this, wxID_ANY, wxString()), "sheet-error");
  m_sheetError->SetForegroundColour(kErrorColour);
  top->Add(m_sheetError, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 8);

  auto* foot = new wxBoxSizer(wxHORIZONTAL);
  m_result = named(new wxStaticText(this, wxID_ANY, wxString()), "result");
  foot->Add(m_result, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
  m_submit = new wxButton(this, wxID_ANY, _("Validate, sign and queue (Ctrl+Enter)"));
  m_submit->SetName("submit");
  foot->Add(m_submit, 0);
  top->Add(foot, 0, wxEXPAND | wxALL, 8);
  SetSizer(top);

  m_date->Bind(wxEVT_DATE_CHANGED, [this](wxDateEvent&) { setDateOfCare(fromWxDate(m_date->GetValue())); });
  m_accident->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
    m_accidentDate->Enable(m_accident->IsChecked());
    onChanged();
  });
  m_accidentDate->Bind(wxEVT_DATE_CHANGED, [this](wxDateEvent&) { onChanged(); });
  m_submit->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { validateSignQueue(); });
  Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
    const bool enter = e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER;
    if (enter && e.GetModifiers() == wxMOD_CONTROL) {
      validateSignQueue();
      return;
    }
    e.Skip();
  });

  m_sheet.setDateOfCare(fromWxDate(m_date->GetValue()));
  if (m_ctx.practitioner) m_sheet.setPractitionerId(m_ctx.practitioner->identity.rpps);
  setProfile(m_profile);
}

CareSheetPanel::~CareSheetPanel() {
  *m_alive = false;
}

void CareSheetPanel::buildRows(wxWindow* parent, wxSizer* sizer) {
  auto* grid = static_cast<wxGridBagSizer*>(sizer);
  m_codeHeader = new wxStaticText(parent, wxID_ANY, _("Act"));
  m_qtyHeader = new wxStaticText(parent, wxID_ANY, _("Quantity"));
  m_priceHeader = new wxStaticText(parent, wxID_ANY, _("Box price"));
  m_classHeader = new wxStaticText(parent, wxID_ANY, _("Rate"));
  grid->Add(m_codeHeader, wxGBPosition(0, 0));
  grid->Add(m_qtyHeader, wxGBPosition(0, 1));
  grid->Add(m_priceHeader, wxGBPosition(0, 2));
  grid->Add(m_classHeader, wxGBPosition(0, 3));
  grid->Add(new wxStaticText(parent, wxID_ANY, _("ALD")), wxGBPosition(0, 4));
  m_specificHeader = new wxStaticText(parent, wxID_ANY, _("Specific"));
  m_specificHeader->SetToolTip(_("A specific medicine (adds the specific dispensing fee)"));
  grid->Add(m_specificHeader, wxGBPosition(0, 5));
  grid->Add(new wxStaticText(parent, wxID_ANY, _("Amounts")), wxGBPosition(0, 7));
  for (int i = 0; i < kRows; ++i) {
    const int n = i + 1;
    Row& r = m_rows[static_cast<std::size_t>(i)];
    r.code = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(150, -1));
    r.code->SetName(lineName("code", n));
    r.qty = new wxSpinCtrl(parent, wxID_ANY, "1", wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 1,
                           billing::kMaxLineQuantity, 1);
    r.qty->SetName(lineName("qty", n));
    r.price = new wxTextCtrl(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(80, -1));
    r.price->SetName(lineName("price", n));
    r.rateClass = new wxChoice(parent, wxID_ANY);
    r.rateClass->SetName(lineName("class", n));
    r.ald = new wxCheckBox(parent, wxID_ANY, wxString());
    r.ald->SetName(lineName("ald", n));
    r.specific = new wxCheckBox(parent, wxID_ANY, wxString());
    r.specific->SetName(lineName("spec", n));
    r.label = new wxStaticText(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(260, -1), wxST_ELLIPSIZE_END);
    r.label->SetName(lineName("label", n));
    r.amounts = new wxStaticText(parent, wxID_ANY, wxString());
    r.amounts->SetName(lineName("amounts", n));
    r.error = new wxStaticText(parent, wxID_ANY, wxString());
    r.error->SetName(lineName("error", n));
    r.error->SetForegroundColour(kErrorColour);
    r.error->SetMinSize(wxSize(1, -1));  // spans the row: its text must not widen the columns
    const int row = 1 + 2 * i;
    grid->Add(r.code, wxGBPosition(row, 0));
    grid->Add(r.qty, wxGBPosition(row, 1));
    grid->Add(r.price, wxGBPosition(row, 2));
    grid->Add(r.rateClass, wxGBPosition(row, 3));
    grid->Add(r.ald, wxGBPosition(row, 4), wxDefaultSpan, wxALIGN_CENTER_VERTICAL);
    grid->Add(r.specific, wxGBPosition(row, 5), wxDefaultSpan, wxALIGN_CENTER_VERTICAL);
    grid->Add(r.label, wxGBPosition(row, 6), wxDefaultSpan, wxALIGN_CENTER_VERTICAL);
    grid->Add(r.amounts, wxGBPosition(row, 7), wxDefaultSpan, wxALIGN_CENTER_VERTICAL);
    grid->Add(r.error, wxGBPosition(row + 1, 0), wxGBSpan(1, 8), wxEXPAND);
    r.code->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { onChanged(); });
    r.price->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { onChanged(); });
    r.qty->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { onChanged(); });
    r.qty->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { onChanged(); });
    r.rateClass->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { onChanged(); });
    r.ald->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { onChanged(); });
    r.specific->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { onChanged(); });
  }
  grid->AddGrowableCol(6);
}

void CareSheetPanel::buildTotals(wxWindow* parent, wxSizer* sizer) {
  auto* box = new wxStaticBoxSizer(wxHORIZONTAL, parent, _("Totals"));
  // Two rows of four: fits the narrowest notebook page of the desk without cutting an amount
  // (a wxWrapSizer in a static box does not grow the box when it wraps).
  auto* cells = new wxFlexGridSizer(4, 4, 24);
  const std::tuple<wxString, wxStaticText**, const char*> items[] = {
      {_("Base"), &m_totBase, "total-base"},
      {_("AMO pays"), &m_totAmo, "total-amo"},
      {_("AMC pays"), &m_totAmc, "total-amc"},
      {_("Participation forfaitaire"), &m_totPf, "total-pf"},
      {_("Franchise"), &m_totFranchise, "total-franchise"},
      {_("Patient pays now"), &m_totPatientNow, "total-patient-now"},
      {_("Patient's final cost"), &m_totPatientFinal, "total-patient-final"},
  };
  for (const auto& [title, target, name] : items) {
    auto* cell = new wxBoxSizer(wxVERTICAL);
    cell->Add(new wxStaticText(box->GetStaticBox(), wxID_ANY, title));
    *target = named(new wxStaticText(box->GetStaticBox(), wxID_ANY, "-"), name);
    wxFont f = (*target)->GetFont();
    f.MakeBold();
    (*target)->SetFont(f);
    cell->Add(*target);
    cells->Add(cell, 0, wxBOTTOM, 4);
  }
  box->Add(cells, 1, wxEXPAND | wxALL, 4);
  sizer->Add(box, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 8);
}

void CareSheetPanel::setWrapped(wxStaticText* text, const wxString& label) {
  text->SetLabel(label);
  const int beside = text == m_result ? m_submit->GetSize().GetWidth() + 8 : 0;  // the result shares its row
  text->Wrap(std::max(300, GetClientSize().GetWidth() - 24 - beside));
}

void CareSheetPanel::setProfile(app::Profile profile) {
  m_profile = profile;
  const bool pharmacy = profile == app::Profile::Pharmacy;
  m_codeHeader->SetLabel(pharmacy ? _("CIP13") : _("Act"));
  m_qtyHeader->SetLabel(pharmacy ? _("Boxes") : _("Quantity"));
  m_priceHeader->Show(pharmacy);
  m_classHeader->Show(pharmacy);
  m_specificHeader->Show(pharmacy);
  for (Row& r : m_rows) {
    r.price->Show(pharmacy);
    r.rateClass->Show(pharmacy);
    r.specific->Show(pharmacy);
  }
  refreshCompletion();
  Layout();
  onChanged();
}

void CareSheetPanel::setPatient(const std::optional<app::PatientContext>& patient) {
  if (!m_ctx.catalog) return;
  m_sheet.setPatient(patient);
  if (patient) {
    const auto& p = patient->beneficiary.person;
    m_patient->SetLabel(wxString::Format(_("Patient: %s %s"), utf8(p.firstName), utf8(p.birthName)));
  } else {
    m_patient->SetLabel(_("No patient"));
  }
  loadCapHistory();
  onChanged();
}

void CareSheetPanel::setDateOfCare(core::Date date) {
  if (fromWxDate(m_date->GetValue()) != date) m_date->SetValue(toWxDate(date));
  m_sheet.setDateOfCare(date);
  refreshCompletion();
  loadCapHistory();  // the yearly counters are those of the year of care
  onChanged();
}

void CareSheetPanel::refreshCompletion() {
  if (!m_ctx.catalog) return;
  wxArrayString codes;
  if (m_profile != app::Profile::Pharmacy)
    for (const auto& c : m_sheet.completeAct("", m_ctx.lang, 200)) codes.Add(utf8(c.code));
  const auto classes = m_sheet.medicineClasses(m_ctx.lang);
  m_updating = true;
  for (Row& r : m_rows) {
    if (m_profile != app::Profile::Pharmacy) r.code->AutoComplete(codes);
    const wxString keep = r.rateClass->GetStringSelection();
    r.rateClass->Clear();
    for (const auto& c : classes) r.rateClass->Append(utf8(c.code + " %"));
    if (!keep.empty()) r.rateClass->SetStringSelection(keep);
  }
  m_updating = false;
}

void CareSheetPanel::loadCapHistory() {
  const unsigned generation = ++m_historyGeneration;
  m_sheet.setCapHistory(nullptr);
  if (!m_sheet.patient()) return;
  const auto patient = *m_sheet.patient();
  const auto registerFile = m_ctx.paths.registerLocation();
  const int year = m_sheet.dateOfCare().year();
  using History = std::shared_ptr<const billing::CapHistory>;
  m_ctx.runThen<History>(
      this,
      [patient, registerFile, year]() -> History {
        std::error_code ec;
        if (!std::filesystem::exists(registerFile.file, ec)) return std::make_shared<billing::InMemoryCapHistory>();
        auto h = app::loadCapHistory(registerFile, patient, year);
        if (!h) {
          wxLogWarning("care sheet: cap history unavailable (%s)", utf8(core::errcId(h.error().code)));
          return nullptr;
        }
        return History(std::move(*h));
      },
      [this, generation](History history) {
        if (generation != m_historyGeneration || !history) return;
        m_sheet.setCapHistory(std::move(history));
        onChanged();
      });
}

void CareSheetPanel::readInputs() {
  auto& lines = m_sheet.lines();
  lines.assign(kRows, {});
  const bool pharmacy = m_profile == app::Profile::Pharmacy;
  for (int i = 0; i < kRows; ++i) {
    const Row& r = m_rows[static_cast<std::size_t>(i)];
    app::CareSheetLineInput& in = lines[static_cast<std::size_t>(i)];
    in.kind = pharmacy ? billing::CareLineKind::Medicine : billing::CareLineKind::Act;
    in.code = r.code->GetValue().utf8_string();
    in.quantity = r.qty->GetValue();
    in.ald = r.ald->IsChecked();
    if (pharmacy) {
      in.unitPrice = r.price->GetValue().utf8_string();
      wxString cls = r.rateClass->GetStringSelection();
      cls.Replace(" %", "");
      in.rateClass = cls.utf8_string();
      in.specific = r.specific->IsChecked();
    }
  }
  m_sheet.setAccident(m_accident->IsChecked(), fromWxDate(m_accidentDate->GetValue()));
}

void CareSheetPanel::onChanged() {
  if (m_updating || !m_ctx.catalog) return;
  readInputs();
  m_view = m_sheet.price(m_ctx.lang);
  render();
}

void CareSheetPanel::render() {
  const core::Lang lang = m_ctx.lang;
  for (int i = 0; i < kRows; ++i) {
    Row& r = m_rows[static_cast<std::size_t>(i)];
    const app::CareSheetLineView& v = m_view.lines[static_cast<std::size_t>(i)];
    r.label->SetLabel(utf8(v.label));
    wxString amounts;
    if (v.priced) {
      const auto& a = v.priced->amounts;
      amounts = wxString::Format(_("AMO %s, AMC %s, patient %s"), moneyText(a.amoOwes, lang),
                                 moneyText(a.amcOwes, lang), moneyText(a.patientFinal, lang));
      if (a.pfDeducted > core::Money()) amounts += wxString::Format(_(", PF %s"), moneyText(a.pfDeducted, lang));
      if (a.franchiseDeducted > core::Money())
        amounts += wxString::Format(_(", franchise %s"), moneyText(a.franchiseDeducted, lang));
    }
    r.amounts->SetLabel(amounts);
    r.error->SetLabel(v.error ? lineErrorText(*v.error, i + 1, lang) : wxString());
    r.error->Show(v.error.has_value());
  }
  auto set = [&](wxStaticText* t, core::Money m) { t->SetLabel(m_view.totals ? moneyText(m, lang) : wxString("-")); };
  const billing::SplitAmounts t = m_view.totals.value_or(billing::SplitAmounts{});
  set(m_totBase, t.base);
  set(m_totAmo, t.amoOwes);
  set(m_totAmc, t.amcOwes);
  set(m_totPf, t.pfDeducted);
  set(m_totFranchise, t.franchiseDeducted);
  set(m_totPatientNow, t.patientNow);
  set(m_totPatientFinal, t.patientFinal);
  wxString fees;
  for (const auto& f : m_view.fees) {
    fees += fees.empty() ? _("Dispensing fees:") : wxString(",");
    fees += wxString::Format(_(" %s %s (AMO %s)"), utf8(f.code), moneyText(f.amounts.base, lang),
                             moneyText(f.amounts.amoOwes, lang));
  }
  m_fees->SetLabel(fees);
  m_fees->Show(!fees.empty());
  if (m_view.localCapsNotice) setWrapped(m_capsNotice, capsNoticeText());
  m_capsNotice->Show(m_view.localCapsNotice);
  setWrapped(m_sheetError, m_view.sheetError ? errorText(*m_view.sheetError, lang) : wxString());
  m_submit->Enable(m_view.canSubmit && !m_busy);
  m_linesWindow->Layout();  // the rows' sizer is not laid out again when the area keeps its size
  m_linesWindow->FitInside();
  Layout();
}

void CareSheetPanel::focusCodeEntry() {
  for (Row& r : m_rows) {
    if (r.code->GetValue().empty()) {
      r.code->SetFocus();
      return;
    }
  }
  m_rows[0].code->SetFocus();
}

void CareSheetPanel::showResult(const wxString& text, bool ok) {
  m_result->SetForegroundColour(ok ? kOkColour : kErrorColour);
  setWrapped(m_result, text);
  Layout();
}

void CareSheetPanel::validateSignQueue() {
  if (m_busy || !m_ctx.catalog) return;
  onChanged();
  if (!m_view.canSubmit) {
    showResult(_("The sheet cannot be queued: correct the lines shown in red."), false);
    return;
  }
  if (!m_ctx.practitioner) {
    showResult(errorText(core::makeError(core::Errc::CareSheetNoPractitioner, {"/Practitioner/File"}), m_ctx.lang),
               false);
    return;
  }
  auto request = m_sheet.request(*m_ctx.practitioner, fromWxDate(toWxDate(app::deskToday())));
  if (!request) {
    showResult(errorText(request.error(), m_ctx.lang), false);
    return;
  }
  m_busy = true;
  m_submit->Enable(false);
  showResult(_("Signing and queueing..."), true);

  // The PIN of a token is asked on the UI thread; the worker waits for the answer, bounded.
  // It gives up when the desk closes (the worker is stopping: the UI may never run the prompt).
  app::TaskRunner* worker = &m_ctx.worker();
  crypto::PinCallback askPin = [this, alive = m_alive, worker]() -> std::optional<std::string> {
    auto answer = std::make_shared<std::promise<std::optional<std::string>>>();
    auto future = answer->get_future();
    if (wxTheApp == nullptr) return std::nullopt;
    wxTheApp->CallAfter([this, alive, answer] {
      if (!*alive) return answer->set_value(std::nullopt);
      wxPasswordEntryDialog dialog(this, _("PIN of the practitioner's card (CPS)"), _("Signature"));
      dialog.SetName("pin-dialog");
      if (dialog.ShowModal() == wxID_OK)
        answer->set_value(dialog.GetValue().utf8_string());
      else
        answer->set_value(std::nullopt);
    });
    const auto giveUp = std::chrono::steady_clock::now() + kPinPromptLimit;
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      if (worker->stopping() || std::chrono::steady_clock::now() > giveUp) return std::nullopt;
    }
    return future.get();
  };
  auto catalog = m_ctx.catalog;
  const auto registerFile = m_ctx.paths.registerLocation();
  using Out = std::shared_ptr<Outcome>;
  m_ctx.runThen<Out>(
      this,
      [catalog, req = std::move(*request), registerFile, askPin]() -> Out {
        auto out = std::make_shared<Outcome>();
        auto stored = app::submitCareSheet(*catalog, req, registerFile, askPin, &out->problems);
        if (stored)
          out->stored = std::move(*stored);
        else
          out->error = stored.error();
        return out;
      },
      [this](Out out) {
        m_busy = false;
        if (out->stored) {
          wxLogMessage("care sheet: FSE %llu signed and queued",
                       static_cast<unsigned long long>(out->stored->invoiceNumber));
          clearSheet();
          showResult(wxString::Format(_("Queued: invoice no. %llu (patient pays %s now)."),
                                      static_cast<unsigned long long>(out->stored->invoiceNumber),
                                      moneyText(out->stored->fse.totals.patientPaysNow, m_ctx.lang)),
                     true);
          wxCommandEvent event(EVT_FSE_QUEUED, GetId());
          event.SetEventObject(this);
          event.SetInt(static_cast<int>(out->stored->invoiceNumber));
          ProcessWindowEvent(event);
          m_ctx.outboxChanged();
          return;
        }
        wxLogWarning("care sheet: not queued (%s)", utf8(core::errcId(out->error->code)));
        wxString text = errorText(*out->error, m_ctx.lang);
        for (const auto& p : out->problems) text += "\n" + errorText(p, m_ctx.lang);
        showResult(text, false);
        onChanged();
      });
}

void CareSheetPanel::clearSheet() {
  m_updating = true;
  for (Row& r : m_rows) {
    r.code->ChangeValue(wxString());
    r.qty->SetValue(1);
    r.price->ChangeValue(wxString());
    r.rateClass->SetSelection(wxNOT_FOUND);
    r.ald->SetValue(false);
    r.specific->SetValue(false);
  }
  m_accident->SetValue(false);
  m_accidentDate->Enable(false);
  m_updating = false;
  m_sheet.clearLines();
  loadCapHistory();  // the register now holds this sheet's PF/franchises
  onChanged();
  focusCodeEntry();
}

}  // namespace vd::ui
