#include "crypto/trust_list.hpp"

#include <array>

#include "crypto/cbor_value.hpp"
#include "crypto/cose.hpp"
#include "crypto/digest.hpp"

namespace vd::crypto {
namespace {

using core::Errc;
constexpr std::array kListAlgs{CoseAlg::ES256, CoseAlg::EdDSA, CoseAlg::PS256};
constexpr std::int64_t kFormatVersion = 1;

core::Failure malformed(std::string field) { return core::fail(Errc::TrustListMalformed, {std::move(field)}); }

cbor::Limits listLimits() {
  cbor::Limits l;
  l.maxInputBytes = kMaxTrustListBytes;
  l.maxDepth = 4;
  l.maxItems = 3 * kMaxTrustListEntries + 64;
  return l;
}

// The entry rule of the list files (one printable token a line): the installed set must read
// back the same whichever consumer parses it.
bool goodEntry(std::string_view e, bool hex) {
  if (e.empty() || e.size() > kMaxTrustListEntryBytes) return false;
  for (const char c : e) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '#') return false;
    if (hex && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

core::Result<std::vector<std::string>> textList(const cbor::Value* v, const char* field, bool hex) {
  if (v == nullptr || !v->isArray() || v->items().size() > kMaxTrustListEntries) return malformed(field);
  std::vector<std::string> out;
  out.reserve(v->items().size());
  for (const auto& item : v->items()) {
    if (!item.isText() || !goodEntry(item.asText(), hex)) return malformed(field);
    out.emplace_back(item.asText());
  }
  return out;
}

}  // namespace

std::vector<std::uint8_t> encodeTrustLists(const TrustLists& l) {
  const auto texts = [](const std::vector<std::string>& v) {
    std::vector<cbor::Value> items;
    for (const auto& s : v) items.push_back(cbor::Value::text(s));
    return cbor::Value::array(std::move(items));
  };
  std::vector<cbor::Value> kids;
  for (const auto& k : l.revokedIssuers) kids.push_back(cbor::Value::bytes(k));
  return cbor::encode(cbor::Value::map({
      cbor::MapEntry{cbor::Value::text("v"), cbor::Value::integer(kFormatVersion)},
      cbor::MapEntry{cbor::Value::text("seq"), cbor::Value::integer(static_cast<std::int64_t>(l.sequence))},
      cbor::MapEntry{cbor::Value::text("iat"), cbor::Value::text(l.issuedAt.iso())},
      cbor::MapEntry{cbor::Value::text("apps"), texts(l.appInstances)},
      cbor::MapEntry{cbor::Value::text("cards"), texts(l.cardSerials)},
      cbor::MapEntry{cbor::Value::text("issuers"), cbor::Value::array(std::move(kids))},
  }));
}

core::Result<TrustLists> decodeTrustLists(std::span<const std::uint8_t> payload) {
  auto doc = cbor::decode(payload, listLimits());
  if (!doc) return malformed("cbor");
  if (!doc->isMap() || doc->entries().size() != 6) return malformed("fields");
  for (const auto& e : doc->entries())
    if (!e.key.isText()) return malformed("fields");
  const cbor::Value* v = doc->find("v");
  if (v == nullptr || !v->isInt() || v->asInt() != kFormatVersion) return malformed("v");
  TrustLists out;
  const cbor::Value* seq = doc->find("seq");
  if (seq == nullptr || !seq->isInt() || seq->asInt() < 1) return malformed("seq");
  out.sequence = static_cast<std::uint64_t>(seq->asInt());
  const cbor::Value* iat = doc->find("iat");
  if (iat == nullptr || !iat->isText() || iat->asText().size() != 10) return malformed("iat");
  auto day = core::Date::parseIso(iat->asText());
  if (!day) return malformed("iat");
  out.issuedAt = *day;
  auto apps = textList(doc->find("apps"), "apps", false);
  if (!apps) return core::fail(apps.error());
  auto cards = textList(doc->find("cards"), "cards", true);
  if (!cards) return core::fail(cards.error());
  out.appInstances = std::move(*apps);
  out.cardSerials = std::move(*cards);
  const cbor::Value* issuers = doc->find("issuers");
  if (issuers == nullptr || !issuers->isArray() || issuers->items().size() > kMaxTrustListEntries)
    return malformed("issuers");
  for (const auto& k : issuers->items()) {
    if (!k.isBytes() || k.asBytes().size() != kKidSize) return malformed("issuers");
    out.revokedIssuers.push_back(k.asBytes());
  }
  return out;
}

core::Result<std::vector<std::uint8_t>> signTrustLists(const TrustLists& lists, const PrivateKey& key,
                                                       std::span<const std::uint8_t> kid) {
  const CoseAlg alg = key.type() == KeyType::Ed25519 ? CoseAlg::EdDSA
                      : key.type() == KeyType::Rsa   ? CoseAlg::PS256
                                                     : CoseAlg::ES256;
  return coseSign1Sign(encodeTrustLists(lists), key, alg, kid);
}

core::Result<TrustLists> verifyTrustLists(std::span<const std::uint8_t> document, const PublicKey& signer,
                                          std::string_view source) {
  // A COSE_Sign1 starts with tag 18 (0xD2) or directly with its 4-element array (0x84):
  // anything else (the old JSON lists, a bare CBOR payload) carries no signature at all.
  const bool cose = !document.empty() && (document[0] == 0x84 || document[0] == 0xD2);
  if (!cose) return core::fail(Errc::TrustListUnsigned, {std::string(source)});
  CoseLimits limits;
  limits.maxMessageBytes = kMaxTrustListBytes;
  limits.cbor = listLimits();
  const auto signerKid = signer.kid();
  const CoseKeyLookup lookup = [&](std::span<const std::uint8_t> kid) -> std::optional<PublicKey> {
    if (std::equal(kid.begin(), kid.end(), signerKid.begin(), signerKid.end())) return signer;
    return std::nullopt;
  };
  auto verified = coseSign1Verify(document, lookup, kListAlgs, limits);
  if (!verified) {
    const core::Error& e = verified.error();
    if (e.code == Errc::CoseUnknownKid) return core::fail(Errc::TrustListUnknownSigner, e.args);
    if (e.code == Errc::CborMalformed) return malformed("truncated");
    if (e.code == Errc::CborLimit || e.code == Errc::CoseMalformed || e.code == Errc::CoseAlgNotProtected)
      return malformed(std::string(core::errcId(e.code)));
    return core::fail(Errc::TrustListSignatureInvalid);
  }
  return decodeTrustLists(verified->payload);
}

core::Result<void> trustListSignerUsable(const PublicKey& signer, std::int64_t now) {
  const auto facts = signer.certificateFacts();
  if (!facts) return {};
  const bool usable = now >= facts->notBefore && now <= facts->notAfter && (!facts->hasKeyUsage || facts->digitalSignature);
  if (!usable) return core::fail(Errc::TrustListSignerInvalid, {toHex(signer.kid())});
  return {};
}

}  // namespace vd::crypto
