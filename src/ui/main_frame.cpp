#include "ui/main_frame.hpp"

#include <wx/aboutdlg.h>
#include <wx/eventfilter.h>
#include <wx/config.h>
#include <wx/filedlg.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/statusbr.h>
#include <wx/textdlg.h>
#include <wx/arrstr.h>

#include <chrono>

#include "app/demo_mode.hpp"
#include "app/desk_network.hpp"
#include "app/local_time.hpp"
#include "app/reader_hub.hpp"
#include "app/use_cases.hpp"
#include "reader/pcsc/pcsc_context.hpp"
#include "reader/scanner/wedge_burst_detector.hpp"
#include "ui/care_sheet_panel.hpp"
#include "ui/demo_menu.hpp"
#include "ui/log_panel.hpp"
#include "ui/outbox_panel.hpp"
#include "ui/patient_panel.hpp"
#include "ui/settings_dialog.hpp"
#include "ui/shortcuts.hpp"
#include "ui/status_strip.hpp"
#include "ui/translations.hpp"
#include "ui/wx_event_sink.hpp"

namespace vd::ui {

// Non-ASCII punctuation from UTF-8 (a narrow literal would go through the C locale).
const wxString kDash = wxString::FromUTF8(" \u2014 ");
const wxString kBullet = wxString::FromUTF8("\u2022 ");
namespace {

wxString u8(const std::string& s) { return wxString::FromUTF8(s); }

std::int64_t nowSeconds() { return app::SystemClock().now(); }

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const app::SystemClock& systemClock() {
  static const app::SystemClock clock;
  return clock;
}

}  // namespace

/// The network and the event sink it posts to, destroyed in that order.
struct MainFrame::NetworkHolder {
  std::shared_ptr<WxEventSink> sink;
  std::unique_ptr<app::DeskNetwork> network;
  ~NetworkHolder() { network.reset(); }
};

/// What the worker loads at start-up (MainFrame::loadContext), applied on the UI thread.
struct MainFrame::Loaded {
  std::shared_ptr<const billing::TariffCatalog> catalog;
  std::shared_ptr<app::DemoMode> demo;
  app::DeskPaths paths;
  std::optional<app::PractitionerProfile> practitioner;
  std::vector<core::Error> errors;  ///< shown to the user (catalog, demo material)
  std::vector<core::Error> warnings;  ///< practitioner file
};

MainFrame::MainFrame(DeskOptions options)
    : wxFrame(nullptr, wxID_ANY, wxString::FromUTF8(kTitle), wxDefaultPosition, wxSize(1180, 760)),
      m_wedge(std::make_unique<reader::scanner::WedgeBurstDetector>()),
      m_wedgeTimer(this) {
  SetName("vitaledesk-main");
  m_trayIcon = options.trayIcon;
  m_sink = std::make_shared<WxEventSink>([this](app::DeskEvent& e) { handle(e); });
  wxConfigBase* config = wxConfigBase::Get();
  if (config != nullptr) m_ctx.settings = loadSettings(*config);
  m_ctx.lang = currentLang();
  m_ctx.profile = options.profile.value_or(m_ctx.settings.profile);
  m_ctx.demo = options.demo;
  buildMenus();
  buildLayout();
  CreateStatusBar(2);
  SetStatusText(_("Starting..."), 0);
  if (options.demo) SetTitle(wxString::FromUTF8(kTitle) + kDash + _("DEMO (test material only)"));
  m_wedgeFilter = std::make_unique<WedgeFilter>(this);
  Bind(wxEVT_TIMER, &MainFrame::onWedgeTick, this, m_wedgeTimer.GetId());
  // The tariffs, the demo material (keys made on the first run) and the practitioner are
  // files: read on the desk's worker; the window is usable (menus, F1) meanwhile.
  m_ctx.runThen<Loaded>(this, [options, settings = m_ctx.settings] { return loadContext(options, settings); },
                        [this, options](Loaded loaded) { contextLoaded(std::move(loaded), options); });
}

MainFrame::~MainFrame() {
  m_wedgeFilter.reset();
  m_wedgeTimer.Stop();
  m_sink->close();
  m_hub.reset();      // joins the credential workers
  m_network.reset();  // stops the dispatcher, then the simulator
  // The panels use m_ctx: destroy them (the root panel and everything in it) while it exists.
  if (m_root != nullptr) m_root->Destroy();
}


MainFrame::Loaded MainFrame::loadContext(const DeskOptions& options, const app::DeskSettings& s) {
  Loaded out;
  if (auto catalog = app::loadShippedTariffs()) {
    out.catalog = std::make_shared<const billing::TariffCatalog>(std::move(*catalog));
  } else {
    out.errors.push_back(catalog.error());
  }
  if (options.demo) {
    const auto dir = options.demoDir.empty() ? app::defaultDataDir() / "demo" : options.demoDir;
    if (auto demo = app::DemoMode::open(dir, nowSeconds())) {
      out.demo = std::move(*demo);
      out.paths = out.demo->paths();
    } else {
      out.errors.push_back(
          core::makeError(core::Errc::DeskDemoMaterial, {std::string(core::errcId(demo.error().code))}));
    }
  }
  if (!out.demo) {
    out.paths.dataDir = app::defaultDataDir();
    out.paths.registerFile = app::defaultRegisterFile();
    out.paths.dataKeyFile = s.dataKeyFile;
    out.paths.practitionerFile = s.practitionerFile;
    out.paths.cardTrustDir = out.paths.dataDir / "card-trust";
    out.paths.apcvTrustDir = out.paths.dataDir / "apcv-trust";
    out.paths.replayCache = app::defaultReplayCache();  // the CLI's too
    out.paths.tlsDir = s.tlsDir;
    out.paths.serverUrl = s.serverUrl;
    out.paths.tlsClientKey = s.tlsClientKey;
    out.paths.tlsClientCert = s.tlsClientCert;
    out.paths.tlsPkcs11Module = s.tlsPkcs11Module;
    out.paths.tlsPinnedKey = s.tlsPinnedKey;
  }
  if (!out.paths.practitionerFile.empty()) {
    if (auto p = app::loadPractitioner(out.paths.practitionerFile)) {
      if (!out.demo) app::applySigning(*p, s);
      out.practitioner = std::move(*p);
    } else {
      out.warnings.push_back(p.error());
    }
  }
  return out;
}

void MainFrame::contextLoaded(Loaded loaded, const DeskOptions& options) {
  m_ctx.catalog = std::move(loaded.catalog);
  m_demo = std::move(loaded.demo);
  m_ctx.demo = m_demo != nullptr;
  m_ctx.paths = std::move(loaded.paths);
  m_ctx.practitioner = std::move(loaded.practitioner);
  if (options.demo && !m_demo) {
    // No demo material: this desk is NOT a demo (its register, server and practitioner are the
    // configured ones), so nothing may say DEMO or offer test cards.
    SetTitle(wxString::FromUTF8(kTitle));
    if (wxMenuBar* bar = GetMenuBar(); bar != nullptr) {
      if (const int kit = bar->FindMenu(_("&Test kit")); kit != wxNOT_FOUND) delete bar->Remove(static_cast<size_t>(kit));
    }
    m_networkItem = nullptr;
  }
  for (const auto& e : loaded.errors) wxLogError("%s", u8(core::describeLine(e, m_ctx.lang)));
  for (const auto& e : loaded.warnings) wxLogWarning("%s", u8(core::describeLine(e, m_ctx.lang)));
  if (m_ctx.catalog) {
    // Inserted where the profile puts it (setProfile's order), the other pages left in place.
    m_careSheet = new CareSheetPanel(m_notebook, m_ctx);
    m_careSheet->setProfile(m_ctx.profile);
    const bool reception = m_ctx.profile == app::Profile::Reception;
    m_notebook->InsertPage(reception ? 1 : 0, m_careSheet, _("Care sheet"), !reception);
  }
  m_outbox->reload();  // the register is known now
  SetStatusText(_("Ready"), 0);
  if (m_demo) setStatus(_("Demo mode: use the Test kit menu to insert a card or present a phone."));
  startWorkers(options);
  m_ready = true;
}

void MainFrame::buildMenus() {
  auto* file = new wxMenu;
  appendCommand(file, kCmdOpenImage);
  appendCommand(file, kCmdTypeToken);
  appendCommand(file, kCmdSettings);
  file->AppendSeparator();
  appendCommand(file, wxID_EXIT);
  auto* patient = new wxMenu;
  appendCommand(patient, kCmdFocusPatient);
  appendCommand(patient, kCmdRereadCard);
  appendCommand(patient, kCmdClosePatient);
  for (int i = 0; i < 9; ++i) appendCommand(patient, kCmdBeneficiary1 + i);
  auto* sheet = new wxMenu;
  appendCommand(sheet, kCmdFocusCareSheet);
  appendCommand(sheet, kCmdSubmit);
  auto* outbox = new wxMenu;
  appendCommand(outbox, kCmdFocusOutbox);
  appendCommand(outbox, kCmdSendNow);
  appendCommand(outbox, kCmdRetry);
  appendCommand(outbox, kCmdHold);
  appendCommand(outbox, kCmdRelease);
  appendCommand(outbox, kCmdExport);
  auto* view = new wxMenu;
  appendCommand(view, kCmdFocusLog);
  view->AppendSeparator();
  appendCommand(view, kCmdProfileGp, wxITEM_RADIO);
  appendCommand(view, kCmdProfilePharmacy, wxITEM_RADIO);
  appendCommand(view, kCmdProfileReception, wxITEM_RADIO);
  auto* help = new wxMenu;
  appendCommand(help, kCmdShortcuts);
  help->Append(wxID_ABOUT, _("&About VitaleDesk"));
  auto* bar = new wxMenuBar;
  bar->Append(file, _("&File"));
  bar->Append(patient, _("&Patient"));
  bar->Append(sheet, _("&Care sheet"));
  bar->Append(outbox, _("&Outbox"));
  bar->Append(view, _("&View"));
  if (m_ctx.demo) {
    bar->Append(buildTestKitMenu(app::DemoMode::cardKits(), app::DemoMode::phoneKits(), &m_networkItem), _("&Test kit"));
  }
  bar->Append(help, _("&Help"));
  SetMenuBar(bar);

  Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(true); }, wxID_EXIT);
  Bind(wxEVT_MENU, [this](wxCommandEvent&) {
    wxAboutDialogInfo info;
    info.SetName(wxString::FromUTF8(kTitle));
    info.SetVersion(VD_VERSION);
    info.SetDescription(_("Reads the carte Vitale and the appli carte Vitale, bills and transmits care sheets (FSE)."));
    wxAboutBox(info, this);
  }, wxID_ABOUT);
  Bind(wxEVT_MENU, [this](wxCommandEvent& e) { forward(e.GetId()); }, kCmdFirst + 1, kCmdDemoRemoveCard);
  Bind(wxEVT_MENU, [this](wxCommandEvent& e) {
    const auto kits = app::DemoMode::cardKits();
    const auto i = static_cast<std::size_t>(e.GetId() - kCmdDemoCardFirst);
    if (i < kits.size()) insertDemoCard(kits[i].name);
  }, kCmdDemoCardFirst, kCmdDemoCardFirst + 99);
  Bind(wxEVT_MENU, [this](wxCommandEvent& e) {
    const auto kits = app::DemoMode::phoneKits();
    const auto i = static_cast<std::size_t>(e.GetId() - kCmdDemoPhoneFirst);
    if (i < kits.size()) presentDemoPhone(kits[i]);
  }, kCmdDemoPhoneFirst, kCmdDemoPhoneFirst + 99);
  Bind(wxEVT_MENU, [this](wxCommandEvent& e) {
    const auto kits = app::DemoMode::phoneKits();
    const auto i = static_cast<std::size_t>(e.GetId() - kCmdDemoNfcFirst);
    if (i < kits.size()) presentDemoPhoneNfc(kits[i]);
  }, kCmdDemoNfcFirst, kCmdDemoNfcFirst + 99);
  bindCameraCommands();  // Test kit > camera (camera_commands.cpp)
  GetMenuBar()->Check(m_ctx.profile == app::Profile::Pharmacy    ? kCmdProfilePharmacy
                      : m_ctx.profile == app::Profile::Reception ? kCmdProfileReception
                                                                 : kCmdProfileGp,
                      true);
}

