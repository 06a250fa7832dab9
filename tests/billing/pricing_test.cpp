// The pricing engine against the shipped tariff tables: dated values on both sides of every
// change, compatibility rules, exemptions, caps, and the AMO/AMC/patient split to the cent.
#include "billing/tariff/pricing.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/messages.hpp"

using namespace vd::billing;
using vd::core::BirthDate;
using vd::core::Date;
using vd::core::Errc;
using vd::core::Money;

namespace {

Date d(const char* iso) {
  return *Date::parseIso(iso);
}

const TariffCatalog& catalog() {
  static const TariffCatalog* c = [] {
    auto loaded = TariffCatalog::load(std::filesystem::path(VD_SOURCE_RESOURCES_DIR) / "tariffs");
    if (!loaded) {
      ADD_FAILURE() << vd::core::describeLine(loaded.error(), vd::core::Lang::En);
      std::abort();
    }
    return new TariffCatalog(std::move(*loaded));
  }();
  return *c;
}

/// Past charges given directly by a test case.
class FixedHistory final : public CapHistory {
 public:
  FixedHistory(int pfToday, Money pfYear, Money franchiseYear)
      : m_pfToday(pfToday), m_pfYear(pfYear), m_franchiseYear(franchiseYear) {}
  Money pfChargedInYear(const std::string&, int) const override { return m_pfYear; }
  int pfCountOnDay(const std::string&, const std::string&, Date) const override { return m_pfToday; }
  Money franchiseChargedInYear(const std::string&, int) const override { return m_franchiseYear; }

