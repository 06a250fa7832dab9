#pragma once
/// \file
/// The settings dialog: card and NFC reader names, USB scanner VID:PID and keyboard layout,
/// insurer server URL, TLS folder, proxy, practitioner identity file and signing key (PEM
/// file, or PKCS#11 module + key URI), language and profile. Values are `app::DeskSettings`,
/// validated by `app::validateSettings` (every problem shown next to its field; OK refused
/// until they are fixed) and stored with wxConfig under these keys (src/ui/README.md):
///
///   /Desk/Profile gp|pharmacy|reception    /Desk/Language fr|en
///   /Readers/Card   /Readers/Nfc           /Scanner/VidPid vvvv:pppp[,…]   /Scanner/Layout fr|us
///   /Camera/Device off|auto|/dev/…  (docs/camera.md)
///   /Server/Url     /Server/TlsDir         /Server/Proxy
///   /Server/TlsKey (PEM path or pkcs11: URI)  /Server/TlsCert  /Server/Pkcs11Module
///   /Server/PinnedKey sha256//<base64>[;…]  (docs/formats/insurer-api.md "Trust")
///   /Outbox/DataKeyFile (the register's data key; empty: next to it — docs/outbox.md)
///   /Practitioner/File
///   /Signing/Kind key_file|pkcs11   /Signing/KeyFile   /Signing/Pkcs11Module   /Signing/Pkcs11Uri
///
/// UI thread only. Window name "settings"; each field is named after its key ("/Server/Url").

#include <map>
#include <string>

#include <wx/dialog.h>

#include "app/desk_settings.hpp"

class wxConfigBase;
class wxStaticText;
class wxWindow;

namespace vd::ui {

/// Reads every key (absent → the default of DeskSettings).
app::DeskSettings loadSettings(wxConfigBase& config);
/// Writes every key and flushes.
void saveSettings(wxConfigBase& config, const app::DeskSettings& settings);

class SettingsDialog : public wxDialog {
 public:
  /// Edits the settings stored in `config` (which must outlive the dialog); OK validates and
  /// saves them. `readers`: PC/SC reader names to offer (the caller lists them on a worker).
  SettingsDialog(wxWindow* parent, wxConfigBase& config, const wxArrayString& readers = wxArrayString());

  /// The values in the fields now.
  app::DeskSettings values() const;
  /// Validates the fields, shows each problem next to its field; true when there is none.
  bool check();

 private:
  void set(const app::DeskSettings& s);
  wxWindow* field(const char* key) const;

  wxConfigBase& m_config;
  std::map<std::string, wxWindow*> m_fields;
  std::map<std::string, wxStaticText*> m_problems;
};

}  // namespace vd::ui
