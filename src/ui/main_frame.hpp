#pragma once
/// \file
/// The desk's main window. UI thread only. Panels (patient, care sheet, outbox, status
/// strip) are added by the reader, billing and desk issues.

#include <wx/frame.h>

namespace vd::ui {

class MainFrame : public wxFrame {
 public:
  MainFrame();

  static constexpr const char* kTitle = "VitaleDesk";

 private:
  void onQuit(wxCommandEvent& event);
  void onAbout(wxCommandEvent& event);
};

}  // namespace vd::ui
