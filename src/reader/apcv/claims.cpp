#include "reader/apcv/claims.hpp"

#include "core/birth_date.hpp"
#include "core/date.hpp"
#include "core/nir.hpp"
#include "crypto/cbor_value.hpp"

namespace vd::reader::apcv {
namespace {

namespace cbor = crypto::cbor;
using core::Errc;

constexpr std::size_t kMaxText = 256;
constexpr std::size_t kMaxList = 16;
constexpr std::int64_t kCwtIss = 1, kCwtExp = 4, kCwtNbf = 5, kCwtIat = 6, kCwtCti = 7;

core::Failure bad(std::string_view key) { return core::fail(Errc::ApcvMalformed, {std::string(key)}); }

// Look-ups on a map: each returns false when present with a wrong type or size. `required`
// absent is an error too.
template <class K>
bool getText(const cbor::Value& map, K key, std::string& out, bool required) {
  const cbor::Value* v = map.find(key);
  if (v == nullptr) return !required;
  if (!v->isText() || v->asText().size() > kMaxText) return false;
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

constexpr std::int64_t kTimeMax = 253402300799;  // 9999-12-31T23:59:59Z

core::Result<Person> decodePerson(const cbor::Value& v, std::string_view where) {
  if (!v.isMap()) return bad(where);
  Person p;
  std::int64_t rank = 1, qualite = 0;
  if (!getText(v, "nir", p.nir, true) || !core::Nir::parse(p.nir)) return bad(std::string(where) + ".nir");
  if (!getText(v, "nom", p.birthName, true) || p.birthName.empty()) return bad(std::string(where) + ".nom");
  if (!getText(v, "prn", p.firstNames, true)) return bad(std::string(where) + ".prn");
  if (!getText(v, "dn", p.birthDate, true) || !core::BirthDate::parse(p.birthDate))
    return bad(std::string(where) + ".dn");
  if (!getInt(v, "rg", rank, false, 1, 9)) return bad(std::string(where) + ".rg");
  if (!getInt(v, "ql", qualite, false, 0, 99)) return bad(std::string(where) + ".ql");
  if (!getText(v, "oid", p.insOid, false)) return bad(std::string(where) + ".oid");
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
      if (!e.isText() || e.asText().size() > kMaxText) return bad("rts.exo");
      r.exemptions.emplace_back(e.asText());
    }
  }
  return r;
}


void put(std::vector<cbor::MapEntry>& m, std::string_view key, cbor::Value v) {
  m.push_back({cbor::Value::text(std::string(key)), std::move(v)});
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

}  // namespace

core::Result<Claims> decodeClaims(std::span<const std::uint8_t> bytes) {
  auto decoded = cbor::decode(bytes, cbor::Limits{.maxInputBytes = 16 * 1024, .maxDepth = 6, .maxItems = 1024});
  if (!decoded) return bad("cbor");
  const cbor::Value& v = *decoded;
  if (!v.isMap()) return bad("claims");
  Claims c;
  if (!getText(v, kCwtIss, c.issuer, true) || c.issuer.empty()) return bad("iss");
  if (!getInt(v, kCwtIat, c.issuedAt, true, 0, kTimeMax)) return bad("iat");
  if (!getInt(v, kCwtExp, c.expiresAt, true, 0, kTimeMax)) return bad("exp");
  if (c.expiresAt <= c.issuedAt || c.expiresAt - c.issuedAt > kMaxTokenLifetimeSeconds) return bad("exp");
  if (!getBytes(v, kCwtCti, c.tokenId, true, 8, 64)) return bad("cti");
  if (!getText(v, "aid", c.appInstanceId, true) || c.appInstanceId.empty()) return bad("aid");
  std::vector<std::uint8_t> challenge;
  if (!getBytes(v, "chl", challenge, false, 1, 64)) return bad("chl");
  if (v.find("chl") != nullptr) c.challenge = std::move(challenge);
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
    if (!getInt(*dlg, "til", d.until, true, 0, kTimeMax)) return bad("dlg.til");
    c.delegation = std::move(d);
  }
  return c;
}

