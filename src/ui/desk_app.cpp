#include "ui/desk_app.hpp"

#include <cstdlib>

#include <wx/cmdline.h>
#include <wx/config.h>
#include <wx/fileconf.h>
#include <wx/filefn.h>
#include <wx/log.h>
#include <wx/wfstream.h>
#include <wx/persist/toplevel.h>
#include <wx/stdpaths.h>

#include "app/desk_settings.hpp"
#include "app/local_time.hpp"
#include "core/messages.hpp"
#include "ui/main_frame.hpp"
#include "ui/settings_dialog.hpp"
#include "ui/translations.hpp"

namespace vd::ui {
namespace {

// /Desk/TimeZone from the settings file OnInit opens (XDG layout: $XDG_CONFIG_HOME or
// ~/.config, then vitaledesk/vitaledesk.conf), parsed by wxFileConfig from a stream: no wxApp
// services are needed yet. "" when the file or the key is absent (the default zone then).
std::string configuredTimeZone() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  wxString dir;
  if (xdg != nullptr && *xdg == '/') dir = wxString::FromUTF8(xdg);
  else if (home != nullptr && *home != '\0') dir = wxString::FromUTF8(home) + "/.config";
  else return {};
  const wxString file = dir + "/vitaledesk/vitaledesk.conf";
  if (!wxFileExists(file)) return {};
  wxLogNull quiet;  // an unreadable file is reported by OnInit's own wxFileConfig
  wxFileInputStream in(file);
  if (!in.IsOk()) return {};
  const wxFileConfig config(in);
  return config.Read(wxString::FromUTF8(app::kTimeZoneSetting.data()), wxString()).utf8_string();
}

}  // namespace

DeskApp::DeskApp() {
  m_zoneWarning = app::selectDeskTimeZone(configuredTimeZone(), app::kTimeZoneSetting);
}

void DeskApp::OnInitCmdLine(wxCmdLineParser& parser) {
  wxApp::OnInitCmdLine(parser);
  parser.AddSwitch("", "demo", "demo mode: TEST-ONLY material, test kit menu, insurer simulator");
  parser.AddSwitch("", "no-demo", "never the demo mode");
  parser.AddOption("", "profile", "gp, pharmacy or reception");
  parser.AddOption("", "lang", "fr or en");
}

bool DeskApp::OnCmdLineParsed(wxCmdLineParser& parser) {
  if (parser.Found("demo")) m_demo = true;
  if (parser.Found("no-demo")) m_demo = false;
  wxString v;
  if (parser.Found("profile", &v)) m_profile = v.utf8_string();
  if (parser.Found("lang", &v)) m_lang = v.utf8_string();
  return wxApp::OnCmdLineParsed(parser);
}

bool DeskApp::OnInit() {
  SetAppName("vitaledesk");
  SetAppDisplayName("VitaleDesk");
  // ~/.config/vitaledesk/vitaledesk.conf, ~/.local/share/vitaledesk (XDG).
  wxStandardPaths::Get().SetFileLayout(wxStandardPaths::FileLayout_XDG);
  wxConfigBase::Set(new wxFileConfig("vitaledesk", "", "", "", wxCONFIG_USE_LOCAL_FILE | wxCONFIG_USE_SUBDIR));
  if (!wxApp::OnInit()) return false;
  const app::DeskSettings settings = loadSettings(*wxConfigBase::Get());
  initTranslations(m_lang.empty() ? settings.language : m_lang);
  useDesktopLocale(currentLang());  // French: the date pickers as a French desktop shows them
  if (m_zoneWarning) wxLogWarning("%s", wxString::FromUTF8(core::describeLine(*m_zoneWarning, currentLang())));

  DeskOptions options;
  options.demo = m_demo.value_or(settings.practitionerFile.empty());
  if (!m_profile.empty()) options.profile = app::parseProfile(m_profile);
  auto* frame = new MainFrame(options);
  wxPersistentRegisterAndRestore(frame, "main");
  frame->Show();
  return true;
}

int DeskApp::OnExit() {
  delete wxConfigBase::Set(nullptr);
  return wxApp::OnExit();
}

}  // namespace vd::ui
