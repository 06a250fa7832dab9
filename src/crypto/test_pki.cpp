#include "crypto/test_pki.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace vd::crypto {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

core::Failure failed(const char* what) {
  ERR_clear_error();
  return core::fail(core::Errc::SignerFailed, {what});
}

bool writePem(const std::filesystem::path& path, EVP_PKEY* key, X509* cert) {
  const mode_t old = umask(077);  // keys are 0600 from the first byte
  std::FILE* f = std::fopen(path.c_str(), "wb");
  umask(old);
  if (f == nullptr) return false;
  const int ok = key != nullptr ? PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr)
                                : PEM_write_X509(f, cert);
  return std::fclose(f) == 0 && ok == 1;
}

KeyPtr readKey(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return KeyPtr(nullptr, EVP_PKEY_free);
  EVP_PKEY* k = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return KeyPtr(k, EVP_PKEY_free);
}

CertPtr readCert(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return CertPtr(nullptr, X509_free);
  X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return CertPtr(c, X509_free);
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext != nullptr) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

CertPtr makeCert(EVP_PKEY* subjectKey, const std::string& cn, X509* issuer, EVP_PKEY* issuerKey, bool ca,
                 const TestCertificateProfile& profile = {}) {
  CertPtr cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 366 * 24 * 3600);
  X509_set_pubkey(cert.get(), subjectKey);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("VitaleDesk TEST ONLY"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509* issuerForExt = issuer != nullptr ? issuer : cert.get();
  if (ca) {
    addExtension(cert.get(), issuerForExt, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(cert.get(), issuerForExt, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    addExtension(cert.get(), issuerForExt, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), issuerForExt, NID_key_usage, "critical,digitalSignature,nonRepudiation");
  }
  if (!profile.extendedKeyUsage.empty())
    addExtension(cert.get(), issuerForExt, NID_ext_key_usage, profile.extendedKeyUsage.c_str());
  if (!profile.subjectAltName.empty())
    addExtension(cert.get(), issuerForExt, NID_subject_alt_name, profile.subjectAltName.c_str());
  if (X509_sign(cert.get(), issuerKey, EVP_sha256()) == 0) return CertPtr(nullptr, X509_free);
  return cert;
}

}  // namespace

core::Result<TestPkiFiles> issueTestCertificate(const std::filesystem::path& dir, const std::string& name,
                                                const std::string& commonName) {
  return issueTestCertificate(dir, name, commonName, TestCertificateProfile{});
}

core::Result<TestPkiFiles> issueTestCertificate(const std::filesystem::path& dir, const std::string& name,
                                                const std::string& commonName, const TestCertificateProfile& profile) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {dir.string(), core::errnoName(ec.value())});
  TestPkiFiles files{dir / "ca.pem", dir / "ca-key.pem", dir / (name + ".pem"), dir / (name + "-key.pem")};

  KeyPtr caKey = readKey(files.caKey);
  CertPtr caCert = readCert(files.caCertificate);
  if (!caKey || !caCert) {
    caKey = KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
    if (!caKey) return failed("CA key");
    caCert = makeCert(caKey.get(), "VitaleDesk TEST ONLY certification authority", nullptr, caKey.get(), true);
    if (!caCert) return failed("CA certificate");
    if (!writePem(files.caKey, caKey.get(), nullptr) || !writePem(files.caCertificate, nullptr, caCert.get())) {
      return core::fail(core::Errc::FileUnreadable, {dir.string(), core::frEn("écriture", "write")});
    }
  }
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
  if (!key) return failed("key");
  CertPtr cert = makeCert(key.get(), commonName, caCert.get(), caKey.get(), false, profile);
  if (!cert) return failed("certificate");
  if (!writePem(files.key, key.get(), nullptr) || !writePem(files.certificate, nullptr, cert.get())) {
    return core::fail(core::Errc::FileUnreadable, {dir.string(), core::frEn("écriture", "write")});
  }
  return files;
}

}  // namespace vd::crypto
