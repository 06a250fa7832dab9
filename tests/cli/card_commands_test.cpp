// `card` commands in-process, on paths that need no pcscd (the integration test card_pcscd
// covers the real service).
#include <gtest/gtest.h>

#include <sstream>

#include "cli/command.hpp"

namespace {

int run(std::vector<std::string> args, std::string& out, std::string& err) {
  std::ostringstream o, e;
  const int code = vd::cli::runCli(args, o, e, vd::core::Lang::En);
  out = o.str();
  err = e.str();
  return code;
}

TEST(CliCard, MissingTrustFolderIsAnEnvironmentError) {
  std::string out, err;
  EXPECT_EQ(run({"card", "read", "--json", "--trust", "/nonexistent/vd-trust"}, out, err), 3);
  EXPECT_NE(out.find("\"card.trust_missing\""), std::string::npos) << out;
}

TEST(CliCard, BadDateIsAUsageError) {
  std::string out, err;
  EXPECT_EQ(run({"card", "read", "--at", "2026-13-01", "--trust", "/nonexistent"}, out, err), 2);
}

TEST(CliCard, HelpListsReadAndWatch) {
  std::string out, err;
  EXPECT_EQ(run({"card", "read", "--help"}, out, err), 0);
  EXPECT_NE(out.find("--reader"), std::string::npos);
  EXPECT_EQ(run({"card", "watch", "--help"}, out, err), 0);
  EXPECT_NE(out.find("--duration-ms"), std::string::npos);
}

}  // namespace
