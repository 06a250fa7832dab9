#include "crypto/cose.hpp"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "crypto/digest.hpp"
#include "crypto/key_impl.hpp"

namespace vd::crypto {
namespace {

constexpr std::size_t kEs256ComponentSize = 32;  // r and s of P-256, big-endian
constexpr std::size_t kEd25519SignatureSize = 64;
constexpr int kPs256SaltLength = 32;  // RFC 8230 §2: salt length = hash length
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;  // bounds the verification cost of a hostile trust file

core::Failure malformed(std::string reason) {
  return core::fail(core::Errc::CoseMalformed, {std::move(reason)});
}

std::optional<CoseAlg> knownAlg(std::int64_t value) {
  switch (value) {
    case static_cast<std::int64_t>(CoseAlg::ES256):
      return CoseAlg::ES256;
    case static_cast<std::int64_t>(CoseAlg::EdDSA):
      return CoseAlg::EdDSA;
    case static_cast<std::int64_t>(CoseAlg::PS256):
      return CoseAlg::PS256;
    default:
      return std::nullopt;
  }
}

core::Result<CoseAlg> allowedAlg(std::int64_t value, std::span<const CoseAlg> allowed) {
  const std::optional<CoseAlg> alg = knownAlg(value);
  if (!alg) return core::fail(core::Errc::CoseAlgRefused, {std::to_string(value)});
  if (std::find(allowed.begin(), allowed.end(), *alg) == allowed.end()) {
    return core::fail(core::Errc::CoseAlgRefused, {std::string(coseAlgName(*alg))});
  }
  return *alg;
}

bool keyFits(CoseAlg alg, KeyType type, int bits) {
  switch (alg) {
    case CoseAlg::ES256:
      return type == KeyType::EcP256;
    case CoseAlg::EdDSA:
      return type == KeyType::Ed25519;
    case CoseAlg::PS256:
      return type == KeyType::Rsa && bits >= kMinRsaBits && bits <= kMaxRsaBits;
  }
  return false;
}

core::Result<std::vector<std::uint8_t>> es256RawToDer(std::span<const std::uint8_t> raw) {
  detail::EcdsaSigPtr sig(ECDSA_SIG_new());
  detail::BnPtr r(BN_bin2bn(raw.data(), static_cast<int>(kEs256ComponentSize), nullptr));
  detail::BnPtr s(BN_bin2bn(raw.data() + kEs256ComponentSize, static_cast<int>(kEs256ComponentSize), nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return core::fail(core::Errc::Internal, {"ECDSA_SIG"});
  }
  (void)r.release();  // now owned by sig
  (void)s.release();
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &der);
  if (n <= 0) return core::fail(core::Errc::Internal, {"i2d_ECDSA_SIG"});
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

core::Result<std::vector<std::uint8_t>> es256DerToRaw(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  detail::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return core::fail(core::Errc::CoseSignFailed, {"ECDSA signature"});
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::vector<std::uint8_t> out(2 * kEs256ComponentSize);
  if (BN_bn2binpad(r, out.data(), static_cast<int>(kEs256ComponentSize)) < 0 ||
      BN_bn2binpad(s, out.data() + kEs256ComponentSize, static_cast<int>(kEs256ComponentSize)) < 0) {
    return core::fail(core::Errc::CoseSignFailed, {"ECDSA.size"});
  }
  return out;
}

// PS256 parameters on a DigestSign/DigestVerify context.
bool setPss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, kPs256SaltLength) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) > 0;
}

core::Result<std::vector<std::uint8_t>> decodeProtected(std::span<const std::uint8_t> bytes, const cbor::Limits& limits,
                                                        cbor::Value& header) {
  if (bytes.empty()) {
    header = cbor::Value::map({});  // RFC 9052 §3: a zero-length bstr is the empty map
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
  }
  auto decoded = cbor::decode(bytes, limits);
  if (!decoded) return core::fail(decoded.error());
  if (!decoded->isMap())
    return malformed(core::frEn("en-tête protégé qui n'est pas une table", "protected header is not a map"));
  header = std::move(*decoded);
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

core::Result<void> checkHeaders(CoseSign1& m, const CoseLimits& limits) {
  // RFC 9052 §3 forbids a label in both headers. The kid is the exception, as in the EU DCC
  // (protected first, else unprotected): the protected one wins, it is the one signed.
  for (const cbor::MapEntry& e : m.protectedHeader.entries()) {
    if (e.key.isInt() && e.key.asInt() == kCoseHeaderKid) continue;
    for (const cbor::MapEntry& u : m.unprotectedHeader.entries()) {
      if (e.key == u.key)
        return malformed(core::frEn("étiquette présente dans les deux en-têtes", "header label in both headers"));
    }
  }
  if (m.protectedHeader.find(kCoseHeaderCrit) || m.unprotectedHeader.find(kCoseHeaderCrit)) {
    return malformed(core::frEn("en-tête critique non pris en charge", "critical header not supported"));
  }
  const cbor::Value* alg = m.protectedHeader.find(kCoseHeaderAlg);
  if (alg == nullptr) {
    if (m.unprotectedHeader.find(kCoseHeaderAlg)) return core::fail(core::Errc::CoseAlgNotProtected);
    return malformed(core::frEn("alg absent", "alg missing"));
  }
  if (!alg->isInt()) {
    return core::fail(core::Errc::CoseAlgRefused, {alg->isText() ? std::string(alg->asText()) : "?"});
  }
  m.alg = alg->asInt();
  const cbor::Value* kid = m.protectedHeader.find(kCoseHeaderKid);
  m.kidProtected = kid != nullptr;
  if (kid == nullptr) kid = m.unprotectedHeader.find(kCoseHeaderKid);
  if (kid != nullptr) {
    if (!kid->isBytes())
      return malformed(core::frEn("kid qui n'est pas une chaîne d'octets", "kid is not a byte string"));
    if (kid->asBytes().size() > limits.maxKidBytes) return malformed(core::frEn("kid trop long", "kid too long"));
    m.kid = kid->asBytes();
  }
  return {};
}

}  // namespace

