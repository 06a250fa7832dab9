// vitaledesk-cli scan: one ApCV code from a USB or serial QR scanner (or an image), verified
// exactly as `token verify` does (cli/token_check.hpp). Exit codes as `card read`.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <variant>

#include <nlohmann/json.hpp>

#include "cli/apcv_output.hpp"
#include "cli/command.hpp"
#include "cli/token_check.hpp"
#include "core/messages.hpp"
#include "reader/scanner/code_source.hpp"

namespace vd::cli {
namespace {

namespace sc = reader::scanner;

constexpr unsigned kDefaultTimeoutMs = 30000;

// The first thing a source reports: a code or an error.
struct FirstEvent {
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<std::pair<std::string, std::variant<sc::ScannedText, core::Error>>> event;

  sc::CodeHandlers handlers() {
    return {[this](const std::string& id, const sc::ScannedText& code) { set(id, code); },
            [this](const std::string& id, const core::Error& e) { set(id, e); }};
  }
  void set(const std::string& id, std::variant<sc::ScannedText, core::Error> v) {
    std::lock_guard lock(mutex);
    if (!event) event.emplace(id, std::move(v));
    cv.notify_all();
  }
  bool wait(unsigned timeoutMs) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return event.has_value(); });
  }
};

// A bad read is a refusal of that read (scan again); anything else is the device's problem.
bool isBadRead(const core::Error& e) {
  return e.code == core::Errc::ScannerGarbled || e.code == core::Errc::ScannerCodeTooLong;
}

int deviceError(const Invocation& inv, const core::Error& e) { return reportReadError(inv, e, kEnvironment); }

void printResult(const Invocation& inv, const nlohmann::json& j) {
  if (inv.has("json")) {
    *inv.out << j.dump(2) << '\n';
    return;
  }
  if (j.contains("envelope")) {
    // --envelope-only checks the signatures only: never presented as a verified credential.
    *inv.out << inv.tr("Enveloppe seule : ", "Envelope only: ")
             << (j.value("envelope", "") == "verified"
                     ? inv.tr("signatures valides, carte NON vérifiée (validité, révocation et rejeu non contrôlés)",
                              "signatures valid, card NOT verified (validity, revocation and replay not checked)")
                     : inv.tr("REFUSÉE", "REFUSED"));
  } else {
    *inv.out << inv.tr("Carte Vitale d'application : ", "App carte Vitale: ")
             << (j.value("verdict", "") == "verified" ? inv.tr("vérifiée", "verified") : inv.tr("REFUSÉE", "REFUSED"));
  }
  if (j.contains("source")) *inv.out << " (" << j["source"].get<std::string>() << ")";
  *inv.out << '\n';
  if (j.contains("reasons"))
    for (const auto& r : j["reasons"])
      *inv.out << "  - " << r.value("cause", "") << ' ' << r.value("action", "") << '\n';
  if (j.contains("insured"))
    *inv.out << "  " << j["insured"].value("first_names", "") << ' ' << j["insured"].value("birth_name", "") << ' '
             << j["insured"].value("nir", "") << '\n';
  if (j.contains("presented_by")) *inv.out << "  " << j["presented_by"].get<std::string>() << '\n';
}

// A keyboard code refused for its prefix or Base45 that the other layout would type correctly:
// the scanner's layout is not the one given. Said first, since it is the fix.
void addLayoutHint(const Invocation& inv, const TokenCheck& check, const sc::ScannedText& code,
                   sc::KeyboardLayout layout, nlohmann::json& j) {
  if (code.strokes.empty() || !j.contains("reasons") || j["reasons"].empty()) return;
  const std::string first = j["reasons"][0].value("id", "");
  if (first != "apcv.prefix" && first.rfind("base45.", 0) != 0) return;
  const sc::KeyboardLayout other = sc::otherLayout(layout);
  if (sc::decodeStrokes(code.strokes, other).rfind(check.prefix, 0) != 0) return;
  const core::Error hint = core::makeError(core::Errc::ScannerLayoutMismatch,
                                           {std::string(sc::layoutId(other)), std::string(sc::layoutId(layout))});
  nlohmann::json reasons = reasonsJson(inv, {hint});
  for (const auto& r : j["reasons"]) reasons.push_back(r);
  j["reasons"] = reasons;
}

std::optional<unsigned> unsignedOption(const Invocation& inv, std::string_view name, unsigned fallback, int& code) {
  const auto v = inv.value(name);
  if (!v) return fallback;
  try {
    return static_cast<unsigned>(std::stoul(*v));
  } catch (const std::exception&) {
    code =
        reportError(inv, core::makeError(core::Errc::InvalidArgument, {"--" + std::string(name) + " " + *v}), kUsage);
    return std::nullopt;
  }
}

