// GUI tests: the real desk window under Xvfb (label gui), in the demo mode with its TEST-ONLY
// material in a private folder. Run through tests/ui/with_display.sh. Commands go through
// menu events (the ids the menus and shortcuts use) or wxUIActionSimulator; every wait is a
// bounded event pump, never a sleep used as an assertion. Screenshots of each main screen are
// written to $VD_SCREENSHOT_DIR (default <build>/tests/screenshots) for the user guide, in the
// language of $VD_SCREENSHOT_LANG (tools/update-screenshots.sh: docs/images/fr and /en).
#include <gtest/gtest.h>
#include <wx/app.h>
#include <wx/choice.h>
#include <wx/init.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/notebook.h>
#include <wx/panel.h>
#include <wx/thread.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>
#include <wx/utils.h>
#include <wx/weakref.h>
#include <wx/process.h>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "app/demo_mode.hpp"
#include "gui_test_support.hpp"
#include "reader/card/vitale_card_reader.hpp"
#include "reader/scanner/code_source.hpp"
#include "ui/care_sheet_panel.hpp"
#include "ui/outbox_panel.hpp"
#include "ui/main_frame.hpp"
#include "ui/patient_panel.hpp"
#include "ui/shortcuts.hpp"
#include "ui/status_strip.hpp"
#include "ui/wx_event_sink.hpp"