std::string_view coseAlgName(CoseAlg alg) {
  switch (alg) {
    case CoseAlg::ES256:
      return "ES256";
    case CoseAlg::EdDSA:
      return "EdDSA";
    case CoseAlg::PS256:
      return "PS256";
  }
  return "?";
}

core::Result<CoseSign1> parseCoseSign1(std::span<const std::uint8_t> message, const CoseLimits& limits) {
  if (message.size() > limits.maxMessageBytes) {
    return core::fail(core::Errc::CborLimit, {core::frEn("taille > " + std::to_string(limits.maxMessageBytes),
                                                         "size > " + std::to_string(limits.maxMessageBytes))});
  }
  cbor::Limits cborLimits = limits.cbor;
  cborLimits.maxInputBytes = std::max(cborLimits.maxInputBytes, limits.maxMessageBytes);
  auto decoded = cbor::decode(message, cborLimits);
  if (!decoded) return core::fail(decoded.error());

  CoseSign1 m;
  const cbor::Value* root = &*decoded;
  if (root->isTag()) {
    if (root->tag() != kCoseSign1Tag)
      return malformed(core::frEn("étiquette " + std::to_string(root->tag()) + " au lieu de COSE_Sign1",
                                  "tag " + std::to_string(root->tag()) + " is not COSE_Sign1"));
    m.tagged = true;
    root = &root->tagContent();
  }
  if (!root->isArray() || root->items().size() != 4)
    return malformed(core::frEn("pas un tableau de 4 éléments", "not a 4-element array"));
  const auto& parts = root->items();
  if (!parts[0].isBytes())
    return malformed(
        core::frEn("en-tête protégé qui n'est pas une chaîne d'octets", "protected header is not a byte string"));
  if (!parts[1].isMap())
    return malformed(core::frEn("en-tête non protégé qui n'est pas une table", "unprotected header is not a map"));
  if (parts[2].isNull())
    return malformed(core::frEn("contenu détaché non pris en charge", "detached payload not supported"));
  if (!parts[2].isBytes())
    return malformed(core::frEn("contenu qui n'est pas une chaîne d'octets", "payload is not a byte string"));
  if (!parts[3].isBytes())
    return malformed(core::frEn("signature qui n'est pas une chaîne d'octets", "signature is not a byte string"));

  auto protectedBytes = decodeProtected(parts[0].asBytes(), limits.cbor, m.protectedHeader);
  if (!protectedBytes) return core::fail(protectedBytes.error());
  m.protectedBytes = std::move(*protectedBytes);
  m.unprotectedHeader = parts[1];
  m.payload = parts[2].asBytes();
  m.signature = parts[3].asBytes();
  if (auto headers = checkHeaders(m, limits); !headers) return core::fail(headers.error());
  return m;
}

std::vector<std::uint8_t> coseSigStructure(std::span<const std::uint8_t> protectedBytes,
                                           std::span<const std::uint8_t> payload,
                                           std::span<const std::uint8_t> externalAad) {
  return cbor::encode(cbor::Value::array({cbor::Value::text("Signature1"), cbor::Value::bytes(protectedBytes),
                                          cbor::Value::bytes(externalAad), cbor::Value::bytes(payload)}));
}

