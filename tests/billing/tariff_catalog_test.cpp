// The shipped tables load, validate, and carry the public values asked for.
#include "billing/tariff/tariff_catalog.hpp"

#include <gtest/gtest.h>

#include "core/messages.hpp"

using vd::billing::TariffCatalog;
using vd::core::Date;

namespace {

Date d(const char* iso) { return *Date::parseIso(iso); }

class ShippedTariffs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto c = TariffCatalog::load(std::filesystem::path(VD_SOURCE_RESOURCES_DIR) / "tariffs");
    ASSERT_TRUE(c.ok()) << vd::core::describeLine(c.error(), vd::core::Lang::En);
    s_catalog = new TariffCatalog(std::move(*c));
  }
  static void TearDownTestSuite() { delete s_catalog; }
  static std::int64_t cents(const char* code, const char* date) {
    auto r = s_catalog->find(code, d(date));
    EXPECT_TRUE(r.ok()) << code << " " << date;
    return r.ok() ? r->hundredths : -1;
  }
  static TariffCatalog* s_catalog;
};
TariffCatalog* ShippedTariffs::s_catalog = nullptr;

TEST_F(ShippedTariffs, GeneralPractitionerConsultationChangedOn2024_12_22) {
  EXPECT_EQ(cents("G", "2024-12-21"), 2650);
  EXPECT_EQ(cents("G", "2024-12-22"), 3000);
  EXPECT_EQ(cents("G", "2025-01-15"), 3000);
  EXPECT_EQ(cents("G", "2023-10-31"), 2500);
  EXPECT_EQ(cents("G", "2023-11-01"), 2650);
  EXPECT_EQ(cents("G", "2020-06-01"), 2500);
}

TEST_F(ShippedTariffs, GsWasMergedIntoGOn2024_12_22) {
  EXPECT_EQ(cents("GS", "2024-12-21"), 2650);
  auto after = s_catalog->find("GS", d("2024-12-22"));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, vd::core::Errc::TariffNotInForce);
  EXPECT_EQ(after.error().args.at(3), "2024-12-21");
}

TEST_F(ShippedTariffs, RequiredCodesExistToday) {
  for (const char* code : {"G", "VG", "MEG", "MD", "APC", "TCG", "C", "V"}) {
    EXPECT_TRUE(s_catalog->acts().find(code, d("2025-06-01")).ok()) << code;
  }
  EXPECT_EQ(cents("MEG", "2025-06-01"), 500);
  EXPECT_EQ(cents("MD", "2025-06-01"), 1000);
  EXPECT_EQ(cents("C", "2025-06-01"), 2300);
}

TEST_F(ShippedTariffs, ParticipationForfaitaireAndFranchise) {
  EXPECT_EQ(cents("PF.amount", "2024-05-14"), 100);
  EXPECT_EQ(cents("PF.amount", "2024-05-15"), 200);
  EXPECT_EQ(cents("PF.cap_year", "2025-01-01"), 5000);
  EXPECT_EQ(cents("FRANCHISE.box", "2024-03-30"), 50);
  EXPECT_EQ(cents("FRANCHISE.box", "2024-03-31"), 100);
  EXPECT_EQ(cents("FRANCHISE.cap_year", "2025-01-01"), 5000);
  EXPECT_EQ(s_catalog->parameters().find("PF.cap_day", d("2025-01-01"))->count(), 4);
}

TEST_F(ShippedTariffs, MedicineRateClasses) {
  EXPECT_EQ(cents("MED.100", "2025-01-01"), 10000);
  EXPECT_EQ(cents("MED.65", "2025-01-01"), 6500);
  EXPECT_EQ(cents("MED.30", "2025-01-01"), 3000);
  EXPECT_EQ(cents("MED.15", "2025-01-01"), 1500);
}

TEST_F(ShippedTariffs, EveryRowNamesItsSource) {
  for (const auto* t : {&s_catalog->acts(), &s_catalog->parameters(), &s_catalog->medicineRates(),
                        &s_catalog->pharmacyFees()}) {
    for (const auto& key : t->keys()) {
      for (const auto& row : t->history(key)) EXPECT_FALSE(row.source.empty()) << key;
    }
  }
}

TEST(TariffCatalog, MissingDirectoryIsAnEnvironmentError) {
  auto c = TariffCatalog::load("/nonexistent/tariffs");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, vd::core::Errc::FileUnreadable);
}

}  // namespace
