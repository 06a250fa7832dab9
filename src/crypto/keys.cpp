#include "crypto/keys.hpp"

#include <climits>
#include <ctime>
#include <cstdio>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "crypto/digest.hpp"
#include "crypto/key_impl.hpp"

namespace vd::crypto {
namespace detail {

std::string opensslError() {
  // The packed error code, language-neutral (`openssl errstr CODE` gives OpenSSL's English
  // text): the argument lands inside French catalog sentences.
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "OpenSSL %08lX", e);
  return buffer;
}

KeyType keyTypeOf(const EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519")) return KeyType::Ed25519;
  if (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS")) return KeyType::Rsa;
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) == 1 &&
        std::string_view(group, length) == "prime256v1") {
      return KeyType::EcP256;
    }
  }
  return KeyType::Other;
}

}  // namespace detail

namespace {

struct BioDeleter {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

Bio memBio(const void* data, std::size_t size) {
  return Bio(BIO_new_mem_buf(data, size > INT_MAX ? 0 : static_cast<int>(size)));
}

std::string bioText(BIO* bio) {
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio, &p);
  return n > 0 ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

core::Failure unreadable(std::string reason) {
  ERR_clear_error();
  return core::fail(core::Errc::KeyUnreadable, {std::move(reason)});
}

constexpr std::size_t kMaxKeyInput = 64 * 1024;

std::vector<std::uint8_t> certificateDerOf(X509* cert) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n <= 0) return {};
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

}  // namespace

PublicKey::PublicKey(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
PublicKey::PublicKey(const PublicKey&) = default;
PublicKey& PublicKey::operator=(const PublicKey&) = default;
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;
PublicKey::~PublicKey() = default;

core::Result<PublicKey> PublicKey::fromPem(std::string_view pem) {
  if (pem.size() > kMaxKeyInput) return unreadable("input too large");
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
    Bio bio = memBio(pem.data(), pem.size());
    detail::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) return unreadable("PEM certificate: " + detail::opensslError());
    const std::vector<std::uint8_t> der = certificateDerOf(cert.get());
    return fromDer(der);
  }
  Bio bio = memBio(pem.data(), pem.size());
  detail::PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return unreadable("PEM public key: " + detail::opensslError());
  auto impl = std::make_shared<Impl>();
  impl->key = std::move(key);
  return PublicKey(std::move(impl));
}

core::Result<PublicKey> PublicKey::fromDer(std::span<const std::uint8_t> der) {
  if (der.empty() || der.size() > kMaxKeyInput || der.size() > LONG_MAX) return unreadable("DER size");
  const unsigned char* p = der.data();
  detail::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert && p == der.data() + der.size()) {
    detail::PkeyPtr key(X509_get_pubkey(cert.get()));  // a new reference
    if (!key) return unreadable("certificate key: " + detail::opensslError());
    auto impl = std::make_shared<Impl>();
    impl->key = std::move(key);
    impl->certificateDer.assign(der.begin(), der.end());
    return PublicKey(std::move(impl));
  }
  ERR_clear_error();
  p = der.data();
  detail::PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!key || p != der.data() + der.size()) return unreadable("neither a certificate nor a public key");
  auto impl = std::make_shared<Impl>();
  impl->key = std::move(key);
  return PublicKey(std::move(impl));
}

KeyType PublicKey::type() const {
  return detail::keyTypeOf(m_impl->key.get());
}
int PublicKey::bits() const {
  return EVP_PKEY_get_bits(m_impl->key.get());
}
const std::vector<std::uint8_t>& PublicKey::certificateDer() const {
  return m_impl->certificateDer;
}

std::vector<std::uint8_t> PublicKey::spkiDer() const {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(m_impl->key.get(), &der);
  if (n <= 0) return {};
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

std::vector<std::uint8_t> PublicKey::kid() const {
  const Sha256Digest digest = m_impl->certificateDer.empty() ? sha256(spkiDer()) : sha256(m_impl->certificateDer);
  return std::vector<std::uint8_t>(digest.begin(), digest.begin() + kKidSize);
}

std::string PublicKey::pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_impl->key.get()) != 1) return {};
  return bioText(bio.get());
}

PrivateKey::PrivateKey(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
PrivateKey::PrivateKey(const PrivateKey&) = default;
PrivateKey& PrivateKey::operator=(const PrivateKey&) = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

core::Result<PrivateKey> PrivateKey::generate(KeyType type) {
  EVP_PKEY* raw = nullptr;
  switch (type) {
    case KeyType::EcP256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyType::Ed25519:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    case KeyType::Rsa:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048));
      break;
    case KeyType::Other:
      return core::fail(core::Errc::InvalidArgument, {"key_type"});
  }
  detail::PkeyPtr key(raw);
  if (!key) return core::fail(core::Errc::Internal, {"keygen " + detail::opensslError()});
  auto impl = std::make_shared<Impl>();
  impl->key = std::move(key);
  return PrivateKey(std::move(impl));
}

