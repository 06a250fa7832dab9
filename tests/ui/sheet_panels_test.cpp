// GUI tests of the desk's panels (label gui, under Xvfb through tests/ui/with_display.sh):
// care sheet → signed and queued FSE → pending row in the outbox view; a pricing error on its
// line; outbox filter, retry, hold, release and export on a register on disk; settings
// validation and storage; the log view's scrubbing; the French catalog. Screenshots of the
// care sheet and outbox screens are written to <build>/tests/screenshots (test artifacts,
// copied into docs/images by tools/update-screenshots.sh). TEST-ONLY keys, made by the test.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gtest/gtest.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/datectrl.h>
#include <wx/fileconf.h>
#include <wx/frame.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/textdlg.h>
#include <wx/timer.h>
#include <wx/translation.h>
#include <wx/uiaction.h>

#include "app/care_sheet.hpp"
#include "app/local_time.hpp"
#include "billing/outbox/outbox.hpp"
#include "core/working_days.hpp"
#include "crypto/test_pki.hpp"
#include "gui_test_support.hpp"
#include "ui/care_sheet_panel.hpp"
#include "ui/desk_context.hpp"
#include "ui/log_panel.hpp"
#include "ui/outbox_panel.hpp"
#include "ui/settings_dialog.hpp"
#include "ui/translations.hpp"
#include "ui/ui_text.hpp"

using namespace vd;
using std::chrono::milliseconds;

namespace {

// The expected text in the language of the run ($VD_SCREENSHOT_LANG): French or English.
wxString inLang(const char* fr, const char* en) {
  return wxString::FromUTF8(test::guiLang() == core::Lang::Fr ? fr : en);
}

constexpr const char* kAdultWithAmc = R"({
  "insured": {"nir": "255081416802538", "birth_name": "TESTVITALE", "first_name": "CAMILLE",
              "birth_date": "19550814", "birth_rank": 1},
  "amo": {"regime": "01", "caisse": "141", "centre": "0000", "exemption": ""},
  "amc": {"organisation": "99999997", "contract": "TEST", "covers_ticket_moderateur": true, "tiers_payant": false},
  "tiers_payant_amo": false
})";

const core::Date kCareDate = *core::Date::parseIso("2025-01-15");

template <class T>
T* child(wxWindow* parent, const char* name) {
  auto* w = dynamic_cast<T*>(parent->FindWindow(name));
  EXPECT_NE(w, nullptr) << name;
  return w;
}