void MainFrame::buildLayout() {
  auto* root = new wxPanel(this, wxID_ANY);
  m_root = root;
  root->SetName("desk");
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  m_splitter = new wxSplitterWindow(root, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxSP_LIVE_UPDATE | wxSP_3D);
  m_splitter->SetName("desk-splitter");
  m_patient = new PatientPanel(m_splitter, m_ctx.lang);
  m_patient->onBeneficiaryChanged([this](std::size_t) { pushPatientToSheet(); });
  m_notebook = new wxNotebook(m_splitter, wxID_ANY);
  m_notebook->SetName("desk-notebook");
  m_outbox = new OutboxPanel(m_notebook, m_ctx, m_trayIcon);
  m_log = new LogPanel(m_notebook);
  m_splitter->SplitVertically(m_patient, m_notebook, 440);
  m_splitter->SetMinimumPaneSize(280);
  sizer->Add(m_splitter, 1, wxEXPAND);
  m_strip = new StatusStrip(root, m_ctx.lang);
  sizer->Add(m_strip, 0, wxEXPAND);
  root->SetSizer(sizer);

  Bind(EVT_OUTBOX_COUNTS, [this](wxCommandEvent&) { SetStatusText(m_outbox->countsText(), 1); });
  Bind(EVT_FSE_QUEUED, [this](wxCommandEvent& e) {
    setStatus(wxString::Format(_("Care sheet %d queued."), e.GetInt()));
    sendNow();
  });
  m_ctx.onOutboxChanged = [this] {
    if (m_outbox != nullptr) m_outbox->reload();
  };
  setProfile(m_ctx.profile);
}

