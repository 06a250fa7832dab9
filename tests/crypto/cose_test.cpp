#include "crypto/cose.hpp"

#include <map>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/cbor_value.hpp"
#include "crypto/keys.hpp"

using vd::core::Errc;
using namespace vd::crypto;
namespace cbor = vd::crypto::cbor;

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr CoseAlg kAll[] = {CoseAlg::ES256, CoseAlg::PS256, CoseAlg::EdDSA};

Bytes bytesOf(std::string_view s) {
  return {s.begin(), s.end()};
}

// One key of each family for the whole suite: RSA generation is slow.
struct Keys {
  PrivateKey ec = *PrivateKey::generate(KeyType::EcP256);
  PrivateKey ed = *PrivateKey::generate(KeyType::Ed25519);
  PrivateKey rsa = *PrivateKey::generate(KeyType::Rsa);
  const PrivateKey& forAlg(CoseAlg alg) const { return alg == CoseAlg::ES256 ? ec : alg == CoseAlg::EdDSA ? ed : rsa; }
};
const Keys& keys() {
  static const Keys k;
  return k;
}

CoseKeyLookup lookupOf(const PublicKey& key) {
  return [key](std::span<const std::uint8_t> kid) -> std::optional<PublicKey> {
    if (Bytes(kid.begin(), kid.end()) == key.kid()) return key;
    return std::nullopt;
  };
}

// Rebuilds a COSE_Sign1 with replaced parts (for tampering and header tests).
Bytes rebuild(const Bytes& message, const std::function<void(std::vector<cbor::Value>&)>& edit) {
  auto root = cbor::decode(message);
  EXPECT_TRUE(root.ok());
  std::vector<cbor::Value> parts = root->isTag() ? root->tagContent().items() : root->items();
  edit(parts);
  return cbor::encode(cbor::Value::tagged(kCoseSign1Tag, cbor::Value::array(std::move(parts))));
}

Bytes withHeaders(const Bytes& message, cbor::Value protectedMap, cbor::Value unprotectedMap) {
  return rebuild(message, [&](std::vector<cbor::Value>& p) {
    p[0] = cbor::Value::bytes(cbor::encode(protectedMap));
    p[1] = unprotectedMap;
  });
}

TEST(Cose, RoundTripForEachAlgorithm) {
  const Bytes payload = bytesOf("{\"claims\": 1}");
  for (CoseAlg alg : kAll) {
    const PrivateKey& key = keys().forAlg(alg);
    auto cert = makeTestCertificate(key, "ApCV issuer");
    ASSERT_TRUE(cert.ok()) << coseAlgName(alg);
    const Bytes kid = cert->kid();
    ASSERT_EQ(kid.size(), kKidSize);
    auto message = coseSign1Sign(payload, key, alg, kid);
    ASSERT_TRUE(message.ok()) << coseAlgName(alg);
    EXPECT_EQ(message->at(0), 0xD2);  // tag 18
    auto verified = coseSign1Verify(*message, lookupOf(*cert), kAll);
    ASSERT_TRUE(verified.ok()) << coseAlgName(alg) << " " << static_cast<int>(verified.error().code) << " "
                               << (verified.error().args.empty() ? "" : verified.error().args[0]);
    EXPECT_EQ(verified->payload, payload);
    EXPECT_EQ(verified->alg, alg);
    EXPECT_EQ(verified->kid, kid);
    EXPECT_TRUE(verified->kidProtected);
    EXPECT_EQ(verified->key.certificateDer(), cert->certificateDer());
  }
}

TEST(Cose, UntaggedMessageAndEmptyPayloadAreAccepted) {
  const PublicKey pub = keys().ed.publicKey();
  auto message = coseSign1Sign({}, keys().ed, CoseAlg::EdDSA, pub.kid(), /*tagged=*/false);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->at(0), 0x84);
  auto verified = coseSign1Verify(*message, lookupOf(pub), kAll);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->payload.empty());
}

