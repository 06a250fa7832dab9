#include "cli/apcv_output.hpp"

#include <cstdio>
#include <cstdlib>

#include "app/desk_config.hpp"
#include "core/date.hpp"
#include "core/messages.hpp"

namespace vd::cli {
namespace {

namespace apcv = reader::apcv;

nlohmann::json personJson(const apcv::Person& p) {
  nlohmann::json j{{"nir", p.nir},         {"birth_name", p.birthName}, {"first_names", p.firstNames},
                   {"birth_date", p.birthDate}, {"birth_rank", p.birthRank}, {"qualite", p.qualite}};
  if (!p.insOid.empty()) j["ins_oid"] = p.insOid;
  return j;
}

}  // namespace

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

nlohmann::json reasonsJson(const Invocation& inv, const std::vector<core::Error>& reasons) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& e : reasons) {
    const auto m = core::describe(e, inv.lang);
    a.push_back({{"id", core::errcId(e.code)}, {"cause", m.cause}, {"action", m.action}});
  }
  return a;
}

nlohmann::json trustJson(const Invocation& inv, const crypto::TrustStore& trust, std::int64_t now) {
  nlohmann::json t{{"issuers", trust.issuerCount()}, {"revoked_app_instances", trust.revokedAppInstanceCount()}};
  if (const auto age = trust.ageInDays(core::Date::fromDayNumber(static_cast<std::int32_t>(now / 86400)))) {
    t["age_days"] = *age;
    t["status"] = std::string(inv.tr("les données de confiance datent de ", "trust material is ")) +
                  std::to_string(*age) + std::string(inv.tr(" jours", " days old"));
  }
  return t;
}

std::string presentationText(const Invocation& inv, const apcv::Presentation& p) {
  const std::string day = isoTime(p.until).substr(0, 10);
  return std::string(inv.tr("présentée par ", "presented by ")) + p.delegate +
         std::string(inv.tr(" pour le compte de ", " on behalf of ")) + p.holder +
         std::string(inv.tr(" jusqu'au ", " until ")) + day;
}

void addCredentialJson(const Invocation& inv, const apcv::Credential& cred, nlohmann::json& j) {
  const bool ok = cred.verdict == apcv::Verdict::Verified;
  j["verdict"] = ok ? "verified" : "refused";
  j["reasons"] = reasonsJson(inv, cred.reasons);
  if (!cred.issuerKidHex.empty()) j["issuer_kid"] = cred.issuerKidHex;
  // Identity and rights only when verified: refused data is never shown as if it were.
  if (!ok || !cred.claims) return;
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
    const apcv::Presentation& p = *cred.presentation;
    j["presented_by"] = presentationText(inv, p);
    j["delegation"] = {{"delegate", p.delegate}, {"holder", p.holder}, {"until", isoTime(p.until)}};
  }
}

std::filesystem::path defaultReplayCache() { return app::defaultReplayCache(); }

std::string trustDirOption(const Invocation& inv) {
  std::string dir = inv.value("trust").value_or("");
  if (dir.empty()) {
    const char* env = std::getenv("VITALEDESK_TRUST_DIR");
    dir = env != nullptr ? env : "";
  }
  return dir;
}

}  // namespace vd::cli