void MainFrame::startWorkers(const DeskOptions& options) {
  app::ReaderHubConfig hub;
  hub.cardTrustDir = m_ctx.paths.cardTrustDir;
  hub.apcvTrustDir = m_ctx.paths.apcvTrustDir;
  hub.replayCache = m_ctx.paths.replayCache;
  hub.cardReader = m_ctx.settings.cardReader;
  hub.watchPcsc = options.watchPcsc;
  // Scanners named in the settings are claimed through libusb (decoded with their own layout);
  // without any, a scanner types as a keyboard and the wedge detector (onWedgeChar) reads it.
  const wxArrayString ids = wxSplit(u8(m_ctx.settings.scannerIds), ',');
  for (wxString id : ids) {
    id.Trim().Trim(false);
    if (!id.empty()) hub.scannerIds.push_back(id.utf8_string());
  }
  hub.watchUsbScanners = !hub.scannerIds.empty();
  hub.codeSource = options.codeSource;
  hub.scannerLayout = m_ctx.settings.scannerLayout;
  if (auto cam = reader::image::parseCameraSetting(m_ctx.settings.camera)) hub.camera = *cam;
  else log("camera: " + u8(std::string(core::errcId(cam.error().code))) + ", camera off");  // hand-edited file
  m_strip->setState({app::Source::UsbScanner, app::SourceState::Waiting, _("keyboard wedge").utf8_string(), std::nullopt});
  m_hub = std::make_unique<app::ReaderHub>(hub, *m_sink, systemClock());
  // Demo: which way the Test kit goes (pcscd + vpcd, or in-process), decided on the desk worker.
  if (m_demo && options.watchPcsc) {
    m_demoDevices = std::make_shared<app::DemoDevices>(m_ctx.settings.cardReader);
    m_ctx.runThen<app::DemoDevices::Use>(
        this, [devices = m_demoDevices] { return devices->detect(); },
        [this](app::DemoDevices::Use use) { noteTestKitPath(app::Source::CardReader, use); });
  }
  m_strip->setNote(app::Source::Camera, "Ctrl+O");  // image files; the state comes from the hub's camera
  m_strip->setState({app::Source::Network, app::SourceState::Unavailable, "", std::nullopt});
  if (!options.startNetwork) return;
  const bool demo = m_ctx.demo;
  if (!demo && m_ctx.paths.serverUrl.empty()) {
    m_strip->setNote(app::Source::Network, _("no server configured"));
    return;
  }
  m_strip->setState({app::Source::Network, app::SourceState::Busy, "", std::nullopt});
  const app::DeskPaths paths = m_ctx.paths;
  const std::filesystem::path ca = m_ctx.paths.practitionerFile.parent_path() / "ca.pem";
  auto holder = std::make_shared<NetworkHolder>();
  holder->sink = m_sink;
  using Started = core::Result<std::shared_ptr<NetworkHolder>>;
  m_ctx.runThen<Started>(
      this,
      [holder, paths, ca, demo]() -> Started {
        auto net = demo ? app::DeskNetwork::startDemo(paths, ca, *holder->sink) : app::DeskNetwork::start(paths, *holder->sink);
        if (!net) return core::fail(net.error());
        holder->network = std::move(*net);
        return holder;
      },
      [this](Started started) {
        if (!started) {
          m_strip->setState({app::Source::Network, app::SourceState::Error, "", started.error()});
          log(u8(std::string(core::errcId(started.error().code))));
          return;
        }
        m_network = std::move(*started);
        m_strip->setState({app::Source::Network, app::SourceState::Present, "", std::nullopt});
        if (m_networkItem != nullptr) m_networkItem->Check(true);
        log("network: dispatcher started");
      });
}