 private:
  int m_pfToday;
  Money m_pfYear;
  Money m_franchiseYear;
};

enum Flags : unsigned {
  kNone = 0,
  kAmc = 1,    // the AMC contract covers the ticket modérateur
  kTpAmo = 2,  // tiers payant AMO
  kTpAmc = 4,  // tiers payant AMC
  kC2s = 8,
  kAme = 16,
  kMaternity = 32,  // maternity window 2025-01-01 … 2025-03-31
};

struct Want {
  std::int64_t base, amoShare, pf, franchise, amoOwes, amc, patientNow;
};

struct History {
  int pfToday = 0;
  std::int64_t pfYear = 0;
  std::int64_t franchiseYear = 0;
};

struct Case {
  std::string name;
  std::string date;
  std::string birth;
  std::vector<std::string> lines;
  unsigned flags = kNone;
  History history;
  std::optional<Want> want;     // the sheet's totals, when pricing succeeds
  Errc error = Errc::Internal;  // when it fails
  int errorLine = 0;            // 1-based; 0 = the sheet as a whole
};

constexpr const char* kAdult = "19800101";
constexpr const char* kCip = "CIP:3400935955838";

Case ok(std::string name, std::string date, std::string birth, std::vector<std::string> lines, unsigned flags,
        Want want, History history = {}) {
  return Case{std::move(name), std::move(date), std::move(birth), std::move(lines), flags, history, want, {}, 0};
}

Case err(std::string name, std::string date, std::vector<std::string> lines, Errc code, int line,
         std::string birth = kAdult) {
  return Case{
      std::move(name), std::move(date), std::move(birth), std::move(lines), kNone, {}, std::nullopt, code, line};
}

std::string med(const char* rest) {
  return std::string(kCip) + ":" + rest;
}

// Amounts in cents: base, AMO share, PF, franchise, AMO owes, AMC owes, patient pays now.
std::vector<Case> cases() {
  return {
      // G: both sides of 2023-11-01 and 2024-12-22; PF €1 then €2 from 2024-05-15.
      ok("G_2023_10_31", "2023-10-31", kAdult, {"G"}, kNone, {2500, 1750, 100, 0, 1650, 0, 2500}),
      ok("G_2023_11_01", "2023-11-01", kAdult, {"G"}, kNone, {2650, 1855, 100, 0, 1755, 0, 2650}),
      ok("G_2024_12_21", "2024-12-21", kAdult, {"G"}, kNone, {2650, 1855, 200, 0, 1655, 0, 2650}),
      ok("G_2024_12_22", "2024-12-22", kAdult, {"G"}, kNone, {3000, 2100, 200, 0, 1900, 0, 3000}),
      ok("PF_2024_05_14", "2024-05-14", kAdult, {"G"}, kNone, {2650, 1855, 100, 0, 1755, 0, 2650}),
      ok("PF_2024_05_15", "2024-05-15", kAdult, {"G"}, kNone, {2650, 1855, 200, 0, 1655, 0, 2650}),
      // The worked example of docs/pricing.md, then the same under tiers payant.
      ok("WorkedExample", "2025-01-15", kAdult, {"G"}, kAmc, {3000, 2100, 200, 0, 1900, 900, 3000}),
      ok("WorkedExampleTiersPayantAmoAmc", "2025-01-15", kAdult, {"G"}, kAmc | kTpAmo | kTpAmc,
         {3000, 2100, 200, 0, 1900, 900, 0}),
      ok("WorkedExampleTiersPayantAmo", "2025-01-15", kAdult, {"G"}, kAmc | kTpAmo,
         {3000, 2100, 200, 0, 1900, 900, 900}),
      ok("TiersPayantAmoWithoutAmc", "2025-01-15", kAdult, {"G"}, kTpAmo, {3000, 2100, 200, 0, 1900, 0, 900}),
      // APC on every side.
      ok("APC_2023_10_31", "2023-10-31", kAdult, {"APC"}, kNone, {5500, 3850, 100, 0, 3750, 0, 5500}),
      ok("APC_2023_11_01", "2023-11-01", kAdult, {"APC"}, kNone, {5650, 3955, 100, 0, 3855, 0, 5650}),
      ok("APC_2024_12_21", "2024-12-21", kAdult, {"APC"}, kNone, {5650, 3955, 200, 0, 3755, 0, 5650}),
      ok("APC_2024_12_22", "2024-12-22", kAdult, {"APC"}, kNone, {6000, 4200, 200, 0, 4000, 0, 6000}),
      // GS and VGS end on 2024-12-21.
      ok("GS_2024_12_21", "2024-12-21", kAdult, {"GS"}, kNone, {2650, 1855, 200, 0, 1655, 0, 2650}),
      err("GS_2024_12_22", "2024-12-22", {"GS"}, Errc::TariffNotInForce, 1),
      err("VGS_2025_01_15", "2025-01-15", {"VGS", "MD"}, Errc::TariffNotInForce, 1),
      // Sector 2 C and V, visits with MD, teleconsultation, MCG.
      ok("C_sector2", "2025-01-15", kAdult, {"C"}, kNone, {2300, 1610, 200, 0, 1410, 0, 2300}),
      ok("V_with_MD", "2025-01-15", kAdult, {"V", "MD"}, kNone, {3300, 2310, 200, 0, 2110, 0, 3300}),
      ok("VG_with_MD", "2025-01-15", kAdult, {"MD", "VG"}, kAmc, {4000, 2800, 200, 0, 2600, 1200, 4000}),
      ok("TCG", "2025-01-15", kAdult, {"TCG"}, kNone, {2500, 1750, 200, 0, 1550, 0, 2500}),
      ok("G_with_MCG", "2025-01-15", kAdult, {"G", "MCG"}, kNone, {3500, 2450, 200, 0, 2250, 0, 3500}),
      // Rules.
      err("MD_with_consultation", "2025-01-15", {"G", "MD"}, Errc::PricingMdWithoutVisit, 2),
      err("MD_alone", "2025-01-15", {"MD"}, Errc::PricingMdWithoutVisit, 1),
      err("Two_reference_acts", "2025-01-15", {"G", "C"}, Errc::PricingTwoReferenceActs, 2),
      err("Reference_act_twice", "2025-01-15", {"G:2"}, Errc::PricingTwoReferenceActs, 1),
      err("MMG_on_its_own_line", "2024-01-10", {"G", "MMG"}, Errc::PricingNotBillableAlone, 2),
      err("Unknown_code", "2025-01-15", {"G", "XYZ"}, Errc::TariffUnknownCode, 2),
      err("MEG_without_act", "2025-01-15", {"MEG"}, Errc::PricingMajorationWithoutAct, 1, "20220101"),
      err("Empty_sheet", "2025-01-15", {}, Errc::PricingEmptySheet, 0),
      // Ages: minors (17 vs 18), lunar birth date, MEG under 6.
      ok("Minor_17", "2025-06-14", "20070615", {"G"}, kNone, {3000, 2100, 0, 0, 2100, 0, 3000}),
      ok("Adult_18", "2025-06-15", "20070615", {"G"}, kNone, {3000, 2100, 200, 0, 1900, 0, 3000}),
      ok("Lunar_birth_17", "2024-12-31", "20070000", {"G"}, kNone, {3000, 2100, 0, 0, 2100, 0, 3000}),
      ok("Lunar_birth_18", "2025-01-01", "20070000", {"G"}, kNone, {3000, 2100, 200, 0, 1900, 0, 3000}),
      ok("MEG_5_years_364_days", "2025-01-15", "20190116", {"G", "MEG"}, kNone, {3500, 2450, 0, 0, 2450, 0, 3500}),
      err("MEG_6_years", "2025-01-15", {"G", "MEG"}, Errc::PricingMegAge, 2, "20190115"),
      ok("Minor_medicine_no_franchise", "2025-01-15", "20100101", {med("10.00:2:65")}, kNone,
         {2265, 1476, 0, 0, 1476, 0, 2265}),
      // ALD, C2S, AME, maternity.
      ok("ALD_consultation", "2025-01-15", kAdult, {"G:ALD"}, kAmc, {3000, 3000, 200, 0, 2800, 0, 3000}),
      ok("ALD_medicine", "2025-01-15", kAdult, {med("10.00:1:30:ALD")}, kNone, {1163, 1163, 0, 100, 1063, 0, 1163}),
      ok("C2S_consultation", "2025-01-15", kAdult, {"G"}, kC2s | kAmc | kTpAmo | kTpAmc,
         {3000, 2100, 0, 0, 2100, 900, 0}),
      ok("C2S_medicine", "2025-01-15", kAdult, {med("10.00:2:65")}, kC2s, {2265, 1476, 0, 0, 1476, 789, 0}),
      ok("AME_consultation", "2025-01-15", kAdult, {"G"}, kAme | kTpAmo, {3000, 3000, 0, 0, 3000, 0, 0}),
      ok("Maternity_in_window", "2025-02-10", kAdult, {"G"}, kMaternity, {3000, 3000, 0, 0, 3000, 0, 3000}),
      ok("Maternity_window_over", "2025-04-01", kAdult, {"G"}, kMaternity, {3000, 2100, 200, 0, 1900, 0, 3000}),
      ok("Maternity_medicine", "2025-03-31", kAdult, {med("10.00:2:65")}, kMaternity,
         {2265, 2265, 0, 0, 2265, 0, 2265}),
      // PF caps: 4 a day for one practitioner, €50 a year.
      ok("PF_4th_of_the_day", "2025-01-15", kAdult, {"G"}, kNone, {3000, 2100, 200, 0, 1900, 0, 3000}, {3, 0, 0}),
      ok("PF_5th_of_the_day", "2025-01-15", kAdult, {"G"}, kNone, {3000, 2100, 0, 0, 2100, 0, 3000}, {4, 0, 0}),
      ok("PF_year_cap_reached_mid_act", "2025-01-15", kAdult, {"G"}, kNone, {3000, 2100, 100, 0, 2000, 0, 3000},
         {0, 4900, 0}),
      ok("PF_year_cap_reached", "2025-01-15", kAdult, {"G"}, kNone, {3000, 2100, 0, 0, 2100, 0, 3000}, {0, 5000, 0}),
      // Medicines: franchise €0.50 then €1 from 2024-03-31, HD.box €1.02, 35 % → 30 % on 2011-05-02.
      ok("Franchise_2024_03_30", "2024-03-30", kAdult, {med("10.00:2:65")}, kNone, {2255, 1469, 0, 100, 1369, 0, 2255}),
      ok("Franchise_2024_03_31", "2024-03-31", kAdult, {med("10.00:2:65")}, kNone, {2255, 1469, 0, 200, 1269, 0, 2255}),
      ok("MED35_2011_05_01", "2011-05-01", kAdult, {med("10.00:1:35")}, kNone, {1000, 350, 0, 50, 300, 0, 1000}),
      err("MED35_2011_05_02", "2011-05-02", {med("10.00:1:35")}, Errc::TariffNotInForce, 1),
      ok("MED30_2011_05_02", "2011-05-02", kAdult, {med("10.00:1:30")}, kNone, {1000, 300, 0, 50, 250, 0, 1000}),
      err("MED30_2011_05_01", "2011-05-01", {med("10.00:1:30")}, Errc::TariffNotInForce, 1),
      ok("MED100", "2025-01-15", kAdult, {med("10.00:1:100")}, kNone, {1163, 1145, 0, 100, 1045, 0, 1163}),
      // 15 %: the share (0.65) is smaller than the franchise: only the share is withheld.
      ok("MED15_franchise_above_share", "2025-01-15", kAdult, {med("3.33:1:15")}, kNone, {496, 108, 0, 65, 43, 0, 496}),
      ok("Franchise_year_cap_mid_line", "2025-01-15", kAdult, {med("10.00:2:65")}, kNone,
         {2265, 1476, 0, 50, 1426, 0, 2265}, {0, 0, 4950}),
      ok("Franchise_year_cap_across_lines", "2025-01-15", kAdult, {med("10.00:1:65"), med("10.00:1:65")}, kNone,
         {2265, 1475, 0, 100, 1375, 0, 2265}, {0, 0, 4900}),
      ok("Franchise_year_cap_reached", "2025-01-15", kAdult, {med("10.00:1:65")}, kNone,
         {1163, 759, 0, 0, 759, 0, 1163}, {0, 0, 5000}),
      // Per-prescription pharmacy fees (pharmacy_fees.csv): HD.prescription €0.51 then €0.61 from
      // 2025-01-08 at 70 %; HD.age (under 3, 70 and over) €1.58 in 2025; HD.complex (5 lines or
      // more) €0.31 at 100 %; HD.specific €3.57; 100 % for an ALD prescription or maternity.
      ok("HD_prescription_2025_01_07", "2025-01-07", kAdult, {med("10.00:1:65")}, kNone,
         {1153, 752, 0, 100, 652, 0, 1153}),
      ok("HD_prescription_2025_01_08", "2025-01-08", kAdult, {med("10.00:1:65")}, kNone,
         {1163, 759, 0, 100, 659, 0, 1163}),
      ok("HD_prescription_with_amc", "2025-01-15", kAdult, {med("10.00:1:65")}, kAmc,
         {1163, 759, 0, 100, 659, 404, 1163}),
      ok("HD_age_child_2", "2025-01-15", "20230101", {med("10.00:1:65")}, kNone, {1321, 870, 0, 0, 870, 0, 1321}),
      ok("HD_age_70", "2025-01-15", "19550115", {med("10.00:1:65")}, kNone, {1321, 870, 0, 100, 770, 0, 1321}),
      ok("HD_age_69", "2025-01-15", "19550116", {med("10.00:1:65")}, kNone, {1163, 759, 0, 100, 659, 0, 1163}),
      ok("HD_complex_5_lines", "2025-01-15", kAdult,
         {med("10.00:1:65"), med("10.00:1:65"), med("10.00:1:65"), med("10.00:1:65"), med("10.00:1:65")}, kNone,
         {5602, 3654, 0, 500, 3154, 0, 5602}),
      ok("HD_complex_4_lines", "2025-01-15", kAdult,
         {med("10.00:1:65"), med("10.00:1:65"), med("10.00:1:65"), med("10.00:1:65")}, kNone,
         {4469, 2907, 0, 400, 2507, 0, 4469}),
      ok("HD_specific", "2025-01-15", kAdult, {med("10.00:1:65:SPEC")}, kNone, {1520, 1009, 0, 100, 909, 0, 1520}),
      // A 15 % medicine stays at 15 % for ALD care and in the maternity window (the prescription
      // fee follows the ALD/maternity exemption); the C2S pays the ticket modérateur.
      ok("ALD_medicine_15_stays_15", "2025-01-15", kAdult, {med("3.33:1:15:ALD")}, kNone,
         {496, 126, 0, 65, 61, 0, 496}),
      ok("Maternity_medicine_15_stays_15", "2025-02-10", kAdult, {med("3.33:1:15")}, kMaternity,
         {496, 126, 0, 0, 126, 0, 496}),
      ok("C2S_medicine_15", "2025-01-15", kAdult, {med("3.33:1:15")}, kC2s, {496, 108, 0, 0, 108, 388, 0}),
      err("Medicine_without_rate", "2025-01-15", {"G", med("12.50:2")}, Errc::PricingMedicineClass, 2),
      err("CIP13_bad_check_digit", "2025-01-15", {"CIP:3400935955830:12.50:2:65"}, Errc::Cip13CheckDigit, 1),
      // A consultation and a medicine on one sheet, everything under tiers payant.
      ok("Consultation_and_medicine_tiers_payant", "2025-01-15", kAdult, {"G", med("10.00:1:65")},
         kAmc | kTpAmo | kTpAmc, {4163, 2859, 200, 100, 2559, 1304, 0}),
  };
}

class Pricing : public ::testing::TestWithParam<Case> {};

TEST_P(Pricing, Sheet) {
  const Case& c = GetParam();
  auto birth = BirthDate::parse(c.birth);
  ASSERT_TRUE(birth.ok());
  CareSheet sheet{.dateOfCare = d(c.date.c_str()),
                  .practitionerId = "dr-1",
                  .coverage = Coverage{.beneficiaryKey = "b-1", .birthDate = *birth},
                  .lines = {}};
  sheet.coverage.c2s = (c.flags & kC2s) != 0;
  sheet.coverage.ame = (c.flags & kAme) != 0;
  if (c.flags & kMaternity) sheet.coverage.maternity = DatePeriod{d("2025-01-01"), d("2025-03-31")};
  sheet.coverage.amcCoversTicketModerateur = (c.flags & kAmc) != 0;
  sheet.coverage.tiersPayantAmo = (c.flags & kTpAmo) != 0;
  sheet.coverage.tiersPayantAmc = (c.flags & kTpAmc) != 0;

  std::optional<vd::core::Error> error;
  for (std::size_t i = 0; i < c.lines.size() && !error; ++i) {
    auto line = parseCareLine(c.lines[i], static_cast<int>(i) + 1);
    if (line)
      sheet.lines.push_back(std::move(*line));
    else
      error = line.error();
  }
  const FixedHistory history(c.history.pfToday, Money::cents(c.history.pfYear), Money::cents(c.history.franchiseYear));
  std::optional<PricedSheet> priced;
  if (!error) {
    auto r = PricingEngine(catalog()).price(sheet, history);
    if (r)
      priced = std::move(*r);
    else
      error = r.error();
  }

  if (!c.want) {
    ASSERT_TRUE(error.has_value()) << "expected error " << static_cast<int>(c.error);
    EXPECT_EQ(error->code, c.error) << vd::core::describeLine(*error, vd::core::Lang::En);
    EXPECT_EQ(error->where, c.errorLine == 0 ? std::string() : "line " + std::to_string(c.errorLine));
    return;
  }
  ASSERT_FALSE(error.has_value()) << vd::core::describeLine(*error, vd::core::Lang::En);
  const SplitAmounts& t = priced->totals;
  const Want& w = *c.want;
  EXPECT_EQ(t.base.cents(), w.base);
  EXPECT_EQ(t.amoShare.cents(), w.amoShare);
  EXPECT_EQ(t.pfDeducted.cents(), w.pf);
  EXPECT_EQ(t.franchiseDeducted.cents(), w.franchise);
  EXPECT_EQ(t.amoOwes.cents(), w.amoOwes);
  EXPECT_EQ(t.amcOwes.cents(), w.amc);
  EXPECT_EQ(t.patientNow.cents(), w.patientNow);

  // Everything adds up to the cent, per line and in total.
  SplitAmounts sum;
  for (const PricedLine& l : priced->lines) {
    const SplitAmounts& a = l.amounts;
    EXPECT_EQ(a.amoOwes, a.amoShare - a.pfDeducted - a.franchiseDeducted) << "line " << l.line;
    EXPECT_EQ(a.patientFinal, a.base - a.amoOwes - a.amcOwes) << "line " << l.line;
    EXPECT_GE(a.amoOwes, Money()) << "line " << l.line;
    EXPECT_GE(a.patientNow, Money()) << "line " << l.line;
    sum += a;
  }
  for (const PricedLine& f : priced->fees) {
    EXPECT_EQ(f.kind, CareLineKind::Fee);
    EXPECT_EQ(f.amounts.pfDeducted + f.amounts.franchiseDeducted, Money()) << f.code;
    EXPECT_EQ(f.amounts.patientFinal, f.amounts.base - f.amounts.amoOwes - f.amounts.amcOwes) << f.code;
    sum += f.amounts;
  }
  EXPECT_EQ(sum, t);
  EXPECT_EQ(priced->lines.size(), c.lines.size());
}

INSTANTIATE_TEST_SUITE_P(ShippedTariffs, Pricing, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return p.param.name; });

