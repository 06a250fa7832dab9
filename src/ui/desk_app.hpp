#pragma once
/// \file
/// The wxApp of the desk. main.cpp instantiates it with wxIMPLEMENT_APP; tests create
/// MainFrame directly under their own wxApp. Options: --demo (TEST-ONLY material, test kit
/// menu, insurer simulator in-process; also the default when no practitioner is configured),
/// --no-demo, --profile gp|pharmacy|reception, --lang fr|en.

#include <wx/app.h>

#include <optional>
#include <string>

namespace vd::ui {

class DeskApp : public wxApp {
 public:
  bool OnInit() override;
  int OnExit() override;
  void OnInitCmdLine(wxCmdLineParser& parser) override;
  bool OnCmdLineParsed(wxCmdLineParser& parser) override;

 private:
  std::optional<bool> m_demo;
  std::string m_profile, m_lang;
};

}  // namespace vd::ui