void MainFrame::handle(app::DeskEvent& event) {
  std::visit(
      [this](auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, app::SourceChanged>) {
          m_strip->setState(e);
        } else if constexpr (std::is_same_v<T, app::CredentialPresented>) {
          showCredential(e.view);
        } else if constexpr (std::is_same_v<T, app::CredentialCleared>) {
          if (m_patient->current() && m_patient->current()->origin == e.origin) clearPatient();
        } else if constexpr (std::is_same_v<T, app::ReadFailed>) {
          m_patient->showFailure(e.error);
          pushPatientToSheet();
          setStatus(u8(core::describe(e.error, m_ctx.lang).cause));
        } else if constexpr (std::is_same_v<T, app::OutboxChanged>) {
          const billing::QueueCounts& c = e.dispatch.counts;
          m_strip->setNote(app::Source::Network,
                           wxString::Format(_("%d queued, %d awaiting ARL, %d acknowledged"),
                                            c.pending + c.deferred + c.sending, c.awaitingArl, c.acknowledged));
          if (m_outbox != nullptr) m_outbox->dispatchEvent(e.dispatch);
        } else if constexpr (std::is_same_v<T, app::RightsRefreshed>) {
          applyRights(e);
        } else if constexpr (std::is_same_v<T, app::LogLine>) {
          log(u8(e.text));
        }
      },
      event);
}

