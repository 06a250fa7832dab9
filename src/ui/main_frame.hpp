#pragma once
/// \file
/// The desk's main window (layout in src/ui/README.md): menus built from the shortcut
/// table, the patient panel beside a notebook of the care sheet, outbox and log panels, the
/// status strip (one indicator per source) and the status bar. It owns the composition of
/// the desk: the DeskContext, the one event port (WxEventSink), the ReaderHub (credential
/// workers), the network (dispatcher, and the insurer simulator in the demo mode) and the
/// keyboard-wedge burst detector. UI thread only; nothing here waits on a device, SQLite or
/// the network.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <wx/frame.h>
#include <wx/timer.h>

#include "app/credential_view.hpp"
#include "app/event_sink.hpp"
#include "app/desk_settings.hpp"
#include "app/vpcd_kit.hpp"
#include "ui/desk_context.hpp"

class wxNotebook;
class wxSplitterWindow;
class wxKeyEvent;

namespace vd::app {
class DemoMode;
class DeskNetwork;
class ReaderHub;
}  // namespace vd::app
namespace vd::reader::scanner {
class CodeSource;
class WedgeBurstDetector;
struct WedgeOutput;
}

namespace vd::ui {

class CareSheetPanel;
class LogPanel;
class OutboxPanel;
class PatientPanel;
class StatusStrip;
class WxEventSink;

struct DeskOptions {
  bool demo = false;               ///< TEST-ONLY material, in-process cards and phones, insurer simulator
  std::filesystem::path demoDir;   ///< empty: app::defaultDataDir()/demo
  bool watchPcsc = true;           ///< false: no PC/SC worker (tests)
  bool startNetwork = true;        ///< false: no dispatcher (tests of the credential side)
  bool trayIcon = true;
  std::optional<app::Profile> profile;  ///< overrides the settings
  /// A scanner code source for the hub's USB scanner path (tests; null: libusb per settings).
  std::shared_ptr<reader::scanner::CodeSource> codeSource;
};

class MainFrame : public wxFrame {
 public:
  explicit MainFrame(DeskOptions options = {});
  ~MainFrame() override;

  static constexpr const char* kTitle = "VitaleDesk";

  // Commands (menus, shortcuts and tests call the same functions).
  void insertDemoCard(const std::string& kit);
  void removeDemoCard();
  void presentDemoPhone(const std::string& kit);      ///< its QR code, as read by a scanner
  void presentDemoPhoneNfc(const std::string& kit);   ///< on vpcd's phone slot, else in-process
  void showDemoPhoneToCamera(const std::string& kit); ///< its QR code played through the camera path
  void presentToken(const std::string& text, app::CredentialOrigin origin);
  void setNetworkOnline(bool online);
  void setProfile(app::Profile profile);
  void choosePage(const wxString& name);  ///< "care-sheet", "outbox", "log"
  void sendNow();

  PatientPanel* patientPanel() const { return m_patient; }
  StatusStrip* statusStrip() const { return m_strip; }
  CareSheetPanel* careSheet() const { return m_careSheet; }
  OutboxPanel* outbox() const { return m_outbox; }
  LogPanel* logPanel() const { return m_log; }
  wxNotebook* notebook() const { return m_notebook; }
  DeskContext& context() { return m_ctx; }
  bool demo() const { return m_demo != nullptr; }
  /// Start-up done: the files are loaded (worker) and the credential workers started.
  bool ready() const { return m_ready; }
  bool networkReady() const { return m_network != nullptr; }
  /// The one event port (workers post here; tests inject insurer answers through it).
  app::EventSink& eventSink();
  /// Codes the keyboard-wedge detector recognised (tests).
  int wedgeCodes() const { return m_wedgeCodes; }

 private:
  struct Loaded;
  static Loaded loadContext(const DeskOptions& options, const app::DeskSettings& settings);  ///< worker
  void contextLoaded(Loaded loaded, const DeskOptions& options);                            ///< UI thread
  void buildMenus();
  void buildLayout();
  void startWorkers(const DeskOptions& options);
  void handle(app::DeskEvent& event);
  void showCredential(const app::CredentialView& view);
  void clearPatient();
  void applyRights(const app::RightsRefreshed& r);
  void pushPatientToSheet();
  void setStatus(const wxString& text);
  void log(const wxString& line);
  class WedgeFilter;
  bool onWedgeChar(wxKeyEvent& event);  ///< true: consumed (part of a burst, or held)
  void onWedgeTick(wxTimerEvent& event);
  bool deliverWedge(const reader::scanner::WedgeOutput& out, std::uint64_t currentTag);
  void openImage();
  void typeToken();
  void openSettings();
  void forward(int command);
  struct DemoPresented;
  void presentDemoKit(bool phone, const std::string& kit);  ///< Test kit card or NFC phone (worker)
  void demoKitPresented(bool phone, const std::string& kit, DemoPresented done);
  /// The card or NFC indicator says which way the Test kit goes; why in-process, in the log.
  void noteTestKitPath(app::Source source, const app::DemoDevices::Use& use);
  void bindCameraCommands();  ///< camera_commands.cpp

  DeskContext m_ctx;
  std::shared_ptr<app::DemoMode> m_demo;  ///< shared with the worker's jobs (demo kits)
  std::shared_ptr<WxEventSink> m_sink;
  std::unique_ptr<app::ReaderHub> m_hub;
  struct NetworkHolder;
  std::shared_ptr<NetworkHolder> m_network;
  std::unique_ptr<reader::scanner::WedgeBurstDetector> m_wedge;
  wxTimer m_wedgeTimer;
  std::unique_ptr<WedgeFilter> m_wedgeFilter;
  std::uint64_t m_wedgeTag = 0;
  int m_wedgeCodes = 0;
  bool m_trayIcon = true;
  bool m_ready = false;
  bool m_networkWanted = true;  ///< demo network: the state asked last (UI thread)
  std::string m_demoCardDevice;
  /// The Test kit through pcscd + vpcd when present (decided on first use, used on the desk
  /// worker only; shared with its jobs).
  std::shared_ptr<app::DemoDevices> m_demoDevices;

  wxWindow* m_root = nullptr;
  wxSplitterWindow* m_splitter = nullptr;
  PatientPanel* m_patient = nullptr;
  wxNotebook* m_notebook = nullptr;
  CareSheetPanel* m_careSheet = nullptr;
  OutboxPanel* m_outbox = nullptr;
  LogPanel* m_log = nullptr;
  StatusStrip* m_strip = nullptr;
  wxMenuItem* m_networkItem = nullptr;
};

}  // namespace vd::ui