TEST(Cose, SigStructureIsRfc9052) {
  // ["Signature1", h'A10126', h'', h'01']
  EXPECT_EQ(
      coseSigStructure(Bytes{0xA1, 0x01, 0x26}, Bytes{0x01}),
      (Bytes{0x84, 0x6A, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1', 0x43, 0xA1, 0x01, 0x26, 0x40, 0x41, 0x01}));
}

TEST(Cose, TamperedPartsAreRefused) {
  for (CoseAlg alg : kAll) {
    const PublicKey pub = keys().forAlg(alg).publicKey();
    auto message = coseSign1Sign(bytesOf("payload"), keys().forAlg(alg), alg, pub.kid());
    ASSERT_TRUE(message.ok());
    const Bytes payload = rebuild(*message, [](auto& p) { p[2] = cbor::Value::bytes(bytesOf("pAyload")); });
    EXPECT_EQ(coseSign1Verify(payload, lookupOf(pub), kAll).error().code, Errc::CoseSignatureInvalid);
    const Bytes signature = rebuild(*message, [](auto& p) {
      Bytes s = p[3].asBytes();
      s[s.size() / 2] ^= 0x01;
      p[3] = cbor::Value::bytes(s);
    });
    EXPECT_EQ(coseSign1Verify(signature, lookupOf(pub), kAll).error().code, Errc::CoseSignatureInvalid);
    // Protected header changed but still valid for the profile: an extra label.
    const Bytes header =
        withHeaders(*message,
                    cbor::Value::map({{cbor::Value::integer(1), cbor::Value::integer(static_cast<int>(alg))},
                                      {cbor::Value::integer(4), cbor::Value::bytes(pub.kid())},
                                      {cbor::Value::integer(3), cbor::Value::integer(0)}}),
                    cbor::Value::map({}));
    EXPECT_EQ(coseSign1Verify(header, lookupOf(pub), kAll).error().code, Errc::CoseSignatureInvalid);
  }
}

TEST(Cose, SignatureFromAnotherKeyIsRefused) {
  auto other = PrivateKey::generate(KeyType::EcP256);
  ASSERT_TRUE(other.ok());
  const PublicKey pub = keys().ec.publicKey();
  auto message = coseSign1Sign(bytesOf("x"), *other, CoseAlg::ES256, pub.kid());  // claims pub's kid
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(coseSign1Verify(*message, lookupOf(pub), kAll).error().code, Errc::CoseSignatureInvalid);
}

TEST(Cose, UnknownKidIsReported) {
  const PublicKey pub = keys().ec.publicKey();
  auto message = coseSign1Sign(bytesOf("x"), keys().ec, CoseAlg::ES256, Bytes{1, 2, 3, 4, 5, 6, 7, 8});
  ASSERT_TRUE(message.ok());
  auto r = coseSign1Verify(*message, lookupOf(pub), kAll);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::CoseUnknownKid);
  EXPECT_EQ(r.error().args.at(0), "0102030405060708");
  EXPECT_EQ(coseSign1Verify(*message, CoseKeyLookup{}, kAll).error().code, Errc::CoseUnknownKid);
  auto noKid = coseSign1Sign(bytesOf("x"), keys().ec, CoseAlg::ES256, {});
  ASSERT_TRUE(noKid.ok());
  EXPECT_EQ(coseSign1Verify(*noKid, lookupOf(pub), kAll).error().code, Errc::CoseMalformed);
}

TEST(Cose, KidFromUnprotectedHeaderWhenNotProtected) {
  const PublicKey pub = keys().ed.publicKey();
  const Bytes protectedBytes = cbor::encode(cbor::Value::map({{cbor::Value::integer(1), cbor::Value::integer(-8)}}));
  const Bytes payload = bytesOf("p");
  // Sign by hand through the signer's building blocks: sign with no kid, then move it.
  auto signedNoKid = coseSign1Sign(payload, keys().ed, CoseAlg::EdDSA, {});
  ASSERT_TRUE(signedNoKid.ok());
  const Bytes message = rebuild(*signedNoKid, [&](auto& p) {
    p[1] = cbor::Value::map({{cbor::Value::integer(4), cbor::Value::bytes(pub.kid())}});
  });
  auto parsed = parseCoseSign1(message);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->protectedBytes, protectedBytes);
  EXPECT_FALSE(parsed->kidProtected);
  auto verified = coseSign1Verify(message, lookupOf(pub), kAll);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->kidProtected);

  // A kid in both headers: the protected one wins (DCC rule).
  auto signedWithKid = coseSign1Sign(payload, keys().ed, CoseAlg::EdDSA, pub.kid());
  ASSERT_TRUE(signedWithKid.ok());
  const Bytes both = rebuild(*signedWithKid, [&](auto& p) {
    p[1] = cbor::Value::map({{cbor::Value::integer(4), cbor::Value::bytes(Bytes{9, 9})}});
  });
  auto fromBoth = coseSign1Verify(both, lookupOf(pub), kAll);
  ASSERT_TRUE(fromBoth.ok());
  EXPECT_TRUE(fromBoth->kidProtected);
  EXPECT_EQ(fromBoth->kid, pub.kid());
  // Any other label in both headers is refused (RFC 9052 §3).
  const Bytes algBoth = rebuild(*signedWithKid, [&](auto& p) {
    p[1] = cbor::Value::map({{cbor::Value::integer(1), cbor::Value::integer(-8)}});
  });
  EXPECT_EQ(parseCoseSign1(algBoth).error().code, Errc::CoseMalformed);
}

