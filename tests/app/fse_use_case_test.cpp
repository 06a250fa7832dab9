// The billing use case end to end in-process: patient JSON + practitioner + care lines →
// priced FSE → signed and registered; the worked example of the billing issue.
#include "app/fse_use_case.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "billing/outbox/outbox.hpp"
#include "core/messages.hpp"
#include "crypto/test_pki.hpp"

#include "app_fixtures.hpp"

using namespace vd;

namespace {

using app::testing::kAdultWithAmc;

class FseUseCase : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() / ("vd-usecase-" + std::to_string(::getpid()));
    std::filesystem::remove_all(m_dir);
    auto files = crypto::issueTestCertificate(m_dir, "practitioner", "TEST ONLY Dr TEST");
    ASSERT_TRUE(files.ok());
    m_files = *files;
    auto catalog = billing::TariffCatalog::load(std::filesystem::path(VD_SOURCE_RESOURCES_DIR) / "tariffs");
    ASSERT_TRUE(catalog.ok());
    m_catalog = std::make_unique<billing::TariffCatalog>(std::move(*catalog));
    m_practitioner = app::testing::testPractitioner(m_files);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  app::NewFseRequest request(const char* patientJson, std::vector<std::string> lines, const char* date) {
    auto patient = app::patientFromJson(patientJson);
    EXPECT_TRUE(patient.ok());
    const auto d = *core::Date::parseIso(date);
    std::vector<billing::CareLine> typed;
    for (const auto& text : lines) typed.push_back(*billing::parseCareLine(text, static_cast<int>(typed.size() + 1)));
    return app::NewFseRequest{m_practitioner, *patient, std::move(typed), d, d, false, std::nullopt};
  }

  std::filesystem::path m_dir;
  crypto::TestPkiFiles m_files;
  std::unique_ptr<billing::TariffCatalog> m_catalog;
  app::PractitionerProfile m_practitioner;
};

TEST_F(FseUseCase, WorkedExampleAdultConsultationWithAmc) {
  const billing::InMemoryCapHistory history;
  auto fse = app::buildFse(*m_catalog, request(kAdultWithAmc, {"G"}, "2025-01-15"), history);
  ASSERT_TRUE(fse.ok()) << core::describeLine(fse.error(), core::Lang::En);
  EXPECT_EQ(fse->totals.base.cents(), 3000);
  EXPECT_EQ(fse->totals.amo.cents(), 2100);
  EXPECT_EQ(fse->totals.participationForfaitaire.cents(), 200);
  EXPECT_EQ(fse->totals.amoOwes.cents(), 1900);
  EXPECT_EQ(fse->totals.amc.cents(), 900);
  EXPECT_TRUE(billing::validateFse(*fse).size() <= 1u) << "only the invoice number (0) is missing before storing";

  auto signer = app::openSigner(m_practitioner.signing, {});
  ASSERT_TRUE(signer.ok());
  auto stored = app::signAndStore(*fse, **signer, m_dir / "register.db");
  ASSERT_TRUE(stored.ok()) << core::describeLine(stored.error(), core::Lang::En);
  EXPECT_EQ(stored->invoiceNumber, 1u);
  auto second = app::signAndStore(*fse, **signer, m_dir / "register.db");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->invoiceNumber, 2u);
  auto verified = billing::verifySignedFse(second->signedPem, {*crypto::X509Cert::fromPemFile(m_files.caCertificate)});
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->fse.invoiceNumber, 2u);
  EXPECT_TRUE(verified->problems.empty());
}

TEST_F(FseUseCase, StoredSheetEntersTheOutboxPendingWithItsDeadline) {
  const billing::InMemoryCapHistory history;
  auto fse = app::buildFse(*m_catalog, request(kAdultWithAmc, {"G"}, "2025-12-24"), history);
  ASSERT_TRUE(fse.ok());
  auto signer = app::openSigner(m_practitioner.signing, {});
  ASSERT_TRUE(signer.ok());
  auto stored = app::signAndStore(*fse, **signer, m_dir / "register.db");
  ASSERT_TRUE(stored.ok());
  core::FixedClock clock(core::startOfUtcDay(*core::Date::fromYmd(2025, 12, 24)));
  auto outbox = billing::Outbox::open(m_dir / "register.db", clock);
  ASSERT_TRUE(outbox.ok());
  auto item = outbox->show(billing::FseRef{"10099999996", stored->invoiceNumber});
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->state, billing::OutboxState::Pending);
  EXPECT_EQ(item->careDate.iso(), "2025-12-24");
  EXPECT_EQ(item->destination, "01141");
  EXPECT_FALSE(item->tiersPayant);
  EXPECT_EQ(item->deadline.iso(), "2025-12-30");  // 3 working days, 25 Dec and the weekend excluded
  EXPECT_EQ(*outbox->document(item->ref), stored->signedPem);
}