class DeskPanels : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() / ("vd-gui-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
    auto pki = crypto::issueTestCertificate(m_dir / "pki", "practitioner", "TEST ONLY Dr TEST");
    ASSERT_TRUE(pki.ok());
    auto catalog = billing::TariffCatalog::load(std::filesystem::path(VD_SOURCE_RESOURCES_DIR) / "tariffs");
    ASSERT_TRUE(catalog.ok());
    m_ctx = std::make_unique<ui::DeskContext>();
    m_ctx->lang = test::guiLang();  // the catalog the environment loaded: no mixed languages
    m_ctx->catalog = std::make_shared<const billing::TariffCatalog>(std::move(*catalog));
    m_ctx->paths.registerFile = m_dir / "register.db";
    app::PractitionerProfile pr;
    pr.identity = {"10099999996", "141999995", "Dr TEST", "01", 1, false, "cabinet principal"};
    pr.signing = {app::SigningConfig::Kind::KeyFile, pki->key, pki->certificate, {}};
    m_ctx->practitioner = pr;
    m_patient = *app::patientFromJson(kAdultWithAmc);

    m_frame = new wxFrame(nullptr, wxID_ANY, "VitaleDesk", wxPoint(0, 0), wxSize(1280, 900));
    m_book = new wxNotebook(m_frame, wxID_ANY);
    m_frame->SetSizer(new wxBoxSizer(wxVERTICAL));
    m_frame->GetSizer()->Add(m_book, 1, wxEXPAND);
  }
  void TearDown() override {
    if (m_frame) {
      m_frame->Destroy();
      test::pumpFor(milliseconds(50));
    }
    m_ctx.reset();  // joins the worker
    std::filesystem::remove_all(m_dir);
  }

  ui::CareSheetPanel* addSheet() {
    auto* sheet = new ui::CareSheetPanel(m_book, *m_ctx);
    m_book->AddPage(sheet, _("Care sheet"), true);
    return sheet;
  }
  ui::OutboxPanel* addOutbox(bool select = false, bool tray = false) {
    auto* outbox = new ui::OutboxPanel(m_book, *m_ctx, tray);
    m_book->AddPage(outbox, _("Outbox"), select);
    return outbox;
  }
  void show() {
    m_frame->Show();
    m_frame->Raise();
    ASSERT_TRUE(test::pumpUntil([&] { return m_frame->IsShownOnScreen(); }));
    test::pumpFor(milliseconds(100));
  }
  // Stores `n` G consultations directly (not through the GUI), for the outbox tests.
  void storeSheets(int n, core::Date careDate = kCareDate) {
    app::CareSheet s(m_ctx->catalog);
    s.setDateOfCare(careDate);
    s.setPatient(m_patient);
    s.lines() = {app::CareSheetLineInput{billing::CareLineKind::Act, "G", 1, {}, {}, false}};
    for (int i = 0; i < n; ++i) {
      auto r = s.request(*m_ctx->practitioner, careDate);
      ASSERT_TRUE(r.ok());
      ASSERT_TRUE(app::submitCareSheet(*m_ctx->catalog, *r, m_ctx->paths.registerFile, {}).ok());
    }
  }

  std::filesystem::path m_dir;
  std::unique_ptr<ui::DeskContext> m_ctx;
  app::PatientContext m_patient;
  wxFrame* m_frame = nullptr;
  wxNotebook* m_book = nullptr;
};

TEST_F(DeskPanels, WorkedExampleTypedPricedAndQueuedShowsAPendingRow) {
  auto* sheet = addSheet();
  auto* outbox = addOutbox(false, true);  // with the tray icon when the X server has a tray
  m_ctx->onOutboxChanged = [outbox] { outbox->reload(); };
  show();
  sheet->setDateOfCare(kCareDate);
  sheet->setPatient(m_patient);

  auto* code = child<wxTextCtrl>(sheet, "code-1");
  code->SetFocus();
  test::pumpFor(milliseconds(100));
  wxUIActionSimulator sim;
  sim.Text("G");
  ASSERT_TRUE(test::pumpUntil([&] { return sheet->view().totals.has_value(); })) << "typing G did not price the sheet";
  EXPECT_EQ(sheet->view().totals->amoOwes.cents(), 1900);
  EXPECT_EQ(sheet->view().totals->amcOwes.cents(), 900);
  EXPECT_EQ(sheet->view().totals->pfDeducted.cents(), 200);
  EXPECT_EQ(child<wxStaticText>(sheet, "total-amo")->GetLabel(), inLang("19,00\u00a0€", "€19.00"));
  EXPECT_EQ(child<wxStaticText>(sheet, "total-amc")->GetLabel(), inLang("9,00\u00a0€", "€9.00"));
  EXPECT_TRUE(child<wxStaticText>(sheet, "caps-notice")->IsShown()) << "the local caps notice must show with a PF";
  // Non-ASCII source strings ("·") translate too, whatever the test's locale.
  EXPECT_EQ(child<wxStaticText>(sheet, "amounts-1")->GetLabel(),
            inLang("AMO 19,00\u00a0€ · AMC 9,00\u00a0€ · patient 2,00\u00a0€ · PF 2,00\u00a0€",
                   "AMO €19.00, AMC €9.00, patient €2.00, PF €2.00"));
  // The cap history comes from the worker; wait for it so the screenshot shows the final state.
  test::pumpFor(milliseconds(200));
  EXPECT_FALSE(test::screenshot(m_frame, "care-sheet").empty()) << "screenshot";

  int queued = 0;
  m_frame->Bind(ui::EVT_FSE_QUEUED, [&](wxCommandEvent& e) { queued = e.GetInt(); });
  code->SetFocus();
  sim.Char(WXK_RETURN, wxMOD_CONTROL);
  ASSERT_TRUE(test::pumpUntil([&] { return queued != 0; }, milliseconds(10000))) << "Ctrl+Enter did not queue";
  EXPECT_EQ(queued, 1);
  EXPECT_TRUE(child<wxStaticText>(sheet, "result")->GetLabel().Contains("1"));
  EXPECT_TRUE(child<wxTextCtrl>(sheet, "code-1")->GetValue().empty()) << "the sheet is cleared";
  ASSERT_TRUE(test::pumpUntil([&] { return outbox->rows().size() == 1; }));
  EXPECT_EQ(outbox->rows()[0].ref, "10099999996/1");
  EXPECT_EQ(outbox->rows()[0].state, "pending");
  EXPECT_EQ(outbox->counts().waiting, 1);
  m_book->SetSelection(1);
  test::pumpFor(milliseconds(200));
  EXPECT_FALSE(test::screenshot(m_frame, "outbox").empty()) << "screenshot";
}