TEST(Cose, AlgorithmOutsideTheAllowListIsRefused) {
  const PublicKey pub = keys().ed.publicKey();
  auto message = coseSign1Sign(bytesOf("x"), keys().ed, CoseAlg::EdDSA, pub.kid());
  ASSERT_TRUE(message.ok());
  bool lookedUp = false;
  const CoseKeyLookup spy = [&](std::span<const std::uint8_t>) -> std::optional<PublicKey> {
    lookedUp = true;
    return pub;
  };
  const CoseAlg onlyEs256[] = {CoseAlg::ES256};
  auto r = coseSign1Verify(*message, spy, onlyEs256);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::CoseAlgRefused);
  EXPECT_EQ(r.error().args.at(0), "EdDSA");
  EXPECT_FALSE(lookedUp);
  EXPECT_EQ(coseSign1Verify(*message, spy, {}).error().code, Errc::CoseAlgRefused);
  // An algorithm the profile does not know (ES384 = -35), even if the caller listed everything.
  const Bytes es384 = withHeaders(*message,
                                  cbor::Value::map({{cbor::Value::integer(1), cbor::Value::integer(-35)},
                                                    {cbor::Value::integer(4), cbor::Value::bytes(pub.kid())}}),
                                  cbor::Value::map({}));
  EXPECT_EQ(coseSign1Verify(es384, spy, kAll).error().code, Errc::CoseAlgRefused);
  const Bytes textAlg = withHeaders(*message,
                                    cbor::Value::map({{cbor::Value::integer(1), cbor::Value::text("EdDSA")},
                                                      {cbor::Value::integer(4), cbor::Value::bytes(pub.kid())}}),
                                    cbor::Value::map({}));
  EXPECT_EQ(coseSign1Verify(textAlg, spy, kAll).error().code, Errc::CoseAlgRefused);
}

TEST(Cose, AlgorithmOnlyInUnprotectedHeaderIsRefused) {
  const PublicKey pub = keys().ec.publicKey();
  auto message = coseSign1Sign(bytesOf("x"), keys().ec, CoseAlg::ES256, pub.kid());
  ASSERT_TRUE(message.ok());
  const Bytes moved =
      withHeaders(*message, cbor::Value::map({{cbor::Value::integer(4), cbor::Value::bytes(pub.kid())}}),
                  cbor::Value::map({{cbor::Value::integer(1), cbor::Value::integer(-7)}}));
  EXPECT_EQ(coseSign1Verify(moved, lookupOf(pub), kAll).error().code, Errc::CoseAlgNotProtected);
  const Bytes none = withHeaders(*message, cbor::Value::map({{cbor::Value::integer(4), cbor::Value::bytes(pub.kid())}}),
                                 cbor::Value::map({}));
  EXPECT_EQ(coseSign1Verify(none, lookupOf(pub), kAll).error().code, Errc::CoseMalformed);
  const Bytes crit =
      withHeaders(*message,
                  cbor::Value::map({{cbor::Value::integer(1), cbor::Value::integer(-7)},
                                    {cbor::Value::integer(2), cbor::Value::array({cbor::Value::integer(99)})},
                                    {cbor::Value::integer(4), cbor::Value::bytes(pub.kid())}}),
                  cbor::Value::map({}));
  EXPECT_EQ(coseSign1Verify(crit, lookupOf(pub), kAll).error().code, Errc::CoseMalformed);
}

