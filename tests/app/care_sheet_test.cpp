// The desk's care-sheet presenter (app/care_sheet): live pricing per line with errors next to
// the line they name, completion from the catalog at the date of care, and the worker half
// (cap history from the register, sign, queue) on a real SQLite register.
#include "app/care_sheet.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "app/local_time.hpp"
#include "billing/outbox/outbox.hpp"
#include "crypto/test_pki.hpp"

#include "app_fixtures.hpp"

using namespace vd;

namespace {

using app::testing::kAdultWithAmc;

std::shared_ptr<const billing::TariffCatalog> catalog() {
  static auto c = [] {
    auto loaded = billing::TariffCatalog::load(std::filesystem::path(VD_SOURCE_RESOURCES_DIR) / "tariffs");
    EXPECT_TRUE(loaded.ok());
    return std::make_shared<const billing::TariffCatalog>(std::move(*loaded));
  }();
  return c;
}

app::CareSheetLineInput act(std::string code, int qty = 1) {
  app::CareSheetLineInput l;
  l.code = std::move(code);
  l.quantity = qty;
  return l;
}

app::CareSheet sheetFor(const char* date) {
  app::CareSheet s(catalog());
  s.setDateOfCare(*core::Date::parseIso(date));
  s.setPractitionerId("10099999996");
  s.setPatient(*app::patientFromJson(kAdultWithAmc));
  return s;
}

TEST(CareSheet, WorkedExampleLiveAmounts) {
  auto s = sheetFor("2025-01-15");
  s.lines() = {act("g"), app::CareSheetLineInput{}};  // lower case and a spare blank line
  const auto v = s.price(core::Lang::Fr);
  ASSERT_TRUE(v.totals) << (v.lines[0].error ? core::describeLine(*v.lines[0].error, core::Lang::En) : "");
  EXPECT_EQ(v.totals->base.cents(), 3000);
  EXPECT_EQ(v.totals->amoOwes.cents(), 1900);
  EXPECT_EQ(v.totals->amcOwes.cents(), 900);
  EXPECT_EQ(v.totals->pfDeducted.cents(), 200);
  EXPECT_EQ(v.totals->patientNow.cents(), 3000);
  EXPECT_TRUE(v.localCapsNotice);
  EXPECT_FALSE(v.capHistoryLoaded);
  EXPECT_TRUE(v.canSubmit);
  ASSERT_TRUE(v.lines[0].priced);
  EXPECT_NE(v.lines[0].label.find("Consultation"), std::string::npos);
  EXPECT_FALSE(v.lines[1].priced);
}

TEST(CareSheet, EveryUnknownCodeShowsOnItsOwnLine) {
  auto s = sheetFor("2025-01-15");
  s.lines() = {act("G"), act("ZZZ"), app::CareSheetLineInput{}, act("GS")};
  const auto v = s.price(core::Lang::En);
  EXPECT_FALSE(v.canSubmit);
  EXPECT_FALSE(v.lines[0].error);
  ASSERT_TRUE(v.lines[1].error);
  EXPECT_EQ(v.lines[1].error->code, core::Errc::TariffUnknownCode);
  EXPECT_EQ(v.lines[1].error->where, "line 2");
  ASSERT_TRUE(v.lines[3].error);  // GS ended on 2024-12-21; blank rows do not count
  EXPECT_EQ(v.lines[3].error->code, core::Errc::TariffNotInForce);
  EXPECT_EQ(v.lines[3].error->where, "line 3");
}

TEST(CareSheet, RuleErrorOfTheEngineGoesToTheLineItNames) {
  auto s = sheetFor("2025-01-15");
  s.lines() = {act("G"), act("MD")};  // MD without a visit
  const auto v = s.price(core::Lang::Fr);
  ASSERT_TRUE(v.lines[1].error);
  EXPECT_EQ(v.lines[1].error->code, core::Errc::PricingMdWithoutVisit);
  EXPECT_FALSE(v.sheetError);
}

TEST(CareSheet, NoPatientIsASheetErrorAndNoRequest) {
  app::CareSheet s(catalog());
  s.setDateOfCare(*core::Date::parseIso("2025-01-15"));
  s.lines() = {act("G")};
  const auto v = s.price(core::Lang::Fr);
  ASSERT_TRUE(v.sheetError);
  EXPECT_EQ(v.sheetError->code, core::Errc::CareSheetNoPatient);
  EXPECT_EQ(s.request({}, s.dateOfCare()).error().code, core::Errc::CareSheetNoPatient);
}

TEST(CareSheet, MedicineLineWithCheckDigitAndClass) {
  auto s = sheetFor("2025-01-15");
  app::CareSheetLineInput m;
  m.kind = billing::CareLineKind::Medicine;
  m.code = "3400935955838";
  m.unitPrice = "12,50";
  m.quantity = 2;
  m.rateClass = "MED.65";
  s.lines() = {m};
  auto typed = m.line(1);
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->cip->digits(), "3400935955838");
  EXPECT_EQ(typed->unitPrice, core::Money::euros(12) + core::Money::cents(50));
  EXPECT_EQ(typed->quantity, 2);
  EXPECT_EQ(typed->medicineClass, "MED.65");
  auto v = s.price(core::Lang::Fr);
  ASSERT_TRUE(v.totals) << (v.lines[0].error ? core::describeLine(*v.lines[0].error, core::Lang::En) : "");
  EXPECT_GT(v.totals->franchiseDeducted.cents(), 0);
  ASSERT_FALSE(v.fees.empty());  // the per-prescription fee is shown with the sheet
  EXPECT_EQ(v.fees.front().code, "HD.prescription");
  s.lines()[0].specific = true;
  EXPECT_TRUE(s.lines()[0].line(1)->specificMedicine);
  const auto withSpecific = s.price(core::Lang::Fr).fees;  // the patient is 69: no HD.age
  ASSERT_EQ(withSpecific.size(), 2u);
  EXPECT_EQ(withSpecific.back().code, "HD.specific");
  EXPECT_TRUE(v.localCapsNotice);
  s.lines()[0].code = "3400935955839";  // wrong check digit
  v = s.price(core::Lang::Fr);
  ASSERT_TRUE(v.lines[0].error);
  EXPECT_EQ(v.lines[0].error->code, core::Errc::Cip13CheckDigit);
}

