#pragma once
/// \file
/// Signing of documents (FSE, lots) as CMS SignedData (RFC 5652) with the content attached,
/// PEM-armoured, and their verification. The private key is either a PEM file (demo mode)
/// or a key inside a PKCS#11 token (production: the practitioner's CPS card; SoftHSM2 in
/// tests), reached through the libp11 engine — the only route from OpenSSL 3 to PKCS#11 on
/// Debian 12. OpenSSL types never appear in this header.
///
/// Thread affinity: a SigningKey may be used from one thread at a time.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::crypto {

/// Asked for the token PIN when it is needed; returns nullopt when the user cancels. The
/// PIN is passed to the token and wiped; it is never stored.
using PinCallback = std::function<std::optional<std::string>()>;

struct Pkcs11KeyConfig {
  std::string modulePath;  ///< e.g. /usr/lib/softhsm/libsofthsm2.so
  std::string keyUri;      ///< RFC 7512 URI, e.g. "pkcs11:token=CPS;object=sigkey;type=private"
};

class SigningKey {
 public:
  /// An unencrypted PEM private key (demo and test keys).
  static core::Result<SigningKey> fromPemFile(const std::filesystem::path& path);
  /// A key in a PKCS#11 token. Errors: SignerTokenUnavailable (engine or module missing),
  /// SignerPinCancelled, SignerKeyNotFound (wrong PIN, wrong URI).
  static core::Result<SigningKey> fromPkcs11(const Pkcs11KeyConfig& config, const PinCallback& askPin);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

class X509Cert {
 public:
  static core::Result<X509Cert> fromPemFile(const std::filesystem::path& path);
  static core::Result<X509Cert> fromPem(std::string_view pem);
  /// "CN=…, O=…" (RFC 2253).
  std::string subject() const;
  std::string pem() const;

  X509Cert(const X509Cert&);
  X509Cert& operator=(const X509Cert&);
  X509Cert(X509Cert&&) noexcept;
  X509Cert& operator=(X509Cert&&) noexcept;
  ~X509Cert();

  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  explicit X509Cert(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

/// CMS SignedData over `content` (attached, binary), signer certificate included, SHA-256.
/// Returns the PEM text ("-----BEGIN CMS-----"). Errors: SignerFailed.
core::Result<std::string> cmsSign(std::string_view content, const SigningKey& key, const X509Cert& certificate);

struct CmsVerified {
  std::string content;        ///< the signed bytes
  std::string signerSubject;  ///< subject of the signer certificate
  bool chainVerified = false; ///< true when checked up to one of the trust anchors
};

/// Verifies a PEM CMS produced by cmsSign: the signature always; the signer certificate's
/// chain too when `trustAnchors` is not empty. Errors: CmsMalformed (not a CMS, input over
/// 4 MiB), CmsSignatureInvalid (altered content or signature, untrusted or expired signer).
core::Result<CmsVerified> cmsVerify(std::string_view pem, const std::vector<X509Cert>& trustAnchors);

}  // namespace vd::crypto
