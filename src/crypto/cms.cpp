// OpenSSL's ENGINE API is deprecated in OpenSSL 3 but is the only PKCS#11 route on Debian 12
// (libengine-pkcs11-openssl; no pkcs11-provider). It is confined to this file.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "crypto/cms.hpp"

#include "crypto/key_impl.hpp"

// pem.h first: cms.h declares PEM_read/write_bio_CMS with pem.h's macros.
#include <openssl/pem.h>
// (blank line keeps clang-format from reordering)
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

namespace vd::crypto {

namespace {
constexpr std::size_t kMaxCmsBytes = 4u << 20;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr memBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string bioText(BIO* bio) {
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio, &p);
  return n > 0 ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

core::Result<std::string> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return core::fail(core::Errc::FileUnreadable, {path.string(), core::frEn("ouverture impossible", "cannot open")});
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

struct SigningKey::Impl {
  EVP_PKEY* key = nullptr;
  ENGINE* engine = nullptr;  // kept initialised while a token key is in use
  ~Impl() {
    EVP_PKEY_free(key);
    if (engine != nullptr) {
      ENGINE_finish(engine);
      ENGINE_free(engine);
    }
  }
};

struct X509Cert::Impl {
  X509* cert = nullptr;
  ~Impl() { X509_free(cert); }
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

core::Result<SigningKey> SigningKey::fromPemFile(const std::filesystem::path& path) {
  auto text = readFile(path);
  if (!text) return core::fail(text.error());
  BioPtr bio = memBio(*text);
  auto impl = std::make_unique<Impl>();
  impl->key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  OPENSSL_cleanse(text->data(), text->size());
  if (impl->key == nullptr) return core::fail(core::Errc::SignerKeyNotFound, {path.filename().string()});
  return SigningKey(std::move(impl));
}

core::Result<SigningKey> SigningKey::fromPkcs11(const Pkcs11KeyConfig& config, const PinCallback& askPin) {
  ENGINE* e = ENGINE_by_id("pkcs11");
  if (e == nullptr) {
    ERR_clear_error();
    return core::fail(core::Errc::SignerTokenUnavailable, {"libengine-pkcs11-openssl"});
  }
  auto impl = std::make_unique<Impl>();
  if (ENGINE_ctrl_cmd_string(e, "MODULE_PATH", config.modulePath.c_str(), 0) != 1 || ENGINE_init(e) != 1) {
    ENGINE_free(e);
    ERR_clear_error();
    return core::fail(core::Errc::SignerTokenUnavailable, {config.modulePath});
  }
  impl->engine = e;
  std::optional<std::string> pin = askPin ? askPin() : std::nullopt;
  if (!pin) return core::fail(core::Errc::SignerPinCancelled);
  const int pinOk = ENGINE_ctrl_cmd_string(e, "PIN", pin->c_str(), 0);
  OPENSSL_cleanse(pin->data(), pin->size());
  if (pinOk != 1) {
    ERR_clear_error();
    return core::fail(core::Errc::SignerTokenUnavailable, {config.modulePath});
  }
  impl->key = ENGINE_load_private_key(e, config.keyUri.c_str(), nullptr, nullptr);
  if (impl->key == nullptr) {
    ERR_clear_error();
    return core::fail(core::Errc::SignerKeyNotFound, {"pkcs11"});
  }
  return SigningKey(std::move(impl));
}

X509Cert::X509Cert(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
X509Cert::X509Cert(const X509Cert& o) : m_impl(std::make_unique<Impl>()) {
  X509_up_ref(o.m_impl->cert);
  m_impl->cert = o.m_impl->cert;
}
X509Cert& X509Cert::operator=(const X509Cert& o) {
  if (this != &o) *this = X509Cert(o);
  return *this;
}
X509Cert::X509Cert(X509Cert&&) noexcept = default;
X509Cert& X509Cert::operator=(X509Cert&&) noexcept = default;
X509Cert::~X509Cert() = default;

core::Result<X509Cert> X509Cert::fromPem(std::string_view pem) {
  BioPtr bio = memBio(pem);
  auto impl = std::make_unique<Impl>();
  impl->cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (impl->cert == nullptr) {
    ERR_clear_error();
    return core::fail(core::Errc::CertificateUnreadable);
  }
  return X509Cert(std::move(impl));
}

core::Result<X509Cert> X509Cert::fromPemFile(const std::filesystem::path& path) {
  auto text = readFile(path);
  if (!text) return core::fail(text.error());
  auto cert = fromPem(*text);
  if (!cert) return core::fail(core::Errc::CertificateUnreadable, {}, path.filename().string());
  return cert;
}

std::string X509Cert::subject() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(m_impl->cert), 0, XN_FLAG_RFC2253);
  return bioText(bio.get());
}

std::string X509Cert::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), m_impl->cert);
  return bioText(bio.get());
}

