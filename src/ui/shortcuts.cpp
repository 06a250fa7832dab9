#include "ui/shortcuts.hpp"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>

namespace vd::ui {

std::vector<ShortcutEntry> shortcutTable() {
  std::vector<ShortcutEntry> t = {
      {kCmdFocusPatient, "F2", _("&Patient"), _("Go to the patient panel")},
      {kCmdFocusCareSheet, "F3", _("&Care sheet"), _("Go to the care sheet (first empty code)")},
      {kCmdFocusOutbox, "F4", _("&Outbox"), _("Go to the outbox")},
      {kCmdFocusLog, "F5", _("&Log"), _("Go to the log")},
      {kCmdRereadCard, "Ctrl+T", _("&Read the card again"), _("Read the card in the reader again")},
      {kCmdClosePatient, "Ctrl+W", _("&Close the patient"), _("Clear the patient shown")},
      {kCmdOpenImage, "Ctrl+O", _("Open a QR &image..."), _("Verify the QR code of an image file")},
      {kCmdTypeToken, "Ctrl+K", _("&Enter a QR text..."), _("Paste or type the text of a QR code")},
      {kCmdSubmit, "Ctrl+Enter", _("&Validate, sign and queue"), _("Validate, sign and queue the care sheet")},
      {kCmdRetry, "Ctrl+R", _("&Retry"), _("Retry the selected care sheet now")},
      {kCmdHold, "Ctrl+H", _("&Hold"), _("Hold the selected care sheet")},
      {kCmdRelease, "Ctrl+L", _("Re&lease"), _("Release the selected care sheet")},
      {kCmdExport, "Ctrl+E", _("&Export..."), _("Export the outbox rows shown as CSV")},
      {kCmdSendNow, "Ctrl+Shift+S", _("&Send now"), _("Send what is due now")},
      {kCmdSettings, "Ctrl+,", _("&Settings..."), _("Readers, scanner, server, practitioner, language")},
      {kCmdShortcuts, "F1", _("&Keyboard shortcuts"), _("This list")},
      {kCmdProfileGp, "Ctrl+Shift+G", _("&GP"), _("Profile: GP (acts first)")},
      {kCmdProfilePharmacy, "Ctrl+Shift+P", _("P&harmacy"), _("Profile: pharmacy (medicines and AMC first)")},
      {kCmdProfileReception, "Ctrl+Shift+R", _("&Reception"), _("Profile: reception (patient and outbox first)")},
      {kCmdDemoNetwork, "Ctrl+Shift+N", _("&Network on"), _("Test kit: switch the simulated network off or on")},
      {kCmdDemoRemoveCard, "Ctrl+Shift+X", _("&Remove the card"), _("Test kit: remove the inserted test card")},
      {wxID_EXIT, "Ctrl+Q", _("&Quit"), _("Quit VitaleDesk")},
  };
  for (int i = 0; i < 9; ++i) {
    static const char* const keys[] = {"Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5",
                                       "Ctrl+6", "Ctrl+7", "Ctrl+8", "Ctrl+9"};
    t.push_back({kCmdBeneficiary1 + i, keys[i], wxString::Format(_("Beneficiary &%d"), i + 1),
                 wxString::Format(_("Bill beneficiary %d of the card"), i + 1)});
  }
  return t;
}

wxMenuItem* appendCommand(wxMenu* menu, int id, wxItemKind kind) {
  for (const ShortcutEntry& e : shortcutTable())
    if (e.id == id) return menu->Append(id, e.label + "\t" + e.accel, e.help, kind);
  return menu->Append(id, wxString::Format("#%d", id));
}

ShortcutsDialog::ShortcutsDialog(wxWindow* parent)
    : wxDialog(parent, wxID_ANY, _("Keyboard shortcuts"), wxDefaultPosition, wxSize(620, 560),
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER) {
  SetName("shortcuts");
  auto* list = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  list->SetName("shortcuts-list");
  list->InsertColumn(0, _("Keys"), wxLIST_FORMAT_LEFT, 140);
  list->InsertColumn(1, _("Action"), wxLIST_FORMAT_LEFT, 440);
  long row = 0;
  for (const ShortcutEntry& e : shortcutTable()) {
    list->InsertItem(row, e.accel);
    list->SetItem(row, 1, e.help);
    ++row;
  }
  list->InsertItem(row, _("Scanner"));
  list->SetItem(row, 1, _("A keyboard scanner's code is taken whatever field has the focus"));
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  sizer->Add(list, 1, wxEXPAND | wxALL, 8);
  sizer->Add(CreateStdDialogButtonSizer(wxOK), 0, wxEXPAND | wxALL, 8);
  SetSizer(sizer);
}

}  // namespace vd::ui