TEST_F(DeskPanels, UnknownCodeShowsItsErrorOnItsLine) {
  auto* sheet = addSheet();
  show();
  sheet->setDateOfCare(kCareDate);
  sheet->setPatient(m_patient);
  child<wxTextCtrl>(sheet, "code-1")->SetValue("G");
  child<wxTextCtrl>(sheet, "code-2")->SetValue("ZZQ");
  ASSERT_TRUE(test::pumpUntil([&] { return sheet->view().lines[1].error.has_value(); }));
  EXPECT_EQ(sheet->view().lines[1].error->code, core::Errc::TariffUnknownCode);
  EXPECT_FALSE(sheet->view().lines[0].error);
  const wxString shown = child<wxStaticText>(sheet, "error-2")->GetLabel();
  EXPECT_TRUE(shown.Contains("ZZQ")) << shown;
  EXPECT_TRUE(child<wxStaticText>(sheet, "error-1")->GetLabel().empty());
  EXPECT_FALSE(child<wxWindow>(sheet, "submit")->IsEnabled());
  EXPECT_FALSE(test::screenshot(m_frame, "care-sheet-error").empty()) << "screenshot";
  // Ctrl+Enter on a sheet with an error queues nothing.
  sheet->validateSignQueue();
  test::pumpFor(milliseconds(200));
  EXPECT_FALSE(std::filesystem::exists(m_ctx->paths.registerFile));
}

TEST_F(DeskPanels, PharmacyProfilePricesBoxesWithTheirFranchise) {
  auto* sheet = addSheet();
  sheet->setProfile(app::Profile::Pharmacy);
  show();
  sheet->setDateOfCare(kCareDate);
  sheet->setPatient(m_patient);
  EXPECT_TRUE(child<wxWindow>(sheet, "price-1")->IsShown());
  auto* cls = child<wxChoice>(sheet, "class-1");
  ASSERT_TRUE(cls->SetStringSelection("65 %"));
  wxCommandEvent chosen(wxEVT_CHOICE, cls->GetId());
  cls->GetEventHandler()->ProcessEvent(chosen);  // SetStringSelection sends no event
  child<wxTextCtrl>(sheet, "price-1")->SetValue("12,50");
  dynamic_cast<wxSpinCtrl*>(sheet->FindWindow("qty-1"))->SetValue(2);
  child<wxTextCtrl>(sheet, "code-1")->SetValue("3400935955838");
  ASSERT_TRUE(test::pumpUntil([&] { return sheet->view().totals.has_value(); }))
      << (sheet->view().lines[0].error ? core::describeLine(*sheet->view().lines[0].error, core::Lang::En) : "");
  EXPECT_EQ(sheet->view().totals->franchiseDeducted.cents(), 200) << "2 boxes × €1 since 2024-03-31";
  EXPECT_TRUE(child<wxStaticText>(sheet, "caps-notice")->IsShown());
  EXPECT_FALSE(test::screenshot(m_frame, "care-sheet-pharmacy").empty()) << "screenshot";
  // A wrong check digit is reported on the line.
  child<wxTextCtrl>(sheet, "code-1")->SetValue("3400935955839");
  ASSERT_TRUE(test::pumpUntil([&] { return sheet->view().lines[0].error.has_value(); }));
  EXPECT_EQ(sheet->view().lines[0].error->code, core::Errc::Cip13CheckDigit);
}