// --- Direct API tests -------------------------------------------------------------------

CareSheet adultSheet(const char* date, std::vector<CareLine> lines) {
  return CareSheet{.dateOfCare = d(date),
                   .practitionerId = "dr-1",
                   .coverage = Coverage{.beneficiaryKey = "b-1", .birthDate = *BirthDate::parse(kAdult)},
                   .lines = std::move(lines)};
}

TEST(PricingEngine, WorkedExampleLineByLine) {
  CareSheet sheet = adultSheet("2025-01-15", {CareLine::act("G")});
  sheet.coverage.amcCoversTicketModerateur = true;
  auto r = PricingEngine(catalog()).price(sheet, InMemoryCapHistory());
  ASSERT_TRUE(r.ok()) << vd::core::describeLine(r.error(), vd::core::Lang::En);
  ASSERT_EQ(r->lines.size(), 1u);
  const PricedLine& g = r->lines[0];
  EXPECT_EQ(g.line, 1);
  EXPECT_EQ(g.code, "G");
  EXPECT_EQ(g.unitAmount, Money::euros(30));
  EXPECT_EQ(g.amoRate.bp(), 7000);
  EXPECT_EQ(g.amounts.amoShare, Money::euros(21));
  EXPECT_EQ(g.amounts.pfDeducted, Money::euros(2));
  EXPECT_EQ(g.amounts.amoOwes, Money::euros(19));
  EXPECT_EQ(g.amounts.amcOwes, Money::euros(9));
  EXPECT_EQ(g.amounts.patientFinal, Money::euros(2));
  EXPECT_FALSE(r->pfExempt);
}

