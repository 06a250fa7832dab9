// vitaledesk-sim: the other side of every exchange (virtual cards, phones, insurer network)
// for tests, the demo mode and staff training. Test material only.
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/test_pki.hpp"
#include "sim/cli_options.hpp"
#include "sim/demo_material.hpp"
#include "sim/identity_generator.hpp"
#include "sim/phone_kit.hpp"
#include "sim/phone_nfc.hpp"
#include "sim/server_commands.hpp"
#include "sim/virtual_card.hpp"

namespace {

using vd::sim::kOk;
using vd::sim::kUsage;

void usage(std::ostream& o) {
  o << "Usage: vitaledesk-sim <command> [options]\n\n"
       "Simulator of the parties VitaleDesk talks to. Everything it makes is test material.\n\n"
       "Commands:\n"
       "  identity                synthetic, fictitious identities with valid NIRs\n"
       "  pki practitioner        a TEST-ONLY practitioner profile (key, certificate, JSON)\n"
       "  pki init DIR            TEST-ONLY card issuer key, trust files and opposition list\n"
       "  pki server DIR          TEST-ONLY TLS material of the insurer network simulator\n"
       "  server --port P --tls-dir DIR   the insurer network (HTTPS, mutual TLS; runs until SIGTERM)\n"
       "  ledger FILE             what the insurer simulator received (JSON counts)\n"
       "  kit list                the test kit of simulated cartes Vitale\n"
       "  apcv init DIR           TEST-ONLY ApCV issuer, phones and trust directory\n"
       "  phone qr --kit NAME --trust-dir DIR   the QR text of a simulated appli carte Vitale\n"
       "  phone usb-capture --kit NAME --trust-dir DIR --out F.pcap   a USB scanner reading it (usbmon)\n"
       "  phone nfc --kit NAME --trust-dir DIR  the same phone tapped on vpcd's contactless reader\n"
       "  card --kit NAME         a simulated carte Vitale inserted in vpcd (runs until killed)\n\n"
       "Run 'vitaledesk-sim <command> --help' for the options of a command.\n"
       "Exit codes: 0 ok, 1 rejected, 2 usage error, 3 environment problem.\n";
}

void identityUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim identity [--count N] [--seed S] [--lunar] [--corsica]\n\n"
       "Print N fictitious identities (one JSON object per line): NIR with a valid key,\n"
       "names, birth date (day 00 with --lunar), INSEE birthplace (2A/2B with --corsica).\n\n"
       "Options:\n"
       "  --count N     how many (1 to 100000, default 1)\n"
       "  --seed S      random seed (default 1): the same seed gives the same identities\n"
       "  --lunar       lunar birth dates (day 00)\n"
       "  --corsica     Corsican birthplaces\n"
       "  --help        show this help\n";
}

int identity(const std::vector<std::string>& args) {
  long count = 1;
  unsigned long long seed = 1;
  bool lunar = false, corsica = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    try {
      if (a == "--help") {
        identityUsage(std::cout);
        return kOk;
      } else if (a == "--count") {
        const std::string* v = value();
        if (v == nullptr) throw std::invalid_argument("count");
        count = std::stol(*v);
      } else if (a == "--seed") {
        const std::string* v = value();
        if (v == nullptr) throw std::invalid_argument("seed");
        seed = std::stoull(*v);
      } else if (a == "--lunar") {
        lunar = true;
      } else if (a == "--corsica") {
        corsica = true;
      } else {
        throw std::invalid_argument(a);
      }
    } catch (const std::exception&) {
      identityUsage(std::cerr);
      return kUsage;
    }
  }
  if (count < 1 || count > 100000) {
    identityUsage(std::cerr);
    return kUsage;
  }
  vd::sim::IdentityGenerator gen(seed);
  for (long n = 0; n < count; ++n) {
    const auto id = gen.next(lunar, corsica);
    nlohmann::json j{{"nir", id.nir.value()},
                     {"birth_name", id.birthName},
                     {"first_names", id.firstNames},
                     {"birth_date", id.birthDate.raw()},
                     {"birthplace", id.birthplace}};
    std::cout << j.dump() << '\n';
  }
  return kOk;
}

int pkiInit(const std::filesystem::path& dir);

void pkiUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim pki practitioner --out DIR\n\n"
       "Create a TEST-ONLY practitioner for the demo and the tests: a test certification\n"
       "authority (DIR/ca.pem, reused when present), a P-256 key and certificate\n"
       "(DIR/practitioner-key.pem, 0600, and DIR/practitioner.pem), and the profile\n"
       "DIR/practitioner.json that 'vitaledesk-cli fse new --practitioner' reads.\n"
       "Never use these files for real care sheets.\n";
}

