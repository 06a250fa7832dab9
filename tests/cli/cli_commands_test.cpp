// The CLI's commands, run in-process (the integration label runs the real binary).
#include <gtest/gtest.h>

#include <sstream>

#include "cli/apcv_output.hpp"
#include "cli/command.hpp"

namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run cli(std::vector<std::string> args, vd::core::Lang lang = vd::core::Lang::Fr) {
  std::ostringstream out, err;
  const int code = vd::cli::runCli(args, out, err, lang);
  return {code, out.str(), err.str()};
}

TEST(Cli, NirCheckValidAndInvalid) {
  auto ok = cli({"nir", "check", "255081416802538"});
  EXPECT_EQ(ok.code, 0);
  EXPECT_NE(ok.out.find("2 55 08 14 168 025 38"), std::string::npos) << ok.out;
  auto bad = cli({"nir", "check", "255081416802539"}, vd::core::Lang::En);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("expected key 38"), std::string::npos) << bad.out;
  auto json = cli({"nir", "check", "--json", "255081416802539"});
  EXPECT_EQ(json.code, 1);
  EXPECT_NE(json.out.find("\"expected_key\": \"38\""), std::string::npos) << json.out;
}

// A delegated ApCV is worded in the invocation's language (JSON "presented_by" and the text of
// `nfc read`/`scan`); the parts stay in "delegation".
TEST(Cli, PresentationInFrenchAndEnglish) {
  const vd::reader::apcv::Presentation p{"Sam AIDANT", "Camille DEMO", 1797552000 + 3600};  // 2026-12-18
  vd::cli::Invocation inv;
  inv.lang = vd::core::Lang::Fr;
  EXPECT_EQ(vd::cli::presentationText(inv, p),
            "présentée par Sam AIDANT pour le compte de Camille DEMO jusqu'au 2026-12-18");
  inv.lang = vd::core::Lang::En;
  EXPECT_EQ(vd::cli::presentationText(inv, p), "presented by Sam AIDANT on behalf of Camille DEMO until 2026-12-18");
}

TEST(Cli, UsageErrorsExitWith2) {
  EXPECT_EQ(cli({}).code, 2);
  EXPECT_EQ(cli({"nir"}).code, 2);
  EXPECT_EQ(cli({"nir", "check"}).code, 2);
  EXPECT_EQ(cli({"nir", "check", "a", "b"}).code, 2);
  EXPECT_EQ(cli({"nir", "check", "--bogus", "a"}).code, 2);
  EXPECT_EQ(cli({"frobnicate"}).code, 2);
  EXPECT_EQ(cli({"tariff", "show", "G", "--date"}).code, 2);
  EXPECT_EQ(cli({"tariff", "show", "G", "--date", "2024-13-01"}).code, 2);
  EXPECT_EQ(cli({"nir", "check", "x", "--lang", "de"}).code, 2);
}

TEST(Cli, HelpOnEveryCommand) {
  for (auto path : std::vector<std::vector<std::string>>{{"--help"}, {"nir", "--help"}, {"nir", "check", "--help"},
                                                         {"tariff", "show", "--help"}, {"tariff", "list", "--help"}}) {
    auto r = cli(path);
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("Usage: vitaledesk-cli"), std::string::npos);
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos);
  }
}

TEST(Cli, TariffShowPrintsTheValueAtTheDate) {
  auto now = cli({"tariff", "show", "G", "--date", "2025-01-15"});
  EXPECT_EQ(now.code, 0) << now.err;
  EXPECT_NE(now.out.find("30.00 EUR"), std::string::npos) << now.out;
  auto before = cli({"tariff", "show", "G", "--date=2024-12-01", "--json"});
  EXPECT_EQ(before.code, 0) << before.err;
  EXPECT_NE(before.out.find("\"value\": \"26.50\""), std::string::npos) << before.out;
  auto unknown = cli({"tariff", "show", "ZZZ", "--date", "2025-01-15"}, vd::core::Lang::En);
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("Unknown code: ZZZ"), std::string::npos) << unknown.err;
}

}  // namespace
