#include "billing/fse/fse_signing.hpp"

namespace vd::billing {

core::Result<std::string> signFse(const Fse& fse, FseSigner& signer, std::vector<core::Error>* problems) {
  auto found = validateFse(fse);
  if (!found.empty()) {
    core::Error first = found.front();
    if (problems != nullptr) *problems = std::move(found);
    return core::fail(std::move(first));
  }
  return signer.sign(toCanonicalJson(fse));
}

core::Result<VerifiedFse> verifySignedFse(std::string_view pem, const std::vector<crypto::X509Cert>& trustAnchors) {
  auto verified = crypto::cmsVerify(pem, trustAnchors);
  if (!verified) return core::fail(verified.error());
  auto fse = fseFromJson(verified->content);
  if (!fse) return core::fail(fse.error());
  // A signed document whose bytes are not canonical could show one thing and mean another
  // to a different parser: refuse it.
  if (toCanonicalJson(*fse) != verified->content) return core::fail(core::Errc::FseMalformed, {core::frEn("forme non canonique", "not canonical")});
  VerifiedFse out{std::move(*fse), verified->signerSubject, verified->chainVerified, {}};
  out.problems = validateFse(out.fse);
  return out;
}

}  // namespace vd::billing
