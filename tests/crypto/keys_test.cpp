#include "crypto/keys.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/digest.hpp"

using vd::core::Errc;
using namespace vd::crypto;

namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(Keys, GenerateEachTypeAndReloadFromPem) {
  for (KeyType type : {KeyType::EcP256, KeyType::Ed25519}) {
    auto key = PrivateKey::generate(type);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->type(), type);
    EXPECT_EQ(key->publicKey().type(), type);
    EXPECT_EQ(key->publicKey().bits(), 256);
    auto reloaded = PrivateKey::fromPem(key->pem());
    ASSERT_TRUE(reloaded.ok());
    EXPECT_EQ(reloaded->publicKey().spkiDer(), key->publicKey().spkiDer());
    auto pub = PublicKey::fromPem(key->publicKey().pem());
    ASSERT_TRUE(pub.ok());
    EXPECT_EQ(pub->spkiDer(), key->publicKey().spkiDer());
    EXPECT_TRUE(pub->certificateDer().empty());
  }
  EXPECT_EQ(PrivateKey::generate(KeyType::Other).error().code, Errc::InvalidArgument);
}

TEST(Keys, RsaIs2048Bits) {
  auto key = PrivateKey::generate(KeyType::Rsa);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->type(), KeyType::Rsa);
  EXPECT_EQ(key->publicKey().bits(), 2048);
}

TEST(Keys, KidIsTheFirst8BytesOfTheCertificateHash) {
  auto key = PrivateKey::generate(KeyType::EcP256);
  ASSERT_TRUE(key.ok());
  auto cert = makeTestCertificate(*key, "Issuer");
  ASSERT_TRUE(cert.ok());
  ASSERT_FALSE(cert->certificateDer().empty());
  const Sha256Digest digest = sha256(cert->certificateDer());
  EXPECT_EQ(cert->kid(), Bytes(digest.begin(), digest.begin() + 8));
  EXPECT_EQ(cert->spkiDer(), key->publicKey().spkiDer());
  // A bare key's kid is taken over its SubjectPublicKeyInfo.
  const Sha256Digest spki = sha256(key->publicKey().spkiDer());
  EXPECT_EQ(key->publicKey().kid(), Bytes(spki.begin(), spki.begin() + 8));

  // The certificate reloads from DER and from PEM with the same kid.
  auto fromDer = PublicKey::fromDer(cert->certificateDer());
  ASSERT_TRUE(fromDer.ok());
  EXPECT_EQ(fromDer->kid(), cert->kid());
  auto spkiKey = PublicKey::fromDer(key->publicKey().spkiDer());
  ASSERT_TRUE(spkiKey.ok());
  EXPECT_TRUE(spkiKey->certificateDer().empty());
}

TEST(Keys, CertificatePemLoads) {
  auto key = PrivateKey::generate(KeyType::Ed25519);
  ASSERT_TRUE(key.ok());
  auto cert = makeTestCertificate(*key, "Issuer");
  ASSERT_TRUE(cert.ok());
  // Build the PEM by hand from the DER (base64 through OpenSSL would need a helper here).
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const Bytes& der = cert->certificateDer();
  std::string b64;
  for (std::size_t i = 0; i < der.size(); i += 3) {
    const unsigned n =
        (der[i] << 16) | ((i + 1 < der.size() ? der[i + 1] : 0) << 8) | (i + 2 < der.size() ? der[i + 2] : 0);
    b64 += kB64[(n >> 18) & 63];
    b64 += kB64[(n >> 12) & 63];
    b64 += i + 1 < der.size() ? kB64[(n >> 6) & 63] : '=';
    b64 += i + 2 < der.size() ? kB64[n & 63] : '=';
  }
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  pem += "-----END CERTIFICATE-----\n";
  auto loaded = PublicKey::fromPem(pem);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->kid(), cert->kid());
  EXPECT_EQ(loaded->type(), KeyType::Ed25519);
}

TEST(Keys, GarbageIsUnreadable) {
  EXPECT_EQ(PublicKey::fromPem("not a key").error().code, Errc::KeyUnreadable);
  EXPECT_EQ(PublicKey::fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").error().code,
            Errc::KeyUnreadable);
  EXPECT_EQ(PublicKey::fromDer(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}).error().code, Errc::KeyUnreadable);
  EXPECT_EQ(PublicKey::fromDer(Bytes{}).error().code, Errc::KeyUnreadable);
  EXPECT_EQ(PrivateKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").error().code,
            Errc::KeyUnreadable);
}

}  // namespace
