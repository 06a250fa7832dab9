// vitaledesk-cli nir …
#include <nlohmann/json.hpp>

#include "app/use_cases.hpp"
#include "cli/command.hpp"

namespace vd::cli {
namespace {

int nirCheck(Invocation& inv) {
  const bool json = inv.has("json");
  auto result = app::checkNir(inv.positional[0]);
  if (!result) {
    const core::Error& e = result.error();
    const core::UserMessage m = core::describe(e, inv.lang);
    if (json) {
      nlohmann::json j{{"valid", false}, {"error", core::errcId(e.code)}, {"cause", m.cause}, {"action", m.action}};
      if (e.code == core::Errc::NirKeyMismatch) j["expected_key"] = e.args.at(0);
      *inv.out << j.dump(2) << '\n';
    } else {
      *inv.out << inv.tr("NIR invalide : ", "Invalid NIR: ") << m.cause << '\n' << m.action << '\n';
    }
    return kRejected;
  }
  const auto& check = *result;
  if (json) {
    nlohmann::json j{{"valid", true},
                     {"nir", check.nir.value()},
                     {"formatted", check.nir.formatted()},
                     {"kind", check.temporary ? "temporary" : "permanent"},
                     {"key", check.nir.key()}};
    *inv.out << j.dump(2) << '\n';
  } else {
    *inv.out << inv.tr("NIR valide : ", "Valid NIR: ") << check.nir.formatted() << '\n';
    *inv.out << (check.temporary ? inv.tr("Numéro provisoire (NIA/NNP) : ne pas qualifier comme INS-NIR.",
                                          "Temporary number (NIA/NNP): not to be qualified as INS-NIR.")
                                 : inv.tr("Numéro permanent.", "Permanent number."))
             << '\n';
  }
  return kOk;
}

}  // namespace

std::vector<Command> nirCommands() {
  return {Command{{"nir", "check"},
                  "<NIR>",
                  1,
                  1,
                  "Check a NIR (15 characters, spaces allowed): key, structure, temporary numbers.",
                  {{"json", "", "print the verdict as JSON"}},
                  nirCheck}};
}

}  // namespace vd::cli
