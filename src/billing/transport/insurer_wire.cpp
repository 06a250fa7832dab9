#include "billing/transport/insurer_wire.hpp"

#include "crypto/digest.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <charconv>

namespace vd::billing::wire {
namespace {

using nlohmann::json;
constexpr std::size_t kMaxPemBytes = 4u << 20;  // one signed FSE or one ARL (crypto::cmsVerify's limit)

core::Failure malformed(std::string what) { return core::fail(core::Errc::TransportMalformedAnswer, {std::move(what)}); }

/// Parses an object without exceptions; nullopt for anything else or over `limit` bytes.
std::optional<json> object(std::string_view text, std::size_t limit) {
  if (text.size() > limit) return std::nullopt;
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

std::optional<std::string> str(const json& o, const char* key, std::size_t maxLen = kMaxIdLength, bool allowEmpty = false) {
  const auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return std::nullopt;
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > maxLen || (!allowEmpty && s.empty())) return std::nullopt;
  return s;
}

std::optional<bool> boolean(const json& o, const char* key) {
  const auto it = o.find(key);
  if (it == o.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::optional<std::int64_t> integer(const json& o, const char* key, std::int64_t lo, std::int64_t hi) {
  const auto it = o.find(key);
  if (it == o.end() || !it->is_number_integer()) return std::nullopt;
  const auto v = it->get<std::int64_t>();
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

/// A list of at most `maxCount` short strings.
std::optional<std::vector<std::string>> strings(const json& o, const char* key, std::size_t maxCount) {
  const auto it = o.find(key);
  if (it == o.end() || !it->is_array() || it->size() > maxCount) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() > kMaxIdLength) return std::nullopt;
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::optional<FseRef> parseRef(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > 32 || slash + 1 >= text.size() || text.size() > 64)
    return std::nullopt;
  FseRef ref{std::string(text.substr(0, slash)), 0};
  const auto num = text.substr(slash + 1);
  const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), ref.number);
  if (ec != std::errc() || p != num.data() + num.size() || ref.number == 0) return std::nullopt;
  return ref;
}

std::string encodeLotRequest(const Lot& lot) {
  json members = json::array();
  for (const auto& m : lot.members)
    members.push_back({{"ref", m.ref.str()}, {"idempotencyKey", m.idemKey}, {"fse", m.document}});
  return dump({{"lotId", lot.lotId}, {"destination", lot.destination}, {"members", std::move(members)}});
}

core::Result<LotRequest> parseLotRequest(std::string_view body) {
  const auto doc = object(body, kMaxRequestBytes);
  if (!doc) return malformed("body");
  LotRequest out;
  const auto lotId = str(*doc, "lotId");
  if (!lotId) return malformed("lotId");
  const auto destination = str(*doc, "destination");
  if (!destination) return malformed("destination");
  out.lotId = *lotId;
  out.destination = *destination;
  const auto it = doc->find("members");
  if (it == doc->end() || !it->is_array() || it->empty() || it->size() > kMaxMembers) return malformed("members");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& m = (*it)[i];
    const std::string where = "members[" + std::to_string(i) + "]";
    if (!m.is_object()) return malformed(where);
    const auto refText = str(m, "ref");
    const auto ref = refText ? parseRef(*refText) : std::nullopt;
    if (!ref) return malformed(where + ".ref");
    const auto key = str(m, "idempotencyKey");
    if (!key) return malformed(where + ".idempotencyKey");
    const auto fse = str(m, "fse", kMaxPemBytes);
    if (!fse) return malformed(where + ".fse");
    out.members.push_back(LotMemberRequest{*ref, *key, *fse});
  }
  return out;
}

std::string encodeReceipt(const ReceiptBody& r) {
  json j{{"lotId", r.lotId}, {"receivedAt", r.receivedAt}, {"members", r.members}, {"duplicate", r.duplicate}};
  if (r.arlPem) j["arl"] = *r.arlPem;
  if (r.arlRetryAfter) j["arlRetryAfter"] = *r.arlRetryAfter;
  return dump(j);
}

core::Result<ReceiptBody> parseReceipt(std::string_view body) {
  const auto doc = object(body, kMaxAnswerBytes);
  if (!doc) return malformed("receipt");
  ReceiptBody r;
  const auto lotId = str(*doc, "lotId");
  const auto receivedAt = str(*doc, "receivedAt");
  const auto members = integer(*doc, "members", 0, static_cast<std::int64_t>(kMaxMembers));
  const auto duplicate = boolean(*doc, "duplicate");
  if (!lotId || !receivedAt || !members || !duplicate) return malformed("receipt fields");
  r.lotId = *lotId;
  r.receivedAt = *receivedAt;
  r.members = static_cast<std::size_t>(*members);
  r.duplicate = *duplicate;
  if (doc->contains("arl")) {
    auto arl = str(*doc, "arl", kMaxPemBytes);
    if (!arl) return malformed("arl");
    r.arlPem = std::move(*arl);
  }
  if (doc->contains("arlRetryAfter")) {
    const auto retry = integer(*doc, "arlRetryAfter", 0, 86400);
    if (!retry) return malformed("arlRetryAfter");
    r.arlRetryAfter = static_cast<int>(*retry);
  }
  return r;
}

std::string encodeArlContent(const Arl& arl, std::string_view issuedAt) {
  json entries = json::array();
  for (const auto& e : arl.entries) {
    json entry{{"ref", e.ref.str()}, {"status", e.accepted ? "accepted" : "rejected"}};
    if (!e.accepted) entry["reason"] = e.reasonCode;
    entries.push_back(std::move(entry));
  }
  return dump({{"format", kArlFormat}, {"lotId", arl.lotId}, {"issuedAt", issuedAt}, {"entries", std::move(entries)}});
}

core::Result<Arl> parseArlContent(std::string_view text) {
  const auto doc = object(text, kMaxAnswerBytes);
  if (!doc) return malformed("arl");
  const auto format = str(*doc, "format");
  if (!format || *format != kArlFormat) return malformed("arl format");
  const auto lotId = str(*doc, "lotId");
  if (!lotId || !str(*doc, "issuedAt")) return malformed("arl fields");
  Arl arl;
  arl.lotId = *lotId;
  const auto it = doc->find("entries");
  if (it == doc->end() || !it->is_array() || it->size() > kMaxMembers) return malformed("arl entries");
  for (const auto& e : *it) {
    if (!e.is_object()) return malformed("arl entry");
    const auto refText = str(e, "ref");
    const auto ref = refText ? parseRef(*refText) : std::nullopt;
    const auto status = str(e, "status");
    if (!ref || !status || (*status != "accepted" && *status != "rejected")) return malformed("arl entry");
    ArlEntry entry{*ref, *status == "accepted", {}};
    if (!entry.accepted) {
      const auto reason = str(e, "reason");
      if (!reason) return malformed("arl reason");
      entry.reasonCode = *reason;
    }
    arl.entries.push_back(std::move(entry));
  }
  return arl;
}

core::Result<Arl> verifyArl(std::string_view pem, const ArlTrust& trust) {
  if (trust.anchors.empty() || trust.signerSubject.empty())
    return core::fail(core::Errc::TransportArlSignature,
                      {core::frEn("certificat de signature des ARL absent", "no ARL signing certificate")});
  auto verified = crypto::cmsVerify(pem, trust.anchors);
  if (!verified) {
    const bool bad = verified.error().code == core::Errc::CmsSignatureInvalid;
    return core::fail(core::Errc::TransportArlSignature,
                      {bad ? core::frEn("signature", "signature") : core::frEn("pas un CMS", "not a CMS")});
  }
  if (verified->signerSubject != trust.signerSubject)
    return core::fail(core::Errc::TransportArlSignature, {core::frEn("signataire", "signer")});
  return parseArlContent(verified->content);
}

std::string encodeArlAnswer(std::string_view lotId, std::string_view arlPem) {
  return dump({{"lotId", lotId}, {"arl", arlPem}});
}

core::Result<ArlAnswer> parseArlAnswer(std::string_view body) {
  const auto doc = object(body, kMaxAnswerBytes);
  if (!doc) return malformed("arl answer");
  const auto lotId = str(*doc, "lotId");
  const auto arl = str(*doc, "arl", kMaxPemBytes);
  if (!lotId || !arl) return malformed("arl answer fields");
  return ArlAnswer{*lotId, *arl};
}

std::string encodePending(int retryAfterSeconds) {
  return dump({{"status", "pending"}, {"retryAfter", retryAfterSeconds}});
}

std::string encodeRightsRequest(const RightsRequest& r) { return dump({{"nir", r.nir}, {"date", r.date}}); }

core::Result<RightsRequest> parseRightsRequest(std::string_view body) {
  const auto doc = object(body, 4096);
  if (!doc) return malformed("body");
  const auto nir = str(*doc, "nir", 15);
  const auto date = str(*doc, "date", 10);
  if (!nir) return malformed("nir");
  if (!date) return malformed("date");
  return RightsRequest{*nir, *date};
}

std::string encodeRights(const RightsBody& r) {
  json j{{"asOf", r.asOf},     {"amoOpen", r.amoOpen}, {"regime", r.regime},
         {"caisse", r.caisse}, {"centre", r.centre},   {"exemptions", r.exemptions},
         {"c2s", r.c2s}};
  if (r.amcOrganisation) j["amc"] = {{"organisation", *r.amcOrganisation}, {"tiersPayant", r.amcTiersPayant}};
  return dump(j);
}

core::Result<RightsBody> parseRights(std::string_view body) {
  const auto doc = object(body, 65536);
  if (!doc) return malformed("rights");
  RightsBody r;
  const auto asOf = str(*doc, "asOf", 10);
  const auto amoOpen = boolean(*doc, "amoOpen");
  const auto regime = str(*doc, "regime", 8, true);
  const auto caisse = str(*doc, "caisse", 8, true);
  const auto centre = str(*doc, "centre", 8, true);
  const auto exemptions = strings(*doc, "exemptions", 16);
  const auto c2s = boolean(*doc, "c2s");
  if (!asOf || !amoOpen || !regime || !caisse || !centre || !exemptions || !c2s) return malformed("rights fields");
  r.asOf = *asOf;
  r.amoOpen = *amoOpen;
  r.regime = *regime;
  r.caisse = *caisse;
  r.centre = *centre;
  r.exemptions = *exemptions;
  r.c2s = *c2s;
  if (const auto it = doc->find("amc"); it != doc->end()) {
    if (!it->is_object()) return malformed("amc");
    const auto organisation = str(*it, "organisation");
    const auto tiersPayant = boolean(*it, "tiersPayant");
    if (!organisation || !tiersPayant) return malformed("amc");
    r.amcOrganisation = *organisation;
    r.amcTiersPayant = *tiersPayant;
  }
  return r;
}

std::string encodeRevocations(const RevocationsBody& r) {
  return dump({{"appInstances", r.appInstances}, {"cardSerials", r.cardSerials}});
}

std::string encodeSignedTrustLists(std::span<const std::uint8_t> document) {
  return dump({{"format", kTrustListsFormat}, {"cose_hex", crypto::toHex(document)}});
}

core::Result<std::vector<std::uint8_t>> parseSignedTrustLists(std::string_view body) {
  // Twice the document bound (hex) plus the envelope.
  constexpr std::size_t kMaxBody = 2 * 4 * 1024 * 1024 + 256;
  if (body.size() > kMaxBody) return core::fail(core::Errc::TrustListMalformed, {"size"});
  const auto doc = object(body, kMaxBody);
  if (!doc) return core::fail(core::Errc::TrustListMalformed, {"truncated"});
  const auto format = str(*doc, "format", 64);
  const auto it = doc->find("cose_hex");
  if (!format || *format != kTrustListsFormat || it == doc->end())
    return core::fail(core::Errc::TrustListUnsigned, {"GET /v1/apcv/revocations"});
  if (!it->is_string()) return core::fail(core::Errc::TrustListMalformed, {"cose_hex"});
  const std::string& hex = it->get_ref<const std::string&>();
  if (hex.size() % 2 != 0) return core::fail(core::Errc::TrustListMalformed, {"truncated"});
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return core::fail(core::Errc::TrustListMalformed, {"cose_hex"});
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string encodeError(std::string_view code, std::string_view message, std::string_view field) {
  json e{{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return dump({{"error", std::move(e)}});
}

std::string parseErrorCode(std::string_view body) {
  const auto doc = object(body, 65536);
  if (!doc) return "unknown";
  const auto it = doc->find("error");
  if (it == doc->end() || !it->is_object()) return "unknown";
  const auto code = str(*it, "code", 64);
  if (!code) return "unknown";
  // A code is an identifier: anything else is not echoed (it could carry data).
  for (char c : *code)
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.')) return "unknown";
  return *code;
}

}  // namespace vd::billing::wire