TEST_F(DeskPanels, OutboxFiltersRetryHoldReleaseAndExport) {
  storeSheets(3);
  {  // the three sheets were sent: awaiting their ARL
    app::SystemClock clock;
    auto o = billing::Outbox::open(m_ctx->paths.registerFile, clock);
    ASSERT_TRUE(o.ok());
    auto lot = o->claimLot(10);
    ASSERT_TRUE(lot.ok() && lot->has_value());
    ASSERT_TRUE(o->markSent(**lot).ok());
  }
  auto* outbox = addOutbox(true);
  show();
  ASSERT_TRUE(test::pumpUntil([&] { return outbox->rows().size() == 3; }));
  EXPECT_EQ(child<wxWindow>(outbox, "outbox-export")->GetLabel(), inLang("&Exporter… (Ctrl+E)", "&Export... (Ctrl+E)"));
  // Hold sheet 2 with the keyboard, then filter on "held".
  ASSERT_TRUE(outbox->select("10099999996/2"));
  child<wxWindow>(outbox, "outbox-list")->SetFocus();
  test::pumpFor(milliseconds(50));
  wxUIActionSimulator sim;
  sim.Char('h', wxMOD_CONTROL);
  ASSERT_TRUE(test::pumpUntil([&] {
    for (const auto& r : outbox->rows())
      if (r.ref == "10099999996/2") return r.state == "held";
    return false;
  })) << "Ctrl+H did not hold the sheet";
  outbox->setFilter(billing::OutboxState::Held);
  ASSERT_EQ(outbox->rows().size(), 1u);
  EXPECT_EQ(outbox->rows()[0].ref, "10099999996/2");
  EXPECT_EQ(child<wxChoice>(outbox, "outbox-filter")->GetStringSelection(), inLang("Suspendue", "Held"));
  EXPECT_EQ(outbox->counts().attention, 1);
  EXPECT_FALSE(test::screenshot(m_frame, "outbox-held").empty()) << "screenshot";
  // Release it (button) → pending again.
  outbox->setFilter(std::nullopt);
  ASSERT_TRUE(outbox->select("10099999996/2"));
  outbox->releaseSelected();
  ASSERT_TRUE(test::pumpUntil([&] {
    for (const auto& r : outbox->rows())
      if (r.ref == "10099999996/2") return r.state == "pending";
    return false;
  }));
  // Retry a deferred sheet: the released sheet 2 is sent again and fails transiently.
  {
    app::SystemClock clock;
    auto o = billing::Outbox::open(m_ctx->paths.registerFile, clock);
    ASSERT_TRUE(o.ok());
    auto lot = o->claimLot(10);
    ASSERT_TRUE(lot.ok() && lot->has_value());
    for (const auto& m : (*lot)->members) ASSERT_TRUE(o->markFailed(m.ref, "transport.timeout", true).ok());
  }
  outbox->reload();
  ASSERT_TRUE(test::pumpUntil(
      [&] { return !outbox->busy() && !outbox->rows().empty() && outbox->rows()[0].state == "deferred"; }));
  outbox->setFilter(billing::OutboxState::Deferred);
  ASSERT_FALSE(outbox->rows().empty());
  const std::string deferred = outbox->rows()[0].ref;
  EXPECT_FALSE(outbox->rows()[0].lastErrorText.empty());
  ASSERT_TRUE(outbox->select(deferred));
  child<wxWindow>(outbox, "outbox-list")->SetFocus();
  test::pumpFor(milliseconds(50));
  sim.Char('r', wxMOD_CONTROL);
  ASSERT_TRUE(test::pumpUntil([&] {
    outbox->setFilter(std::nullopt);
    for (const auto& r : outbox->rows())
      if (r.ref == deferred) return r.state == "pending";
    return false;
  })) << "Ctrl+R did not retry the deferred sheet";
  // Export what is shown.
  const auto csv = m_dir / "outbox.csv";
  outbox->exportTo(csv);
  ASSERT_TRUE(test::pumpUntil([&] { return !outbox->busy(); }));
  std::ifstream in(csv);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().rfind("reference,state,deadline,overdue,attempts,last_error\r\n", 0), 0u);
  EXPECT_NE(text.str().find("10099999996/3"), std::string::npos);
  EXPECT_EQ(text.str().find("TESTVITALE"), std::string::npos) << "no patient data in the export";
}

