#include "cli/token_check.hpp"

#include "app/credential_view.hpp"
#include "cli/apcv_output.hpp"
#include "crypto/digest.hpp"
#include "app/local_time.hpp"
#include "reader/apcv/token.hpp"
#include "reader/image/qr_reader.hpp"

namespace vd::cli {

namespace apcv = reader::apcv;

std::optional<TokenCheck> loadTokenCheck(const Invocation& inv, int& exitCode) {
  const std::string trustDir = trustDirOption(inv);
  if (trustDir.empty()) {
    *inv.err << inv.tr("Indiquez le dossier de confiance (--trust DIR ou VITALEDESK_TRUST_DIR).\n",
                       "Give the trust directory (--trust DIR or VITALEDESK_TRUST_DIR).\n");
    exitCode = kUsage;
    return std::nullopt;
  }
  std::int64_t now = app::SystemClock().now();
  if (auto at = inv.value("at")) {
    const auto t = parseIsoTime(*at);
    if (!t) {
      exitCode = reportError(inv, core::makeError(core::Errc::InvalidArgument, {"--at " + *at}), kUsage);
      return std::nullopt;
    }
    now = *t;
  }
  auto trust = crypto::TrustStore::load(trustDir);
  if (!trust) {
    exitCode = reportError(inv, trust.error(), kEnvironment);
    return std::nullopt;
  }
  return TokenCheck{std::move(*trust), now, inv.value("prefix").value_or(std::string(apcv::kTokenPrefix)),
                    inv.has("replay-cache") ? std::filesystem::path(*inv.value("replay-cache")) : defaultReplayCache()};
}

int checkTokenText(const Invocation& inv, const TokenCheck& check, std::string_view text, nlohmann::json& j) {
  j["trust"] = trustJson(inv, check.trust, check.now);
  if (inv.has("envelope-only")) {
    auto env = apcv::openEnvelope(text, check.trust, check.prefix);
    if (!env) {
      j["envelope"] = "refused";
      j["reasons"] = reasonsJson(inv, {env.error()});
      return kRejected;
    }
    j["envelope"] = "verified";
    j["issuer_kid"] = crypto::toHex(env->issuerKid);
    j["app_instance"] = {{"id", env->credential.appInstanceId},
                         {"not_before", isoTime(env->credential.notBefore)},
                         {"not_after", isoTime(env->credential.notAfter)}};
    j["claims_diagnostic"] = apcv::diagnostic(env->rawClaims);
    return kOk;
  }
  auto cache = apcv::ReplayCache::open(check.replayCache, check.now);
  if (!cache) {
    j = nlohmann::json();  // nothing to print: the error line says it all
    return reportError(inv, cache.error(), kEnvironment);
  }
  const core::FixedClock clock(check.now);
  apcv::VerifyOptions options;
  options.prefix = check.prefix;
  const apcv::Credential cred = apcv::TokenVerifier(check.trust, clock, *cache, options).verify(text);
  addCredentialJson(inv, cred, j);
  for (const auto& e : cred.reasons)
    if (e.code == core::Errc::ReplayCacheUnwritable) return kEnvironment;
  if (cred.verdict != apcv::Verdict::Verified) return kRejected;
  // --patient-out: the billing file of the verified credential (the desk's own mapping). The
  // origin does not matter to it; the date of care is today on the desk's calendar, or the
  // desk's local day of --at (app::localDay: 23:30Z on 7 December is the 8th in Paris).
  const app::CredentialView view = app::viewOfToken(cred, app::CredentialOrigin::QrImage, check.now);
  return writePatientFile(inv, view, inv.value("at") ? app::localDay(check.now) : localToday());
}

std::optional<std::string> tokenTextFromImage(const Invocation& inv, const std::string& path, nlohmann::json& j,
                                              int& exitCode) {
  auto fromImage = reader::image::readQrTextFromFile(path);
  if (fromImage) return std::move(*fromImage);
  if (fromImage.error().code == core::Errc::FileUnreadable) {
    exitCode = reportError(inv, fromImage.error(), kEnvironment);
    return std::nullopt;
  }
  j = nlohmann::json{{"verdict", "refused"}, {"reasons", reasonsJson(inv, {fromImage.error()})}};
  exitCode = kRejected;
  return std::nullopt;
}

}  // namespace vd::cli
