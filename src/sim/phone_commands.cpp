// vitaledesk-sim apcv init DIR | phone qr --kit NAME --trust-dir DIR
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "core/messages.hpp"
#include "sim/cli_options.hpp"
#include "sim/phone_kit.hpp"
#include "sim/phone_usb.hpp"
#include "sim/qr_png.hpp"

namespace vd::sim {
namespace {

void apcvUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim apcv init DIR\n\n"
       "Create TEST-ONLY ApCV material: an issuer key and certificate, an unknown issuer, the\n"
       "holder's phone, a lost phone and a delegate's phone (app instances), and DIR/trust\n"
       "(issuers/, revoked-app-instances.txt, trust.json) for 'vitaledesk-cli token verify --trust DIR/trust'.\n"
       "Keys are in DIR/keys (0600). Never use them for anything real.\n";
}

void phoneUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim phone qr --kit NAME --trust-dir DIR [--png FILE [--size PX] [--rotate DEG]\n"
       "                                 [--blur SIGMA] [--noise SIGMA] [--seed N]]\n\n"
       "Print the QR text an appli carte Vitale would show, made now with the material of\n"
       "'vitaledesk-sim apcv init DIR'. Kits:";
  for (auto k : phoneKits()) o << ' ' << k;
  o << "\n('replayed' is a valid token meant to be presented twice.)\n"
       "--png FILE writes the QR code as a PNG image, about PX pixels square (default 400), as a\n"
       "camera may see it: rotated by DEG degrees (bilinear, white background, canvas grown to fit),\n"
       "Gaussian blur of SIGMA pixels, additive Gaussian noise of SIGMA grey levels (seed N,\n"
       "default 1). Same options and seed, same pixels.\n"
       "See also 'vitaledesk-sim phone usb-capture --help' (a USB scanner reading the QR code) and,\n"
       "TEST ONLY, 'vitaledesk-sim phone forge --help' (tokens an attacker with phone keys can build).\n";
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
  if (!args.empty() && args[0] == "usb-capture") return phoneUsbCaptureCommand({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "forge") return phoneForgeCommand({args.begin() + 1, args.end()});
  if (args.size() == 1 && args[0] == "--help") {
    phoneUsage(std::cout);
    return 0;
  }
  std::string kit, dir, png;
  int size = 400;
  Degradation degradation;
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
    else if (args[i] == "--size") ok = parseNumber(args[++i], 64, 4096, size);
    else if (args[i] == "--rotate") ok = parseNumber(args[++i], -360.0, 360.0, degradation.rotateDegrees);
    else if (args[i] == "--blur") ok = parseNumber(args[++i], 0.0, 20.0, degradation.blurSigma);
    else if (args[i] == "--noise") ok = parseNumber(args[++i], 0.0, 128.0, degradation.noiseSigma);
    else if (args[i] == "--seed") ok = parseNumber(args[++i], std::uint64_t{0}, ~std::uint64_t{0}, degradation.seed);
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
    if (auto w = writeQrPng(*text, png, size, degradation); !w) {
      std::cerr << "vitaledesk-sim: " << core::describeLine(w.error(), core::Lang::En) << '\n';
      return w.error().code == core::Errc::InvalidArgument ? 2 : 3;
    }
  }
  std::cout << *text << '\n';
  return 0;
}

}  // namespace vd::sim