void MainFrame::showCredential(const app::CredentialView& view) {
  m_patient->show(view);
  pushPatientToSheet();
  // Rights refreshed online when the network is there (the card's or token's rights stay
  // shown, marked "offline", until the answer comes).
  if (view.verdict == app::CredentialVerdict::Verified && m_network && m_network->network &&
      !view.beneficiaries.empty()) {
    m_network->network->refreshRights(view.readAt, view.beneficiaries.front().nir,
                                      core::Date::fromDayNumber(static_cast<std::int32_t>(nowSeconds() / 86400)));
  }
  switch (view.verdict) {
    case app::CredentialVerdict::Verified: setStatus(_("Patient verified.")); break;
    case app::CredentialVerdict::ReadNotVerified: setStatus(_("Card read but NOT verified.")); break;
    case app::CredentialVerdict::Refused: setStatus(_("Credential refused.")); break;
  }
  Raise();
}

app::EventSink& MainFrame::eventSink() { return *m_sink; }

void MainFrame::applyRights(const app::RightsRefreshed& r) {
  const auto& current = m_patient->current();
  if (!current || current->readAt != r.readAt || current->verdict != app::CredentialVerdict::Verified) return;
  if (r.error) {
    log("rights: " + u8(std::string(core::errcId(r.error->code))));
    return;  // stays "offline: from the card/token"
  }
  app::CredentialView view = *current;
  app::applyOnlineRights(view, r.rights);  // the online answer wins over the card/token
  const std::size_t chosen = m_patient->selectedBeneficiary().value_or(0);
  m_patient->show(view);
  m_patient->selectBeneficiary(chosen);
  pushPatientToSheet();
  log("rights: refreshed online, " + wxString::Format("%zu difference(s) with the card/token", view.onlineChanges.size()));
  if (!view.amoOpen) setStatus(_("The insurer reports no open AMO rights today: do not bill an FSE."));
  else if (!view.onlineChanges.empty()) setStatus(_("The insurer's answer differs from the card: its rights are used."));
}

void MainFrame::clearPatient() {
  m_patient->clear();
  pushPatientToSheet();
  setStatus(_("Patient closed."));
}

void MainFrame::pushPatientToSheet() {
  if (m_careSheet == nullptr) return;
  const auto index = m_patient->selectedBeneficiary();
  if (!index || !m_patient->current()) {
    m_careSheet->setPatient(std::nullopt);
    return;
  }
  const core::Date today = app::deskToday();
  auto patient = app::patientContextFor(*m_patient->current(), *index, today);
  if (!patient) {
    setStatus(u8(core::describeLine(patient.error(), m_ctx.lang)));
    m_careSheet->setPatient(std::nullopt);
    return;
  }
  m_careSheet->setPatient(*patient);
}

void MainFrame::setStatus(const wxString& text) {
  if (GetStatusBar() != nullptr) SetStatusText(text, 0);
}

void MainFrame::log(const wxString& line) {
  if (m_log != nullptr) m_log->append(line);
}

void MainFrame::setProfile(app::Profile profile) {
  m_ctx.profile = profile;
  m_patient->setProfile(profile);
  if (m_careSheet != nullptr) m_careSheet->setProfile(profile);
  // Page order: what the profile needs first.
  std::vector<std::pair<wxWindow*, wxString>> pages;
  if (profile == app::Profile::Reception) {
    pages = {{m_outbox, _("Outbox")}, {m_careSheet, _("Care sheet")}, {m_log, _("Log")}};
  } else {
    pages = {{m_careSheet, _("Care sheet")}, {m_outbox, _("Outbox")}, {m_log, _("Log")}};
  }
  while (m_notebook->GetPageCount() > 0) m_notebook->RemovePage(0);
  for (const auto& [page, title] : pages)
    if (page != nullptr) m_notebook->AddPage(page, title);
  m_notebook->SetSelection(0);
  if (profile == app::Profile::Reception) m_splitter->SetSashPosition(560);
  else m_splitter->SetSashPosition(440);
  if (GetMenuBar() != nullptr) {
    GetMenuBar()->Check(profile == app::Profile::Pharmacy    ? kCmdProfilePharmacy
                        : profile == app::Profile::Reception ? kCmdProfileReception
                                                             : kCmdProfileGp,
                        true);
  }
}

