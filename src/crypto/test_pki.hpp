#pragma once
/// \file
/// Generates TEST-ONLY key material for the simulator, the demo mode and the tests: a test
/// certification authority and certificates it issues (ECDSA P-256). Every subject says
/// "TEST ONLY"; nothing here is production material, and generated keys are never committed.

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace vd::crypto {

struct TestPkiFiles {
  std::filesystem::path caCertificate;  ///< ca.pem
  std::filesystem::path caKey;          ///< ca-key.pem (0600)
  std::filesystem::path certificate;    ///< <name>.pem
  std::filesystem::path key;            ///< <name>-key.pem (0600)
};

/// Creates `dir` if needed; reuses an existing ca.pem/ca-key.pem there, else creates them;
/// then issues a certificate for a new key named `name` with the given common name
/// (valid 10 years, digitalSignature + nonRepudiation). Errors: FileUnreadable, SignerFailed.
core::Result<TestPkiFiles> issueTestCertificate(const std::filesystem::path& dir, const std::string& name,
                                                const std::string& commonName);

/// Extra X.509 extensions for TLS test certificates (OpenSSL configuration syntax).
struct TestCertificateProfile {
  std::string extendedKeyUsage;  ///< e.g. "serverAuth" or "clientAuth"; empty = none
  std::string subjectAltName;    ///< e.g. "IP:127.0.0.1,DNS:localhost"; empty = none
};

/// The same, with the extensions of `profile` added to the issued certificate.
core::Result<TestPkiFiles> issueTestCertificate(const std::filesystem::path& dir, const std::string& name,
                                                const std::string& commonName, const TestCertificateProfile& profile);

}  // namespace vd::crypto
