// vitaledesk-sim: the other side of every exchange (virtual cards, phones, insurer network)
// for tests, the demo mode and staff training. Test material only.
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <fstream>

#include "crypto/test_pki.hpp"
#include "sim/identity_generator.hpp"

namespace {

constexpr int kOk = 0;
constexpr int kUsage = 2;

void usage(std::ostream& o) {
  o << "Usage: vitaledesk-sim <command> [options]\n\n"
       "Simulator of the parties VitaleDesk talks to. Everything it makes is test material.\n\n"
       "Commands:\n"
       "  identity                synthetic, fictitious identities with valid NIRs\n"
       "  pki practitioner        a TEST-ONLY practitioner profile (key, certificate, JSON)\n\n"
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
  if (args[0] != "practitioner" || args.size() != 3 || args[1] != "--out") {
    if (args.size() == 2 && args[1] == "--help") {
      pkiUsage(std::cout);
      return kOk;
    }
    pkiUsage(std::cerr);
    return kUsage;
  }
  const std::filesystem::path dir = args[2];
  auto files = vd::crypto::issueTestCertificate(dir, "practitioner", "TEST ONLY Dr Camille DEMODESK");
  if (!files) {
    std::cerr << "vitaledesk-sim: cannot create the test PKI in " << dir << '\n';
    return 3;
  }
  // RPPS 10099999996 and AM number 141999995: test identifiers (valid check digit, not
  // assigned to a real practitioner as far as public directories show).
  const nlohmann::json profile{{"rpps", "10099999996"},
                               {"am_number", "141999995"},
                               {"name", "Dr Camille DEMODESK (TEST ONLY)"},
                               {"specialty", "01"},
                               {"sector", 1},
                               {"optam", false},
                               {"situation", "cabinet principal"},
                               {"signing",
                                {{"kind", "key_file"},
                                 {"key_file", "practitioner-key.pem"},
                                 {"certificate", "practitioner.pem"}}}};
  std::ofstream out(dir / "practitioner.json");
  out << profile.dump(2) << '\n';
  if (!out.flush()) return 3;
  std::cout << (dir / "practitioner.json").string() << '\n';
  return kOk;
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
  if (args[0] == "pki") return pki({args.begin() + 1, args.end()});
  std::cerr << "vitaledesk-sim: unknown command '" << args[0] << "'.\n";
  usage(std::cerr);
  return kUsage;
}