TEST_F(DeskPanels, DispatcherEventsUpdateCountsAndSayWhy) {
  storeSheets(1);
  auto* outbox = addOutbox(true);
  show();
  ASSERT_TRUE(test::pumpUntil([&] { return outbox->reloads() >= 1; }));
  billing::DispatchEvent e;
  e.kind = billing::DispatchEventKind::Offline;
  e.counts.deferred = 3;
  e.counts.held = 1;
  e.error = core::makeError(core::Errc::OutboxNotFound, {"X"});
  const int before = outbox->reloads();
  outbox->dispatchEvent(e);
  EXPECT_EQ(outbox->counts().waiting, 3);
  EXPECT_EQ(outbox->counts().attention, 1);
  EXPECT_TRUE(
      child<wxStaticText>(outbox, "outbox-message")->GetLabel().StartsWith(inLang("Réseau indisponible", "Network unavailable")));
  EXPECT_TRUE(test::pumpUntil([&] { return outbox->reloads() > before; })) << "an event reloads the rows";
  EXPECT_EQ(outbox->counts().waiting, 1) << "the register's counts replace the event's";
}

// A sheet whose transmission deadline falls within one working day is painted "due soon",
// counted, and the message line says what to do (DeskDeadlineSoon), before it is overdue.
TEST_F(DeskPanels, SheetDueWithinOneWorkingDayIsFlaggedBeforeItIsOverdue) {
  app::SystemClock clock;
  const core::Date today = core::utcDate(clock.now());
  {  // Sent on the previous working day and awaiting its ARL (expected by the next working day):
     // not "due soon", the dispatcher retransmits when the ARL is late.
    const core::Date yesterday = core::WorkingDayCalendar().addWorkingDays(today, -1);
    storeSheets(1, yesterday);
    auto now = billing::Outbox::open(m_ctx->paths.registerFile, clock);
    ASSERT_TRUE(now.ok());
    auto lot = now->claimLot(10);
    ASSERT_TRUE(lot.ok() && lot->has_value());
    core::FixedClock then(core::startOfUtcDay(yesterday) + 12 * 3600);  // sent yesterday
    auto o = billing::Outbox::open(m_ctx->paths.registerFile, then);
    ASSERT_TRUE(o.ok());
    ASSERT_TRUE(o->markSent(**lot).ok());
    auto items = now->list();
    ASSERT_TRUE(items.ok() && items->size() == 1);
    EXPECT_EQ(items->front().state, billing::OutboxState::AwaitingArl);
    EXPECT_FALSE(items->front().dueSoon);
    EXPECT_EQ(now->stats()->dueWithinOneWorkingDay, 0);
  }
  // Care dates going back from today until one sheet is due soon (3 or 8 working days: R161-47).
  int dueSoon = 0;
  for (int back = 0; back <= 14 && dueSoon == 0; ++back) {
    storeSheets(1, core::Date::fromDayNumber(today.dayNumber() - back));
    auto o = billing::Outbox::open(m_ctx->paths.registerFile, clock);
    ASSERT_TRUE(o.ok());
    auto stats = o->stats();
    ASSERT_TRUE(stats.ok());
    dueSoon = stats->dueWithinOneWorkingDay;
  }
  ASSERT_EQ(dueSoon, 1) << "no care date gave a deadline within one working day";
  auto* outbox = addOutbox(true);
  show();
  ASSERT_TRUE(test::pumpUntil([&] { return outbox->reloads() >= 1 && !outbox->rows().empty(); }));
  int soonRows = 0;
  for (const auto& r : outbox->rows()) soonRows += r.dueSoon && !r.overdue ? 1 : 0;
  EXPECT_EQ(soonRows, 1);
  EXPECT_EQ(outbox->counts().dueSoon, 1);
  EXPECT_NE(outbox->countsText().Find(inLang("sous un jour ouvré", "within 1 working day")), wxNOT_FOUND)
      << outbox->countsText();
  const std::string expected =
      core::describe(core::makeError(core::Errc::DeskDeadlineSoon, {"1"}), m_ctx->lang).cause;
  EXPECT_NE(child<wxStaticText>(outbox, "outbox-message")->GetLabel().Find(wxString::FromUTF8(expected)), wxNOT_FOUND)
      << child<wxStaticText>(outbox, "outbox-message")->GetLabel();
  EXPECT_FALSE(test::screenshot(m_frame, "outbox-due-soon").empty()) << "screenshot";
}