TEST(Cose, WrongSignatureLengthIsAnError) {
  for (CoseAlg alg : kAll) {
    const PublicKey pub = keys().forAlg(alg).publicKey();
    auto message = coseSign1Sign(bytesOf("x"), keys().forAlg(alg), alg, pub.kid());
    ASSERT_TRUE(message.ok());
    for (std::size_t size : {std::size_t{0}, std::size_t{63}, std::size_t{65}, std::size_t{72}, std::size_t{4096}}) {
      const Bytes bad = rebuild(*message, [&](auto& p) { p[3] = cbor::Value::bytes(Bytes(size, 0x5A)); });
      auto r = coseSign1Verify(bad, lookupOf(pub), kAll);
      ASSERT_FALSE(r.ok()) << coseAlgName(alg) << " " << size;
      EXPECT_EQ(r.error().code, Errc::CoseSignatureMalformed) << coseAlgName(alg) << " " << size;
    }
  }
  // A 64-byte ES256 signature with r = s = 0 or all 0xFF is well-formed but invalid.
  const PublicKey pub = keys().ec.publicKey();
  auto message = coseSign1Sign(bytesOf("x"), keys().ec, CoseAlg::ES256, pub.kid());
  ASSERT_TRUE(message.ok());
  for (std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0xFF}}) {
    const Bytes bad = rebuild(*message, [&](auto& p) { p[3] = cbor::Value::bytes(Bytes(64, fill)); });
    EXPECT_EQ(coseSign1Verify(bad, lookupOf(pub), kAll).error().code, Errc::CoseSignatureInvalid);
  }
}

TEST(Cose, KeyTypeMustMatchTheAlgorithm) {
  const PublicKey ecPub = keys().ec.publicKey();
  auto message = coseSign1Sign(bytesOf("x"), keys().ec, CoseAlg::ES256, ecPub.kid());
  ASSERT_TRUE(message.ok());
  for (const PrivateKey* wrong : {&keys().ed, &keys().rsa}) {
    const PublicKey wrongPub = wrong->publicKey();
    const CoseKeyLookup lookup = [&](std::span<const std::uint8_t>) -> std::optional<PublicKey> { return wrongPub; };
    EXPECT_EQ(coseSign1Verify(*message, lookup, kAll).error().code, Errc::CoseKeyMismatch);
  }
  // The signer refuses a mismatched key too.
  EXPECT_EQ(coseSign1Sign(bytesOf("x"), keys().ed, CoseAlg::ES256, ecPub.kid()).error().code, Errc::CoseKeyMismatch);
  EXPECT_EQ(coseSign1Sign(bytesOf("x"), keys().ec, CoseAlg::PS256, ecPub.kid()).error().code, Errc::CoseKeyMismatch);
}

TEST(Cose, StructuralErrorsAreTyped) {
  const PublicKey pub = keys().ec.publicKey();
  auto message = coseSign1Sign(bytesOf("x"), keys().ec, CoseAlg::ES256, pub.kid());
  ASSERT_TRUE(message.ok());
  auto code = [&](const Bytes& m) { return coseSign1Verify(m, lookupOf(pub), kAll).error().code; };
  EXPECT_EQ(code(Bytes{}), Errc::CborMalformed);
  EXPECT_EQ(code(Bytes(message->begin(), message->end() - 1)), Errc::CborMalformed);
  EXPECT_EQ(code(cbor::encode(cbor::Value::tagged(98, cbor::Value::array({})))), Errc::CoseMalformed);
  EXPECT_EQ(code(cbor::encode(cbor::Value::array({}))), Errc::CoseMalformed);
  EXPECT_EQ(code(rebuild(*message, [](auto& p) { p.pop_back(); })), Errc::CoseMalformed);
  EXPECT_EQ(code(rebuild(*message, [](auto& p) { p[2] = cbor::Value::null(); })), Errc::CoseMalformed);
  EXPECT_EQ(code(rebuild(*message, [](auto& p) { p[2] = cbor::Value::text("x"); })), Errc::CoseMalformed);
  EXPECT_EQ(code(rebuild(*message, [](auto& p) { p[1] = cbor::Value::array({}); })), Errc::CoseMalformed);
  EXPECT_EQ(code(rebuild(*message, [](auto& p) { p[0] = cbor::Value::bytes(Bytes{0x01}); })), Errc::CoseMalformed);
  EXPECT_EQ(code(rebuild(*message,
                         [](auto& p) {
                           p[0] = cbor::Value::bytes(Bytes{0xA1, 0x01});
                         })),
            Errc::CborMalformed);
  EXPECT_EQ(code(withHeaders(*message,
                             cbor::Value::map({{cbor::Value::integer(1), cbor::Value::integer(-7)},
                                               {cbor::Value::integer(4), cbor::Value::text("kid")}}),
                             cbor::Value::map({}))),
            Errc::CoseMalformed);
  // Oversized message.
  CoseLimits small;
  small.maxMessageBytes = 16;
  EXPECT_EQ(coseSign1Verify(*message, lookupOf(pub), kAll, small).error().code, Errc::CborLimit);
}

}  // namespace
