// vitaledesk-sim apcv init DIR | phone qr --kit NAME --trust-dir DIR
#include <chrono>
#include <iostream>

#include "core/messages.hpp"
#include "sim/phone_kit.hpp"
#include "sim/qr_png.hpp"

namespace vd::sim {
namespace {

std::int64_t nowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void apcvUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim apcv init DIR\n\n"
       "Create TEST-ONLY ApCV material: an issuer key and certificate, an unknown issuer, a phone\n"
       "and a lost phone (app instances), and DIR/trust (issuers/, revoked-app-instances.txt,\n"
       "revoked-card-serials.txt, trust.json) for 'vitaledesk-cli token verify --trust DIR/trust'.\n"
       "Keys are in DIR/keys (0600). Never use them for anything real.\n";
}

void phoneUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim phone qr --kit NAME --trust-dir DIR [--png FILE [--size PX]]\n\n"
       "Print the QR text an appli carte Vitale would show, made now with the material of\n"
       "'vitaledesk-sim apcv init DIR'. Kits:";
  for (auto k : phoneKits()) o << ' ' << k;
  o << "\n('replayed' is a valid token meant to be presented twice.)\n"
       "--png FILE writes the QR code as a PNG image, about PX pixels square (default 400).\n";
}

}  // namespace

int apcvCommand(const std::vector<std::string>& args) {
  if (args.size() == 1 && args[0] == "--help") {
    apcvUsage(std::cout);
    return 0;
  }
  if (args.size() != 2 || args[0] != "init") {
    apcvUsage(std::cerr);
    return 2;
  }
  if (auto r = apcvInit(args[1], nowUnix()); !r) {
    std::cerr << "vitaledesk-sim: " << core::describeLine(r.error(), core::Lang::En) << '\n';
    return 3;
  }
  std::cout << args[1] << "/trust\n";
  return 0;
}

int phoneCommand(const std::vector<std::string>& args) {
  if (args.size() == 1 && args[0] == "--help") {
    phoneUsage(std::cout);
    return 0;
  }
  std::string kit, dir, png;
  int size = 400;
  bool ok = !args.empty() && args[0] == "qr";
  for (std::size_t i = 1; ok && i < args.size(); ++i) {
    if (args[i] == "--help") {
      phoneUsage(std::cout);
      return 0;
    }
    if (i + 1 >= args.size()) ok = false;
    else if (args[i] == "--kit") kit = args[++i];
    else if (args[i] == "--trust-dir") dir = args[++i];
    else if (args[i] == "--png") png = args[++i];
    else if (args[i] == "--size") {
      try {
        size = std::stoi(args[++i]);
      } catch (const std::exception&) {
        ok = false;
      }
    }
    else ok = false;
  }
  if (!ok || kit.empty() || dir.empty()) {
    phoneUsage(std::cerr);
    return 2;
  }
  auto text = phoneQr(dir, kit, nowUnix());
  if (!text) {
    std::cerr << "vitaledesk-sim: " << core::describeLine(text.error(), core::Lang::En) << '\n';
    return text.error().code == core::Errc::InvalidArgument ? 2 : 3;
  }
  if (!png.empty()) {
    if (auto w = writeQrPng(*text, png, size); !w) {
      std::cerr << "vitaledesk-sim: " << core::describeLine(w.error(), core::Lang::En) << '\n';
      return w.error().code == core::Errc::InvalidArgument ? 2 : 3;
    }
  }
  std::cout << *text << '\n';
  return 0;
}

}  // namespace vd::sim