TEST(PricingEngine, DailyPfCapCountsRecordedSheetsPerPractitioner) {
  const PricingEngine engine(catalog());
  InMemoryCapHistory history;
  const CareSheet sheet = adultSheet("2025-01-15", {CareLine::act("G")});
  for (int i = 0; i < 4; ++i) {
    auto r = engine.price(sheet, history);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->totals.pfDeducted, Money::euros(2)) << "act " << i + 1;
    recordCharges(sheet, *r, history);
  }
  EXPECT_EQ(history.pfCountOnDay("b-1", "dr-1", d("2025-01-15")), 4);
  auto fifth = engine.price(sheet, history);
  ASSERT_TRUE(fifth.ok());
  EXPECT_EQ(fifth->totals.pfDeducted, Money());

  CareSheet otherDoctor = sheet;
  otherDoctor.practitionerId = "dr-2";
  auto other = engine.price(otherDoctor, history);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->totals.pfDeducted, Money::euros(2));

  CareSheet nextDay = adultSheet("2025-01-16", {CareLine::act("G")});
  auto next = engine.price(nextDay, history);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->totals.pfDeducted, Money::euros(2));
  EXPECT_EQ(history.pfChargedInYear("b-1", 2025), Money::euros(8));
  EXPECT_EQ(history.pfChargedInYear("b-1", 2024), Money());
}

