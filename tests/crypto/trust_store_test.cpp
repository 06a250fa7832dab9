// Trust store: issuer certificates from a directory, revocation lists, age of the material.
#include <gtest/gtest.h>

#include <filesystem>
#include <ctime>
#include <fstream>

#include "crypto/keys.hpp"
#include "crypto/trust_list.hpp"
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

// --- Issuer certificates at the time of presentation (TrustStore::issuerAt) ---------------

namespace {

vd::crypto::PublicKey cert(const vd::crypto::PrivateKey& key, std::int64_t from, std::int64_t to,
                           const char* usage = "critical,digitalSignature") {
  vd::crypto::TestCertificateOptions o;
  o.commonName = "TEST ONLY issuer";
  o.notBeforeOffset = from;
  o.notAfterOffset = to;
  o.keyUsage = usage;
  o.organizationIdentifier = "TEST-ISSUER";
  return vd::crypto::makeTestCertificate(key, o).value();
}

std::int64_t nowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

TEST(TrustStore, IssuerAtNamesEachRefusal) {
  const auto key = *vd::crypto::PrivateKey::generate(vd::crypto::KeyType::EcP256);
  const std::int64_t now = nowSeconds();
  const auto good = cert(key, -3600, 86400);
  const auto expired = cert(key, -2 * 86400, -86400);
  const auto future = cert(key, 86400, 2 * 86400);
  const auto certSignOnly = cert(key, -3600, 86400, "critical,keyCertSign");
  const auto noUsage = cert(key, -3600, 86400, "");
  const auto revoked = cert(key, -7200, 86400);
  vd::crypto::TrustLists lists;
  lists.sequence = 7;
  lists.issuedAt = *vd::core::Date::fromYmd(2026, 12, 1);
  lists.revokedIssuers = {revoked.kid()};
  const auto store = TrustStore::fromKeys({good, expired, future, certSignOnly, noUsage, revoked,
                                           key.publicKey()}).withLists(lists);
  ASSERT_TRUE(store.issuerAt(good.kid(), now).ok());
  EXPECT_TRUE(store.issuerAt(noUsage.kid(), now).ok());          // no keyUsage extension: not restricted
  EXPECT_TRUE(store.issuerAt(key.publicKey().kid(), now).ok());  // a bare key has no validity
  EXPECT_EQ(store.issuerAt(good.kid(), now + 2 * 86400).error().code, Errc::ApcvIssuerExpired);
  const auto e = store.issuerAt(expired.kid(), now);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, Errc::ApcvIssuerExpired);
  EXPECT_EQ(e.error().args.size(), 2u);  // kid hex, the day it ended
  EXPECT_EQ(store.issuerAt(future.kid(), now).error().code, Errc::ApcvIssuerNotYetValid);
  EXPECT_EQ(store.issuerAt(certSignOnly.kid(), now).error().code, Errc::ApcvIssuerKeyUsage);
  EXPECT_EQ(store.issuerAt(revoked.kid(), now).error().code, Errc::ApcvIssuerRevoked);
  const std::vector<std::uint8_t> unknown(8, 0x42);
  EXPECT_EQ(store.issuerAt(unknown, now).error().code, Errc::ApcvUnknownIssuer);
  const auto facts = good.certificateFacts();
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->organizationIdentifier, "TEST-ISSUER");
  EXPECT_TRUE(facts->hasKeyUsage && facts->digitalSignature);
  EXPECT_FALSE(key.publicKey().certificateFacts());
}

// --- Signed trust lists (trust_list.hpp) and their place in the trust folder ---------------

