#pragma once
/// \file
/// vitaledesk-cli's command table. Each command declares its options; the parser in
/// command.cpp handles --help, unknown options and missing values the same way for all.
///
/// Exit codes (docs/cli.md): 0 ok, 1 rejected or invalid input, 2 usage error,
/// 3 environment or device problem (missing resources, no reader, no service).

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/messages.hpp"

namespace vd::app {
struct CredentialView;
}

namespace vd::cli {

enum ExitCode : int { kOk = 0, kRejected = 1, kUsage = 2, kEnvironment = 3 };

struct OptionSpec {
  std::string_view name;  ///< without the leading "--"
  std::string_view valueName;  ///< empty for a flag
  std::string_view help;
};

struct Invocation {
  std::vector<std::string> positional;
  std::map<std::string, std::string, std::less<>> options;  ///< last value; flags map to ""
  std::map<std::string, std::vector<std::string>, std::less<>> repeated;  ///< every value, in order
  core::Lang lang = core::Lang::Fr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;

  bool has(std::string_view name) const { return options.find(name) != options.end(); }
  std::optional<std::string> value(std::string_view name) const {
    const auto it = options.find(name);
    return it == options.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  std::vector<std::string> values(std::string_view name) const {
    const auto it = repeated.find(name);
    return it == repeated.end() ? std::vector<std::string>{} : it->second;
  }
  /// French or English text for the current language.
  std::string_view tr(std::string_view fr, std::string_view en) const { return lang == core::Lang::Fr ? fr : en; }
};

struct Command {
  std::vector<std::string_view> path;  ///< {"nir", "check"}
  std::string_view positionalSyntax;   ///< "<NIR>"
  std::size_t minPositional = 0;
  std::size_t maxPositional = 0;
  std::string_view summary;
  std::vector<OptionSpec> options;
  std::function<int(Invocation&)> run;
};

/// Every command of the CLI (defined next to each group of commands).
std::vector<Command> nirCommands();
std::vector<Command> tariffCommands();
std::vector<Command> fseCommands();
std::vector<Command> queueCommands();  ///< queue … and audit verify (the outbox)
std::vector<Command> cardCommands();
std::vector<Command> tokenCommands();
std::vector<Command> nfcCommands();    ///< nfc read (ApCV phone over NFC)
std::vector<Command> trustCommands();  ///< trust refresh (signed trust lists)
std::vector<Command> scanCommands();   ///< scan (ApCV from a USB/serial QR scanner or an image)

/// Runs the CLI: argv[0] excluded. Returns the process exit code.
int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, core::Lang lang);

/// Today on the desk's calendar (app::deskToday: the zone of --time-zone / VD_TIME_ZONE, else
/// Europe/Paris, set by runCli before dispatch). Dates of care default to it.
core::Date localToday();

/// Prints an error as "<cause> <action>" on err; returns `code`.
int reportError(const Invocation& inv, const core::Error& error, int code);

/// A read (card, phone, scanner) that ended without a verdict: with --json,
/// {"verdict": "error", "error", "cause", "action"} on out; else reportError. Returns `code`.
int reportReadError(const Invocation& inv, const core::Error& error, int code);

/// --patient-out FILE [--beneficiary N] of a command that verified a credential: writes the
/// `fse new --patient` file of its beneficiary N (0, the default, is the insured) at the date
/// of care, mode 0600. Nothing when --patient-out is absent or `view` is not verified. Returns
/// kOk, or the code of the error it printed (kUsage: bad N; kRejected: no such beneficiary,
/// rights closed; kEnvironment: the file cannot be written).
int writePatientFile(const Invocation& inv, const app::CredentialView& view, core::Date dateOfCare);
/// The two options above, for the command tables.
std::vector<OptionSpec> patientOutOptions();

/// --wait-ms MS into `ms` when given (unchanged otherwise). A bad value is reported and gives
/// false: the caller exits with kUsage.
bool waitMsOption(const Invocation& inv, unsigned& ms);

}  // namespace vd::cli