// A PKCS#11 token (SoftHSM2, created here) asks its PIN through a dialog on the UI thread while
// the worker waits; the answer signs and queues the sheet.
TEST_F(DeskPanels, TokenPinIsAskedInADialogAndSigns) {
  const char* module = "/usr/lib/softhsm/libsofthsm2.so";
  if (!std::filesystem::exists(module) || std::system("command -v softhsm2-util pkcs11-tool >/dev/null") != 0)
    GTEST_SKIP() << "SoftHSM2 or pkcs11-tool missing";
  const auto t = m_dir / "token";
  std::filesystem::create_directories(t / "tokens");
  std::ofstream(t / "softhsm2.conf") << "directories.tokendir = " << (t / "tokens").string()
                                     << "\nobjectstore.backend = file\nlog.level = ERROR\n";
  ::setenv("SOFTHSM2_CONF", (t / "softhsm2.conf").string().c_str(), 1);
  const std::string label = "vd-gui-" + std::to_string(::getpid());
  const std::string uri = "pkcs11:token=" + label + ";object=sigkey;type=private";
  std::ofstream(t / "openssl.cnf") << "openssl_conf = conf\n[conf]\nengines = engines\n[engines]\npkcs11 = pkcs11\n"
                                   << "[pkcs11]\nengine_id = pkcs11\nMODULE_PATH = " << module << "\ninit = 0\n"
                                   << "[req]\ndistinguished_name = dn\n[dn]\n";
  const std::string setup =
      "softhsm2-util --init-token --free --label " + label + " --pin 1234 --so-pin 5678 >/dev/null && " +
      "pkcs11-tool --module " + module + " --token-label " + label +
      " --login --pin 1234 --keypairgen --key-type EC:prime256v1 --id 01 --label sigkey >/dev/null 2>&1 && " +
      "OPENSSL_CONF=" + (t / "openssl.cnf").string() + " openssl req -new -x509 -engine pkcs11 -keyform engine -key '" +
      uri + ";pin-value=1234' -subj '/O=VitaleDesk TEST ONLY/CN=TEST ONLY token' -days 30 -out " +
      (t / "token.pem").string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(setup.c_str()), 0) << "token setup";
  m_ctx->practitioner->signing = {app::SigningConfig::Kind::Pkcs11, {}, t / "token.pem", {module, uri}};

  auto* sheet = addSheet();
  show();
  sheet->setDateOfCare(kCareDate);
  sheet->setPatient(m_patient);
  child<wxTextCtrl>(sheet, "code-1")->SetValue("G");
  ASSERT_TRUE(test::pumpUntil([&] { return sheet->view().canSubmit; }));
  // The dialog is modal: answer it from a timer that runs inside its event loop.
  int asked = 0;
  wxTimer answer;
  answer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
    for (wxWindow* w : wxTopLevelWindows) {
      auto* dialog = dynamic_cast<wxTextEntryDialog*>(w);
      if (dialog && dialog->GetName() == "pin-dialog" && dialog->IsModal()) {
        ++asked;
        dialog->SetValue("1234");
        dialog->EndModal(wxID_OK);
      }
    }
  });
  answer.Start(50);
  int queued = 0;
  m_frame->Bind(ui::EVT_FSE_QUEUED, [&](wxCommandEvent& e) { queued = e.GetInt(); });
  sheet->validateSignQueue();
  EXPECT_TRUE(test::pumpUntil([&] { return queued != 0 || !sheet->busy(); }, milliseconds(20000)));
  answer.Stop();
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(queued, 1) << child<wxStaticText>(sheet, "result")->GetLabel();
  ::unsetenv("SOFTHSM2_CONF");
}

