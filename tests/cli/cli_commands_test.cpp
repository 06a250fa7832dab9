// The CLI's commands, run in-process (the integration label runs the real binary).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
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

// Usage errors are catalog messages (cause and action) in the --lang language, wherever --lang
// stands, also when the error comes before it on the line.
TEST(Cli, UsageErrorsFollowLang) {
  struct Case {
    std::vector<std::string> args;
    std::string fr, en;
  };
  const Case cases[] = {
      {{"frobnicate", "@"}, "Commande inconnue : « frobnicate »", "Unknown command: 'frobnicate'"},
      {{"nir", "check", "--bogus", "a", "@"}, "Option inconnue --bogus pour « nir check »",
       "Unknown option --bogus for 'nir check'"},
      {{"tariff", "show", "@", "G", "--date"}, "L'option --date attend une valeur", "The option --date needs a value"},
      {{"nir", "check", "--json=1", "a", "@"}, "L'option --json ne prend pas de valeur", "The option --json takes no value"},
      {{"nir", "check", "@"}, "Nombre d'arguments incorrect pour « nir check »", "Wrong number of arguments for 'nir check'"},
      {{"fse", "new", "@", "--act", "G"}, "manquantes pour « fse new » : --practitioner, --patient, --date",
       "missing for 'fse new': --practitioner, --patient, --date"},
  };
  for (const Case& c : cases) {
    for (const auto lang : {vd::core::Lang::Fr, vd::core::Lang::En}) {
      std::vector<std::string> args;  // "@" stands for "--lang fr|en"
      for (const std::string& a : c.args) {
        if (a != "@") args.push_back(a);
        else args.insert(args.end(), {"--lang", lang == vd::core::Lang::Fr ? "fr" : "en"});
      }
      // The process default is the other language: --lang must win.
      const auto r = cli(args, lang == vd::core::Lang::Fr ? vd::core::Lang::En : vd::core::Lang::Fr);
      EXPECT_EQ(r.code, 2) << c.en;
      EXPECT_NE(r.err.find(lang == vd::core::Lang::Fr ? c.fr : c.en), std::string::npos) << r.err;
    }
  }
  const auto bad = cli({"nir", "check", "x", "--lang", "de"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("Langue inconnue pour --lang : « de »"), std::string::npos) << bad.err;
}

// fse new bills verified credentials only: a patient file without "verdict": "verified" is
// refused (exit 1) before anything is signed or stored.
TEST(Cli, FseNewRefusesAnUnverifiedPatientFile) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("vd-cli-patient-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "practitioner.json") << R"({"rpps": "10099999996", "am_number": "141999995", "name": "Dr TEST",
    "specialty": "01", "sector": 1, "optam": false, "situation": "cabinet principal",
    "signing": {"kind": "key_file", "key_file": "missing-key.pem", "certificate": "missing.pem"}})";
  const std::string patient = R"("insured": {"nir": "255081416802538", "birth_name": "TESTVITALE", "first_name": "CAMILLE",
    "birth_date": "19550814", "birth_rank": 1}, "amo": {"regime": "01", "caisse": "141", "centre": "0000"}})";
  std::ofstream(dir / "none.json") << "{" << patient;
  std::ofstream(dir / "refused.json") << R"({"verdict": "refused", )" << patient;
  std::ofstream(dir / "verified.json") << R"({"verdict": "verified", )" << patient;
  auto fseNew = [&](const char* file, vd::core::Lang lang) {
    return cli({"fse", "new", "--practitioner", (dir / "practitioner.json").string(), "--patient", (dir / file).string(),
                "--date", "2025-01-15", "--act", "G", "--register", (dir / "register.db").string()},
               lang);
  };
  const auto none = fseNew("none.json", vd::core::Lang::Fr);
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.err.find("carte Vitale vérifiée (verdict : —)"), std::string::npos) << none.err;
  const auto refused = fseNew("refused.json", vd::core::Lang::En);
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("(verdict: refused)"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("255081416802538"), std::string::npos);  // no patient data in the message
  // Verified: goes on to the signing key, which is missing here (exit 3, not the verdict).
  const auto verified = fseNew("verified.json", vd::core::Lang::En);
  EXPECT_EQ(verified.code, 3) << verified.err;
  EXPECT_EQ(verified.err.find("verdict"), std::string::npos) << verified.err;
  fs::remove_all(dir);
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