TEST(TrustStore, SignedListsVerifyOrAreRefusedWithTheirReason) {
  using namespace vd::crypto;
  const auto signerKey = *PrivateKey::generate(KeyType::EcP256);
  const auto signer = cert(signerKey, -3600, 86400);
  TrustLists lists;
  lists.sequence = 42;
  lists.issuedAt = *vd::core::Date::fromYmd(2026, 12, 7);
  lists.appInstances = {"APP-LOST"};
  lists.cardSerials = {"00ff"};
  lists.revokedIssuers = {std::vector<std::uint8_t>(8, 1)};
  const auto doc = *signTrustLists(lists, signerKey, signer.kid());
  auto ok = verifyTrustLists(doc, signer, "test");
  ASSERT_TRUE(ok.ok()) << vd::core::errcId(ok.error().code);
  EXPECT_EQ(ok->sequence, 42u);
  EXPECT_EQ(ok->appInstances, lists.appInstances);
  EXPECT_EQ(ok->revokedIssuers, lists.revokedIssuers);
  // Unsigned: the bare payload, or text.
  EXPECT_EQ(verifyTrustLists(encodeTrustLists(lists), signer, "test").error().code, Errc::TrustListUnsigned);
  const std::string text = "APP-LOST\n";
  EXPECT_EQ(verifyTrustLists({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, signer, "t").error().code,
            Errc::TrustListUnsigned);
  // Signed by another key (its own kid), or under the signer's kid by another key.
  const auto other = *PrivateKey::generate(KeyType::EcP256);
  EXPECT_EQ(verifyTrustLists(*signTrustLists(lists, other, other.publicKey().kid()), signer, "t").error().code,
            Errc::TrustListUnknownSigner);
  EXPECT_EQ(verifyTrustLists(*signTrustLists(lists, other, signer.kid()), signer, "t").error().code,
            Errc::TrustListSignatureInvalid);
  // Cut anywhere: malformed, never accepted.
  for (std::size_t n = 1; n < doc.size(); n += 7) {
    auto cut = verifyTrustLists(std::span(doc).first(n), signer, "t");
    ASSERT_FALSE(cut.ok()) << n;
    EXPECT_EQ(cut.error().code, Errc::TrustListMalformed) << n << " " << vd::core::errcId(cut.error().code);
  }
  // Entries the list files could not hold: refused at decode.
  TrustLists bad = lists;
  bad.appInstances = {"APP 2"};
  EXPECT_EQ(decodeTrustLists(encodeTrustLists(bad)).error().code, Errc::TrustListMalformed);
  bad = lists;
  bad.cardSerials = {"ZZ"};
  EXPECT_EQ(decodeTrustLists(encodeTrustLists(bad)).error().code, Errc::TrustListMalformed);
  bad = lists;
  bad.sequence = 0;
  EXPECT_EQ(decodeTrustLists(encodeTrustLists(bad)).error().code, Errc::TrustListMalformed);
  // The signer's own certificate must be usable now.
  EXPECT_TRUE(trustListSignerUsable(signer, nowSeconds()).ok());
  EXPECT_EQ(trustListSignerUsable(cert(signerKey, -2 * 86400, -86400), nowSeconds()).error().code,
            Errc::TrustListSignerInvalid);
  EXPECT_EQ(trustListSignerUsable(cert(signerKey, -3600, 86400, "critical,keyCertSign"), nowSeconds()).error().code,
            Errc::TrustListSignerInvalid);

  // In the folder: the signed lists win over unsigned files; without their signer, refused.
  const auto dir = std::filesystem::temp_directory_path() / "vd_trust_store_signed_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "issuers");
  std::ofstream(dir / "issuers" / "a.pem") << trustAnchorPem(signer);
  std::ofstream(dir / "revoked-app-instances.txt") << "APP-UNSIGNED\n";
  std::ofstream(dir / std::string(kTrustListsFile), std::ios::binary).write(reinterpret_cast<const char*>(doc.data()),
                                                                            static_cast<std::streamsize>(doc.size()));
  EXPECT_EQ(TrustStore::load(dir).error().code, Errc::TrustListSignerMissing);
  std::ofstream(dir / std::string(kTrustListSignerFile)) << trustAnchorPem(signer);
  auto store = TrustStore::load(dir);
  ASSERT_TRUE(store.ok()) << vd::core::errcId(store.error().code);
  EXPECT_EQ(store->sequence(), std::optional<std::uint64_t>(42));
  EXPECT_TRUE(store->isAppInstanceRevoked("APP-LOST"));
  EXPECT_FALSE(store->isAppInstanceRevoked("APP-UNSIGNED"));
  EXPECT_EQ(store->ageInDays(*vd::core::Date::fromYmd(2026, 12, 9)), 2);
  // An installed document altered on disk: the folder is refused, not read as empty lists.
  auto altered = doc;
  altered[altered.size() / 2] ^= 0x01;
  std::ofstream(dir / std::string(kTrustListsFile), std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(altered.data()), static_cast<std::streamsize>(altered.size()));
  EXPECT_FALSE(TrustStore::load(dir).ok());
  std::filesystem::remove_all(dir);
}