core::Result<std::string> cmsSign(std::string_view content, const SigningKey& key, const X509Cert& certificate) {
  BioPtr in = memBio(content);
  CMS_ContentInfo* cms = CMS_sign(certificate.impl().cert, key.impl().key, nullptr, in.get(), CMS_BINARY);
  if (cms == nullptr) return core::fail(core::Errc::SignerFailed, {detail::opensslError()});
  BioPtr out(BIO_new(BIO_s_mem()));
  const int ok = PEM_write_bio_CMS(out.get(), cms);
  CMS_ContentInfo_free(cms);
  if (ok != 1) return core::fail(core::Errc::SignerFailed, {detail::opensslError()});
  return bioText(out.get());
}

core::Result<CmsVerified> cmsVerify(std::string_view pem, const std::vector<X509Cert>& trustAnchors) {
  if (pem.size() > kMaxCmsBytes) return core::fail(core::Errc::CmsMalformed, {"size"});
  BioPtr in = memBio(pem);
  CMS_ContentInfo* cms = PEM_read_bio_CMS(in.get(), nullptr, nullptr, nullptr);
  if (cms == nullptr) {
    ERR_clear_error();
    return core::fail(core::Errc::CmsMalformed, {"PEM/CMS"});
  }
  std::unique_ptr<CMS_ContentInfo, decltype(&CMS_ContentInfo_free)> guard(cms, CMS_ContentInfo_free);
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  for (const auto& anchor : trustAnchors) X509_STORE_add_cert(store.get(), anchor.impl().cert);
  const unsigned flags = CMS_BINARY | (trustAnchors.empty() ? CMS_NO_SIGNER_CERT_VERIFY : 0u);
  BioPtr out(BIO_new(BIO_s_mem()));
  if (CMS_verify(cms, nullptr, store.get(), nullptr, out.get(), flags) != 1) {
    return core::fail(core::Errc::CmsSignatureInvalid, {detail::opensslError()});
  }
  // OpenSSL accepts an altered eContentType or signature-algorithm identifier as long as the
  // digest and key verify: the profile of docs/formats/fse.md is strict, so any other value
  // is a modified document.
  if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
    return core::fail(core::Errc::CmsSignatureInvalid, {"contentType"});
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms);
  if (infos == nullptr || sk_CMS_SignerInfo_num(infos) != 1) {
    return core::fail(core::Errc::CmsSignatureInvalid, {"signerInfos"});
  }
  X509_ALGOR* digestAlg = nullptr;
  X509_ALGOR* signatureAlg = nullptr;
  CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(infos, 0), nullptr, nullptr, &digestAlg, &signatureAlg);
  const ASN1_OBJECT* digestOid = nullptr;
  const ASN1_OBJECT* signatureOid = nullptr;
  if (digestAlg != nullptr) X509_ALGOR_get0(&digestOid, nullptr, nullptr, digestAlg);
  if (signatureAlg != nullptr) X509_ALGOR_get0(&signatureOid, nullptr, nullptr, signatureAlg);
  const int sigNid = OBJ_obj2nid(signatureOid);
  if (OBJ_obj2nid(digestOid) != NID_sha256 ||
      (sigNid != NID_ecdsa_with_SHA256 && sigNid != NID_sha256WithRSAEncryption && sigNid != NID_rsassaPss &&
       sigNid != NID_rsaEncryption && sigNid != NID_X9_62_id_ecPublicKey)) {
    return core::fail(core::Errc::CmsSignatureInvalid, {"algorithm"});
  }
  CmsVerified result;
  result.content = bioText(out.get());
  result.chainVerified = !trustAnchors.empty();
  STACK_OF(X509)* signers = CMS_get0_signers(cms);
  if (signers != nullptr && sk_X509_num(signers) > 0) {
    BioPtr name(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(name.get(), X509_get_subject_name(sk_X509_value(signers, 0)), 0, XN_FLAG_RFC2253);
    result.signerSubject = bioText(name.get());
  }
  sk_X509_free(signers);
  return result;
}

}  // namespace vd::crypto
