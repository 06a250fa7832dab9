#pragma once
/// \file
/// The FSE signing port and its CMS implementation (docs/formats/fse.md). A signed FSE is a
/// PEM CMS SignedData whose attached content is the FSE's canonical JSON, signed with the
/// practitioner's key (PKCS#11 token in production, PEM file in the demo).

#include <string>
#include <string_view>
#include <vector>

#include "billing/fse/fse.hpp"
#include "crypto/cms.hpp"

namespace vd::billing {

/// Signs canonical FSE bytes. Implementations may block on a token: call from a worker.
class FseSigner {
 public:
  virtual ~FseSigner() = default;
  virtual core::Result<std::string> sign(std::string_view canonicalFse) = 0;
};

class CmsFseSigner final : public FseSigner {
 public:
  CmsFseSigner(crypto::SigningKey key, crypto::X509Cert certificate)
      : m_key(std::move(key)), m_certificate(std::move(certificate)) {}
  core::Result<std::string> sign(std::string_view canonicalFse) override {
    return crypto::cmsSign(canonicalFse, m_key, m_certificate);
  }

 private:
  crypto::SigningKey m_key;
  crypto::X509Cert m_certificate;
};

/// Validates `fse` (every problem → the first returned, all listed in `problems` when
/// given), then signs its canonical form.
core::Result<std::string> signFse(const Fse& fse, FseSigner& signer, std::vector<core::Error>* problems = nullptr);

struct VerifiedFse {
  Fse fse;
  std::string signerSubject;
  bool chainVerified = false;          ///< signer certificate chained to a trust anchor
  std::vector<core::Error> problems;   ///< validation problems of the content (should be none)
};

/// Checks the signature (and the chain when anchors are given), that the content is in
/// canonical form (a re-serialisation gives the same bytes) and parses it.
core::Result<VerifiedFse> verifySignedFse(std::string_view pem, const std::vector<crypto::X509Cert>& trustAnchors);

}  // namespace vd::billing