void MainFrame::choosePage(const wxString& name) {
  for (std::size_t i = 0; i < m_notebook->GetPageCount(); ++i) {
    if (m_notebook->GetPage(i)->GetName() == name) {
      m_notebook->SetSelection(i);
      m_notebook->GetPage(i)->SetFocus();
      return;
    }
  }
}

void MainFrame::forward(int command) {
  switch (command) {
    case kCmdFocusPatient: m_patient->SetFocus(); break;
    case kCmdFocusCareSheet:
      choosePage("care-sheet");
      if (m_careSheet != nullptr) m_careSheet->focusCodeEntry();
      break;
    case kCmdFocusOutbox: choosePage("outbox"); break;
    case kCmdFocusLog: choosePage("log"); break;
    case kCmdRereadCard:
      if (m_hub) m_hub->rereadCard();
      break;
    case kCmdClosePatient: clearPatient(); break;
    case kCmdOpenImage: openImage(); break;
    case kCmdTypeToken: typeToken(); break;
    case kCmdSubmit:
      if (m_careSheet != nullptr) m_careSheet->validateSignQueue();
      break;
    case kCmdRetry: m_outbox->retrySelected(); break;
    case kCmdHold: m_outbox->holdSelected(); break;
    case kCmdRelease: m_outbox->releaseSelected(); break;
    case kCmdExport: m_outbox->exportSelected(); break;
    case kCmdSendNow: sendNow(); break;
    case kCmdSettings: openSettings(); break;
    case kCmdShortcuts: ShortcutsDialog(this).ShowModal(); break;
    case kCmdProfileGp:
    case kCmdProfilePharmacy:
    case kCmdProfileReception: {
      const app::Profile p = command == kCmdProfileGp          ? app::Profile::Gp
                             : command == kCmdProfilePharmacy ? app::Profile::Pharmacy
                                                              : app::Profile::Reception;
      setProfile(p);
      m_ctx.settings.profile = p;  // remembered (/Desk/Profile)
      if (wxConfigBase* config = wxConfigBase::Get(); config != nullptr) saveSettings(*config, m_ctx.settings);
      break;
    }
    case kCmdDemoNetwork:
      // The state asked last (a press queued on the worker may not have applied yet).
      if (m_network && m_network->network) setNetworkOnline(!m_networkWanted);
      break;
    case kCmdDemoRemoveCard: removeDemoCard(); break;
    default:
      if (command >= kCmdBeneficiary1 && command < kCmdBeneficiary1 + 9)
        m_patient->selectBeneficiary(static_cast<std::size_t>(command - kCmdBeneficiary1));
      break;
  }
}

void MainFrame::sendNow() {
  if (m_network && m_network->network) m_network->network->sendNow();
}

/// A Test kit card or phone, made on the desk worker (a kit card makes its key and its issuer
/// signature; a phone reads its material): served to vpcd when the desk watches PC/SC and
/// pcscd + vpcd are there (app/vpcd_kit.hpp), else an in-process channel for the hub.
struct MainFrame::DemoPresented {
  std::optional<app::DemoDevices::Use> vpcd;     ///< tried through pcscd
  std::shared_ptr<reader::ApduChannel> channel;  ///< in-process (not through pcscd)
  std::optional<core::Error> error;              ///< the kit could not be made
};

void MainFrame::presentDemoKit(bool phone, const std::string& kit) {
  if (!m_demo || !m_hub) return;
  auto devices = m_demoDevices;  // made at start-up when the hub watches PC/SC; null: in-process
  m_ctx.runThen<DemoPresented>(
      this,
      [demo = m_demo, devices, phone, kit] {
        DemoPresented out;
        if (devices) {
          auto served = phone ? demo->vpcdPhone(kit) : demo->vpcdCard(kit);
          if (!served) {
            out.error = served.error();
            return out;
          }
          out.vpcd = phone ? devices->presentPhone(*served) : devices->insertCard(*served);
          if (out.vpcd->viaPcscd) return out;
        }
        auto channel = phone ? demo->nfcPhone(kit) : demo->insertCard(kit);
        if (channel) out.channel = std::move(*channel);
        else out.error = channel.error();
        return out;
      },
      [this, phone, kit](DemoPresented done) { demoKitPresented(phone, kit, std::move(done)); });
}

void MainFrame::noteTestKitPath(app::Source source, const app::DemoDevices::Use& use) {
  m_strip->setNote(source, use.viaPcscd ? wxString::Format(_("test kit through pcscd: %s"), u8(use.reader))
                                        : _("test kit in-process"));
  if (!use.viaPcscd && use.error) log("test kit: in-process (" + u8(std::string(core::errcId(use.error->code))) + ")");
}

