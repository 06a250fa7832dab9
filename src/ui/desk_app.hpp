#pragma once
/// \file
/// The wxApp of the desk. main.cpp instantiates it with wxIMPLEMENT_APP; tests create
/// MainFrame directly under their own wxApp.

#include <wx/app.h>

namespace vd::ui {

class DeskApp : public wxApp {
 public:
  bool OnInit() override;
};

}  // namespace vd::ui