TEST_F(DeskPanels, SettingsAreValidatedNextToTheirFieldAndStored) {
  const auto file = m_dir / "vitaledesk.conf";
  std::filesystem::create_directories(m_dir);
  wxFileConfig config(wxEmptyString, wxEmptyString, wxString::FromUTF8(file.string()), wxEmptyString,
                      wxCONFIG_USE_LOCAL_FILE);
  auto* dialog = new ui::SettingsDialog(m_frame, config);
  dialog->Show();
  test::pumpFor(milliseconds(100));
  child<wxTextCtrl>(dialog, "/Scanner/VidPid")->SetValue("usb-scanner");
  child<wxTextCtrl>(dialog, "/Server/Url")->SetValue("http://insurer.example");
  EXPECT_EQ(child<wxComboBox>(dialog, "/Camera/Device")->GetValue(), "off");  // the default
  child<wxComboBox>(dialog, "/Camera/Device")->SetValue("video0");
  EXPECT_FALSE(dialog->check());
  EXPECT_FALSE(child<wxStaticText>(dialog, "/Camera/Device#problem")->GetLabel().empty());
  EXPECT_FALSE(child<wxStaticText>(dialog, "/Scanner/VidPid#problem")->GetLabel().empty());
  EXPECT_FALSE(child<wxStaticText>(dialog, "/Server/Url#problem")->GetLabel().empty());
  EXPECT_TRUE(child<wxStaticText>(dialog, "/Server/Proxy#problem")->GetLabel().empty());
  EXPECT_FALSE(test::screenshot(dialog, "settings").empty()) << "screenshot";
  // A token as signing key: its fields become editable and are required.
  auto* kind = child<wxChoice>(dialog, "/Signing/Kind");
  EXPECT_FALSE(child<wxWindow>(dialog, "/Signing/Pkcs11Uri")->IsEnabled());
  auto choose = [&](int i) {
    kind->SetSelection(i);
    wxCommandEvent chosen(wxEVT_CHOICE, kind->GetId());
    kind->GetEventHandler()->ProcessEvent(chosen);
  };
  choose(1);
  EXPECT_TRUE(child<wxWindow>(dialog, "/Signing/Pkcs11Uri")->IsEnabled());
  EXPECT_FALSE(child<wxWindow>(dialog, "/Signing/KeyFile")->IsEnabled());
  EXPECT_FALSE(dialog->check());
  EXPECT_FALSE(child<wxStaticText>(dialog, "/Signing/Pkcs11Uri#problem")->GetLabel().empty());
  choose(0);
  child<wxTextCtrl>(dialog, "/Scanner/VidPid")->SetValue("0c2e:0b61");
  child<wxComboBox>(dialog, "/Camera/Device")->SetValue("auto");
  child<wxTextCtrl>(dialog, "/Server/Url")->SetValue("https://insurer.example:8443/fse");
  child<wxChoice>(dialog, "/Desk/Profile")->SetSelection(1);
  EXPECT_TRUE(dialog->check());
  ui::saveSettings(config, dialog->values());
  dialog->Destroy();
  const auto back = ui::loadSettings(config);
  EXPECT_EQ(back.scannerIds, "0c2e:0b61");
  EXPECT_EQ(back.serverUrl, "https://insurer.example:8443/fse");
  EXPECT_EQ(back.profile, app::Profile::Pharmacy);
  EXPECT_EQ(back.camera, "auto");
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("VidPid=0c2e:0b61"), std::string::npos) << text.str();
}

