#include "ui/demo_menu.hpp"

#include <wx/intl.h>

#include "ui/shortcuts.hpp"

namespace vd::ui {

// Non-ASCII punctuation from UTF-8 (a narrow literal would go through the C locale).
const wxString kDash = wxString::FromUTF8(" \u2014 ");
const wxString kBullet = wxString::FromUTF8("\u2022 ");
namespace {

wxString expectedText(const std::string& expected) {
  if (expected == "verified") return _("verified");
  if (expected == "refused") return _("refused");
  if (expected == "read_not_verified") return _("read, not verified");
  return wxString::FromUTF8(expected);
}

}  // namespace

wxMenu* buildTestKitMenu(const std::vector<app::DemoKit>& cards, const std::vector<std::string>& phones,
                         wxMenuItem** networkItem) {
  auto* menu = new wxMenu;
  auto* cardMenu = new wxMenu;
  for (std::size_t i = 0; i < cards.size(); ++i) {
    // The first nine kits get a mnemonic digit: Alt+T, C, 1…9 from the keyboard.
    const wxString mnemonic = i < 9 ? wxString::Format("&%zu ", i + 1) : wxString("   ");
    cardMenu->Append(kCmdDemoCardFirst + static_cast<int>(i),
                     mnemonic + wxString::FromUTF8(cards[i].name) + kDash + expectedText(cards[i].expected),
                     wxString::FromUTF8(cards[i].summary));
  }
  menu->AppendSubMenu(cardMenu, _("Insert a test &card"));
  appendCommand(menu, kCmdDemoRemoveCard);
  auto* phoneMenu = new wxMenu;
  for (std::size_t i = 0; i < phones.size(); ++i) {
    const wxString mnemonic = i < 9 ? wxString::Format("&%zu ", i + 1) : wxString("   ");
    phoneMenu->Append(kCmdDemoPhoneFirst + static_cast<int>(i), mnemonic + wxString::FromUTF8(phones[i]));
  }
  menu->AppendSubMenu(phoneMenu, _("Present a test &phone (QR)"));
  auto* nfcMenu = new wxMenu;
  for (std::size_t i = 0; i < phones.size(); ++i) {
    const wxString mnemonic = i < 9 ? wxString::Format("&%zu ", i + 1) : wxString("   ");
    nfcMenu->Append(kCmdDemoNfcFirst + static_cast<int>(i), mnemonic + wxString::FromUTF8(phones[i]));
  }
  menu->AppendSubMenu(nfcMenu, _("Hold a test phone on the &NFC reader"));
  auto* cameraMenu = new wxMenu;
  for (std::size_t i = 0; i < phones.size(); ++i) {
    const wxString mnemonic = i < 9 ? wxString::Format("&%zu ", i + 1) : wxString("   ");
    cameraMenu->Append(kCmdDemoCameraFirst + static_cast<int>(i), mnemonic + wxString::FromUTF8(phones[i]));
  }
  menu->AppendSubMenu(cameraMenu, _("Show a test phone to the ca&mera"));
  menu->AppendSeparator();
  *networkItem = appendCommand(menu, kCmdDemoNetwork, wxITEM_CHECK);
  return menu;
}

}  // namespace vd::ui
