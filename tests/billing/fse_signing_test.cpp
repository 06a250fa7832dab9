// Signature round trip with a generated TEST-ONLY key file; tampering is refused.
#include "billing/fse/fse_signing.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <filesystem>

#include "crypto/test_pki.hpp"
#include "fse_fixtures.hpp"

using namespace vd::billing;

namespace {

std::string pemToDer(const std::string& pem) {
  BIO* in = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  std::string out;
  if (PEM_read_bio(in, &name, &header, &data, &len) == 1) out.assign(reinterpret_cast<char*>(data), len);
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  BIO_free(in);
  return out;
}

std::string derToPem(const std::string& der) {
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio(out, "CMS", "", reinterpret_cast<const unsigned char*>(der.data()), static_cast<long>(der.size()));
  char* p = nullptr;
  const long n = BIO_get_mem_data(out, &p);
  std::string s(p, static_cast<std::size_t>(n));
  BIO_free(out);
  return s;
}

class FseSigning : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = std::filesystem::temp_directory_path() / ("vd-fse-pki-" + std::to_string(::getpid()));
    std::filesystem::remove_all(s_dir);
    auto files = vd::crypto::issueTestCertificate(s_dir, "practitioner", "TEST ONLY Dr TEST");
    ASSERT_TRUE(files.ok());
    s_files = *files;
    auto other = vd::crypto::issueTestCertificate(s_dir / "other", "intruder", "TEST ONLY intruder");
    ASSERT_TRUE(other.ok());
    s_other = *other;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(s_dir); }

  static CmsFseSigner signer(const vd::crypto::TestPkiFiles& files) {
    auto key = vd::crypto::SigningKey::fromPemFile(files.key);
    return CmsFseSigner(std::move(key).value(), *vd::crypto::X509Cert::fromPemFile(files.certificate));
  }
  static std::vector<vd::crypto::X509Cert> anchors(const vd::crypto::TestPkiFiles& files) {
    return {*vd::crypto::X509Cert::fromPemFile(files.caCertificate)};
  }

  static inline std::filesystem::path s_dir;
  static inline vd::crypto::TestPkiFiles s_files, s_other;
};

TEST_F(FseSigning, RoundTripWithAndWithoutTrustAnchor) {
  auto s = signer(s_files);
  auto pem = signFse(vd::billing::testing::validFse(), s);
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN CMS-----", 0), 0u);
  auto v = verifySignedFse(*pem, anchors(s_files));
  ASSERT_TRUE(v.ok()) << v.error().args.at(0);
  EXPECT_TRUE(v->chainVerified);
  EXPECT_TRUE(v->problems.empty());
  EXPECT_NE(v->signerSubject.find("TEST ONLY Dr TEST"), std::string::npos);
  EXPECT_EQ(toCanonicalJson(v->fse), toCanonicalJson(vd::billing::testing::validFse()));
  auto unanchored = verifySignedFse(*pem, {});
  ASSERT_TRUE(unanchored.ok());
  EXPECT_FALSE(unanchored->chainVerified);
}

TEST_F(FseSigning, OtherAuthorityIsRefused) {
  auto s = signer(s_other);
  auto pem = signFse(vd::billing::testing::validFse(), s);
  ASSERT_TRUE(pem.ok());
  auto v = verifySignedFse(*pem, anchors(s_files));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, vd::core::Errc::CmsSignatureInvalid);
}

// Works on the DER: every byte of the signed content and of the signature value, and the
// algorithm identifiers, are altered one at a time; each altered document is refused.
TEST_F(FseSigning, EveryAlteredContentOrSignatureByteIsRefused) {
  auto s = signer(s_files);
  const std::string pem = *signFse(vd::billing::testing::validFse(), s);
  std::string der = pemToDer(pem);
  ASSERT_FALSE(der.empty());
  const std::size_t content = der.find("{\"accident\"");
  ASSERT_NE(content, std::string::npos);
  const std::size_t contentEnd = der.find("}}", der.find("\"totals\"", content)) + 2;
  std::vector<std::size_t> positions;
  for (std::size_t i = content; i < contentEnd; ++i) positions.push_back(i);
  for (std::size_t i = der.size() - 72; i < der.size(); ++i) positions.push_back(i);  // signature value
  // eContentType (id-data) and the signature algorithm OID (ecdsa-with-SHA256).
  for (const std::string& oid : {std::string("\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 9),
                                std::string("\x2a\x86\x48\xce\x3d\x04\x03\x02", 8)}) {
    const std::size_t at = der.rfind(oid);
    ASSERT_NE(at, std::string::npos);
    for (std::size_t i = at; i < at + oid.size(); ++i) positions.push_back(i);
  }
  int accepted = 0;
  for (const std::size_t i : positions) {
    std::string bad = der;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    if (verifySignedFse(derToPem(bad), anchors(s_files)).ok()) {
      ++accepted;
      ADD_FAILURE() << "altered byte " << i << " accepted";
    }
  }
  EXPECT_GT(positions.size(), 1000u);
  EXPECT_EQ(accepted, 0);
}

TEST_F(FseSigning, InvalidFseIsNotSignedAndEveryReasonIsGiven) {
  auto s = signer(s_files);
  Fse f = vd::billing::testing::validFse();
  f.practitioner.rpps = "1";
  f.software.clear();
  std::vector<vd::core::Error> problems;
  auto pem = signFse(f, s, &problems);
  ASSERT_FALSE(pem.ok());
  EXPECT_EQ(problems.size(), 2u);
}

TEST_F(FseSigning, NonCanonicalContentIsRefused) {
  // Signed bytes that parse as an FSE but are not its canonical form.
  const std::string canonical = toCanonicalJson(vd::billing::testing::validFse());
  const std::string pretty = "{ " + canonical.substr(1);
  auto key = vd::crypto::SigningKey::fromPemFile(s_files.key);
  auto cert = vd::crypto::X509Cert::fromPemFile(s_files.certificate);
  auto pem = vd::crypto::cmsSign(pretty, *key, *cert);
  ASSERT_TRUE(pem.ok());
  auto v = verifySignedFse(*pem, anchors(s_files));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, vd::core::Errc::FseMalformed);
}

}  // namespace