std::vector<std::uint8_t> encodeClaims(const Claims& c) {
  std::vector<cbor::MapEntry> m;
  m.push_back({cbor::Value::integer(kCwtIss), cbor::Value::text(c.issuer)});
  m.push_back({cbor::Value::integer(kCwtIat), cbor::Value::integer(c.issuedAt)});
  m.push_back({cbor::Value::integer(kCwtExp), cbor::Value::integer(c.expiresAt)});
  m.push_back({cbor::Value::integer(kCwtCti), cbor::Value::bytes(c.tokenId)});
  put(m, "aid", cbor::Value::text(c.appInstanceId));
  if (c.challenge) put(m, "chl", cbor::Value::bytes(*c.challenge));
  put(m, "ins", encodePerson(c.insured));
  if (!c.beneficiaries.empty()) {
    std::vector<cbor::Value> ben;
    for (const auto& b : c.beneficiaries) ben.push_back(encodePerson(b));
    put(m, "ben", cbor::Value::array(std::move(ben)));
  }
  std::vector<cbor::MapEntry> r;
  put(r, "dt", cbor::Value::text(c.rights.asOf));
  put(r, "reg", cbor::Value::text(c.rights.regime));
  put(r, "cai", cbor::Value::text(c.rights.caisse));
  put(r, "ctr", cbor::Value::text(c.rights.centre));
  std::vector<cbor::Value> exo;
  for (const auto& e : c.rights.exemptions) exo.push_back(cbor::Value::text(e));
  put(r, "exo", cbor::Value::array(std::move(exo)));
  put(r, "c2s", cbor::Value::boolean(c.rights.c2s));
  if (!c.rights.amc.empty()) put(r, "amc", cbor::Value::text(c.rights.amc));
  put(m, "rts", cbor::Value::map(std::move(r)));
  if (c.delegation) {
    std::vector<cbor::MapEntry> d;
    put(d, "nom", cbor::Value::text(c.delegation->birthName));
    put(d, "prn", cbor::Value::text(c.delegation->firstNames));
    put(d, "til", cbor::Value::integer(c.delegation->until));
    put(m, "dlg", cbor::Value::map(std::move(d)));
  }
  return cbor::encode(cbor::Value::map(std::move(m)));
}

core::Result<AppCertificate> decodeAppCertificate(std::span<const std::uint8_t> bytes) {
  auto decoded = cbor::decode(bytes, cbor::Limits{.maxInputBytes = 4096, .maxDepth = 2, .maxItems = 32});
  if (!decoded || !decoded->isMap()) return core::fail(Errc::ApcvAppCertificateInvalid, {"content"});
  const cbor::Value& v = *decoded;
  AppCertificate a;
  if (!getText(v, kCwtIss, a.issuer, true) || !getText(v, "aid", a.appInstanceId, true) || a.appInstanceId.empty() ||
      !getBytes(v, "key", a.publicKeyDer, true, 16, 2048) ||
      !getInt(v, kCwtNbf, a.notBefore, true, 0, kTimeMax) || !getInt(v, kCwtExp, a.notAfter, true, 0, kTimeMax) ||
      a.notAfter <= a.notBefore)
    return core::fail(Errc::ApcvAppCertificateInvalid, {"content"});
  return a;
}

std::vector<std::uint8_t> encodeAppCertificate(const AppCertificate& a) {
  std::vector<cbor::MapEntry> m;
  m.push_back({cbor::Value::integer(kCwtIss), cbor::Value::text(a.issuer)});
  put(m, "aid", cbor::Value::text(a.appInstanceId));
  put(m, "key", cbor::Value::bytes(a.publicKeyDer));
  m.push_back({cbor::Value::integer(kCwtNbf), cbor::Value::integer(a.notBefore)});
  m.push_back({cbor::Value::integer(kCwtExp), cbor::Value::integer(a.notAfter)});
  return cbor::encode(cbor::Value::map(std::move(m)));
}

}  // namespace vd::reader::apcv