namespace {

namespace fs = std::filesystem;

fs::path g_home;

using vd::test::pumpFor;
using vd::test::pumpUntil;

// A screenshot for the user guide, in the language of $VD_SCREENSHOT_LANG.
void screenshot(wxWindow* w, const std::string& name) {
  EXPECT_FALSE(vd::test::screenshot(w, name).empty()) << "screenshot " << name;
}

int cardKitIndex(const std::string& name) {
  const auto kits = vd::app::DemoMode::cardKits();
  for (std::size_t i = 0; i < kits.size(); ++i)
    if (kits[i].name == name) return static_cast<int>(i);
  ADD_FAILURE() << "no kit " << name;
  return 0;
}

int phoneKitIndex(const std::string& name) {
  const auto kits = vd::app::DemoMode::phoneKits();
  for (std::size_t i = 0; i < kits.size(); ++i)
    if (kits[i] == name) return static_cast<int>(i);
  ADD_FAILURE() << "no phone kit " << name;
  return 0;
}

void command(wxFrame* frame, int id) {
  wxCommandEvent e(wxEVT_MENU, id);
  e.SetEventObject(frame);
  frame->GetEventHandler()->ProcessEvent(e);
}

vd::ui::DeskOptions demoOptions(bool network = false) {
  vd::ui::DeskOptions o;
  o.demo = true;
  o.demoDir = g_home / "demo";
  o.watchPcsc = false;  // no pcscd here: the in-process test kit is the card source
  o.startNetwork = network;
  o.trayIcon = false;
  return o;
}

// Owns a shown frame; destroys it (and pumps) at the end of the test.
struct Desk {
  explicit Desk(vd::ui::DeskOptions o = demoOptions()) : frame(new vd::ui::MainFrame(o)), alive(frame) {
    frame->Show();
    frame->Raise();
    pumpUntil([&] { return frame->IsShownOnScreen(); });
    // Start-up reads its files on the worker; commands wait for it (as a user would).
    EXPECT_TRUE(pumpUntil([&] { return frame->ready(); }, std::chrono::milliseconds(15000)));
  }
  ~Desk() {
    if (alive) alive->Destroy();
    pumpFor(100);
  }
  vd::ui::PatientPanel& patient() { return *frame->patientPanel(); }
  bool waitVerdict() {
    return pumpUntil([&] { return patient().current().has_value(); });
  }
  vd::ui::MainFrame* frame;
  wxWeakRef<wxFrame> alive;
};

bool hasLongDigitRun(const wxString& text) {
  return std::regex_search(text.utf8_string(), std::regex("[0-9]{13}"));
}

TEST(MainWindow, OpensInDemoModeWithSourcesMenusAndShortcuts) {
  Desk d;
  EXPECT_TRUE(d.frame->demo());
  EXPECT_NE(d.frame->GetTitle().Find(_("DEMO (test material only)")), wxNOT_FOUND);
  wxMenuBar* bar = d.frame->GetMenuBar();
  ASSERT_NE(bar, nullptr);
  EXPECT_NE(bar->FindMenu(_("&Test kit")), wxNOT_FOUND);
  vd::ui::StatusStrip* strip = d.frame->statusStrip();
  for (int i = 0; i < vd::app::kSourceCount; ++i) {
    auto* label = strip->indicator(static_cast<vd::app::Source>(i));
    ASSERT_NE(label, nullptr);
    EXPECT_FALSE(label->GetToolTipText().empty());
  }
  // Without pcscd watching, the card reader says so honestly.
  EXPECT_EQ(strip->state(vd::app::Source::CardReader), vd::app::SourceState::Unavailable);
  // Every command of the shortcut table is reachable from a menu, with its key.
  for (const auto& entry : vd::ui::shortcutTable()) {
    wxMenuItem* item = bar->FindItem(entry.id);
    ASSERT_NE(item, nullptr) << entry.accel;
    EXPECT_NE(item->GetItemLabel().Find(entry.accel), wxNOT_FOUND) << entry.accel;
  }
  screenshot(d.frame, "desk-empty");
  // Help -> Keyboard shortcuts (F1), shown modeless for its picture.
  auto* help = new vd::ui::ShortcutsDialog(d.frame);
  help->Show();
  ASSERT_TRUE(pumpUntil([&] { return help->IsShownOnScreen(); }));
  auto* list = dynamic_cast<wxListCtrl*>(help->FindWindowByName("shortcuts-list"));
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(static_cast<std::size_t>(list->GetItemCount()), vd::ui::shortcutTable().size() + 1);
  screenshot(help, "shortcuts");
  help->Destroy();
}

TEST(MainWindow, KitCardShowsTheVerifiedPatient) {
  Desk d;
  command(d.frame, vd::ui::kCmdDemoCardFirst + cardKitIndex("family"));
  ASSERT_TRUE(d.waitVerdict());
  const auto& view = *d.patient().current();
  EXPECT_EQ(view.verdict, vd::app::CredentialVerdict::Verified);
  EXPECT_EQ(view.origin, vd::app::CredentialOrigin::Card);
  EXPECT_EQ(d.patient().badgeText(), _("VERIFIED"));
  ASSERT_GE(view.beneficiaries.size(), 3u);  // insured, spouse, child
  const wxString text = d.patient().visibleText();
  EXPECT_NE(text.Find(wxString::FromUTF8(view.beneficiaries[0].birthName)), wxNOT_FOUND);
  EXPECT_NE(text.Find("AMC"), wxNOT_FOUND);
  EXPECT_EQ(d.frame->statusStrip()->state(vd::app::Source::CardReader), vd::app::SourceState::Present);
  auto* choice = dynamic_cast<wxChoice*>(d.frame->FindWindowByName("beneficiary-choice"));
  ASSERT_NE(choice, nullptr);
  EXPECT_TRUE(choice->IsShown());
  EXPECT_EQ(choice->GetCount(), view.beneficiaries.size());
  // Ctrl+3 chooses the third beneficiary (the menu command the accelerator sends).
  command(d.frame, vd::ui::kCmdBeneficiary1 + 2);
  EXPECT_EQ(d.patient().selectedBeneficiary(), std::optional<std::size_t>(2));
  screenshot(d.frame, "patient-verified-card");
  // Removing the card clears the patient.
  command(d.frame, vd::ui::kCmdDemoRemoveCard);
  EXPECT_TRUE(pumpUntil([&] { return !d.patient().current().has_value(); }));
}

TEST(MainWindow, RefusedCardShowsNoPersonData) {
  Desk d;
  command(d.frame, vd::ui::kCmdDemoCardFirst + cardKitIndex("opposition"));
  ASSERT_TRUE(d.waitVerdict());
  const auto& view = *d.patient().current();
  EXPECT_EQ(view.verdict, vd::app::CredentialVerdict::Refused);
  EXPECT_TRUE(view.beneficiaries.empty());
  EXPECT_EQ(d.patient().badgeText(), _("REFUSED"));
  const wxString text = d.patient().visibleText();
  // The reason in the catalog's words (cause and action), in the desk's language.
  const vd::core::UserMessage reason = vd::core::describe(vd::reader::cardReasonError("opposition"), vd::test::guiLang());
  wxString flat = text;  // the reasons are wrapped to the panel's width
  flat.Replace("\n", " ");
  while (flat.Replace("  ", " ") > 0) {
  }
  EXPECT_NE(flat.Find(wxString::FromUTF8(reason.cause)), wxNOT_FOUND) << text;
  EXPECT_NE(flat.Find(wxString::FromUTF8(reason.action)), wxNOT_FOUND) << text;
  EXPECT_FALSE(hasLongDigitRun(text)) << "a NIR is shown for a refused card";
  EXPECT_EQ(d.frame->FindWindowByName("identity")->GetLabel(), "");
  EXPECT_FALSE(d.patient().selectedBeneficiary().has_value());
  screenshot(d.frame, "patient-refused-card");
}

TEST(MainWindow, ReadNotVerifiedCardIsNeverShownAsVerified) {
  Desk d;
  command(d.frame, vd::ui::kCmdDemoCardFirst + cardKitIndex("public-only"));
  ASSERT_TRUE(d.waitVerdict());
  EXPECT_EQ(d.patient().current()->verdict, vd::app::CredentialVerdict::ReadNotVerified);
  EXPECT_EQ(d.patient().badgeText(), _("READ, NOT VERIFIED"));
  EXPECT_NE(d.patient().visibleText().Find(_("(read from the card, NOT verified)")), wxNOT_FOUND);
  EXPECT_FALSE(d.patient().selectedBeneficiary().has_value()) << "nothing billable from unverified data";
}

TEST(MainWindow, ProfilesChooseWhatComesFirst) {
  Desk d;
  command(d.frame, vd::ui::kCmdProfileReception);
  EXPECT_EQ(d.frame->notebook()->GetPage(0)->GetName(), "outbox");
  EXPECT_TRUE(d.frame->GetMenuBar()->IsChecked(vd::ui::kCmdProfileReception));
  command(d.frame, vd::ui::kCmdDemoPhoneFirst + phoneKitIndex("valid"));
  ASSERT_TRUE(d.waitVerdict());
  screenshot(d.frame, "profile-reception");
  command(d.frame, vd::ui::kCmdProfilePharmacy);
  EXPECT_EQ(d.frame->notebook()->GetPage(0)->GetName(), "care-sheet");
  // Pharmacy: the AMC (tiers payant) comes before the AMO rights in the patient panel.
  EXPECT_LT(d.frame->FindWindowByName("amc")->GetPosition().y, d.frame->FindWindowByName("rights")->GetPosition().y);
  command(d.frame, vd::ui::kCmdProfileGp);
  EXPECT_GT(d.frame->FindWindowByName("amc")->GetPosition().y, d.frame->FindWindowByName("rights")->GetPosition().y);
  EXPECT_EQ(d.frame->context().profile, vd::app::Profile::Gp);
}

TEST(MainWindow, RevokedPhoneIsRefusedWithItsReason) {
  Desk d;
  command(d.frame, vd::ui::kCmdDemoPhoneFirst + phoneKitIndex("revoked-phone"));
  ASSERT_TRUE(d.waitVerdict());
  const auto& view = *d.patient().current();
  EXPECT_EQ(view.verdict, vd::app::CredentialVerdict::Refused);
  ASSERT_FALSE(view.reasons.empty());
  ASSERT_TRUE(view.reasons.front().error.has_value());
  EXPECT_EQ(view.reasons.front().error->code, vd::core::Errc::ApcvAppRevoked);
  EXPECT_EQ(d.patient().badgeText(), _("REFUSED"));
  EXPECT_FALSE(hasLongDigitRun(d.patient().visibleText()));
  screenshot(d.frame, "patient-refused-phone");
}

// Every token verdict says how old the trust material is; beyond kTrustStaleDays the panel
// warns (cause and action) without changing the verdict.
TEST(MainWindow, TokenVerdictShowsTheTrustMaterialAgeAndWarnsWhenStale) {
  Desk d;
  command(d.frame, vd::ui::kCmdDemoPhoneFirst + phoneKitIndex("valid"));
  ASSERT_TRUE(d.waitVerdict());
  vd::app::CredentialView view = *d.patient().current();
  ASSERT_EQ(view.verdict, vd::app::CredentialVerdict::Verified);
  ASSERT_TRUE(view.trustAgeDays.has_value()) << "the demo material states its date";
  EXPECT_LE(*view.trustAgeDays, vd::app::kTrustStaleDays);
  const wxString source = d.frame->FindWindowByName("source")->GetLabel();
  EXPECT_NE(source.Find(wxString::Format(_("Trust material: %d days old"), *view.trustAgeDays)), wxNOT_FOUND) << source;
  const std::string stale =
      vd::core::describe(vd::core::makeError(vd::core::Errc::DeskTrustStale,
                                             {"30", std::to_string(vd::app::kTrustStaleDays)}),
                         vd::test::guiLang())
          .cause;
  EXPECT_EQ(d.patient().visibleText().Find(wxString::FromUTF8(stale)), wxNOT_FOUND);
  view.trustAgeDays = 30;
  d.patient().show(view);
  wxString flat = d.frame->FindWindowByName("reasons")->GetLabel();
  flat.Replace("\n", " ");
  EXPECT_NE(flat.Find(wxString::FromUTF8(stale)), wxNOT_FOUND) << flat;
  EXPECT_EQ(d.patient().badgeText(), _("VERIFIED"));
}

TEST(MainWindow, DelegatedPhoneShowsWhoPresentsIt) {
  Desk d;
  command(d.frame, vd::ui::kCmdDemoPhoneFirst + phoneKitIndex("delegated"));
  ASSERT_TRUE(d.waitVerdict());
  ASSERT_EQ(d.patient().current()->verdict, vd::app::CredentialVerdict::Verified);
  const wxString notice = d.frame->FindWindowByName("delegation")->GetLabel();
  EXPECT_NE(notice.Find("AIDANT"), wxNOT_FOUND) << notice;
  EXPECT_NE(d.frame->FindWindowByName("freshness")->GetLabel().Find(_("Offline: rights from the %s, as of %s").BeforeFirst('%')), wxNOT_FOUND);
  screenshot(d.frame, "patient-delegated-phone");
}

TEST(MainWindow, RightsClosedOnlineWinOverTheCard) {
  Desk d;
  command(d.frame, vd::ui::kCmdDemoCardFirst + cardKitIndex("ald"));
  ASSERT_TRUE(d.waitVerdict());
  vd::ui::CareSheetPanel* sheet = d.frame->careSheet();
  ASSERT_NE(sheet, nullptr);
  auto* code = dynamic_cast<wxTextCtrl*>(d.frame->FindWindowByName("code-1"));
  ASSERT_NE(code, nullptr);
  code->SetValue("G");
  ASSERT_TRUE(pumpUntil([&] { return sheet->view().canSubmit; })) << "billable from the card while offline";
  EXPECT_NE(d.frame->FindWindowByName("freshness")->GetLabel().Find(_("Offline: rights from the %s, as of %s").BeforeFirst('%')), wxNOT_FOUND);
  // The insurer's answer through the event port, as DeskNetwork posts it: rights closed, no ALD.
  vd::app::RightsRefreshed r;
  r.readAt = d.patient().current()->readAt;
  r.rights.asOf = vd::core::Date::fromDayNumber(static_cast<std::int32_t>(wxDateTime::Now().GetTicks() / 86400)).iso();
  r.rights.at = r.rights.asOf + " 09:30 UTC";
  r.rights.amoOpen = false;
  r.rights.regime = d.patient().current()->regime;
  r.rights.caisse = d.patient().current()->caisse;
  r.rights.centre = d.patient().current()->centre;
  d.frame->eventSink().post(r);
  ASSERT_TRUE(pumpUntil([&] { return d.patient().current()->rightsOnline; }));
  EXPECT_FALSE(d.patient().current()->amoOpen);
  EXPECT_EQ(d.patient().badgeText(), _("RIGHTS CLOSED"));
  wxString freshness = d.frame->FindWindowByName("freshness")->GetLabel();
  freshness.Replace("\n", " ");  // wrapped to the panel's width
  EXPECT_NE(freshness.Find(_("AMO rights CLOSED")), wxNOT_FOUND) << freshness;
  EXPECT_NE(freshness.Find(wxString::Format(_("%s ended"), _("ALD (long-term illness)"))), wxNOT_FOUND) << freshness;
  EXPECT_EQ(d.frame->FindWindowByName("rights")->GetLabel().Find(_("ALD (long-term illness)")), wxNOT_FOUND);
  EXPECT_TRUE(pumpUntil([&] {
    return !sheet->view().canSubmit && sheet->view().sheetError &&
           sheet->view().sheetError->code == vd::core::Errc::CareSheetNoPatient;
  })) << "nothing to bill when the insurer says the rights are closed";
  EXPECT_NE(d.frame->GetStatusBar()->GetStatusText(0).Find(_("The insurer reports no open AMO rights today: do not bill an FSE.")), wxNOT_FOUND);
  screenshot(d.frame, "patient-rights-closed-online");
}

// A USB scanner as the hub sees it (reader::scanner::CodeSource): codes arrive on the
// source's own thread, as from the libusb worker.
class FedCodeSource final : public vd::reader::scanner::CodeSource {
 public:
  vd::core::Result<void> start(vd::reader::scanner::CodeHandlers handlers) override {
    std::lock_guard lock(m_mutex);
    m_handlers = std::move(handlers);
    return {};
  }
  void stop() override {
    std::lock_guard lock(m_mutex);
    m_handlers = {};
  }
  void scan(const std::string& text) {
    std::thread([this, text] {
      std::lock_guard lock(m_mutex);
      if (m_handlers.onCode) m_handlers.onCode("usb:test-scanner", vd::reader::scanner::ScannedText{text, {}, "", {}});
    }).join();
  }

