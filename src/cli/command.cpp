#include "cli/command.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/local_time.hpp"

namespace vd::cli {
namespace {

constexpr std::string_view kProgram = "vitaledesk-cli";

std::string joinPath(const Command& c) {
  std::string s;
  for (auto p : c.path) s += (s.empty() ? "" : " ") + std::string(p);
  return s;
}

std::vector<Command> allCommands() {
  std::vector<Command> all;
  for (auto group : {nirCommands(), tariffCommands(), fseCommands(), cardCommands(), tokenCommands(), nfcCommands(),
                     scanCommands(), queueCommands(), trustCommands()}) {
    for (auto& c : group) all.push_back(std::move(c));
  }
  return all;
}

const OptionSpec kHelp{"help", "", "show this help and exit"};
const OptionSpec kLang{"lang", "fr|en", "language of the messages (default: from LANG, else fr)"};
const OptionSpec kTimeZone{"time-zone", "ZONE",
                           "IANA zone of the desk's calendar day (default: VD_TIME_ZONE, else Europe/Paris)"};

// The value of a global option given as "--name V" or "--name=V" anywhere on the line.
std::optional<std::string_view> globalOption(const std::vector<std::string>& args, std::string_view name) {
  const std::string flag = "--" + std::string(name);
  std::optional<std::string_view> v;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == flag && i + 1 < args.size()) v = args[i + 1];
    else if (args[i].rfind(flag + "=", 0) == 0) v = std::string_view(args[i]).substr(flag.size() + 1);
  }
  return v;
}

// Sets the desk's zone for this run (before any worker thread starts). An unknown zone named by
// the user is a usage error; a missing tz database only warns (the built-in Paris rule applies).
bool selectTimeZone(const std::vector<std::string>& args, std::ostream& err, core::Lang lang) {
  std::string_view where = "--time-zone";
  std::optional<std::string_view> name = globalOption(args, "time-zone");
  if (!name) {
    const char* env = std::getenv("VD_TIME_ZONE");
    if (env != nullptr && *env != '\0') {
      name = env;
      where = "VD_TIME_ZONE";
    }
  }
  const auto warning = app::selectDeskTimeZone(name.value_or(app::kDefaultTimeZone), where);
  if (!warning) return true;
  err << kProgram << ": " << core::describeLine(*warning, lang) << '\n';
  return warning->code != core::Errc::TimeZoneUnknown;
}

void printCommandHelp(std::ostream& out, const Command& c) {
  out << "Usage: " << kProgram << ' ' << joinPath(c);
  if (!c.options.empty()) out << " [options]";
  if (!c.positionalSyntax.empty()) out << ' ' << c.positionalSyntax;
  out << "\n\n" << c.summary << "\n\nOptions:\n";
  auto line = [&out](const OptionSpec& o) {
    std::string left = "  --" + std::string(o.name);
    if (!o.valueName.empty()) left += " " + std::string(o.valueName);
    out << left << std::string(left.size() < 26 ? 26 - left.size() : 1, ' ') << o.help << '\n';
  };
  for (const auto& o : c.options) line(o);
  line(kLang);
  line(kTimeZone);
  line(kHelp);
  out << "\nExit codes: 0 ok, 1 rejected or invalid, 2 usage error, 3 environment or device problem.\n";
}

void printGroupHelp(std::ostream& out, const std::vector<Command>& cmds, std::string_view prefix) {
  out << "Usage: " << kProgram << (prefix.empty() ? "" : " ") << prefix << " <command> [options]\n\n"
      << (prefix.empty() ? "VitaleDesk command-line tool: the desk's use cases, headless (support, scripts).\n\n" : "")
      << "Commands:\n";
  for (const auto& c : cmds) {
    const std::string p = joinPath(c);
    if (!prefix.empty() && p.rfind(std::string(prefix) + " ", 0) != 0) continue;
    out << "  " << p << std::string(p.size() < 24 ? 24 - p.size() : 1, ' ') << c.summary << '\n';
  }
  out << "\nRun '" << kProgram << " <command> --help' for the options of a command.\n"
      << "Exit codes: 0 ok, 1 rejected or invalid, 2 usage error, 3 environment or device problem.\n";
}

}  // namespace

core::Date localToday() { return app::deskToday(); }

int reportError(const Invocation& inv, const core::Error& error, int code) {
  *inv.err << core::describeLine(error, inv.lang) << '\n';
  return code;
}