core::Result<PrivateKey> PrivateKey::fromPem(std::string_view pem) {
  if (pem.size() > kMaxKeyInput) return unreadable("input too large");
  Bio bio = memBio(pem.data(), pem.size());
  // An empty passphrase callback: an encrypted key fails instead of prompting on a terminal.
  auto noPassphrase = [](char*, int, int, void*) -> int { return 0; };
  detail::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
  if (!key) return unreadable("PEM private key: " + detail::opensslError());
  auto impl = std::make_shared<Impl>();
  impl->key = std::move(key);
  return PrivateKey(std::move(impl));
}

KeyType PrivateKey::type() const {
  return detail::keyTypeOf(m_impl->key.get());
}

PublicKey PrivateKey::publicKey() const {
  // Round trip through the DER SubjectPublicKeyInfo: the public half only, no private part.
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(m_impl->key.get(), &der);
  auto impl = std::make_shared<PublicKey::Impl>();
  if (n > 0) {
    const unsigned char* p = der;
    impl->key.reset(d2i_PUBKEY(nullptr, &p, n));
  }
  OPENSSL_free(der);
  if (!impl->key) throw std::bad_alloc();  // only memory exhaustion can fail here
  return PublicKey(std::move(impl));
}

std::string PrivateKey::pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), m_impl->key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  return bioText(bio.get());
}

std::optional<CertificateFacts> PublicKey::certificateFacts() const {
  const auto& der = m_impl->certificateDer;
  if (der.empty()) return std::nullopt;
  const unsigned char* p = der.data();
  detail::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    ERR_clear_error();
    return std::nullopt;
  }
  CertificateFacts f;
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notBefore(cert.get()), &tm) != 1) return std::nullopt;
  f.notBefore = timegm(&tm);
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &tm) != 1) return std::nullopt;
  f.notAfter = timegm(&tm);
  const std::uint32_t usage = X509_get_key_usage(cert.get());  // UINT32_MAX when absent
  f.hasKeyUsage = usage != UINT32_MAX;
  f.digitalSignature = (usage & KU_DIGITAL_SIGNATURE) != 0;
  const X509_NAME* subject = X509_get_subject_name(cert.get());
  const int i = X509_NAME_get_index_by_NID(subject, NID_organizationIdentifier, -1);
  if (i >= 0) {
    const ASN1_STRING* v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, v);
    if (n > 0) f.organizationIdentifier.assign(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
  }
  ERR_clear_error();
  return f;
}

core::Result<PublicKey> makeTestCertificate(const PrivateKey& key, const std::string& commonName, int days) {
  TestCertificateOptions o;
  o.commonName = commonName;
  // Valid `days` either side of now: tests on a fixed clock in the past still fall inside it.
  o.notBeforeOffset = -86400L * days;
  o.notAfterOffset = 86400L * days;
  return makeTestCertificate(key, o);
}

struct TestCertificateMaker {
  static PublicKey wrap(std::shared_ptr<const PublicKey::Impl> impl) { return PublicKey(std::move(impl)); }
};

core::Result<PublicKey> makeTestCertificate(const PrivateKey& key, const TestCertificateOptions& options) {
  EVP_PKEY* pkey = key.impl().key.get();
  detail::X509Ptr cert(X509_new());
  if (!cert) return core::fail(core::Errc::CoseSignFailed, {"X509_new"});
  const std::string cn = options.commonName + " (TEST ONLY)";
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto addName = [name](int nid, const std::string& v) {
    return X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(v.c_str()), -1,
                                      -1, 0) == 1;
  };
  bool ok = X509_set_version(cert.get(), 2) == 1 && ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1 &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(options.notBeforeOffset)) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(options.notAfterOffset)) != nullptr &&
            addName(NID_commonName, cn) &&
            (options.organizationIdentifier.empty() || addName(NID_organizationIdentifier, options.organizationIdentifier)) &&
            X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), pkey) == 1;
  if (ok && !options.keyUsage.empty()) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_key_usage, options.keyUsage.c_str());
    ok = ext != nullptr && X509_add_ext(cert.get(), ext, -1) == 1;
    X509_EXTENSION_free(ext);
  }
  if (!ok) return core::fail(core::Errc::CoseSignFailed, {"X.509 " + detail::opensslError()});
  // Ed25519 signs without a separate digest.
  const EVP_MD* md = detail::keyTypeOf(pkey) == KeyType::Ed25519 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), pkey, md) <= 0) {
    return core::fail(core::Errc::CoseSignFailed, {"X.509 " + detail::opensslError()});
  }
  const std::vector<std::uint8_t> der = certificateDerOf(cert.get());
  auto impl = std::make_shared<PublicKey::Impl>();
  impl->key.reset(X509_get_pubkey(cert.get()));
  impl->certificateDer = der;
  if (!impl->key) return core::fail(core::Errc::CoseSignFailed, {"certificate.key"});
  return TestCertificateMaker::wrap(std::move(impl));
}

}  // namespace vd::crypto