 private:
  std::mutex m_mutex;
  vd::reader::scanner::CodeHandlers m_handlers;
};

TEST(MainWindow, PhoneOverNfcAndUsbScannerCodeReachThePatientPanel) {
  auto scanner = std::make_shared<FedCodeSource>();
  vd::ui::DeskOptions o = demoOptions();
  o.codeSource = scanner;
  Desk d(o);
  // A phone held on the contactless reader: the NFC exchange with a fresh challenge.
  command(d.frame, vd::ui::kCmdDemoNfcFirst + phoneKitIndex("valid"));  // Test kit menu
  ASSERT_TRUE(d.waitVerdict());
  EXPECT_EQ(d.patient().current()->origin, vd::app::CredentialOrigin::Nfc);
  EXPECT_EQ(d.patient().current()->verdict, vd::app::CredentialVerdict::Verified);
  EXPECT_EQ(d.patient().badgeText(), _("VERIFIED"));
  EXPECT_NE(d.frame->FindWindowByName("source")->GetLabel().Find(_("appli carte Vitale: NFC")), wxNOT_FOUND);
  // A revoked phone over NFC: refused with its reason, nothing of the person shown.
  const std::int64_t firstRead = d.patient().current()->readAt;
  d.frame->presentDemoPhoneNfc("revoked-phone");
  ASSERT_TRUE(pumpUntil([&] {
    return d.patient().current() && d.patient().current()->verdict == vd::app::CredentialVerdict::Refused;
  })) << "readAt " << firstRead;
  ASSERT_FALSE(d.patient().current()->reasons.empty());
  ASSERT_TRUE(d.patient().current()->reasons[0].error);
  EXPECT_EQ(d.patient().current()->reasons[0].error->code, vd::core::Errc::ApcvAppRevoked);
  EXPECT_FALSE(hasLongDigitRun(d.patient().visibleText()));
  // A QR code read by the USB scanner (the hub's scanner path, not the keyboard wedge).
  auto material = vd::app::DemoMode::open(g_home / "demo", wxDateTime::Now().GetTicks());
  ASSERT_TRUE(material.ok());
  auto token = (*material)->phoneToken("delegated", wxDateTime::Now().GetTicks());
  ASSERT_TRUE(token.ok());
  scanner->scan(*token);
  ASSERT_TRUE(pumpUntil([&] {
    return d.patient().current() && d.patient().current()->origin == vd::app::CredentialOrigin::QrScanner;
  }));
  EXPECT_EQ(d.patient().current()->verdict, vd::app::CredentialVerdict::Verified);
  EXPECT_TRUE(d.patient().current()->delegation.has_value());
  EXPECT_EQ(d.frame->statusStrip()->state(vd::app::Source::UsbScanner), vd::app::SourceState::Present);
  EXPECT_EQ(d.frame->wedgeCodes(), 0) << "the scanner path, not the keyboard wedge";
}

// Test kit > "Show a test phone to the camera": the phone's QR code drawn as a camera sees it,
// played by a GStreamer file pipeline through the hub's camera path (no V4L2 camera here).
TEST(MainWindow, PhoneShownToTheCameraIsVerifiedAsCameraOrigin) {
  Desk d;
  vd::ui::StatusStrip* strip = d.frame->statusStrip();
  // The camera is off in the settings: the indicator says so (images still open with Ctrl+O).
  ASSERT_TRUE(pumpUntil([&] { return strip->state(vd::app::Source::Camera) == vd::app::SourceState::Unavailable; }));
  command(d.frame, vd::ui::kCmdDemoCameraFirst + phoneKitIndex("valid"));  // Test kit menu
  ASSERT_TRUE(pumpUntil([&] { return d.patient().current().has_value(); }, std::chrono::milliseconds(15000)));
  EXPECT_EQ(d.patient().current()->origin, vd::app::CredentialOrigin::QrCamera);
  EXPECT_EQ(d.patient().current()->verdict, vd::app::CredentialVerdict::Verified);
  EXPECT_EQ(d.patient().badgeText(), _("VERIFIED"));
  EXPECT_NE(d.frame->FindWindowByName("source")->GetLabel().Find(_("appli carte Vitale: QR code (camera)")), wxNOT_FOUND);
  EXPECT_EQ(strip->state(vd::app::Source::Camera), vd::app::SourceState::Waiting);  // the 2 s stream plays
  screenshot(d.frame, "patient-camera-phone");
  const std::int64_t readAt = d.patient().current()->readAt;
  // The stream ends: the configured camera (off) is back, and the phone was reported once (a
  // second report would show the replay refusal).
  ASSERT_TRUE(pumpUntil([&] { return strip->state(vd::app::Source::Camera) == vd::app::SourceState::Unavailable; },
                        std::chrono::milliseconds(10000)));
  pumpFor(300);
  EXPECT_EQ(d.patient().current()->readAt, readAt);
  EXPECT_EQ(d.patient().current()->verdict, vd::app::CredentialVerdict::Verified);
}

TEST(MainWindow, KeyboardWedgeScannerWorksWhateverHasTheFocus) {
  Desk d;
  vd::app::DemoMode* demo = nullptr;
  auto material = vd::app::DemoMode::open(g_home / "demo", wxDateTime::Now().GetTicks());
  ASSERT_TRUE(material.ok());
  demo = material->get();
  auto token = demo->phoneToken("valid", wxDateTime::Now().GetTicks());
  ASSERT_TRUE(token.ok());
  // Focus in a text field of the care sheet: the scanner's burst must not land there.
  auto* code = dynamic_cast<wxTextCtrl*>(d.frame->FindWindowByName("code-1"));
  ASSERT_NE(code, nullptr);
  code->SetFocus();
  pumpFor(100);
  // A scanner types fast (xdotool, as a wedge scanner would): real X key events to the window.
  const fs::path typed = g_home / "scanner-burst.txt";
  {
    std::ofstream out(typed);
    out << *token << '\n';  // a scanner ends its code with Enter
  }
  const wxString cmd = wxString::Format("xdotool type --delay 3 --file %s", wxString::FromUTF8(typed.string()));
  const long pid = wxExecute(cmd, wxEXEC_ASYNC);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(pumpUntil([&] { return d.frame->GetStatusBar() != nullptr && !wxProcess::Exists(pid); },
                        std::chrono::milliseconds(20000)));
  ASSERT_TRUE(pumpUntil([&] { return d.frame->wedgeCodes() > 0; }, std::chrono::milliseconds(5000)))
      << "the burst was not recognised; the field holds: " << code->GetValue().utf8_string().substr(0, 40);
  ASSERT_TRUE(d.waitVerdict());
  for (const auto& r : d.patient().current()->reasons)
    ADD_FAILURE() << "reason " << r.id << " " << (r.error ? r.error->where : "");
  EXPECT_EQ(d.patient().current()->origin, vd::app::CredentialOrigin::QrKeyboard);
  EXPECT_EQ(d.patient().current()->verdict, vd::app::CredentialVerdict::Verified);
  EXPECT_TRUE(code->GetValue().empty()) << "the token was typed into the field";
  // Human typing still reaches the field.
  code->SetFocus();
  wxUIActionSimulator sim;
  sim.Char('G', wxMOD_SHIFT);
  EXPECT_TRUE(pumpUntil([&] { return code->GetValue() == "G"; }, std::chrono::milliseconds(2000)))
      << code->GetValue();
}

TEST(MainWindow, PricedSheetIsQueuedSentAndAcknowledgedAndWaitsWhileTheNetworkIsDown) {
  Desk d(demoOptions(true));
  ASSERT_TRUE(pumpUntil([&] { return d.frame->networkReady(); }, std::chrono::milliseconds(15000)));
  vd::ui::OutboxPanel* outbox = d.frame->outbox();
  vd::ui::CareSheetPanel* sheet = d.frame->careSheet();
  ASSERT_NE(sheet, nullptr);
  auto countIn = [&](const char* state) {
    int n = 0;
    for (const auto& r : outbox->rows()) n += r.state == state ? 1 : 0;
    return n;
  };
  auto states = [&] {
    std::string all;
    for (const auto& r : outbox->rows()) all += r.ref + "=" + r.state + "(" + r.lastErrorCode + ") ";
    return all;
  };
  auto queueOne = [&](const char* what, bool presentPhone) {
    if (presentPhone) {
      command(d.frame, vd::ui::kCmdDemoPhoneFirst + phoneKitIndex("valid"));
      ASSERT_TRUE(pumpUntil([&] {
        return d.patient().current() && d.patient().current()->origin == vd::app::CredentialOrigin::QrScanner &&
               d.patient().current()->verdict == vd::app::CredentialVerdict::Verified;
      })) << what;
    }
    auto* code = dynamic_cast<wxTextCtrl*>(d.frame->FindWindowByName("code-1"));
    ASSERT_NE(code, nullptr);
    code->ChangeValue("G");
    code->SetValue("G");
    ASSERT_TRUE(pumpUntil([&] { return sheet->view().canSubmit; })) << what;
    const int before = static_cast<int>(outbox->rows().size());
    command(d.frame, vd::ui::kCmdSubmit);  // Ctrl+Enter
    ASSERT_TRUE(pumpUntil([&] { return static_cast<int>(outbox->rows().size()) > before; },
                          std::chrono::milliseconds(10000)))
        << what;
  };
  // A kit card: its fund is on the card (EF 2002) and its rights are refreshed online, then
  // the sheet can be billed. (The simulator answers for a NIR with the first kit that has it:
  // "family".)
  command(d.frame, vd::ui::kCmdDemoCardFirst + cardKitIndex("family"));
  ASSERT_TRUE(pumpUntil([&] { return d.patient().current() && d.patient().current()->rightsOnline; },
                        std::chrono::milliseconds(10000)))
      << "rights not refreshed online";
  EXPECT_EQ(d.patient().current()->caisse, "751");
  // The insurer's answer agrees with the card: its AMC is kept, no difference reported.
  EXPECT_TRUE(d.patient().current()->onlineChanges.empty());
  EXPECT_NE(d.frame->FindWindowByName("amc")->GetLabel().Find("88888888"), wxNOT_FOUND);
  auto billed = vd::app::patientContextFor(
      *d.patient().current(), 0,
      vd::core::Date::fromDayNumber(static_cast<std::int32_t>(wxDateTime::Now().GetTicks() / 86400)));
  ASSERT_TRUE(billed.ok());
  ASSERT_TRUE(billed->amc);
  EXPECT_EQ(billed->amc->organisation, "88888888");
  EXPECT_NE(d.frame->FindWindowByName("freshness")->GetLabel().Find(_("Rights refreshed online at %s").BeforeFirst('%')),
            wxNOT_FOUND);
  screenshot(d.frame, "patient-rights-online");
  queueOne("card, online", false);
  screenshot(d.frame, "care-sheet-queued");
  EXPECT_TRUE(pumpUntil([&] { outbox->reload(); pumpFor(50); return countIn("acknowledged") >= 1; },
                        std::chrono::milliseconds(20000)))
      << "sent and acknowledged: " << states();

  command(d.frame, vd::ui::kCmdDemoNetwork);  // network off
  queueOne("phone, offline", true);
  pumpFor(1500);
  outbox->reload();
  pumpFor(300);
  EXPECT_GE(countIn("pending") + countIn("deferred") + countIn("sending"), 1) << "the queue grows while offline";
  d.frame->choosePage("outbox");
  screenshot(d.frame, "outbox-offline");

  command(d.frame, vd::ui::kCmdDemoNetwork);  // network on: drains
  EXPECT_TRUE(pumpUntil([&] { outbox->reload(); pumpFor(50); return countIn("acknowledged") >= 2; },
                        std::chrono::milliseconds(30000)))
      << "drained after the network came back: " << states();
  screenshot(d.frame, "outbox-drained");
}

// Run by tests/integration/desk_pcscd.sh inside its private pcscd + vpcd, with a simulated
// card already inserted (VD_DESK_PCSC_CARD_PID) whose issuer is the demo folder's
// (VD_DEMO_DIR): the real PC/SC worker sees it, reads and verifies it; removing it clears.
TEST(MainWindow, PcscCardIsReadWhenInsertedAndClearedWhenRemoved) {
  const char* pid = std::getenv("VD_DESK_PCSC_CARD_PID");
  const char* demoDir = std::getenv("VD_DEMO_DIR");
  if (pid == nullptr || demoDir == nullptr) GTEST_SKIP() << "run by tests/integration/desk_pcscd.sh";
  auto options = demoOptions();
  options.demoDir = demoDir;
  options.watchPcsc = true;
  Desk d(options);
  ASSERT_TRUE(d.waitVerdict()) << "no card seen through pcscd";
  const auto& view = *d.patient().current();
  EXPECT_EQ(view.origin, vd::app::CredentialOrigin::Card);
  EXPECT_EQ(view.verdict, vd::app::CredentialVerdict::Verified);
  EXPECT_NE(view.device.find("Virtual PCD"), std::string::npos) << view.device;
  EXPECT_EQ(d.frame->statusStrip()->state(vd::app::Source::CardReader), vd::app::SourceState::Present);
  screenshot(d.frame, "patient-verified-pcsc");
  ASSERT_EQ(kill(static_cast<pid_t>(std::atol(pid)), SIGTERM), 0);
  EXPECT_TRUE(pumpUntil([&] { return !d.patient().current().has_value(); }, std::chrono::milliseconds(5000)))
      << "the patient stayed after the card was removed";
}

// Run by tests/integration/desk_vpcd_kit.sh inside its private pcscd + vpcd (VD_VPCD_PORT):
// the Test kit goes through pcscd — the kit card is served to vpcd by the window and read by
// its own PC/SC worker (device: the vpcd reader, not the in-process "Test kit: …"), removing it
// clears the patient, and kit phones on vpcd's second slot are read over NFC one after the other.
TEST(MainWindow, VpcdTestKitGoesThroughPcscd) {
  if (std::getenv("VD_DESK_VPCD_KIT") == nullptr || std::getenv("VD_VPCD_PORT") == nullptr)
    GTEST_SKIP() << "run by tests/integration/desk_vpcd_kit.sh";
  using std::chrono::milliseconds;
  auto options = demoOptions();
  options.watchPcsc = true;
  Desk d(options);
  command(d.frame, vd::ui::kCmdDemoCardFirst + cardKitIndex("family"));
  ASSERT_TRUE(pumpUntil([&] { return d.patient().current().has_value(); }, milliseconds(8000)))
      << "the test card did not come through pcscd";
  {
    const auto& view = *d.patient().current();
    EXPECT_EQ(view.origin, vd::app::CredentialOrigin::Card);
    EXPECT_EQ(view.verdict, vd::app::CredentialVerdict::Verified);
    EXPECT_EQ(view.device, "Virtual PCD 00 00");
  }
  EXPECT_EQ(d.frame->statusStrip()->state(vd::app::Source::CardReader), vd::app::SourceState::Present);
  const wxString label = d.frame->statusStrip()->indicator(vd::app::Source::CardReader)->GetLabel();
  EXPECT_NE(label.Find(_("test kit through pcscd: %s").BeforeFirst('%')), wxNOT_FOUND) << label;
  command(d.frame, vd::ui::kCmdDemoRemoveCard);
  EXPECT_TRUE(pumpUntil([&] { return !d.patient().current().has_value(); }, milliseconds(5000)))
      << "the patient stayed after the test card was removed";
  // Phones: the second is presented after the first is lifted (pcscd sees a new tap).
  const std::pair<const char*, vd::app::CredentialVerdict> phones[] = {
      {"valid", vd::app::CredentialVerdict::Verified}, {"revoked-phone", vd::app::CredentialVerdict::Refused}};
  for (const auto& [kit, verdict] : phones) {
    command(d.frame, vd::ui::kCmdDemoNfcFirst + phoneKitIndex(kit));
    ASSERT_TRUE(pumpUntil([&, v = verdict] {
      const auto& c = d.patient().current();
      return c && c->origin == vd::app::CredentialOrigin::Nfc && c->verdict == v;
    }, milliseconds(8000))) << "phone " << kit << " not read through pcscd";
    EXPECT_EQ(d.patient().current()->device, "Virtual PCD 00 01") << kit;
    // The PC/SC NFC path says how old its trust material is, as the other token paths do.
    EXPECT_TRUE(d.patient().current()->trustAgeDays.has_value()) << kit;
  }
}

TEST(EventPort, EventsPostedAfterCloseAreDropped) {
  int calls = 0;
  auto sink = std::make_shared<vd::ui::WxEventSink>([&](vd::app::DeskEvent&) { ++calls; });
  std::thread([&] { sink->post(vd::app::LogLine{"from a worker"}); }).join();
  ASSERT_TRUE(pumpUntil([&] { return calls == 1; }));
  // Posted from a worker, not yet delivered when the window closes: dropped.
  std::thread([&] { sink->post(vd::app::LogLine{"late"}); }).join();
  sink->close();
  std::thread([&] { sink->post(vd::app::LogLine{"after close"}); }).join();
  pumpFor(300);
  EXPECT_EQ(calls, 1);
}

TEST(EventPort, RunThenDeliversToALivePanelOnlyOnTheUiThread) {
  Desk d;
  auto* alive = new wxPanel(d.frame);
  auto* doomed = new wxPanel(d.frame);
  int delivered = 0, late = 0;
  bool onUiThread = false;
  std::mutex gate;
  std::unique_lock hold(gate);  // the doomed panel's work waits until the panel is gone
  d.frame->context().runThen<int>(alive, [] { return 7; }, [&](int v) {
    delivered = v;
    onUiThread = wxThread::IsMain();
  });
  d.frame->context().runThen<int>(doomed, [&] { std::lock_guard g(gate); return 1; }, [&](int) { ++late; });
  doomed->Destroy();  // a child window is deleted at once
  hold.unlock();
  ASSERT_TRUE(pumpUntil([&] { return delivered == 7; }));
  EXPECT_TRUE(onUiThread);
  pumpFor(300);
  EXPECT_EQ(late, 0) << "a result was delivered to a destroyed panel";
  alive->Destroy();
}

TEST(MainWindow, ClosingWhileAReadIsUnderWayIsClean) {
  {
    Desk d;
    command(d.frame, vd::ui::kCmdDemoCardFirst + cardKitIndex("family"));
    // Destroyed before the worker's result is delivered: the result is dropped.
  }
  pumpFor(500);
  EXPECT_EQ(wxTopLevelWindows.GetCount(), 0u);
}

TEST(MainWindow, CtrlQClosesTheWindow) {
  Desk d;
  d.frame->SetFocus();
  pumpFor(100);
  wxUIActionSimulator sim;
  sim.Char('q', wxMOD_CONTROL);
  EXPECT_TRUE(pumpUntil([&] { return d.alive.get() == nullptr; })) << "Ctrl+Q did not close the window";
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // A private home: the desk's wxConfig, data and demo material never touch the user's.
  char tmpl[] = "/tmp/vd-ui-tests-XXXXXX";
  g_home = mkdtemp(tmpl);
  setenv("HOME", g_home.c_str(), 1);
  setenv("XDG_CONFIG_HOME", (g_home / ".config").c_str(), 1);
  setenv("XDG_DATA_HOME", (g_home / ".local/share").c_str(), 1);
  setenv("XDG_STATE_HOME", (g_home / ".local/state").c_str(), 1);
  ::testing::AddGlobalTestEnvironment(new vd::test::WxEnvironment(argc, argv));
  const int rc = RUN_ALL_TESTS();
  std::error_code ec;
  fs::remove_all(g_home, ec);
  return rc;
}