void MainFrame::demoKitPresented(bool phone, const std::string& kit, DemoPresented done) {
  const app::Source source = phone ? app::Source::NfcReader : app::Source::CardReader;
  if (done.error) return setStatus(u8(core::describeLine(*done.error, m_ctx.lang)));
  if (done.vpcd && done.vpcd->viaPcscd) {
    // The desk's own PC/SC worker reads it as a real card or phone.
    if (done.vpcd->error) return setStatus(u8(core::describeLine(*done.vpcd->error, m_ctx.lang)));
    noteTestKitPath(source, *done.vpcd);
    setStatus(phone ? wxString::Format(_("Test phone %s presented through pcscd (%s)."), u8(kit), u8(done.vpcd->reader))
                    : wxString::Format(_("Test card %s inserted through pcscd (%s)."), u8(kit), u8(done.vpcd->reader)));
    return;
  }
  noteTestKitPath(source, done.vpcd.value_or(app::DemoDevices::Use{}));
  if (phone) {
    m_hub->presentNfcPhone(std::move(done.channel),
                           wxString::Format(_("Test kit NFC: %s"), wxString::FromUTF8(kit)).utf8_string());
    return;
  }
  if (!m_demoCardDevice.empty()) m_hub->removeCard(m_demoCardDevice);
  m_demoCardDevice = wxString::Format(_("Test kit: %s"), wxString::FromUTF8(kit)).utf8_string();
  m_hub->insertCard(std::move(done.channel), m_demoCardDevice);
}

void MainFrame::insertDemoCard(const std::string& kit) { presentDemoKit(false, kit); }

void MainFrame::removeDemoCard() {
  if (!m_demo || !m_hub) return;
  // Queued after any insertion still being made (the worker runs in order); a card served to
  // vpcd is disconnected there and the PC/SC worker sees it go.
  m_ctx.runThen<bool>(
      this, [devices = m_demoDevices] { return devices != nullptr && devices->removeCard().viaPcscd; },
      [this](bool viaPcscd) {
        if (!m_demoCardDevice.empty()) {
          m_hub->removeCard(m_demoCardDevice);
          m_demoCardDevice.clear();
        }
        if (viaPcscd) setStatus(_("Test card removed from the virtual reader."));
      });
}

void MainFrame::presentDemoPhone(const std::string& kit) {
  if (!m_demo) return;
  // The phone signs its token (key files, ECDSA): on the worker.
  using Text = core::Result<std::string>;
  m_ctx.runThen<Text>(
      this, [demo = m_demo, kit] { return demo->phoneToken(kit, nowSeconds()); },
      [this](Text text) {
        if (!text) return setStatus(u8(core::describeLine(text.error(), m_ctx.lang)));
        presentToken(*text, app::CredentialOrigin::QrScanner);
      });
}

void MainFrame::presentDemoPhoneNfc(const std::string& kit) { presentDemoKit(true, kit); }

void MainFrame::presentToken(const std::string& text, app::CredentialOrigin origin) {
  if (m_hub) m_hub->presentToken(text, origin);
}

void MainFrame::setNetworkOnline(bool online) {
  if (!m_network || !m_network->network) return;
  m_networkWanted = online;
  // Stopping or starting the in-process insurer binds and joins: on the worker.
  using Done = core::Result<void>;
  m_ctx.runThen<Done>(
      this, [holder = m_network, online] { return holder->network->setSimulatedOnline(online); },
      [this, online](Done done) {
        if (m_networkItem != nullptr) m_networkItem->Check(m_network->network->simulatedOnline());
        if (!done) {
          m_networkWanted = m_network->network->simulatedOnline();
          m_strip->setState({app::Source::Network, app::SourceState::Error, "", done.error()});
          setStatus(u8(core::describeLine(done.error(), m_ctx.lang)));
          log("network: simulated network could not start (" + u8(std::string(core::errcId(done.error().code))) + ")");
          return;
        }
        log(online ? "network: simulated network on" : "network: simulated network off");
        setStatus(online ? _("Test kit: network on.") : _("Test kit: network off; care sheets stay queued."));
      });
}

void MainFrame::openImage() {
  wxFileDialog dlg(this, _("Open a QR code image"), "", "", _("PNG images (*.png)|*.png"),
                   wxFD_OPEN | wxFD_FILE_MUST_EXIST);
  if (dlg.ShowModal() != wxID_OK || !m_hub) return;
  m_hub->presentImage(std::filesystem::path(dlg.GetPath().utf8_string()));
}

void MainFrame::typeToken() {
  wxTextEntryDialog dlg(this, _("Text of the QR code (starts with VD2:)"), _("Enter a QR text"));
  if (dlg.ShowModal() != wxID_OK) return;
  presentToken(dlg.GetValue().utf8_string(), app::CredentialOrigin::QrKeyboard);
}

