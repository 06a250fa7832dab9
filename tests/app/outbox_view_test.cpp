// The outbox presenter (app/outbox_view): rows, filter, order, words for the codes, counts, CSV.
#include "app/outbox_view.hpp"

#include <gtest/gtest.h>

#include "app/desk_settings.hpp"

using namespace vd;

namespace {

billing::OutboxItem item(std::uint64_t n, billing::OutboxState state, const char* deadline, bool overdue,
                         std::string lastError = {}) {
  billing::OutboxItem it;
  it.ref = {"10099999996", n};
  it.state = state;
  it.rawState = std::string(billing::stateName(state));
  it.deadline = *core::Date::parseIso(deadline);
  it.overdue = overdue;
  it.attempts = static_cast<int>(n);
  it.lastError = std::move(lastError);
  return it;
}

TEST(OutboxView, OverdueFirstThenByDeadlineAndFilter) {
  const std::vector<billing::OutboxItem> items{
      item(1, billing::OutboxState::Pending, "2025-01-20", false),
      item(2, billing::OutboxState::Deferred, "2025-01-10", true, "arl_missing"),
      item(3, billing::OutboxState::Pending, "2025-01-18", false),
  };
  const auto all = app::outboxRows(items, std::nullopt, core::Lang::En);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].ref, "10099999996/2");
  EXPECT_TRUE(all[0].overdue);
  EXPECT_EQ(all[0].stateLabel, "Retry scheduled");
  EXPECT_EQ(all[0].lastErrorText, "No acknowledgement (ARL) in time: sent again automatically");
  EXPECT_EQ(all[1].ref, "10099999996/3");
  EXPECT_EQ(all[2].ref, "10099999996/1");
  const auto pending = app::outboxRows(items, billing::OutboxState::Pending, core::Lang::Fr);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].stateLabel, "En attente");
}

TEST(OutboxView, ErrorIdsOfTheCatalogInWordsWithoutPlaceholders) {
  const std::string fr = app::describeOutboxCode("outbox.not_found", core::Lang::Fr);
  EXPECT_EQ(fr, "Aucune FSE … dans la file d'envoi.");
  EXPECT_EQ(app::describeOutboxCode("some_future_code", core::Lang::En), "some_future_code");
  EXPECT_EQ(app::describeOutboxCode("", core::Lang::En), "");
}

TEST(OutboxView, CountsAndCsv) {
  billing::OutboxStats st;
  st.byState = {{"pending", 2}, {"deferred", 1}, {"awaiting_arl", 4}, {"held", 1}, {"rejected", 2}};
  st.overdue = 1;
  const auto c = app::outboxCounts(st);
  EXPECT_EQ(c.waiting, 3);
  EXPECT_EQ(c.awaiting, 4);
  EXPECT_EQ(c.attention, 3);
  EXPECT_EQ(c.overdue, 1);
  const auto rows = app::outboxRows({item(7, billing::OutboxState::Held, "2025-01-20", false, "a,\"b\"")}, std::nullopt,
                                    core::Lang::En);
  EXPECT_EQ(app::outboxCsv(rows),
            "reference,state,deadline,overdue,attempts,last_error\r\n"
            "10099999996/7,held,2025-01-20,0,7,\"a,\"\"b\"\"\"\r\n");
}

TEST(DeskSettings, DefaultsAreValidAndEveryProblemIsReported) {
  app::DeskSettings s;
  EXPECT_TRUE(app::validateSettings(s).empty());
  s.scannerIds = "0c2e:0b61,zz:1";
  s.scannerLayout = "de";
  s.camera = "/dev/video0 ! filesink location=x";  // pipeline syntax: refused (docs/camera.md)
  s.serverUrl = "http://insurer.example";
  s.proxy = "http://proxy:99999";
  s.practitionerFile = "/nonexistent/vd-practitioner.json";
  s.signingKind = "pkcs11";
  s.pkcs11Uri = "token=x";
  s.language = "de";
  const auto problems = app::validateSettings(s);
  std::vector<std::string> keys;
  for (const auto& p : problems) keys.push_back(p.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"/Scanner/VidPid", "/Scanner/Layout", "/Camera/Device", "/Server/Url",
                                            "/Server/Proxy", "/Practitioner/File", "/Signing/Pkcs11Module",
                                            "/Signing/Pkcs11Uri", "/Desk/Language"}));
  EXPECT_EQ(problems[0].error.code, core::Errc::SettingsScannerId);
  EXPECT_EQ(problems[0].error.args, std::vector<std::string>{"zz:1"});
  EXPECT_EQ(problems[2].error.code, core::Errc::CameraSetting);
  EXPECT_EQ(problems[3].error.code, core::Errc::SettingsUrl);
}

