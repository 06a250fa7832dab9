#include "reader/apcv/claims.hpp"

#include "core/birth_date.hpp"
#include "core/date.hpp"
#include "core/nir.hpp"
#include "crypto/cbor_value.hpp"

namespace vd::reader::apcv {
namespace {

namespace cbor = crypto::cbor;
using core::Errc;

constexpr std::size_t kMaxList = 16;
constexpr std::size_t kMaxId = 64;  // issuer and app-instance ids
constexpr std::int64_t kCwtIss = 1, kCwtExp = 4, kCwtNbf = 5, kCwtIat = 6, kCwtCti = 7;
constexpr std::int64_t kTimeMax = 253402300799;  // 9999-12-31T23:59:59Z

core::Failure bad(std::string_view key) { return core::fail(Errc::ApcvMalformed, {std::string(key)}); }

bool cleanText(const cbor::Value& v, std::size_t maxBytes) {
  return v.isText() && v.asText().size() <= maxBytes && isCleanUtf8(v.asText());
}

// Look-ups on a map: each returns false when present with a wrong type, size or encoding.
// `required` absent is an error too.
template <class K>
bool getText(const cbor::Value& map, K key, std::string& out, bool required, std::size_t maxBytes = kMaxClaimText) {
  const cbor::Value* v = map.find(key);
  if (v == nullptr) return !required;
  if (!cleanText(*v, maxBytes)) return false;
  out = std::string(v->asText());
  return true;
}

template <class K>
bool getInt(const cbor::Value& map, K key, std::int64_t& out, bool required, std::int64_t lo, std::int64_t hi) {
  const cbor::Value* v = map.find(key);
  if (v == nullptr) return !required;
  if (!v->isInt() || v->asInt() < lo || v->asInt() > hi) return false;
  out = v->asInt();
  return true;
}

template <class K>
bool getBytes(const cbor::Value& map, K key, std::vector<std::uint8_t>& out, bool required, std::size_t lo,
              std::size_t hi) {
  const cbor::Value* v = map.find(key);
  if (v == nullptr) return !required;
  if (!v->isBytes() || v->asBytes().size() < lo || v->asBytes().size() > hi) return false;
  out = v->asBytes();
  return true;
}

core::Result<Person> decodePerson(const cbor::Value& v, const std::string& where) {
  if (!v.isMap()) return bad(where);
  Person p;
  std::int64_t rank = 1, qualite = 0;
  if (!getText(v, "nir", p.nir, true) || !core::Nir::parse(p.nir)) return bad(where + ".nir");
  if (!getText(v, "nom", p.birthName, true) || p.birthName.empty()) return bad(where + ".nom");
  if (!getText(v, "prn", p.firstNames, true)) return bad(where + ".prn");
  if (!getText(v, "dn", p.birthDate, true) || !core::BirthDate::parse(p.birthDate)) return bad(where + ".dn");
  if (!getInt(v, "rg", rank, false, 1, 9)) return bad(where + ".rg");
  if (!getInt(v, "ql", qualite, false, 0, 99)) return bad(where + ".ql");
  if (!getText(v, "oid", p.insOid, false, kMaxId)) return bad(where + ".oid");
  p.birthRank = static_cast<int>(rank);
  p.qualite = static_cast<int>(qualite);
  return p;
}

core::Result<Rights> decodeRights(const cbor::Value& v) {
  if (!v.isMap()) return bad("rts");
  Rights r;
  if (!getText(v, "dt", r.asOf, true) || !core::Date::parseIso(r.asOf)) return bad("rts.dt");
  if (!getText(v, "reg", r.regime, true)) return bad("rts.reg");
  if (!getText(v, "cai", r.caisse, true)) return bad("rts.cai");
  if (!getText(v, "ctr", r.centre, true)) return bad("rts.ctr");
  if (!getText(v, "amc", r.amc, false)) return bad("rts.amc");
  if (const cbor::Value* c2s = v.find("c2s")) {
    if (!c2s->isBool()) return bad("rts.c2s");
    r.c2s = c2s->asBool();
  }
  if (const cbor::Value* exo = v.find("exo")) {
    if (!exo->isArray() || exo->items().size() > kMaxList) return bad("rts.exo");
    for (const auto& e : exo->items()) {
      if (!cleanText(e, kMaxClaimText)) return bad("rts.exo");
      r.exemptions.emplace_back(e.asText());
    }
  }
  return r;
}

void put(std::vector<cbor::MapEntry>& m, std::string_view key, cbor::Value v) {
  m.push_back({cbor::Value::text(std::string(key)), std::move(v)});
}

void putInt(std::vector<cbor::MapEntry>& m, std::int64_t label, cbor::Value v) {
  m.push_back({cbor::Value::integer(label), std::move(v)});
}

cbor::Value encodePerson(const Person& p) {
  std::vector<cbor::MapEntry> m;
  put(m, "nir", cbor::Value::text(p.nir));
  put(m, "nom", cbor::Value::text(p.birthName));
  put(m, "prn", cbor::Value::text(p.firstNames));
  put(m, "dn", cbor::Value::text(p.birthDate));
  put(m, "rg", cbor::Value::integer(p.birthRank));
  put(m, "ql", cbor::Value::integer(p.qualite));
  if (!p.insOid.empty()) put(m, "oid", cbor::Value::text(p.insOid));
  return cbor::Value::map(std::move(m));
}

cbor::Value encodeRights(const Rights& rights) {
  std::vector<cbor::MapEntry> r;
  put(r, "dt", cbor::Value::text(rights.asOf));
  put(r, "reg", cbor::Value::text(rights.regime));
  put(r, "cai", cbor::Value::text(rights.caisse));
  put(r, "ctr", cbor::Value::text(rights.centre));
  std::vector<cbor::Value> exo;
  for (const auto& e : rights.exemptions) exo.push_back(cbor::Value::text(e));
  put(r, "exo", cbor::Value::array(std::move(exo)));
  put(r, "c2s", cbor::Value::boolean(rights.c2s));
  if (!rights.amc.empty()) put(r, "amc", cbor::Value::text(rights.amc));
  return cbor::Value::map(std::move(r));
}

// One code point at s[i]; its length, or 0 when ill-formed.
std::size_t utf8Length(std::string_view s, std::size_t i) {
  const auto at = [&s](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = at(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0, min = 0;
  if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F, min = 0x80;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F, min = 0x800;
  else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07, min = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((at(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (at(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

bool isCleanUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return false;
    const std::size_t n = utf8Length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

Claims claimsOf(const InsurerCredential& credential, const DeviceClaims& device) {
  return Claims{credential.issuer,        device.issuedAt,      device.expiresAt,        device.tokenId,
                credential.appInstanceId, device.challenge,     credential.insured,      credential.beneficiaries,
                credential.rights,        credential.delegation, credential.notBefore,   credential.notAfter};
}

core::Result<InsurerCredential> decodeInsurerCredential(std::span<const std::uint8_t> bytes) {
  auto decoded = cbor::decode(bytes, cbor::Limits{.maxInputBytes = 8 * 1024, .maxDepth = 5, .maxItems = 1024});
  if (!decoded) return bad("cbor");
  const cbor::Value& v = *decoded;
  if (!v.isMap()) return bad("credential");
  InsurerCredential c;
  if (!getText(v, kCwtIss, c.issuer, true, kMaxId) || c.issuer.empty()) return bad("iss");
  if (!getInt(v, kCwtIat, c.issuedAt, true, 0, kTimeMax)) return bad("iat");
  if (!getInt(v, kCwtNbf, c.notBefore, true, 0, kTimeMax)) return bad("nbf");
  if (!getInt(v, kCwtExp, c.notAfter, true, 0, kTimeMax)) return bad("exp");
  if (c.notAfter <= c.notBefore || c.notAfter - c.notBefore > kMaxCredentialSeconds) return bad("exp");
  if (!getText(v, "aid", c.appInstanceId, true, kMaxId) || c.appInstanceId.empty()) return bad("aid");
  if (!getBytes(v, "key", c.publicKeyDer, true, 32, 256)) return bad("key");
  const cbor::Value* insured = v.find("ins");
  if (insured == nullptr) return bad("ins");
  auto person = decodePerson(*insured, "ins");
  if (!person) return core::fail(person.error());
  c.insured = std::move(*person);
  if (const cbor::Value* ben = v.find("ben")) {
    if (!ben->isArray() || ben->items().size() > kMaxList) return bad("ben");
    for (const auto& b : ben->items()) {
      auto p = decodePerson(b, "ben");
      if (!p) return core::fail(p.error());
      c.beneficiaries.push_back(std::move(*p));
    }
  }
  const cbor::Value* rights = v.find("rts");
  if (rights == nullptr) return bad("rts");
  auto r = decodeRights(*rights);
  if (!r) return core::fail(r.error());
  c.rights = std::move(*r);
  if (const cbor::Value* dlg = v.find("dlg")) {
    if (!dlg->isMap()) return bad("dlg");
    Delegation d;
    if (!getText(*dlg, "nom", d.birthName, true) || d.birthName.empty()) return bad("dlg.nom");
    if (!getText(*dlg, "prn", d.firstNames, true)) return bad("dlg.prn");
    d.until = c.notAfter;
    c.delegation = std::move(d);
  }
  return c;
}

std::vector<std::uint8_t> encodeInsurerCredential(const InsurerCredential& c) {
  std::vector<cbor::MapEntry> m;
  putInt(m, kCwtIss, cbor::Value::text(c.issuer));
  putInt(m, kCwtIat, cbor::Value::integer(c.issuedAt));
  putInt(m, kCwtNbf, cbor::Value::integer(c.notBefore));
  putInt(m, kCwtExp, cbor::Value::integer(c.notAfter));
  put(m, "aid", cbor::Value::text(c.appInstanceId));
  put(m, "key", cbor::Value::bytes(c.publicKeyDer));
  put(m, "ins", encodePerson(c.insured));
  if (!c.beneficiaries.empty()) {
    std::vector<cbor::Value> ben;
    for (const auto& b : c.beneficiaries) ben.push_back(encodePerson(b));
    put(m, "ben", cbor::Value::array(std::move(ben)));
  }
  put(m, "rts", encodeRights(c.rights));
  if (c.delegation) {
    std::vector<cbor::MapEntry> d;
    put(d, "nom", cbor::Value::text(c.delegation->birthName));
    put(d, "prn", cbor::Value::text(c.delegation->firstNames));
    put(m, "dlg", cbor::Value::map(std::move(d)));
  }
  return cbor::encode(cbor::Value::map(std::move(m)));
}

core::Result<DeviceClaims> decodeDeviceClaims(std::span<const std::uint8_t> bytes) {
  auto decoded = cbor::decode(bytes, cbor::Limits{.maxInputBytes = 1024, .maxDepth = 2, .maxItems = 32});
  if (!decoded) return bad("cbor");
  const cbor::Value& v = *decoded;
  if (!v.isMap()) return bad("presentation");
  DeviceClaims d;
  if (!getInt(v, kCwtIat, d.issuedAt, true, 0, kTimeMax)) return bad("iat");
  if (!getInt(v, kCwtExp, d.expiresAt, true, 0, kTimeMax)) return bad("exp");
  if (d.expiresAt <= d.issuedAt || d.expiresAt - d.issuedAt > kMaxTokenLifetimeSeconds) return bad("exp");
  if (!getBytes(v, kCwtCti, d.tokenId, true, 8, 64)) return bad("cti");
  std::vector<std::uint8_t> challenge;
  if (!getBytes(v, "chl", challenge, false, 1, 64)) return bad("chl");
  if (v.find("chl") != nullptr) d.challenge = std::move(challenge);
  if (!getBytes(v, "cdg", d.credentialDigest, true, kCredentialDigestSize, kCredentialDigestSize)) return bad("cdg");
  return d;
}

std::vector<std::uint8_t> encodeDeviceClaims(const DeviceClaims& d) {
  std::vector<cbor::MapEntry> m;
  putInt(m, kCwtIat, cbor::Value::integer(d.issuedAt));
  putInt(m, kCwtExp, cbor::Value::integer(d.expiresAt));
  putInt(m, kCwtCti, cbor::Value::bytes(d.tokenId));
  if (d.challenge) put(m, "chl", cbor::Value::bytes(*d.challenge));
  put(m, "cdg", cbor::Value::bytes(d.credentialDigest));
  return cbor::encode(cbor::Value::map(std::move(m)));
}

}  // namespace vd::reader::apcv