TEST(PricingEngine, FranchisesAreRecordedPerCalendarYear) {
  const PricingEngine engine(catalog());
  InMemoryCapHistory history;
  auto cip = Cip13::parse("3400935955838");
  ASSERT_TRUE(cip.ok());
  const CareSheet sheet = adultSheet("2024-12-31", {CareLine::medicine(*cip, Money::euros(5), 3, "MED.65")});
  auto r = engine.price(sheet, history);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->totals.franchiseDeducted, Money::euros(3));
  recordCharges(sheet, *r, history);
  EXPECT_EQ(history.franchiseChargedInYear("b-1", 2024), Money::euros(3));
  EXPECT_EQ(history.franchiseChargedInYear("b-1", 2025), Money());
  EXPECT_EQ(history.pfCountOnDay("b-1", "dr-1", d("2024-12-31")), 0);
}

TEST(PricingEngine, MedicineLineShowsTheDispensingFee) {
  auto cip = Cip13::parse("3400935955838");
  ASSERT_TRUE(cip.ok());
  auto r = PricingEngine(catalog()).price(
      adultSheet("2025-01-15", {CareLine::medicine(*cip, Money::cents(1250), 2, "MED.30")}), InMemoryCapHistory());
  ASSERT_TRUE(r.ok());
  const PricedLine& l = r->lines[0];
  EXPECT_EQ(l.kind, CareLineKind::Medicine);
  EXPECT_EQ(l.code, "MED.30");
  EXPECT_EQ(l.dispensingFee, Money::cents(204));
  EXPECT_EQ(l.amounts.base, Money::cents(2704));
  EXPECT_EQ(l.amounts.amoShare, Money::cents(811));  // 27.04 × 30 % = 8.112
}

