// vitaledesk-cli token verify: the ApCV token (QR text) through the same verifier as the desk.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/date.hpp"
#include "crypto/digest.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/clock.hpp"
#include "reader/apcv/token.hpp"
#include "reader/image/qr_reader.hpp"

namespace vd::cli {
namespace {

namespace apcv = reader::apcv;

// "YYYY-MM-DD" (midnight) or "YYYY-MM-DDTHH:MM:SS" with an optional "Z": UTC seconds.
std::optional<std::int64_t> parseIsoTime(std::string_view s) {
  if (!s.empty() && s.back() == 'Z') s.remove_suffix(1);
  auto d = core::Date::parseIso(s.substr(0, 10));
  if (!d) return std::nullopt;
  std::int64_t t = static_cast<std::int64_t>(d->dayNumber()) * 86400;
  if (s.size() == 10) return t;
  if (s.size() != 19 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':') return std::nullopt;
  int parts[3];
  for (int i = 0; i < 3; ++i) {
    const char a = s[11 + 3 * i], b = s[12 + 3 * i];
    if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
    parts[i] = (a - '0') * 10 + (b - '0');
  }
  if (parts[0] > 23 || parts[1] > 59 || parts[2] > 59) return std::nullopt;
  return t + parts[0] * 3600 + parts[1] * 60 + parts[2];
}

std::string isoTime(std::int64_t t) {
  const auto days = static_cast<std::int32_t>(t >= 0 ? t / 86400 : (t - 86399) / 86400);
  const std::int64_t sec = t - static_cast<std::int64_t>(days) * 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(sec / 3600), static_cast<int>(sec / 60 % 60),
                static_cast<int>(sec % 60));
  return core::Date::fromDayNumber(days).iso() + buf;
}

nlohmann::json personJson(const apcv::Person& p) {
  nlohmann::json j{{"nir", p.nir},         {"birth_name", p.birthName}, {"first_names", p.firstNames},
                   {"birth_date", p.birthDate}, {"birth_rank", p.birthRank}, {"qualite", p.qualite}};
  if (!p.insOid.empty()) j["ins_oid"] = p.insOid;
  return j;
}

nlohmann::json reasonsJson(const Invocation& inv, const std::vector<core::Error>& reasons) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& e : reasons) {
    const auto m = core::describe(e, inv.lang);
    a.push_back({{"id", core::errcId(e.code)}, {"cause", m.cause}, {"action", m.action}});
  }
  return a;
}

std::filesystem::path defaultReplayCache() {
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = state != nullptr && *state != '\0' ? std::filesystem::path(state)
                               : home != nullptr                   ? std::filesystem::path(home) / ".local" / "state"
                                                                   : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(base / "vitaledesk", ec);
  return base / "vitaledesk" / "apcv-replay.txt";
}