core::Result<void> coseVerifySignature(const CoseSign1& message, const PublicKey& key,
                                       std::span<const CoseAlg> allowed) {
  auto alg = allowedAlg(message.alg, allowed);
  if (!alg) return core::fail(alg.error());
  EVP_PKEY* pkey = key.impl().key.get();
  if (!keyFits(*alg, key.type(), key.bits()))
    return core::fail(core::Errc::CoseKeyMismatch, {std::string(coseAlgName(*alg))});

  std::vector<std::uint8_t> signature;
  switch (*alg) {
    case CoseAlg::ES256: {
      if (message.signature.size() != 2 * kEs256ComponentSize) {
        return core::fail(core::Errc::CoseSignatureMalformed,
                          {core::frEn("ES256 : " + std::to_string(message.signature.size()) + " octets",
                                      "ES256: " + std::to_string(message.signature.size()) + " bytes")});
      }
      auto der = es256RawToDer(message.signature);
      if (!der) return core::fail(der.error());
      signature = std::move(*der);
      break;
    }
    case CoseAlg::EdDSA:
      if (message.signature.size() != kEd25519SignatureSize) {
        return core::fail(core::Errc::CoseSignatureMalformed,
                          {core::frEn("EdDSA : " + std::to_string(message.signature.size()) + " octets",
                                      "EdDSA: " + std::to_string(message.signature.size()) + " bytes")});
      }
      signature = message.signature;
      break;
    case CoseAlg::PS256:
      if (message.signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(pkey))) {
        return core::fail(core::Errc::CoseSignatureMalformed,
                          {core::frEn("PS256 : " + std::to_string(message.signature.size()) + " octets",
                                      "PS256: " + std::to_string(message.signature.size()) + " bytes")});
      }
      signature = message.signature;
      break;
  }

  const std::vector<std::uint8_t> toBeSigned = coseSigStructure(message.protectedBytes, message.payload);
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const EVP_MD* md = *alg == CoseAlg::EdDSA ? nullptr : EVP_sha256();
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, pkey) != 1 ||
      (*alg == CoseAlg::PS256 && !setPss(pctx))) {
    ERR_clear_error();
    return core::fail(core::Errc::CoseKeyMismatch, {std::string(coseAlgName(*alg))});
  }
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), toBeSigned.data(), toBeSigned.size());
  ERR_clear_error();
  if (rc != 1) return core::fail(core::Errc::CoseSignatureInvalid);
  return {};
}

core::Result<CoseVerified> coseSign1Verify(std::span<const std::uint8_t> message, const CoseKeyLookup& lookup,
                                           std::span<const CoseAlg> allowed, const CoseLimits& limits) {
  auto parsed = parseCoseSign1(message, limits);
  if (!parsed) return core::fail(parsed.error());
  auto alg = allowedAlg(parsed->alg, allowed);
  if (!alg) return core::fail(alg.error());
  if (parsed->kid.empty()) return malformed(core::frEn("kid absent", "kid missing"));
  std::optional<PublicKey> key = lookup ? lookup(parsed->kid) : std::nullopt;
  if (!key) return core::fail(core::Errc::CoseUnknownKid, {toHex(parsed->kid)});
  if (auto verified = coseVerifySignature(*parsed, *key, allowed); !verified) return core::fail(verified.error());
  return CoseVerified{std::move(parsed->payload), *alg, std::move(parsed->kid), parsed->kidProtected, std::move(*key)};
}

core::Result<std::vector<std::uint8_t>> coseSign1Sign(std::span<const std::uint8_t> payload, const PrivateKey& key,
                                                      CoseAlg alg, std::span<const std::uint8_t> kid, bool tagged) {
  EVP_PKEY* pkey = key.impl().key.get();
  if (!keyFits(alg, key.type(), EVP_PKEY_get_bits(pkey))) {
    return core::fail(core::Errc::CoseKeyMismatch, {std::string(coseAlgName(alg))});
  }
  std::vector<cbor::MapEntry> header{
      {cbor::Value::integer(kCoseHeaderAlg), cbor::Value::integer(static_cast<std::int64_t>(alg))}};
  if (!kid.empty()) header.push_back({cbor::Value::integer(kCoseHeaderKid), cbor::Value::bytes(kid)});
  const std::vector<std::uint8_t> protectedBytes = cbor::encode(cbor::Value::map(std::move(header)));
  const std::vector<std::uint8_t> toBeSigned = coseSigStructure(protectedBytes, payload);

  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const EVP_MD* md = alg == CoseAlg::EdDSA ? nullptr : EVP_sha256();
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, pkey) != 1 ||
      (alg == CoseAlg::PS256 && !setPss(pctx)) ||
      EVP_DigestSign(ctx.get(), nullptr, &size, toBeSigned.data(), toBeSigned.size()) != 1) {
    return core::fail(core::Errc::CoseSignFailed, {detail::opensslError()});
  }
  std::vector<std::uint8_t> signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, toBeSigned.data(), toBeSigned.size()) != 1) {
    return core::fail(core::Errc::CoseSignFailed, {detail::opensslError()});
  }
  signature.resize(size);
  if (alg == CoseAlg::ES256) {
    auto raw = es256DerToRaw(signature);
    if (!raw) return core::fail(raw.error());
    signature = std::move(*raw);
  }

  cbor::Value body = cbor::Value::array({cbor::Value::bytes(protectedBytes), cbor::Value::map({}),
                                         cbor::Value::bytes(payload), cbor::Value::bytes(std::move(signature))});
  if (tagged) body = cbor::Value::tagged(kCoseSign1Tag, std::move(body));
  return cbor::encode(body);
}

}  // namespace vd::crypto
