// vitaledesk-cli: the desk's use cases without a window (support tool, scripts, tests).
#include <cstdlib>
#include <iostream>

#include "cli/command.hpp"

int main(int argc, char** argv) {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string_view(v ? v : "");
  };
  const vd::core::Lang lang = vd::core::langFromLocale(env("LC_ALL"), env("LC_MESSAGES"), env("LANG"));
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return vd::cli::runCli(args, std::cout, std::cerr, lang);
  } catch (const std::exception&) {
    // The exception's text is English and may name anything: only its kind is shown.
    std::cerr << "vitaledesk-cli: "
              << vd::core::describeLine(vd::core::makeError(vd::core::Errc::Internal, {"exception"}), lang) << '\n';
    return vd::cli::kEnvironment;
  }
}
