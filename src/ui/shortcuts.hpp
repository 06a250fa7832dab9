#pragma once
/// \file
/// Every desk action and its keyboard shortcut, in one table: the menus are built from it
/// (so a menu item always shows its shortcut) and Help → Keyboard shortcuts (F1) lists it.

#include <vector>

#include <wx/dialog.h>
#include <wx/menu.h>
#include <wx/string.h>

namespace vd::ui {

/// Command identifiers of the desk (menus, accelerators, tests).
enum DeskCommand : int {
  kCmdFirst = wxID_HIGHEST + 100,
  kCmdFocusPatient,
  kCmdFocusCareSheet,
  kCmdFocusOutbox,
  kCmdFocusLog,
  kCmdRereadCard,
  kCmdClosePatient,
  kCmdOpenImage,
  kCmdTypeToken,
  kCmdSubmit,
  kCmdRetry,
  kCmdHold,
  kCmdRelease,
  kCmdExport,
  kCmdSendNow,
  kCmdSettings,
  kCmdShortcuts,
  kCmdProfileGp,
  kCmdProfilePharmacy,
  kCmdProfileReception,
  kCmdBeneficiary1,  ///< … kCmdBeneficiary1 + 8 for Ctrl+9
  kCmdDemoNetwork = kCmdBeneficiary1 + 9,
  kCmdDemoRemoveCard,
  kCmdDemoCardFirst = kCmdFirst + 200,   ///< one per card kit
  kCmdDemoPhoneFirst = kCmdFirst + 300,  ///< one per phone kit (its QR code)
  kCmdDemoNfcFirst = kCmdFirst + 400,    ///< one per phone kit (held on the NFC reader)
  kCmdDemoCameraFirst = kCmdFirst + 500, ///< one per phone kit (shown to the camera)
};

struct ShortcutEntry {
  int id;
  const char* accel;  ///< wx accelerator text ("Ctrl+T"); untranslated
  wxString label;     ///< menu label (translated, with its mnemonic)
  wxString help;      ///< what it does (translated)
};

/// The table, in the language of the current wxTranslations.
std::vector<ShortcutEntry> shortcutTable();

/// Appends the table's item `id` to `menu` with its label and shortcut.
wxMenuItem* appendCommand(wxMenu* menu, int id, wxItemKind kind = wxITEM_NORMAL);

/// Help → Keyboard shortcuts.
class ShortcutsDialog : public wxDialog {
 public:
  explicit ShortcutsDialog(wxWindow* parent);
};

}  // namespace vd::ui