// The source of the options (--usb [VID:PID] [--layout] [--hid-pos] | --serial PORT [--baud]);
// nullptr with `code` set on a usage error.
std::unique_ptr<sc::CodeSource> makeSource(const Invocation& inv, sc::KeyboardLayout& layout, int& code) {
  if (auto l = inv.value("layout")) {
    const auto parsed = sc::parseLayout(*l);
    if (!parsed) {
      code = reportError(inv, core::makeError(core::Errc::ScannerLayoutUnknown, {*l}), kUsage);
      return nullptr;
    }
    layout = *parsed;
  }
  if (inv.has("usb")) {
    sc::UsbScannerConfig config;
    config.layout = layout;
    if (inv.has("hid-pos")) config.hidMode = sc::HidMode::Pos;
    if (!inv.positional.empty()) {
      const auto vp = sc::parseVidPid(inv.positional[0]);
      if (!vp) {
        code = reportError(inv, core::makeError(core::Errc::InvalidArgument, {inv.positional[0]}, "VID:PID"), kUsage);
        return nullptr;
      }
      config.devices.push_back(*vp);
    }
    return std::make_unique<sc::UsbScannerSource>(config);
  }
  sc::SerialScannerConfig config;
  config.path = *inv.value("serial");
  const auto baud = unsignedOption(inv, "baud", 9600, code);
  if (!baud) return nullptr;
  config.baud = *baud;
  return std::make_unique<sc::SerialScannerSource>(config);
}

int scanImage(const Invocation& inv, const TokenCheck& check) {
  nlohmann::json j;
  int code = kOk;
  auto text = tokenTextFromImage(inv, *inv.value("image"), j, code);
  if (text) {
    j["source"] = "image:" + *inv.value("image");
    code = checkTokenText(inv, check, *text, j);
  }
  if (!j.is_null()) printResult(inv, j);
  return code;
}

// Waits for the first code or error of the device, then verifies the code.
int scanDevice(const Invocation& inv, const TokenCheck& check, sc::CodeSource& source, sc::KeyboardLayout layout,
               unsigned timeoutMs) {
  FirstEvent first;
  if (auto started = source.start(first.handlers()); !started) {
    const core::Error& e = started.error();
    return e.code == core::Errc::InvalidArgument ? reportError(inv, e, kUsage) : deviceError(inv, e);
  }
  const bool got = first.wait(timeoutMs);
  source.stop();
  if (!got) return deviceError(inv, core::makeError(core::Errc::ScannerNoCode, {std::to_string(timeoutMs)}));
  const auto& [sourceId, event] = *first.event;
  nlohmann::json j;
  if (const auto* e = std::get_if<core::Error>(&event)) {
    if (!isBadRead(*e)) return deviceError(inv, *e);
    j = nlohmann::json{{"verdict", "refused"}, {"source", sourceId}, {"reasons", reasonsJson(inv, {*e})}};
    printResult(inv, j);
    return kRejected;
  }
  const auto& scanned = std::get<sc::ScannedText>(event);
  j["source"] = sourceId;
  const int code = checkTokenText(inv, check, scanned.text, j);
  if (j.is_null()) return code;
  if (code == kRejected) addLayoutHint(inv, check, scanned, layout, j);
  printResult(inv, j);
  return code;
}

int scan(Invocation& inv) {
  const int modes = (inv.has("usb") ? 1 : 0) + (inv.has("serial") ? 1 : 0) + (inv.has("image") ? 1 : 0);
  if (modes != 1 || (!inv.positional.empty() && !inv.has("usb"))) {
    *inv.err << inv.tr("Choisissez une source : --usb [VID:PID], --serial PORT ou --image FICHIER.\n",
                       "Choose one source: --usb [VID:PID], --serial PORT or --image FILE.\n");
    return kUsage;
  }
  int code = kOk;
  const auto timeoutMs = unsignedOption(inv, "timeout-ms", kDefaultTimeoutMs, code);
  if (!timeoutMs) return code;
  sc::KeyboardLayout layout = sc::KeyboardLayout::Us;
  std::unique_ptr<sc::CodeSource> source;
  if (!inv.has("image")) {
    source = makeSource(inv, layout, code);
    if (!source) return code;
  }
  const auto check = loadTokenCheck(inv, code);
  if (!check) return code;
  return source ? scanDevice(inv, *check, *source, layout, *timeoutMs) : scanImage(inv, *check);
}

}  // namespace

std::vector<Command> scanCommands() {
  return {
      Command{{"scan"},
              "[VID:PID]",
              0,
              1,
              "Wait for one appli carte Vitale QR code from a USB or serial scanner (or an image) and verify it.",
              {{"usb", "", "read a USB scanner through libusb (VID:PID, else the known scanners)"},
               {"layout", "fr|us", "keyboard layout configured in the scanner (default us)"},
               {"hid-pos", "", "decode the USB scanner as HID POS (default: from its interface)"},
               {"serial", "PORT", "read a serial or CDC-ACM scanner (e.g. /dev/ttyACM0)"},
               {"baud", "N", "serial speed (default 9600)"},
               {"image", "FILE", "read the QR code from a PNG image"},
               {"timeout-ms", "N", "how long to wait for a code (default 30000)"},
               {"trust", "DIR", "trust directory (issuers/, revocation lists); default $VITALEDESK_TRUST_DIR"},
               {"prefix", "P", "expected prefix (default VD2:)"},
               {"at", "ISO-TIME", "verify as of this UTC time (YYYY-MM-DD[THH:MM:SS[Z]]) instead of now"},
               {"envelope-only", "", "check prefix, Base45, zlib, COSE and signatures; print the raw claims"},
               {"replay-cache", "FILE", "token ids already seen (default $XDG_STATE_HOME/vitaledesk/apcv-replay.txt)"},
               {"json", "", "print the verdict as JSON (the shape of 'token verify', plus \"source\")"},
               patientOutOptions()[0], patientOutOptions()[1]},
              scan}};
}

}  // namespace vd::cli
