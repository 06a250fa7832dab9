// vitaledesk-sim: the other side of every exchange (virtual cards, phones, insurer network)
// for tests, the demo mode and staff training. Test material only.
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/identity_generator.hpp"

namespace {

constexpr int kOk = 0;
constexpr int kUsage = 2;

void usage(std::ostream& o) {
  o << "Usage: vitaledesk-sim <command> [options]\n\n"
       "Simulator of the parties VitaleDesk talks to. Everything it makes is test material.\n\n"
       "Commands:\n"
       "  identity                synthetic, fictitious identities with valid NIRs\n\n"
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
  std::cerr << "vitaledesk-sim: unknown command '" << args[0] << "'.\n";
  usage(std::cerr);
  return kUsage;
}
