#pragma once
/// \file
/// Public and private keys for COSE signatures (ApCV tokens): loading from PEM or DER, either
/// a bare SubjectPublicKeyInfo or an X.509 certificate, the key identifier (kid) of the EU
/// Digital COVID Certificate, and generation of TEST-ONLY keys for the tests and the simulator.
/// OpenSSL types never appear here: keys are opaque handles. Keys are immutable once built
/// and may be shared between threads (copies share the same OpenSSL key, reference-counted).

#include <cstdint>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::crypto {

class PrivateKey;
class PublicKey;

/// What an X.509 certificate says about the use of its key (issuerAt, trust-list signer).
struct CertificateFacts {
  std::int64_t notBefore = 0, notAfter = 0;  ///< validity, Unix seconds (UTC)
  /// keyUsage extension present; then digitalSignature tells whether the key may sign data.
  bool hasKeyUsage = false, digitalSignature = false;
  /// Subject organizationIdentifier (2.5.4.97), the issuer identity a credential's `iss` must
  /// name; empty when the subject has none.
  std::string organizationIdentifier;
};
/// The key families COSE_Sign1 verification accepts (see cose.hpp for the algorithms).
enum class KeyType { EcP256, Ed25519, Rsa, Other };

/// Length of a DCC key identifier: the first 8 bytes of SHA-256 over the DER certificate.
inline constexpr std::size_t kKidSize = 8;

class PublicKey {
 public:
  /// PEM text holding a "PUBLIC KEY" (SubjectPublicKeyInfo) or a "CERTIFICATE" (the first
  /// one found). Errors: KeyUnreadable {reason}.
  static core::Result<PublicKey> fromPem(std::string_view pem);
  /// DER bytes of an X.509 certificate or of a SubjectPublicKeyInfo (tried in that order).
  /// Errors: KeyUnreadable {reason}.
  static core::Result<PublicKey> fromDer(std::span<const std::uint8_t> der);

  KeyType type() const;
  /// Size of the key in bits (256 for P-256 and Ed25519, the modulus size for RSA).
  int bits() const;
  /// DER of the certificate the key was taken from; empty for a bare public key.
  const std::vector<std::uint8_t>& certificateDer() const;
  /// DER SubjectPublicKeyInfo.
  std::vector<std::uint8_t> spkiDer() const;
  /// The key identifier: first 8 bytes of SHA-256 of the DER certificate (EU DCC rule); for a
  /// bare public key, of the DER SubjectPublicKeyInfo (VitaleDesk's rule, documented in
  /// docs/formats/cose.md).
  std::vector<std::uint8_t> kid() const;
  /// "-----BEGIN PUBLIC KEY-----" PEM text.
  std::string pem() const;
  /// Validity, key usage and identity of the certificate the key came from; nullopt for a bare
  /// public key (no validity or usage to check) or a certificate OpenSSL cannot read the dates of.
  std::optional<CertificateFacts> certificateFacts() const;

  PublicKey(const PublicKey&);
  PublicKey& operator=(const PublicKey&);
  PublicKey(PublicKey&&) noexcept;
  PublicKey& operator=(PublicKey&&) noexcept;
  ~PublicKey();

  /// Opaque; defined in crypto/key_impl.hpp for vd_crypto's own sources only.
  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  friend class PrivateKey;
  friend struct TestCertificateMaker;
  explicit PublicKey(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> m_impl;
};

class PrivateKey {
 public:
  /// A new TEST-ONLY key (EcP256, Ed25519, or Rsa of 2048 bits). Errors: InvalidArgument
  /// for KeyType::Other, Internal if OpenSSL fails.
  static core::Result<PrivateKey> generate(KeyType type);
  /// An unencrypted PEM private key ("PRIVATE KEY", PKCS#8, or the traditional forms).
  /// Errors: KeyUnreadable {reason}.
  static core::Result<PrivateKey> fromPem(std::string_view pem);

  KeyType type() const;
  PublicKey publicKey() const;
  /// Unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"): for test material only.
  std::string pem() const;

  PrivateKey(const PrivateKey&);
  PrivateKey& operator=(const PrivateKey&);
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  explicit PrivateKey(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> m_impl;
};

/// A TEST-ONLY self-signed X.509 certificate for `key` ("CN=<commonName> (TEST ONLY)", valid
/// from `days` days before now to `days` days after, no key usage extension), returned as a PublicKey carrying its certificate, so that kid()
/// follows the DCC rule. Errors: CoseSignFailed {reason}.
core::Result<PublicKey> makeTestCertificate(const PrivateKey& key, const std::string& commonName, int days = 3650);

/// TEST-ONLY certificate shapes: an issuer that has expired or is not yet valid, a key usage
/// without digitalSignature, an organizationIdentifier naming the issuer.
struct TestCertificateOptions {
  std::string commonName;
  std::int64_t notBeforeOffset = 0;          ///< seconds from now (negative: in the past)
  std::int64_t notAfterOffset = 3650 * 86400;  ///< seconds from now (negative: already expired)
  std::string keyUsage;                      ///< e.g. "critical,digitalSignature"; empty: no extension
  std::string organizationIdentifier;        ///< empty: none
};
/// As above with `options`. Errors: CoseSignFailed {reason}.
core::Result<PublicKey> makeTestCertificate(const PrivateKey& key, const TestCertificateOptions& options);

}  // namespace vd::crypto
