#include "ui/desk_app.hpp"

#include "ui/main_frame.hpp"

namespace vd::ui {

bool DeskApp::OnInit() {
  if (!wxApp::OnInit()) return false;
  SetAppName("vitaledesk");
  SetAppDisplayName("VitaleDesk");
  auto* frame = new MainFrame();
  frame->Show();
  return true;
}

}  // namespace vd::ui