int pki(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help") {
    pkiUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kUsage : kOk;
  }
  if (args[0] == "init" && args.size() == 2 && args[1] != "--help") return pkiInit(args[1]);
  if (args[0] != "practitioner" || args.size() != 3 || args[1] != "--out") {
    if (args.size() == 2 && args[1] == "--help") {
      pkiUsage(std::cout);
      return kOk;
    }
    pkiUsage(std::cerr);
    return kUsage;
  }
  const std::filesystem::path dir = args[2];
  if (!vd::sim::practitionerInit(dir)) {
    std::cerr << "vitaledesk-sim: cannot create the test PKI in " << dir << '\n';
    return 3;
  }
  std::cout << (dir / "practitioner.json").string() << '\n';
  return kOk;
}


// --- Simulated cartes Vitale (docs/formats/vitale-card.md) --------------------------------

int kitList() {
  for (const auto& kit : vd::sim::cardKits())
    std::cout << kit.name << '\t' << kit.expected << '\t' << kit.summary << '\n';
  return kOk;
}

/// pki init DIR: a TEST-ONLY issuer key (issuer-key.pem, 0600), the trust file the reader
/// loads (issuer.pub.pem) and the opposition list naming the "opposition" kit's serial.
int pkiInit(const std::filesystem::path& dir) {
  if (!vd::sim::cardPkiInit(dir)) return 3;
  std::cout << dir.string() << '\n';
  return kOk;
}

void cardUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim card --kit NAME [--pki DIR] [--port 35963] [--host 127.0.0.1]\n\n"
       "Insert the simulated carte Vitale NAME ('vitaledesk-sim kit list') into the vpcd\n"
       "virtual reader listening on HOST:PORT; runs until killed and reconnects when pcscd\n"
       "restarts. The issuer key comes from DIR ('vitaledesk-sim pki init DIR'; default\n"
       "$VITALEDESK_CARD_PKI).\n";
}

int card(const std::vector<std::string>& args) {
  std::string kit, host = "127.0.0.1";
  const char* env = std::getenv("VITALEDESK_CARD_PKI");
  std::string pkiDir = env != nullptr ? env : "";
  int port = 35963;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool hasValue = i + 1 < args.size();
    if (args[i] == "--help") {
      cardUsage(std::cout);
      return kOk;
    } else if (args[i] == "--kit" && hasValue) {
      kit = args[++i];
    } else if (args[i] == "--pki" && hasValue) {
      pkiDir = args[++i];
    } else if (args[i] == "--host" && hasValue) {
      host = args[++i];
    } else if (args[i] == "--port" && hasValue) {
      try {
        port = std::stoi(args[++i]);
      } catch (const std::exception&) {
        port = -1;
      }
      if (port <= 0 || port > 65535) {
        cardUsage(std::cerr);
        return kUsage;
      }
    } else {
      cardUsage(std::cerr);
      return kUsage;
    }
  }
  if (kit.empty() || pkiDir.empty()) {
    cardUsage(std::cerr);
    return kUsage;
  }
  std::ifstream in(std::filesystem::path(pkiDir) / "issuer-key.pem");
  std::stringstream pem;
  pem << in.rdbuf();
  auto issuer = vd::crypto::PrivateKey::fromPem(pem.str());
  if (!issuer) {
    std::cerr << "vitaledesk-sim: no issuer key in " << pkiDir << " (run 'vitaledesk-sim pki init DIR')\n";
    return 3;
  }
  auto virtualCard = vd::sim::VirtualCard::fromKit(kit, *issuer);
  if (!virtualCard) {
    std::cerr << "vitaledesk-sim: unknown kit '" << kit << "' (see 'vitaledesk-sim kit list')\n";
    return kUsage;
  }
  return vd::sim::runVpcdCard(*virtualCard, host, port);
}
}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    usage(std::cerr);
    return kUsage;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    usage(std::cout);
    return kOk;
  }
  if (args[0] == "identity") return identity({args.begin() + 1, args.end()});
  if (args[0] == "apcv") return vd::sim::apcvCommand({args.begin() + 1, args.end()});
  if (args[0] == "phone" && args.size() > 1 && args[1] == "nfc")
    return vd::sim::phoneNfcCommand({args.begin() + 2, args.end()});
  if (args[0] == "phone") return vd::sim::phoneCommand({args.begin() + 1, args.end()});
  if (args[0] == "pki" && args.size() >= 2 && args[1] == "server")
    return vd::sim::pkiServerCommand({args.begin() + 2, args.end()});
  if (args[0] == "server") return vd::sim::serverCommand({args.begin() + 1, args.end()});
  if (args[0] == "ledger") return vd::sim::ledgerCommand({args.begin() + 1, args.end()});
  if (args[0] == "pki") return pki({args.begin() + 1, args.end()});
  if (args[0] == "card") return card({args.begin() + 1, args.end()});
  if (args[0] == "kit" && args.size() == 2 && args[1] == "list") return kitList();
  std::cerr << "vitaledesk-sim: unknown command '" << args[0] << "'.\n";
  usage(std::cerr);
  return kUsage;
}
