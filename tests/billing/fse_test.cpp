#include "billing/fse/fse.hpp"

#include <gtest/gtest.h>

#include <set>

#include "fse_fixtures.hpp"

using namespace vd::billing;
using vd::billing::testing::validFse;

namespace {

TEST(Fse, ValidFixtureHasNoProblem) {
  const auto problems = validateFse(validFse());
  EXPECT_TRUE(problems.empty()) << problems.front().where;
}

TEST(Fse, CanonicalFormIsStableAndRoundTrips) {
  const Fse f = validFse();
  const std::string a = toCanonicalJson(f);
  EXPECT_EQ(a, toCanonicalJson(f));
  EXPECT_EQ(a.find(' '), a.find("Dr TEST") + 2) << "no white space outside strings";
  EXPECT_LT(a.find("\"accident\""), a.find("\"amc\""));  // sorted keys
  auto back = fseFromJson(a);
  ASSERT_TRUE(back.ok()) << back.error().args.at(0);
  EXPECT_EQ(toCanonicalJson(*back), a);
  EXPECT_EQ(back->totals.amoOwes.cents(), 1900);
  EXPECT_EQ(back->amc->organisation, "99999997");
}

TEST(Fse, ValidatorReturnsEveryProblemAtOnce) {
  Fse f = validFse();
  f.invoiceNumber = 0;
  f.practitioner.rpps = "10099999997";  // bad Luhn key
  f.practitioner.amNumber = "12";
  f.insured.nir = "255081416802539";    // bad NIR key
  f.beneficiary.person.birthName.clear();
  f.amo.caisse = "14";
  f.amo.exemption = "other";
  f.lines[0].amc = vd::core::Money::cents(800);  // no longer adds up
  f.lines[0].date = *vd::core::Date::parseIso("2025-01-16");  // after creation
  f.accident.accident = true;  // without a date
  f.software.clear();
  const auto problems = validateFse(f);
  std::set<std::string> where;
  for (const auto& p : problems) where.insert(p.where);
  for (const char* expected : {"invoice_number", "practitioner.rpps", "practitioner.am_number", "insured.nir",
                               "beneficiary.birth_name", "amo.caisse", "amo.exemption", "lines[1].amounts",
                               "lines[1].date", "totals", "accident.date", "software"}) {
    EXPECT_EQ(where.count(expected), 1u) << expected;
  }
  EXPECT_EQ(problems.size(), where.size());
  for (const auto& p : problems) {
    for (const auto& a : p.args) EXPECT_EQ(a.find("2550814"), std::string::npos) << "no NIR in errors";
  }
}

TEST(Fse, ParserRefusesMalformedDocuments) {
  const std::string good = toCanonicalJson(validFse());
  for (const std::string& bad : {std::string(""), std::string("[]"), std::string("{\"format\":\"vd-fse/9\"}"),
                                good.substr(0, good.size() / 2), std::string(2u << 20, ' ')}) {
    auto r = fseFromJson(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, vd::core::Errc::FseMalformed);
  }
  std::string wrongType = good;
  wrongType.replace(wrongType.find("\"quantity\":1"), 12, "\"quantity\":\"1\"");
  EXPECT_FALSE(fseFromJson(wrongType).ok());
}

TEST(Fse, RppsCheckDigit) {
  EXPECT_TRUE(isValidRpps("10099999996"));
  EXPECT_FALSE(isValidRpps("10099999995"));
  EXPECT_FALSE(isValidRpps("1009999999"));
  EXPECT_FALSE(isValidRpps("1009999999a"));
}

}  // namespace
