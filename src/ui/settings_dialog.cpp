#include "ui/settings_dialog.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/config.h>
#include <wx/dirdlg.h>
#include <wx/filedlg.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "ui/translations.hpp"
#include "ui/ui_text.hpp"

namespace vd::ui {
namespace {

// Every setting: its key, the member it maps to, and its allowed codes for a choice.
struct Key {
  const char* key;
  std::string app::DeskSettings::*member;  // null for the profile (an enum)
};

constexpr const char* kProfile = "/Desk/Profile";

const std::vector<Key>& keys() {
  using S = app::DeskSettings;
  static const std::vector<Key> k{
      {"/Desk/Language", &S::language},
      {"/Readers/Card", &S::cardReader},
      {"/Readers/Nfc", &S::nfcReader},
      {"/Scanner/VidPid", &S::scannerIds},
      {"/Scanner/Layout", &S::scannerLayout},
      {"/Camera/Device", &S::camera},
      {"/Server/Url", &S::serverUrl},
      {"/Server/TlsDir", &S::tlsDir},
      {"/Server/Proxy", &S::proxy},
      {"/Server/TlsKey", &S::tlsClientKey},
      {"/Server/TlsCert", &S::tlsClientCert},
      {"/Server/Pkcs11Module", &S::tlsPkcs11Module},
      {"/Server/PinnedKey", &S::tlsPinnedKey},
      {"/Practitioner/File", &S::practitionerFile},
      {"/Outbox/DataKeyFile", &S::dataKeyFile},
      {"/Signing/Kind", &S::signingKind},
      {"/Signing/KeyFile", &S::signingKeyFile},
      {"/Signing/Pkcs11Module", &S::pkcs11Module},
      {"/Signing/Pkcs11Uri", &S::pkcs11Uri},
  };
  return k;
}

// Codes behind each wxChoice, in the order shown.
const std::map<std::string, std::vector<std::string>>& choiceCodes() {
  static const std::map<std::string, std::vector<std::string>> c{
      {"/Desk/Language", {"fr", "en"}},
      {"/Desk/Profile", {"gp", "pharmacy", "reception"}},
      {"/Scanner/Layout", {"fr", "us"}},
      {"/Signing/Kind", {"key_file", "pkcs11"}},
  };
  return c;
}

}  // namespace

app::DeskSettings loadSettings(wxConfigBase& config) {
  app::DeskSettings s;
  for (const Key& k : keys()) {
    wxString value;
    if (config.Read(k.key, &value)) s.*k.member = value.utf8_string();
  }
  wxString profile;
  if (config.Read(kProfile, &profile))
    if (auto p = app::parseProfile(profile.utf8_string())) s.profile = *p;
  return s;
}

void saveSettings(wxConfigBase& config, const app::DeskSettings& s) {
  for (const Key& k : keys()) config.Write(k.key, utf8(s.*k.member));
  config.Write(kProfile, utf8(app::profileName(s.profile)));
  config.Flush();
}

SettingsDialog::SettingsDialog(wxWindow* parent, wxConfigBase& config, const wxArrayString& readers)
    : wxDialog(parent, wxID_ANY, _("Settings"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      m_config(config) {
  SetName("settings");
  auto* top = new wxBoxSizer(wxVERTICAL);
  wxStaticBoxSizer* group = nullptr;
  wxFlexGridSizer* grid = nullptr;
  auto section = [&](const wxString& title) {
    group = new wxStaticBoxSizer(wxVERTICAL, this, title);
    grid = new wxFlexGridSizer(3, 4, 8);
    grid->AddGrowableCol(1);
    group->Add(grid, 1, wxEXPAND | wxALL, 4);
    top->Add(group, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 8);
  };
  auto add = [&](const char* key, const wxString& label, wxWindow* control, wxWindow* extra = nullptr) {
    wxWindow* box = group->GetStaticBox();
    control->SetName(key);
    grid->Add(new wxStaticText(box, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(control, 1, wxEXPAND);
    if (extra)
      grid->Add(extra);
    else
      grid->AddSpacer(0);
    auto* problem = new wxStaticText(box, wxID_ANY, wxString());
    problem->SetForegroundColour(wxColour(176, 0, 32));
    problem->SetName(wxString(key) + "#problem");
    grid->AddSpacer(0);
    grid->Add(problem, 1, wxEXPAND);
    grid->AddSpacer(0);
    m_fields[key] = control;
    m_problems[key] = problem;
  };
  auto text = [&](const wxString& hint = wxString()) {
    auto* t = new wxTextCtrl(group->GetStaticBox(), wxID_ANY, wxString(), wxDefaultPosition, wxSize(380, -1));
    if (!hint.empty()) t->SetHint(hint);
    return t;
  };
  auto choice = [&](std::initializer_list<wxString> labels) {
    auto* c = new wxChoice(group->GetStaticBox(), wxID_ANY);
    for (const auto& l : labels) c->Append(l);
    return c;
  };
  auto browse = [&](const char* key, bool directory) {
    auto* b = new wxButton(group->GetStaticBox(), wxID_ANY, _("Browse..."));
    b->Bind(wxEVT_BUTTON, [this, key, directory](wxCommandEvent&) {
      auto* target = static_cast<wxTextCtrl*>(field(key));
      const wxString path =
          directory ? wxDirSelector(_("Choose a folder"), target->GetValue(), 0, wxDefaultPosition, this)
                    : wxFileSelector(_("Choose a file"), wxString(), target->GetValue(), wxString(),
                                     wxFileSelectorDefaultWildcardStr, wxFD_OPEN | wxFD_FILE_MUST_EXIST, this);
      if (!path.empty()) target->SetValue(path);
    });
    return b;
  };

  section(_("Desk"));
  add("/Desk/Profile", _("Profile"), choice({_("General practitioner"), _("Pharmacy"), _("Reception")}));
  add("/Desk/Language", _("Language"), choice({wxString::FromUTF8("Français"), "English"}));
  section(_("Readers and scanner"));
  auto* card = new wxComboBox(group->GetStaticBox(), wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, readers);
  card->SetHint(_("empty: the first reader with a card"));
  add("/Readers/Card", _("Card reader"), card);
  auto* nfc = new wxComboBox(group->GetStaticBox(), wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, readers);
  nfc->SetHint(_("empty: no contactless reader"));
  add("/Readers/Nfc", _("Contactless (NFC) reader"), nfc);
  add("/Scanner/VidPid", _("USB scanner (VID:PID)"), text(_("e.g. 0c2e:0b61; empty: keyboard mode only")));
  add("/Scanner/Layout", _("Scanner keyboard layout"), choice({_("French (AZERTY)"), _("US (QWERTY)")}));
  // off, auto, then the V4L2 device nodes present (a directory listing, no device opened);
  // any other path can be typed (/dev/v4l/by-id/… survives a change of USB port).
  std::vector<std::string> nodes;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/dev", ec))
    if (entry.path().filename().string().rfind("video", 0) == 0) nodes.push_back(entry.path().string());
  std::sort(nodes.begin(), nodes.end());
  wxArrayString cameras;
  cameras.push_back("off");
  cameras.push_back("auto");
  for (const auto& n : nodes) cameras.push_back(utf8(n));
  auto* camera = new wxComboBox(group->GetStaticBox(), wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize, cameras);
  camera->SetHint(_("off, auto (first camera found) or /dev/video0"));
  add("/Camera/Device", _("Camera for QR codes"), camera);
  section(_("Insurer network"));
  add("/Server/Url", _("Server address"), text("https://"));
  add("/Server/TlsDir", _("Certificates folder"), text(), browse("/Server/TlsDir", true));
  add("/Server/Proxy", _("Proxy"), text(_("empty: direct connection")));
  add("/Server/TlsKey", _("Connection key"),
      text(_("empty: client.key of the folder, or pkcs11:token=...;object=...;type=private")),
      browse("/Server/TlsKey", false));
  add("/Server/TlsCert", _("Connection certificate"), text(_("empty: client.pem of the folder")),
      browse("/Server/TlsCert", false));
  add("/Server/Pkcs11Module", _("PKCS#11 module"), text("/usr/lib/.../opensc-pkcs11.so"),
      browse("/Server/Pkcs11Module", false));
  add("/Server/PinnedKey", _("Pinned server key"), text(_("empty: no pin; sha256//... given by the insurer")));
  add("/Outbox/DataKeyFile", _("Register data key"), text(_("empty: register.db.key next to the register")),
      browse("/Outbox/DataKeyFile", false));
  section(_("Practitioner and signature"));
  add("/Practitioner/File", _("Practitioner identity file"), text(), browse("/Practitioner/File", false));
  add("/Signing/Kind", _("Signing key"), choice({_("Key file (PEM)"), _("Card or token (PKCS#11)")}));
  add("/Signing/KeyFile", _("Key file"), text(_("empty: the one of the identity file")),
      browse("/Signing/KeyFile", false));
  add("/Signing/Pkcs11Module", _("PKCS#11 module"), text("/usr/lib/.../opensc-pkcs11.so"),
      browse("/Signing/Pkcs11Module", false));
  add("/Signing/Pkcs11Uri", _("Key URI"), text("pkcs11:token=...;object=...;type=private"));

  top->Add(CreateSeparatedButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, 8);
  SetSizerAndFit(top);

  Bind(
      wxEVT_BUTTON,
      [this](wxCommandEvent& e) {
        if (!check()) return;  // stays open, problems shown next to their fields
        saveSettings(m_config, values());
        wxLogMessage("settings saved");
        e.Skip();
      },
      wxID_OK);
  set(loadSettings(m_config));
  // Only the fields of the chosen kind of signing key are editable.
  auto* kind = static_cast<wxChoice*>(field("/Signing/Kind"));
  auto enableSigning = [this, kind] {
    const bool token = kind->GetSelection() == 1;
    field("/Signing/KeyFile")->Enable(!token);
    field("/Signing/Pkcs11Module")->Enable(token);
    field("/Signing/Pkcs11Uri")->Enable(token);
  };
  kind->Bind(wxEVT_CHOICE, [enableSigning](wxCommandEvent&) { enableSigning(); });
  enableSigning();
}

wxWindow* SettingsDialog::field(const char* key) const {
  return m_fields.at(key);
}

void SettingsDialog::set(const app::DeskSettings& s) {
  auto put = [&](const char* key, const std::string& value) {
    wxWindow* w = field(key);
    // wxComboBox derives from wxChoice in wxGTK: test it first.
    if (auto* cb = dynamic_cast<wxComboBox*>(w)) {
      cb->SetValue(utf8(value));
    } else if (auto* c = dynamic_cast<wxChoice*>(w)) {
      const auto& codes = choiceCodes().at(key);
      const auto it = std::find(codes.begin(), codes.end(), value);
      c->SetSelection(it == codes.end() ? 0 : static_cast<int>(it - codes.begin()));
    } else if (auto* t = dynamic_cast<wxTextCtrl*>(w)) {
      t->ChangeValue(utf8(value));
    }
  };
  for (const Key& k : keys()) put(k.key, s.*k.member);
  put(kProfile, std::string(app::profileName(s.profile)));
}

app::DeskSettings SettingsDialog::values() const {
  auto get = [&](const char* key) -> std::string {
    wxWindow* w = field(key);
    if (auto* cb = dynamic_cast<wxComboBox*>(w)) return cb->GetValue().Strip(wxString::both).utf8_string();
    if (auto* c = dynamic_cast<wxChoice*>(w)) {
      const auto& codes = choiceCodes().at(key);
      const int i = c->GetSelection();
      return i >= 0 && static_cast<std::size_t>(i) < codes.size() ? codes[static_cast<std::size_t>(i)] : std::string();
    }
    if (auto* t = dynamic_cast<wxTextCtrl*>(w)) return t->GetValue().Strip(wxString::both).utf8_string();
    return {};
  };
  app::DeskSettings s;
  for (const Key& k : keys()) s.*k.member = get(k.key);
  s.profile = app::parseProfile(get(kProfile)).value_or(app::Profile::Gp);
  return s;
}

bool SettingsDialog::check() {
  for (auto& [key, label] : m_problems) label->SetLabel(wxString());
  const auto problems = app::validateSettings(values());
  const core::Lang lang = currentLang();  // the language the dialog is shown in
  for (const auto& p : problems) {
    auto it = m_problems.find(p.key);
    if (it == m_problems.end()) continue;
    const auto message = core::describe(p.error, lang);
    it->second->SetLabel(utf8(message.cause + " " + message.action));
  }
  Layout();
  Fit();
  if (!problems.empty()) field(problems.front().key.c_str())->SetFocus();
  return problems.empty();
}

}  // namespace vd::ui