int reportReadError(const Invocation& inv, const core::Error& error, int code) {
  if (!inv.has("json")) return reportError(inv, error, code);
  const core::UserMessage m = core::describe(error, inv.lang);
  *inv.out << nlohmann::json{{"verdict", "error"}, {"error", core::errcId(error.code)}, {"cause", m.cause},
                             {"action", m.action}}
                  .dump(2)
           << '\n';
  return code;
}

bool waitMsOption(const Invocation& inv, unsigned& ms) {
  const auto wait = inv.value("wait-ms");
  if (!wait) return true;
  try {
    ms = static_cast<unsigned>(std::stoul(*wait));
  } catch (const std::exception&) {
    reportError(inv, core::makeError(core::Errc::InvalidArgument, {*wait}, "--wait-ms"), kUsage);
    return false;
  }
  return true;
}

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, core::Lang lang) {
  const std::vector<Command> cmds = allCommands();
  // --lang applies to every message, usage errors included, wherever it stands on the line.
  if (const auto v = globalOption(args, "lang")) {
    if (const auto l = core::parseLang(*v)) lang = *l;
  }
  const auto usage = [&](core::Errc code, std::vector<std::string> a) {
    err << kProgram << ": " << core::describeLine(core::makeError(code, std::move(a)), lang) << '\n';
    return int{kUsage};
  };
  if (!selectTimeZone(args, err, lang)) return kUsage;
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printGroupHelp(args.empty() ? err : out, cmds, "");
    return args.empty() ? kUsage : kOk;
  }
  // Longest command path that prefixes the arguments.
  const Command* match = nullptr;
  for (const auto& c : cmds) {
    if (c.path.size() > args.size()) continue;
    if (std::equal(c.path.begin(), c.path.end(), args.begin()) &&
        (match == nullptr || c.path.size() > match->path.size())) {
      match = &c;
    }
  }
  if (match == nullptr) {
    const bool isGroup = std::any_of(cmds.begin(), cmds.end(), [&](const Command& c) { return c.path[0] == args[0]; });
    if (isGroup && (args.size() == 1 || args[1] == "--help" || args[1] == "-h")) {
      printGroupHelp(args.size() == 1 ? err : out, cmds, args[0]);
      return args.size() == 1 ? kUsage : kOk;
    }
    return usage(core::Errc::CliUnknownCommand, {args[0] + (args.size() > 1 && isGroup ? " " + args[1] : "")});
  }

  Invocation inv;
  inv.lang = lang;
  inv.out = &out;
  inv.err = &err;
  for (std::size_t i = match->path.size(); i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      printCommandHelp(out, *match);
      return kOk;
    }
    if (a.rfind("--", 0) == 0 && a.size() > 2) {
      std::string name = a.substr(2);
      std::optional<std::string> inlineValue;
      if (const auto eq = name.find('='); eq != std::string::npos) {
        inlineValue = name.substr(eq + 1);
        name.resize(eq);
      }
      if (name == "lang") {
        const std::string v = inlineValue ? *inlineValue : (i + 1 < args.size() ? args[++i] : "");
        const auto l = core::parseLang(v);
        if (!l) return usage(core::Errc::CliLang, {v});
        inv.lang = *l;
        continue;
      }
      if (name == "time-zone") {  // applied by selectTimeZone before dispatch
        if (!inlineValue && i + 1 >= args.size()) {
          return usage(core::Errc::CliOptionNeedsValue, {"--time-zone", std::string(kTimeZone.valueName)});
        }
        if (!inlineValue) ++i;
        continue;
      }
      const auto spec = std::find_if(match->options.begin(), match->options.end(),
                                     [&](const OptionSpec& o) { return o.name == name; });
      if (spec == match->options.end()) return usage(core::Errc::CliUnknownOption, {"--" + name, joinPath(*match)});
      if (spec->valueName.empty()) {
        if (inlineValue) return usage(core::Errc::CliOptionTakesNoValue, {"--" + name});
        inv.options[name] = "";
      } else if (inlineValue) {
        inv.options[name] = *inlineValue;
        inv.repeated[name].push_back(*inlineValue);
      } else if (i + 1 < args.size()) {
        inv.options[name] = args[++i];
        inv.repeated[name].push_back(args[i]);
      } else {
        return usage(core::Errc::CliOptionNeedsValue, {"--" + name, std::string(spec->valueName)});
      }
      continue;
    }
    inv.positional.push_back(a);
  }
  if (inv.positional.size() < match->minPositional || inv.positional.size() > match->maxPositional) {
    const std::string syntax = match->positionalSyntax.empty() ? "—" : std::string(match->positionalSyntax);
    return usage(core::Errc::CliArguments, {joinPath(*match), syntax});
  }
  return match->run(inv);
}

}  // namespace vd::cli