int tokenVerify(Invocation& inv) {
  std::string trustDir = inv.value("trust").value_or("");
  if (trustDir.empty()) {
    const char* env = std::getenv("VITALEDESK_TRUST_DIR");
    trustDir = env != nullptr ? env : "";
  }
  if (trustDir.empty()) {
    *inv.err << inv.tr("Indiquez le dossier de confiance (--trust DIR ou VITALEDESK_TRUST_DIR).\n",
                       "Give the trust directory (--trust DIR or VITALEDESK_TRUST_DIR).\n");
    return kUsage;
  }
  std::int64_t now = reader::SystemClock().nowUnixSeconds();
  if (auto at = inv.value("at")) {
    const auto t = parseIsoTime(*at);
    if (!t) return reportError(inv, core::makeError(core::Errc::InvalidArgument, {"--at " + *at}), kUsage);
    now = *t;
  }
  auto trust = crypto::TrustStore::load(trustDir);
  if (!trust) return reportError(inv, trust.error(), kEnvironment);
  const std::string prefix = inv.value("prefix").value_or(std::string(apcv::kTokenPrefix));
  if (inv.has("image") == !inv.positional.empty()) {
    *inv.err << inv.tr("Donnez soit le texte du QR code, soit --image FICHIER.\n",
                       "Give either the QR text or --image FILE.\n");
    return kUsage;
  }
  std::string text;
  if (inv.has("image")) {
    auto fromImage = reader::image::readQrTextFromFile(*inv.value("image"));
    if (!fromImage) {
      if (fromImage.error().code == core::Errc::FileUnreadable) return reportError(inv, fromImage.error(), kEnvironment);
      const nlohmann::json j{{"verdict", "refused"}, {"reasons", reasonsJson(inv, {fromImage.error()})}};
      *inv.out << j.dump(2) << '\n';
      return kRejected;
    }
    text = std::move(*fromImage);
  } else {
    text = inv.positional[0];
  }

  nlohmann::json j;
  nlohmann::json t{{"issuers", trust->issuerCount()}, {"revoked_app_instances", trust->revokedAppInstanceCount()}};
  if (const auto age = trust->ageInDays(core::Date::fromDayNumber(static_cast<std::int32_t>(now / 86400)))) {
    t["age_days"] = *age;
    t["status"] = std::string(inv.tr("les données de confiance datent de ", "trust material is ")) +
                  std::to_string(*age) + std::string(inv.tr(" jours", " days old"));
  }
  j["trust"] = t;

  if (inv.has("envelope-only")) {
    auto env = apcv::openEnvelope(text, *trust, prefix);
    if (!env) {
      j["envelope"] = "refused";
      j["reasons"] = reasonsJson(inv, {env.error()});
      *inv.out << j.dump(2) << '\n';
      return kRejected;
    }
    j["envelope"] = "verified";
    j["issuer_kid"] = crypto::toHex(env->issuerKid);
    j["app_instance"] = {{"id", env->appCertificate.appInstanceId},
                         {"not_before", isoTime(env->appCertificate.notBefore)},
                         {"not_after", isoTime(env->appCertificate.notAfter)}};
    j["claims_diagnostic"] = apcv::diagnostic(env->rawClaims);
    *inv.out << j.dump(2) << '\n';
    return kOk;
  }

  auto cache = inv.has("replay-cache") ? apcv::ReplayCache::open(*inv.value("replay-cache"), now)
                                       : apcv::ReplayCache::open(defaultReplayCache(), now);
  if (!cache) return reportError(inv, cache.error(), kEnvironment);
  const reader::FixedClock clock(now);
  apcv::VerifyOptions options;
  options.prefix = prefix;
  const apcv::Credential cred = apcv::TokenVerifier(*trust, clock, *cache, options).verify(text);
  const bool ok = cred.verdict == apcv::Verdict::Verified;
  j["verdict"] = ok ? "verified" : "refused";
  j["reasons"] = reasonsJson(inv, cred.reasons);
  if (!cred.issuerKidHex.empty()) j["issuer_kid"] = cred.issuerKidHex;
  // Identity and rights only when verified: refused data is never shown as if it were.
  if (ok && cred.claims) {
    const apcv::Claims& c = *cred.claims;
    j["token"] = {{"issuer", c.issuer}, {"issued_at", isoTime(c.issuedAt)}, {"expires_at", isoTime(c.expiresAt)},
                  {"app_instance", c.appInstanceId}};
    j["insured"] = personJson(c.insured);
    j["beneficiaries"] = nlohmann::json::array();
    for (const auto& b : c.beneficiaries) j["beneficiaries"].push_back(personJson(b));
    j["rights"] = {{"as_of", c.rights.asOf}, {"regime", c.rights.regime}, {"caisse", c.rights.caisse},
                   {"centre", c.rights.centre}, {"exemptions", c.rights.exemptions}, {"c2s", c.rights.c2s}};
    if (!c.rights.amc.empty()) j["rights"]["amc"] = c.rights.amc;
    if (cred.presentation) {
      j["presented_by"] = *cred.presentation;
      j["delegation"] = {{"delegate", c.delegation->firstNames + " " + c.delegation->birthName},
                         {"until", isoTime(c.delegation->until)}};
    }
  }
  *inv.out << j.dump(2) << '\n';
  for (const auto& e : cred.reasons)
    if (e.code == core::Errc::ReplayCacheUnwritable) return kEnvironment;
  return ok ? kOk : kRejected;
}

}  // namespace

std::vector<Command> tokenCommands() {
  return {Command{{"token", "verify"},
                  "<QR-TEXT> | --image FILE",
                  0,
                  1,
                  "Verify an appli carte Vitale token (QR text): signatures, validity, revocation, replay; JSON.",
                  {{"trust", "DIR", "trust directory (issuers/, revocation lists); default $VITALEDESK_TRUST_DIR"},
                   {"prefix", "P", "expected prefix (default VD1:)"},
                   {"image", "FILE", "read the QR code from a PNG image instead of the text"},
                   {"at", "ISO-TIME", "verify as of this UTC time (YYYY-MM-DD[THH:MM:SS[Z]]) instead of now"},
                   {"envelope-only", "", "check prefix, Base45, zlib, COSE and signatures; print the raw claims"},
                   {"replay-cache", "FILE",
                    "token ids already seen (default $XDG_STATE_HOME/vitaledesk/apcv-replay.txt)"}},
                  tokenVerify}};
}

}  // namespace vd::cli