void MainFrame::openSettings() {
  // The reader names to offer come from pcscd: listed on the worker, never on the UI thread.
  using Names = std::vector<std::string>;
  m_ctx.runThen<Names>(
      this,
      [] {
        Names names;
        if (auto ctx = reader::PcscContext::establish())
          if (auto list = (*ctx)->listReaders()) names = *list;
        return names;
      },
      [this](Names names) {
        wxConfigBase* config = wxConfigBase::Get();
        if (config == nullptr) return;
        wxArrayString readers;
        for (const auto& n : names) readers.push_back(u8(n));
        SettingsDialog dlg(this, *config, readers);
        if (dlg.ShowModal() != wxID_OK) return;
        const app::DeskSettings before = m_ctx.settings;
        m_ctx.settings = loadSettings(*config);
        setProfile(m_ctx.settings.profile);
        if (before.language != m_ctx.settings.language || before.cardReader != m_ctx.settings.cardReader ||
            before.serverUrl != m_ctx.settings.serverUrl || before.practitionerFile != m_ctx.settings.practitionerFile ||
            before.scannerIds != m_ctx.settings.scannerIds || before.camera != m_ctx.settings.camera)
          wxMessageBox(_("Restart VitaleDesk to apply the new language, readers, server or practitioner."),
                       _("Settings"), wxOK | wxICON_INFORMATION, this);
      });
}

// Keyboard wedge: every typed character and Enter of this window pass through the burst
// detector before the focused control sees them (a wxEventFilter on wxEVT_CHAR: the
// characters as the OS layout made them); a scanner burst becomes a token, human typing is
// replayed into the focused field.
class MainFrame::WedgeFilter final : public wxEventFilter {
 public:
  explicit WedgeFilter(MainFrame* frame) : m_frame(frame) { wxEvtHandler::AddFilter(this); }
  ~WedgeFilter() override { wxEvtHandler::RemoveFilter(this); }
  int FilterEvent(wxEvent& event) override {
    if (event.GetEventType() != wxEVT_CHAR) return Event_Skip;
    auto* window = wxDynamicCast(event.GetEventObject(), wxWindow);
    if (window == nullptr || wxGetTopLevelParent(window) != m_frame) return Event_Skip;
    return m_frame->onWedgeChar(static_cast<wxKeyEvent&>(event)) ? Event_Processed : Event_Skip;
  }

 private:
  MainFrame* m_frame;
};

bool MainFrame::onWedgeChar(wxKeyEvent& event) {
  const int key = event.GetKeyCode();
  const bool enter = key == WXK_RETURN || key == WXK_NUMPAD_ENTER;
  const wxChar ch = event.GetUnicodeKey();
  if (event.ControlDown() || event.AltDown() || event.MetaDown()) return false;  // shortcuts
  const bool printable = !enter && ch >= 0x20 && ch != WXK_DELETE && ch != WXK_NONE;
  if (!printable && !(enter && m_wedge->held() > 0)) return false;
  reader::scanner::WedgeKey wk;
  wk.kind = enter ? reader::scanner::WedgeKey::Kind::Enter : reader::scanner::WedgeKey::Kind::Char;
  if (!enter) wk.text = wxString(ch).utf8_string();
  wk.tag = ++m_wedgeTag;
  const auto out = m_wedge->onKey(wk, steadyMs());
  const bool currentPasses = deliverWedge(out, wk.tag);
  if (m_wedge->held() > 0 && !m_wedgeTimer.IsRunning()) m_wedgeTimer.Start(10);
  return !currentPasses;
}

void MainFrame::onWedgeTick(wxTimerEvent&) {
  deliverWedge(m_wedge->onTick(steadyMs()), 0);
  if (m_wedge->held() == 0) m_wedgeTimer.Stop();
}

bool MainFrame::deliverWedge(const reader::scanner::WedgeOutput& out, std::uint64_t currentTag) {
  wxWindow* focus = wxWindow::FindFocus();
  auto* entry = focus != nullptr ? dynamic_cast<wxTextEntry*>(focus) : nullptr;
  bool currentPasses = false;
  for (const auto& k : out.passThrough) {
    if (currentTag != 0 && k.tag == currentTag) {
      currentPasses = true;  // the event being filtered goes on to its control itself
    } else if (k.kind == reader::scanner::WedgeKey::Kind::Char && entry != nullptr) {
      entry->WriteText(u8(k.text));  // held human typing, replayed in order
    }
  }
  if (out.code) {
    ++m_wedgeCodes;
    presentToken(*out.code, app::CredentialOrigin::QrKeyboard);
  }
  if (out.error) setStatus(u8(core::describeLine(*out.error, m_ctx.lang)));
  return currentPasses;
}

}  // namespace vd::ui