TEST(DeskSettings, TlsKeyCertificateModuleAndPinnedKeyAreChecked) {
  app::DeskSettings s;
  s.tlsPinnedKey = "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;sha256//short";
  s.tlsClientKey = "pkcs11:token=CPS;object=auth;type=private?pin-value=1234";
  s.tlsPkcs11Module = "/nonexistent/vd-module.so";
  s.tlsClientCert = "/nonexistent/vd-client.pem";
  auto problems = app::validateSettings(s);
  std::vector<std::string> keys;
  for (const auto& p : problems) keys.push_back(p.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"/Server/PinnedKey", "/Server/TlsKey", "/Server/Pkcs11Module",
                                            "/Server/TlsCert"}));
  EXPECT_EQ(problems.at(0).error.code, core::Errc::TlsPinnedKeyInvalid);
  EXPECT_EQ(problems.at(0).error.args, std::vector<std::string>{"sha256//short"});
  for (const auto& p : problems)
    for (const auto& arg : p.error.args) EXPECT_EQ(arg.find("1234"), std::string::npos) << "no PIN in " << p.key;
  s = {};
  s.tlsPinnedKey = "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  s.tlsClientKey = "/nonexistent/vd-client.key";
  problems = app::validateSettings(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "/Server/TlsKey");
}

// The register's data key elsewhere: its folder must exist (never created: a disk not mounted).
TEST(DeskSettings, DataKeyFolderMustExist) {
  app::DeskSettings s;
  s.dataKeyFile = "/nonexistent-vd-disk/register.key";
  auto problems = app::validateSettings(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "/Outbox/DataKeyFile");
  EXPECT_EQ(problems[0].error.code, core::Errc::SettingsFileMissing);
  s.dataKeyFile = (std::filesystem::temp_directory_path() / "register.key").string();  // folder exists, file not yet
  EXPECT_TRUE(app::validateSettings(s).empty());
}

TEST(DeskSettings, UsbIdsProfilesAndSigningOverride) {
  EXPECT_EQ(app::parseUsbId("0c2e:0B61"), std::make_pair(std::uint16_t{0x0c2e}, std::uint16_t{0x0b61}));
  EXPECT_FALSE(app::parseUsbId("0c2e"));
  EXPECT_FALSE(app::parseUsbId("12345:1"));
  EXPECT_FALSE(app::parseUsbId("0c2e:"));
  EXPECT_EQ(app::parseProfile("pharmacy"), app::Profile::Pharmacy);
  EXPECT_FALSE(app::parseProfile("nurse"));
  app::PractitionerProfile p;
  p.signing.kind = app::SigningConfig::Kind::KeyFile;
  p.signing.keyFile = "file.pem";
  app::DeskSettings s;
  app::applySigning(p, s);  // nothing set: the practitioner file's choice stays
  EXPECT_EQ(p.signing.keyFile, "file.pem");
  s.signingKind = "pkcs11";
  s.pkcs11Module = "/usr/lib/softhsm/libsofthsm2.so";
  s.pkcs11Uri = "pkcs11:token=CPS;object=sigkey;type=private";
  app::applySigning(p, s);
  EXPECT_EQ(p.signing.kind, app::SigningConfig::Kind::Pkcs11);
  EXPECT_EQ(p.signing.pkcs11.keyUri, s.pkcs11Uri);
}

}  // namespace