TEST_F(FseUseCase, PharmacySheetCarriesThePrescriptionFeesAndSigns) {
  const billing::InMemoryCapHistory history;
  auto fse = app::buildFse(*m_catalog,
                           request(kAdultWithAmc, {"CIP:3400935955838:10.00:1:65:SPEC"}, "2025-01-15"), history);
  ASSERT_TRUE(fse.ok()) << core::describeLine(fse.error(), core::Lang::En);
  ASSERT_EQ(fse->lines.size(), 3u);  // the medicine, HD.prescription, HD.specific
  EXPECT_EQ(fse->lines[0].code, "CIP:3400935955838:MED.65");
  EXPECT_EQ(fse->lines[1].code, "HD.prescription");
  EXPECT_EQ(fse->lines[1].base.cents(), 61);
  EXPECT_EQ(fse->lines[2].code, "HD.specific");
  EXPECT_EQ(fse->totals.base.cents(), 1520);
  EXPECT_EQ(fse->totals.franchise.cents(), 100);
  auto signer = app::openSigner(m_practitioner.signing, {});
  ASSERT_TRUE(signer.ok());
  std::vector<core::Error> problems;
  auto stored = app::signAndStore(*fse, **signer, m_dir / "register.db", &problems);
  ASSERT_TRUE(stored.ok()) << (problems.empty() ? core::describeLine(stored.error(), core::Lang::En)
                                                : core::describeLine(problems.front(), core::Lang::En));
}

TEST_F(FseUseCase, PricingErrorNamesTheLine) {
  const billing::InMemoryCapHistory history;
  auto fse = app::buildFse(*m_catalog, request(kAdultWithAmc, {"G", "MD"}, "2025-01-15"), history);
  ASSERT_FALSE(fse.ok());
  EXPECT_EQ(fse.error().where, "line 2");
}

TEST_F(FseUseCase, BadPatientFileNamesTheField) {
  auto p = app::patientFromJson(R"({"insured": {"nir": 12}})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, core::Errc::FseMalformed);
  EXPECT_FALSE(app::patientFromJson("not json").ok());
}

// The file `token verify`/`card read --patient-out` write reads back to the same billing context.
TEST_F(FseUseCase, PatientFileRoundTrips) {
  auto p = app::patientFromJson(R"({"verdict": "verified",
    "insured": {"nir": "255081416802538", "birth_name": "TESTVITALE", "first_name": "CAMILLE", "birth_date": "19550814"},
    "beneficiary": {"nir": "255081416802538", "birth_name": "TESTVITALE", "first_name": "LEA", "birth_date": "20150214",
                    "birth_rank": 2, "qualite": "enfant"},
    "amo": {"regime": "01", "caisse": "141", "centre": "0000", "exemption": "maternite",
            "maternity_from": "2025-01-01", "maternity_to": "2025-09-30"},
    "amc": {"organisation": "99999997", "contract": "TEST", "covers_ticket_moderateur": true, "tiers_payant": true},
    "tiers_payant_amo": true})");
  ASSERT_TRUE(p.ok()) << core::errcId(p.error().code);
  auto again = app::patientFromJson(app::patientToJson(*p));
  ASSERT_TRUE(again.ok()) << app::patientToJson(*p);
  EXPECT_EQ(again->verdict, "verified");
  EXPECT_EQ(again->beneficiary.person.firstName, "LEA");
  EXPECT_EQ(again->beneficiary.person.birthRank, 2);
  EXPECT_EQ(again->beneficiary.qualite, "enfant");
  EXPECT_EQ(again->coverage.beneficiaryKey, p->coverage.beneficiaryKey);
  ASSERT_TRUE(again->coverage.maternity.has_value());
  EXPECT_EQ(again->coverage.maternity->to, *core::Date::fromYmd(2025, 9, 30));
  ASSERT_TRUE(again->amc.has_value());
  EXPECT_TRUE(again->coverage.amcCoversTicketModerateur);
  EXPECT_TRUE(again->coverage.tiersPayantAmc);
  EXPECT_TRUE(again->coverage.tiersPayantAmo);
}

TEST_F(FseUseCase, PractitionerFileResolvesRelativePathsAndNamesTheField) {
  auto p = app::practitionerFromJson(R"({"rpps": "10099999996", "am_number": "141999995", "name": "Dr TEST",
    "specialty": "01", "sector": 1, "optam": false, "situation": "cabinet principal",
    "signing": {"kind": "key_file", "key_file": "k.pem", "certificate": "/etc/c.pem"}})",
                                     "/base");
  ASSERT_TRUE(p.ok()) << core::errcId(p.error().code);
  EXPECT_EQ(p->signing.keyFile, std::filesystem::path("/base/k.pem"));
  EXPECT_EQ(p->signing.certificate, std::filesystem::path("/etc/c.pem"));
  for (const char* bad : {"[]", "{", R"({"rpps": 1})", R"({"rpps": "1", "am_number": "2", "name": "n",
    "specialty": "01", "situation": "s", "signing": {"kind": "floppy", "certificate": "c"}})"}) {
    auto q = app::practitionerFromJson(bad, "/base");
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.error().code, core::Errc::FseMalformed);
  }
}

}  // namespace