TEST(CareSheet, ColonTypedInAFieldIsASyntaxErrorNotANewField) {
  auto s = sheetFor("2025-01-15");
  s.lines() = {act("G:ALD")};
  const auto v = s.price(core::Lang::Fr);
  ASSERT_TRUE(v.lines[0].error);
  EXPECT_EQ(v.lines[0].error->code, core::Errc::CareLineSyntax);
}

TEST(CareSheet, CompletionFollowsTheDateOfCare) {
  auto before = sheetFor("2024-06-01");
  auto after = sheetFor("2025-06-01");
  auto codes = [](const std::vector<app::CodeCompletion>& v) {
    std::vector<std::string> out;
    for (const auto& c : v) out.push_back(c.code);
    return out;
  };
  EXPECT_EQ(codes(before.completeAct("g", core::Lang::Fr)), (std::vector<std::string>{"G", "GS"}));
  const auto g = after.completeAct("G", core::Lang::En);
  ASSERT_EQ(codes(g), std::vector<std::string>{"G"});
  EXPECT_EQ(g[0].amount.cents(), 3000);
  const auto classes = after.medicineClasses(core::Lang::Fr);
  ASSERT_FALSE(classes.empty());
  EXPECT_EQ(classes.front().code, "100");
}

TEST(CareSheet, LineNumberOfAnError) {
  EXPECT_EQ(app::lineOfError(core::makeError(core::Errc::Internal, {}, "line 12")), 12);
  EXPECT_EQ(app::lineOfError(core::makeError(core::Errc::Internal, {}, "acts.csv:3")), 0);
  EXPECT_EQ(app::lineOfError(core::makeError(core::Errc::Internal, {}, "line x")), 0);
}

TEST(CareSheet, SubmitSignsQueuesAndFeedsTheLocalCaps) {
  const auto dir = std::filesystem::temp_directory_path() / ("vd-caresheet-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto pki = crypto::issueTestCertificate(dir, "practitioner", "TEST ONLY Dr TEST");
  ASSERT_TRUE(pki.ok());
  const auto pr = app::testing::testPractitioner(*pki);
  auto s = sheetFor("2025-01-15");
  s.lines() = {act("G")};
  const auto today = *core::Date::parseIso("2025-01-15");
  s.setAccident(true, *core::Date::parseIso("2025-01-10"));
  auto req = s.request(pr, today);
  ASSERT_TRUE(req.ok());
  EXPECT_TRUE(req->accident);
  EXPECT_EQ(req->accidentDate, core::Date::parseIso("2025-01-10").value());
  ASSERT_EQ(req->careLines.size(), 1u);
  EXPECT_EQ(req->careLines[0].code, "G");
  const auto reg = dir / "sub" / "register.db";  // the folder is created
  auto stored = app::submitCareSheet(*catalog(), *req, reg, {});
  ASSERT_TRUE(stored.ok()) << core::describeLine(stored.error(), core::Lang::En);
  EXPECT_EQ(stored->invoiceNumber, 1u);

  auto history = app::loadCapHistory(reg, *s.patient(), 2025);
  ASSERT_TRUE(history.ok());
  s.setCapHistory(std::shared_ptr<const billing::CapHistory>(std::move(*history)));
  const auto v = s.price(core::Lang::Fr);
  EXPECT_TRUE(v.capHistoryLoaded);
  ASSERT_TRUE(v.totals);
  EXPECT_EQ(v.totals->pfDeducted.cents(), 200);  // the second PF of the day is still under the cap of 4

  app::SystemClock clock;
  auto outbox = billing::Outbox::open(reg, clock);
  ASSERT_TRUE(outbox.ok());
  auto items = outbox->list();
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(items->front().state, billing::OutboxState::Pending);
  s.clearLines();
  EXPECT_TRUE(s.lines().empty());
  EXPECT_FALSE(s.price(core::Lang::Fr).capHistoryLoaded);
  std::filesystem::remove_all(dir);
}

}  // namespace
