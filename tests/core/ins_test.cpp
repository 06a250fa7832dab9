#include "core/ins.hpp"

#include <gtest/gtest.h>

using namespace vd::core;

namespace {

InsTraits traits(const char* birth, InsSex sex = InsSex::Female) {
  return InsTraits{"TESTVITALE", {"CAMILLE", "MARIE"}, *BirthDate::parse(birth), sex, "14168"};
}

TEST(Ins, OidsAreTheAnsOnes) {
  EXPECT_EQ(insOidValue(InsOid::InsNir), "1.2.250.1.213.1.4.8");
  EXPECT_EQ(insOidValue(InsOid::InsNia), "1.2.250.1.213.1.4.9");
  EXPECT_EQ(insOidValue(InsOid::Test), "1.2.250.1.213.1.4.10");
  EXPECT_EQ(insOidValue(InsOid::Demo), "1.2.250.1.213.1.4.11");
  EXPECT_EQ(*parseInsOid("1.2.250.1.213.1.4.10"), InsOid::Test);
  auto bad = parseInsOid("1.2.250.1.213.1.4.12");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::InsOid);
}

TEST(Ins, BuildsWithTheFiveTraits) {
  auto ins = Ins::make(*Nir::parse("255081416802538"), InsOid::InsNir, traits("19550814"));
  ASSERT_TRUE(ins.ok());
  EXPECT_EQ(ins->firstName(), "CAMILLE");
  EXPECT_EQ(ins->traits().birthFirstNames.size(), 2u);
}

TEST(Ins, MatriculeMustFitTheOid) {
  EXPECT_EQ(Ins::make(*Nir::parse("755081416802579"), InsOid::InsNir, traits("19550814", InsSex::Male)).error().code,
            Errc::InsMatricule);
  EXPECT_EQ(Ins::make(*Nir::parse("255081416802538"), InsOid::InsNia, traits("19550814")).error().code,
            Errc::InsMatricule);
  EXPECT_TRUE(Ins::make(*Nir::parse("755081416802579"), InsOid::InsNia, traits("19550814", InsSex::Male)).ok());
}

TEST(Ins, MissingOrInconsistentTraitsAreRefused) {
  const Nir nir = *Nir::parse("255081416802538");
  auto t = traits("19550814");
  t.birthName.clear();
  EXPECT_EQ(Ins::make(nir, InsOid::InsNir, t).error().code, Errc::InsTrait);
  t = traits("19550814");
  t.birthFirstNames.clear();
  EXPECT_EQ(Ins::make(nir, InsOid::InsNir, t).error().code, Errc::InsTrait);
  t = traits("19550814");
  t.birthplace = "1416";
  EXPECT_EQ(Ins::make(nir, InsOid::InsNir, t).error().code, Errc::InsTrait);
  EXPECT_EQ(Ins::make(nir, InsOid::InsNir, traits("19550814", InsSex::Male)).error().code, Errc::InsInconsistent);
  EXPECT_EQ(Ins::make(nir, InsOid::InsNir, traits("19560814")).error().code, Errc::InsInconsistent);
  EXPECT_EQ(Ins::make(nir, InsOid::InsNir, traits("19550914")).error().code, Errc::InsInconsistent);
  // A lunar birth date is accepted: its month cannot be compared.
  EXPECT_TRUE(Ins::make(nir, InsOid::InsNir, traits("19550000")).ok());
  t = traits("19530700");
  t.birthplace = "2A073";
  EXPECT_TRUE(Ins::make(*Nir::parse("253072A07300443"), InsOid::InsNir, t).ok());
}

}  // namespace
