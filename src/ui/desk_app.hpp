#pragma once
/// \file
/// The wxApp of the desk. main.cpp instantiates it with wxIMPLEMENT_APP; tests create
/// MainFrame directly under their own wxApp. Options: --demo (TEST-ONLY material, test kit
/// menu, insurer simulator in-process; also the default when no practitioner is configured),
/// --no-demo, --profile gp|pharmacy|reception, --lang fr|en.
///
/// The constructor selects the desk's time zone (setting /Desk/TimeZone, app/local_time.hpp):
/// it runs inside wxEntry before GTK starts any thread, the one moment `TZ` may be written.

#include <wx/app.h>

#include <optional>
#include <string>

#include "core/error.hpp"

namespace vd::ui {

class DeskApp : public wxApp {
 public:
  DeskApp();
  bool OnInit() override;
  int OnExit() override;
  void OnInitCmdLine(wxCmdLineParser& parser) override;
  bool OnCmdLineParsed(wxCmdLineParser& parser) override;

 private:
  std::optional<bool> m_demo;
  std::string m_profile, m_lang;
  std::optional<core::Error> m_zoneWarning;  ///< unknown /Desk/TimeZone or no tz database: shown at start
};

}  // namespace vd::ui