TEST_F(DeskPanels, LogViewShowsLinesWithoutPatientNumbers) {
  auto* log = new ui::LogPanel(m_book);
  m_book->AddPage(log, "log", true);
  show();
  wxLogMessage("outbox: 3 sheets claimed for 10099999996");
  wxLogMessage("leak test 2 55 08 14 168 025 38 and 255081416802538");
  wxLog::FlushActive();
  ASSERT_TRUE(test::pumpUntil([&] { return log->lineCount() >= 2; }));
  const std::string text = log->text().utf8_string();
  EXPECT_NE(text.find("3 sheets claimed for 10099999996"), std::string::npos);  // an RPPS (11 digits) stays
  EXPECT_EQ(text.find("255081416802538"), std::string::npos);
  EXPECT_EQ(text.find("168 025 38"), std::string::npos);
  EXPECT_EQ(ui::scrubLogLine("a 1234567890123 b"), "a ************* b");
  // Corsican NIRs (2A, 2B), grouped or not; a word with A or B is left alone.
  EXPECT_EQ(ui::scrubLogLine("nir 253072A07300443."), "nir ***************.");
  EXPECT_EQ(ui::scrubLogLine("2 53 07 2b 073 004 43"), "* ** ** ** *** *** **");
  EXPECT_EQ(ui::scrubLogLine("lot 2A of 12"), "lot 2A of 12");
}

TEST(Translations, FrenchCatalogLoadsAndEnglishIsSelectable) {
  ASSERT_TRUE(ui::initTranslations("fr")) << "vitaledesk.mo not found in the build tree";
  EXPECT_EQ(wxGetTranslation("No patient"), wxString::FromUTF8("Aucun patient"));
  EXPECT_EQ(ui::currentLang(), core::Lang::Fr);
  ASSERT_TRUE(ui::initTranslations("en"));
  EXPECT_EQ(wxGetTranslation("No patient"), "No patient");
  EXPECT_EQ(ui::currentLang(), core::Lang::En);
  ui::initTranslations(test::guiLangId());  // back to the language of the run
}

// The care sheet opens on the desk's today (app::deskToday, the Europe/Paris day main() selected
// as the desk does), the same function as the reader hub's and the CLI's today.
TEST_F(DeskPanels, CareSheetOpensOnTheDesksToday) {
  const core::Date before = app::deskToday();
  auto* sheet = addSheet();
  show();
  const core::Date shown = ui::fromWxDate(child<wxDatePickerCtrl>(sheet, "date-of-care")->GetValue());
  const core::Date after = app::deskToday();
  EXPECT_TRUE(shown == before || shown == after) << shown.iso();  // midnight may pass in between
  EXPECT_EQ(app::deskTimeZone().name(), "Europe/Paris");
}

}  // namespace

int main(int argc, char** argv) {
  // The desk's zone, set before wx starts any thread (as DeskApp's constructor does).
  if (vd::app::selectDeskTimeZone("", vd::app::kTimeZoneSetting)) return 1;
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new vd::test::WxEnvironment(argc, argv));
  return RUN_ALL_TESTS();
}