TEST(PricingEngine, DirectApiRejectsBadValues) {
  const PricingEngine engine(catalog());
  auto cip = Cip13::parse("3400935955838");
  ASSERT_TRUE(cip.ok());
  struct Bad {
    CareLine line;
    Errc code;
  };
  const std::vector<Bad> cases{
      {CareLine::act("G", 0), Errc::PricingLineValue},
      {CareLine::act("G", 100), Errc::PricingLineValue},
      {CareLine::medicine(*cip, Money(), 1, "MED.65"), Errc::PricingLineValue},
      {CareLine::medicine(*cip, Money::euros(3), 1, "MED.40"), Errc::PricingMedicineClass},
      {CareLine::medicine(*cip, Money::euros(3), 1, "PF.amount"), Errc::PricingMedicineClass},
      {CareLine::act("PF.amount"), Errc::TariffUnknownCode},
  };
  for (const Bad& b : cases) {
    auto r = engine.price(adultSheet("2025-01-15", {CareLine::act("G"), b.line}), InMemoryCapHistory());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, b.code);
    EXPECT_EQ(r.error().where, "line 2");
  }
}

TEST(PricingEngine, GsAfterItsEndSaysUntilWhenItExisted) {
  auto r = PricingEngine(catalog()).price(adultSheet("2025-01-15", {CareLine::act("GS")}), InMemoryCapHistory());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(vd::core::describeLine(r.error(), vd::core::Lang::En),
            "line 1: Code GS has no tariff in force on 2025-01-15. Check the date of care; this code exists from "
            "2017-05-01 to 2024-12-21.");
}

}  // namespace

namespace {

TEST(PricingEngine, NoBirthDateIsAnError) {
  CareSheet sheet{.dateOfCare = d("2025-01-15"), .practitionerId = "dr-1", .lines = {CareLine::act("G")}};
  auto r = PricingEngine(catalog()).price(sheet, InMemoryCapHistory());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::BirthDateFormat);
}

}  // namespace
