// Trust store: issuer certificates from a directory, revocation lists, age of the material.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "crypto/keys.hpp"
#include "crypto/trust_store.hpp"

using vd::core::Errc;
using vd::crypto::TrustStore;

TEST(TrustStore, LoadsIssuersListsAndAge) {
  const auto dir = std::filesystem::temp_directory_path() / "vd_trust_store_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "issuers");
  const auto key = *vd::crypto::PrivateKey::generate(vd::crypto::KeyType::EcP256);
  const auto cert = *vd::crypto::makeTestCertificate(key, "TEST ONLY issuer");
  std::ofstream(dir / "issuers" / "a.pem") << vd::crypto::trustAnchorPem(cert);
  std::ofstream(dir / "issuers" / "ignored.txt") << "not a key";
  std::ofstream(dir / "revoked-app-instances.txt") << "# lost phones\nAPP-1\n  APP-2  # stolen\n\n";
  std::ofstream(dir / "trust.json") << "{\n  \"issued_at\": \"2026-11-01\"\n}\n";
  auto store = TrustStore::load(dir);
  ASSERT_TRUE(store.ok()) << vd::core::errcId(store.error().code);
  EXPECT_EQ(store->issuerCount(), 1u);
  EXPECT_TRUE(store->issuerByKid(cert.kid()).has_value());
  EXPECT_FALSE(store->issuerByKid(key.publicKey().spkiDer()).has_value());
  EXPECT_TRUE(store->isAppInstanceRevoked("APP-1"));
  EXPECT_TRUE(store->isAppInstanceRevoked("APP-2"));
  EXPECT_FALSE(store->isAppInstanceRevoked("# lost phones"));
  EXPECT_EQ(store->ageInDays(*vd::core::Date::fromYmd(2026, 11, 23)), 22);

  std::ofstream(dir / "trust.json") << "{\"issued_at\": 5}";
  EXPECT_EQ(TrustStore::load(dir).error().code, Errc::TrustStoreInvalid);
  std::filesystem::remove(dir / "trust.json");
  EXPECT_FALSE(TrustStore::load(dir)->ageInDays(*vd::core::Date::fromYmd(2026, 11, 23)));
  std::ofstream(dir / "issuers" / "b.pem") << "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(TrustStore::load(dir).error().code, Errc::TrustStoreInvalid);
  EXPECT_EQ(TrustStore::load(dir / "nowhere").error().code, Errc::TrustStoreMissing);
  std::filesystem::remove_all(dir);
}

TEST(TrustStore, RevocationListBounds) {
  EXPECT_EQ(vd::crypto::parseRevocationList(std::string(129, 'x')).error().code, Errc::TrustStoreInvalid);
  EXPECT_EQ(vd::crypto::parseRevocationList("a\r\nb\n#c\n")->size(), 2u);
}

TEST(TrustStore, IssuedAtIsAQuotedIsoDate) {
  using vd::crypto::parseIssuedAt;
  EXPECT_EQ(*parseIssuedAt("{ \"issued_at\" :\t\"2026-11-01\" }"), *vd::core::Date::fromYmd(2026, 11, 1));
  for (const char* bad : {"", "{}", "{\"issued_at\"", "{\"issued_at\": }", "{\"issued_at\": \"2026-02-30\"}",
                          "{\"issued_at\": \"2026-11-01}", "{\"issued_at\" \"2026-11-01\"}", "\"issued_at\":\"2026-11-0\""}) {
    const auto d = parseIssuedAt(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().code, Errc::TrustStoreInvalid);
    EXPECT_EQ(d.error().args, std::vector<std::string>{"trust.json: issued_at"});  // no English text
  }
}
