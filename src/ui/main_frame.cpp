#include "ui/main_frame.hpp"

#include <wx/aboutdlg.h>
#include <wx/menu.h>
#include <wx/panel.h>
#include <wx/sizer.h>
#include <wx/statusbr.h>

namespace vd::ui {

MainFrame::MainFrame()
    : wxFrame(nullptr, wxID_ANY, wxString::FromUTF8(kTitle), wxDefaultPosition, wxSize(1100, 720)) {
  SetName("vitaledesk-main");
  auto* file = new wxMenu;
  file->Append(wxID_EXIT, wxString::FromUTF8("&Quitter\tCtrl+Q"));
  auto* help = new wxMenu;
  help->Append(wxID_ABOUT, wxString::FromUTF8("À &propos de VitaleDesk"));
  auto* bar = new wxMenuBar;
  bar->Append(file, wxString::FromUTF8("&Fichier"));
  bar->Append(help, wxString::FromUTF8("&Aide"));
  SetMenuBar(bar);

  auto* panel = new wxPanel(this, wxID_ANY);
  panel->SetName("desk");
  panel->SetSizer(new wxBoxSizer(wxVERTICAL));

  CreateStatusBar();
  SetStatusText(wxString::FromUTF8("Prêt"));

  Bind(wxEVT_MENU, &MainFrame::onQuit, this, wxID_EXIT);
  Bind(wxEVT_MENU, &MainFrame::onAbout, this, wxID_ABOUT);
}

void MainFrame::onQuit(wxCommandEvent&) { Close(true); }

void MainFrame::onAbout(wxCommandEvent&) {
  wxAboutDialogInfo info;
  info.SetName(wxString::FromUTF8(kTitle));
  info.SetVersion(VD_VERSION);
  info.SetDescription(wxString::FromUTF8("Lecture de la carte Vitale et de l'appli carte Vitale, "
                                         "facturation et télétransmission des FSE."));
  wxAboutBox(info, this);
}

}  // namespace vd::ui
