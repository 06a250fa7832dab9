// ApCV token (VD2, insurer-bound credential + device presentation): every verdict, the order of
// the checks, skew edges, attacks with an extracted phone key, UTF-8 and bounds of text claims,
// replay cache persistence, delegation limit.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/date.hpp"
#include "crypto/base45.hpp"
#include "crypto/cose.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "crypto/trust_store.hpp"
#include "crypto/zlib_codec.hpp"
#include "reader/apcv/token.hpp"

namespace apcv = vd::reader::apcv;
using vd::core::Errc;
using vd::crypto::KeyType;
using vd::crypto::PrivateKey;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::int64_t kT0 = 1795000000;  // 2026-11-18T…Z
constexpr std::int64_t kDay = 86400;

struct Pki {
  PrivateKey issuer = *PrivateKey::generate(KeyType::EcP256);
  vd::crypto::PublicKey issuerCert = *vd::crypto::makeTestCertificate(issuer, "TEST ONLY issuer");
  PrivateKey app = *PrivateKey::generate(KeyType::Ed25519);
  PrivateKey otherApp = *PrivateKey::generate(KeyType::EcP256);  // phone B
};

const Pki& pki() {
  static const Pki p;
  return p;
}

apcv::InsurerCredential sampleCredential(const PrivateKey& app = pki().app) {
  apcv::InsurerCredential c;
  c.issuer = "TEST-ISSUER";
  c.issuedAt = kT0 - kDay;
  c.notBefore = kT0 - kDay;
  c.notAfter = kT0 + 365 * kDay;
  c.appInstanceId = "APP-1";
  c.publicKeyDer = app.publicKey().spkiDer();
  c.insured = {"255081416802538", "DEMO", "Camille", "19550800", 1, 0, "1.2.250.1.213.1.4.10"};
  c.beneficiaries.push_back({"295109912611193", "DEMO", "Lou", "19951000", 2, 6, ""});
  c.rights = {"2026-11-01", "01", "751", "0001", {"ALD"}, false, "AMC-TEST-1"};
  return c;
}

apcv::DeviceClaims sampleDevice(std::int64_t iat = kT0) {
  apcv::DeviceClaims d;
  d.issuedAt = iat;
  d.expiresAt = iat + 120;
  d.tokenId = {1, 2, 3, 4, 5, 6, 7, static_cast<std::uint8_t>(iat & 0xff)};
  return d;
}

Bytes issued(const apcv::InsurerCredential& c) {
  return *apcv::signCredential(c, pki().issuer, pki().issuerCert.kid());
}

Bytes tokenCose(const Bytes& credential, const apcv::DeviceClaims& d = sampleDevice(),
                const PrivateKey& app = pki().app) {
  return *apcv::presentCose(credential, d, app);
}

std::string text(const Bytes& cose) { return *apcv::tokenText(cose); }

std::string token(const apcv::InsurerCredential& c = sampleCredential(), const apcv::DeviceClaims& d = sampleDevice()) {
  return text(tokenCose(issued(c), d));
}

struct Verify {
  vd::crypto::TrustStore trust = vd::crypto::TrustStore::fromKeys({pki().issuerCert}, {"APP-LOST"});
  vd::core::FixedClock clock{kT0 + 10};
  apcv::ReplayCache cache;
  apcv::Credential operator()(const std::string& t, apcv::VerifyOptions o = {}) {
    return apcv::TokenVerifier(trust, clock, cache, o).verify(t);
  }
};

Errc firstReason(const apcv::Credential& c) { return c.reasons.empty() ? Errc::Internal : c.reasons.front().code; }

}  // namespace

TEST(ApcvToken, ValidTokenVerifiesWithTheInsurersClaims) {
  Verify v;
  const std::string t = token();
  EXPECT_EQ(t.rfind("VD2:", 0), 0u);
  const auto cred = v(t);
  ASSERT_EQ(cred.verdict, apcv::Verdict::Verified) << vd::core::errcId(firstReason(cred));
  ASSERT_TRUE(cred.claims);
  EXPECT_EQ(cred.claims->insured.nir, "255081416802538");
  EXPECT_EQ(cred.claims->insured.birthDate, "19550800");  // lunar kept raw
  EXPECT_EQ(cred.claims->beneficiaries.at(0).qualite, 6);
  EXPECT_EQ(cred.claims->rights.exemptions, std::vector<std::string>{"ALD"});
  EXPECT_EQ(cred.claims->rights.amc, "AMC-TEST-1");
  EXPECT_EQ(cred.claims->appInstanceId, "APP-1");
  EXPECT_EQ(cred.claims->issuedAt, kT0);
  EXPECT_EQ(cred.claims->validUntil, kT0 + 365 * kDay);
  EXPECT_EQ(cred.issuerKidHex, vd::crypto::toHex(pki().issuerCert.kid()));
  EXPECT_FALSE(cred.presentation);
}

TEST(ApcvToken, ScannerTerminatorIsIgnored) {
  Verify v;
  EXPECT_EQ(v(token() + "\r\n").verdict, apcv::Verdict::Verified);
}

TEST(ApcvToken, PresentationExpiryWithSkewEdges) {
  const auto d = sampleDevice();
  Verify v;
  v.clock.set(d.expiresAt + apcv::kDefaultSkewSeconds - 1);
  EXPECT_EQ(v(token(sampleCredential(), d)).verdict, apcv::Verdict::Verified);
  Verify w;
  w.clock.set(d.expiresAt + apcv::kDefaultSkewSeconds);
  const auto cred = w(token(sampleCredential(), d));
  EXPECT_EQ(cred.verdict, apcv::Verdict::Refused);
  EXPECT_EQ(firstReason(cred), Errc::ApcvExpired);
}

TEST(ApcvToken, PresentationNotYetValidWithSkewEdges) {
  const auto d = sampleDevice();
  Verify v;
  v.clock.set(d.issuedAt - apcv::kDefaultSkewSeconds);
  EXPECT_EQ(v(token(sampleCredential(), d)).verdict, apcv::Verdict::Verified);
  Verify w;
  w.clock.set(d.issuedAt - apcv::kDefaultSkewSeconds - 1);
  EXPECT_EQ(firstReason(w(token(sampleCredential(), d))), Errc::ApcvNotYetValid);
}

TEST(ApcvToken, InsurerWindowAtPresentationTime) {
  auto c = sampleCredential();
  c.notBefore = kT0 + kDay;
  c.notAfter = kT0 + 2 * kDay;
  Verify v;
  EXPECT_EQ(firstReason(v(token(c))), Errc::ApcvCredentialNotYetValid);
  c.notBefore = kT0 - 2 * kDay;
  c.notAfter = kT0 - kDay;
  Verify w;
  const auto cred = w(token(c));
  EXPECT_EQ(firstReason(cred), Errc::ApcvCredentialExpired);
  EXPECT_EQ(cred.verdict, apcv::Verdict::Refused);
}

TEST(ApcvToken, UnknownIssuerRefused) {
  const auto other = *PrivateKey::generate(KeyType::EcP256);
  Verify v;
  const auto cred = v(text(tokenCose(*apcv::signCredential(sampleCredential(), other, other.publicKey().kid()))));
  EXPECT_EQ(cred.verdict, apcv::Verdict::Refused);
  EXPECT_EQ(firstReason(cred), Errc::ApcvUnknownIssuer);
  EXPECT_FALSE(cred.claims);
}

// An extracted phone key re-signs the presentation (digest recomputed) over an altered insurer part.
TEST(ApcvToken, ExtractedPhoneKeyCannotChangeIdentityOrRights) {
  const auto genuine = sampleCredential();
  auto otherNir = genuine;
  otherNir.insured.nir = "295109912611193";
  auto otherRights = genuine;
  otherRights.rights.c2s = true;
  auto longer = genuine;
  longer.notAfter = kT0 + 399 * kDay;
  for (const auto& altered : {otherNir, otherRights, longer}) {
    Verify v;
    const auto cred = v(text(tokenCose(*apcv::alterCredential(issued(genuine), altered))));
    EXPECT_EQ(firstReason(cred), Errc::ApcvCredentialSignatureInvalid);
    EXPECT_FALSE(cred.claims);
  }
}

TEST(ApcvToken, SelfIssuedCredentialRefused) {
  Verify v;
  // The phone's key signing as the insurer, under the insurer's kid or its own.
  EXPECT_EQ(firstReason(v(text(tokenCose(*apcv::signCredential(sampleCredential(), pki().otherApp,
                                                                pki().issuerCert.kid()))))),
            Errc::ApcvCredentialSignatureInvalid);
  EXPECT_EQ(firstReason(v(text(tokenCose(*apcv::signCredential(sampleCredential(), pki().app,
                                                                pki().app.publicKey().kid()))))),
            Errc::ApcvUnknownIssuer);
}

TEST(ApcvToken, CredentialOfPersonAPresentedWithPhoneBsKeyRefused) {
  Verify v;
  const auto cred = v(text(tokenCose(issued(sampleCredential()), sampleDevice(), pki().otherApp)));
  EXPECT_EQ(firstReason(cred), Errc::ApcvDeviceKeyMismatch);
  EXPECT_FALSE(cred.claims);
  // Phone B claiming phone A's kid: the signature does not hold under A's key.
  auto device = sampleDevice();
  const Bytes credential = issued(sampleCredential());
  device.credentialDigest = apcv::credentialDigest(credential);
  const Bytes signedByB = *vd::crypto::coseSign1Sign(apcv::encodeDeviceClaims(device), pki().otherApp,
                                                     vd::crypto::CoseAlg::ES256, pki().app.publicKey().kid());
  EXPECT_EQ(firstReason(v(text(*apcv::withCredential(signedByB, credential)))), Errc::ApcvSignatureInvalid);
}

TEST(ApcvToken, AlteredPresentationRefused) {
  const Bytes cose = tokenCose(issued(sampleCredential()));
  auto altered = sampleDevice();
  altered.expiresAt += 300;
  altered.credentialDigest = apcv::credentialDigest(issued(sampleCredential()));
  Verify v;
  EXPECT_EQ(firstReason(v(text(*apcv::alterPresentation(cose, altered)))), Errc::ApcvSignatureInvalid);
}

TEST(ApcvToken, PresentationBoundToTheExactInsurerBytes) {
  // Two genuine credentials of the same phone: the presentation of one with the other swapped in.
  auto older = sampleCredential();
  older.rights.c2s = true;
  const Bytes cose = tokenCose(issued(sampleCredential()));
  Verify v;
  const auto cred = v(text(*apcv::withCredential(cose, issued(older))));
  EXPECT_EQ(firstReason(cred), Errc::ApcvDigestMismatch);
  EXPECT_FALSE(cred.claims);
}

TEST(ApcvToken, TamperedInsurerPartRefused) {
  auto altered = sampleCredential();
  altered.insured.birthName = "OTHER";
  const Bytes credential = issued(sampleCredential());
  Verify v;
  const auto cred = v(text(*apcv::withCredential(tokenCose(credential), *apcv::alterCredential(credential, altered))));
  EXPECT_EQ(firstReason(cred), Errc::ApcvCredentialSignatureInvalid);
  EXPECT_FALSE(cred.claims);
}

TEST(ApcvToken, RevokedAppInstanceRefused) {
  auto c = sampleCredential();
  c.appInstanceId = "APP-LOST";
  Verify v;
  EXPECT_EQ(firstReason(v(token(c))), Errc::ApcvAppRevoked);
}

TEST(ApcvToken, ChecksInTheDocumentedOrder) {
  // Revoked and expired instance and a bad phone signature: window, revocation, then the signature.
  auto c = sampleCredential(pki().otherApp);
  c.appInstanceId = "APP-LOST";
  c.notBefore = kT0 - 2 * kDay;
  c.notAfter = kT0 - kDay;
  const Bytes credential = issued(c);
  auto device = sampleDevice();
  device.credentialDigest = apcv::credentialDigest(credential);
  const auto third = *PrivateKey::generate(KeyType::EcP256);
  const Bytes wrongSig = *vd::crypto::coseSign1Sign(apcv::encodeDeviceClaims(device), third,
                                                    vd::crypto::CoseAlg::ES256, pki().otherApp.publicKey().kid());
  Verify v;
  const auto cred = v(text(*apcv::withCredential(wrongSig, credential)));
  ASSERT_EQ(cred.reasons.size(), 3u);
  EXPECT_EQ(cred.reasons[0].code, Errc::ApcvCredentialExpired);
  EXPECT_EQ(cred.reasons[1].code, Errc::ApcvAppRevoked);
  EXPECT_EQ(cred.reasons[2].code, Errc::ApcvSignatureInvalid);
  EXPECT_FALSE(cred.claims);
}

TEST(ApcvToken, ReplayRefusedSecondTime) {
  Verify v;
  const std::string t = token();
  EXPECT_EQ(v(t).verdict, apcv::Verdict::Verified);
  EXPECT_EQ(firstReason(v(t)), Errc::ApcvReplay);
}

TEST(ApcvToken, RefusedTokenDoesNotBurnItsId) {
  const auto d = sampleDevice();
  Verify v;
  v.clock.set(d.issuedAt - 3600);
  EXPECT_EQ(firstReason(v(token(sampleCredential(), d))), Errc::ApcvNotYetValid);
  EXPECT_FALSE(v.cache.contains(d.tokenId, d.issuedAt));
  v.clock.set(d.issuedAt);
  EXPECT_EQ(v(token(sampleCredential(), d)).verdict, apcv::Verdict::Verified);
}

TEST(ApcvToken, InvalidUtf8InASignedClaimIsRefusedWithoutConsumingTheId) {
  const auto d = sampleDevice();
  const std::vector<std::string> names{"DE\xff" "MO", "\xc0\xaf", "\xed\xa0\x80", "A\x01" "B", std::string(257, 'A')};
  for (const std::string& name : names) {
    auto c = sampleCredential();
    c.insured.birthName = name;
    Verify v;
    const auto cred = v(token(c, d));  // genuinely signed by the insurer
    ASSERT_EQ(firstReason(cred), Errc::ApcvMalformed);
    EXPECT_EQ(cred.reasons.front().args.at(0), "ins.nom");
    EXPECT_FALSE(cred.claims);
    EXPECT_FALSE(v.cache.contains(d.tokenId, kT0));
  }
}

TEST(ApcvToken, DelegationIssuedToTheDelegateUpTo30Days) {
  auto c = sampleCredential(pki().otherApp);  // the delegate's phone
  c.appInstanceId = "APP-AIDANT";
  c.notBefore = kT0 - 10;
  c.notAfter = c.notBefore + apcv::kMaxDelegationSeconds;
  c.delegation = apcv::Delegation{"AIDANT", "Sam", 0};
  Verify v;
  const auto cred = v(text(tokenCose(issued(c), sampleDevice(), pki().otherApp)));
  ASSERT_EQ(cred.verdict, apcv::Verdict::Verified) << vd::core::errcId(firstReason(cred));
  ASSERT_TRUE(cred.presentation);
  EXPECT_EQ(cred.presentation->delegate, "Sam AIDANT");
  EXPECT_EQ(cred.presentation->holder, "Camille DEMO");
  EXPECT_EQ(cred.presentation->until, c.notAfter);
  EXPECT_EQ(vd::core::Date::fromDayNumber(static_cast<std::int32_t>(cred.presentation->until / 86400)).iso(),
            "2026-12-18");
  // The holder's phone cannot present the delegate's credential.
  Verify w;
  EXPECT_EQ(firstReason(w(text(tokenCose(issued(c), sampleDevice(), pki().app)))), Errc::ApcvDeviceKeyMismatch);
}

TEST(ApcvToken, DelegationOver30DaysRefused) {
  auto c = sampleCredential();
  c.notBefore = kT0 - 10;
  c.notAfter = c.notBefore + apcv::kMaxDelegationSeconds + 1;
  c.delegation = apcv::Delegation{"AIDANT", "Sam", 0};
  Verify v;
  const auto cred = v(token(c));
  EXPECT_EQ(firstReason(cred), Errc::ApcvDelegationTooLong);
  EXPECT_FALSE(cred.presentation);
}

TEST(ApcvToken, EndedDelegationRefused) {
  auto c = sampleCredential();
  c.notBefore = kT0 - 10 * kDay;
  c.notAfter = kT0 - 100;
  c.delegation = apcv::Delegation{"AIDANT", "Sam", 0};
  Verify v;
  EXPECT_EQ(firstReason(v(token(c))), Errc::ApcvDelegationExpired);
}

TEST(ApcvToken, ChallengeMustMatch) {
  auto d = sampleDevice();
  d.challenge = Bytes{9, 9, 9, 9};
  apcv::VerifyOptions o;
  o.expectedChallenge = Bytes{9, 9, 9, 9};
  Verify v;
  EXPECT_EQ(v(token(sampleCredential(), d), o).verdict, apcv::Verdict::Verified);
  o.expectedChallenge = Bytes{1, 2, 3, 4};
  Verify w;
  EXPECT_EQ(firstReason(w(token(sampleCredential(), d), o)), Errc::ApcvChallengeMismatch);
}

TEST(ApcvToken, EnvelopeErrors) {
  Verify v;
  EXPECT_EQ(firstReason(v("HC1:ABC")), Errc::ApcvPrefix);
  EXPECT_EQ(firstReason(v("VD2:abc")), Errc::Base45Character);
  EXPECT_EQ(firstReason(v("VD2:" + std::string(9000, '0'))), Errc::ApcvMalformed);
  apcv::VerifyOptions o;
  o.prefix = "XX:";
  EXPECT_EQ(firstReason(v(token(), o)), Errc::ApcvPrefix);
  // A COSE_Sign1 by the phone without an insurer part.
  const Bytes bare = *vd::crypto::coseSign1Sign(apcv::encodeDeviceClaims(sampleDevice()), pki().app,
                                                vd::crypto::CoseAlg::EdDSA, pki().app.publicKey().kid());
  const auto cred = v(text(bare));
  EXPECT_EQ(firstReason(cred), Errc::ApcvMalformed);
  EXPECT_EQ(cred.reasons.front().args.at(0), "credential");
}

TEST(ApcvToken, OldFormatRefusedWithUpdateTheApp) {
  Verify v;
  const auto byPrefix = v("VD1:" + token().substr(4));
  EXPECT_EQ(firstReason(byPrefix), Errc::ApcvFormatOutdated);
  EXPECT_EQ(byPrefix.reasons.front().args.at(0), "VD1");
  // VD1's layout (app certificate at -65537) under the new prefix, as an NFC answer would carry it.
  const Bytes signedClaims = *vd::crypto::coseSign1Sign(apcv::encodeDeviceClaims(sampleDevice()), pki().app,
                                                        vd::crypto::CoseAlg::EdDSA, pki().app.publicKey().kid());
  auto parsed = *vd::crypto::parseCoseSign1(signedClaims);
  namespace cbor = vd::crypto::cbor;
  const Bytes vd1 = cbor::encode(cbor::Value::tagged(
      vd::crypto::kCoseSign1Tag,
      cbor::Value::array({cbor::Value::bytes(parsed.protectedBytes),
                          cbor::Value::map({cbor::MapEntry{cbor::Value::integer(apcv::kOutdatedAppCertificateHeader),
                                                           cbor::Value::bytes(Bytes{1, 2, 3})}}),
                          cbor::Value::bytes(parsed.payload), cbor::Value::bytes(parsed.signature)})));
  EXPECT_EQ(firstReason(apcv::TokenVerifier(v.trust, v.clock, v.cache).verifyCose(vd1)), Errc::ApcvFormatOutdated);
}

TEST(ApcvToken, EnvelopeOnlyGivesBothRawParts) {
  Verify v;
  auto env = apcv::openEnvelope(token(), v.trust);
  ASSERT_TRUE(env.ok()) << vd::core::errcId(env.error().code);
  EXPECT_EQ(env->credential.appInstanceId, "APP-1");
  EXPECT_EQ(env->device.credentialDigest, apcv::credentialDigest(env->credentialCose));
  const std::string diag = apcv::diagnostic(env->rawClaims);
  EXPECT_NE(diag.find("\"aid\": \"APP-1\""), std::string::npos) << diag;
  EXPECT_NE(diag.find("\"presentation\""), std::string::npos) << diag;
}

TEST(ApcvClaims, RoundTripAndBounds) {
  const auto c = sampleCredential();
  auto back = apcv::decodeInsurerCredential(apcv::encodeInsurerCredential(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->insured.firstNames, "Camille");
  EXPECT_EQ(back->publicKeyDer, c.publicKeyDer);
  const auto argOf = [](const apcv::InsurerCredential& x) {
    auto r = apcv::decodeInsurerCredential(apcv::encodeInsurerCredential(x));
    return r ? std::string("ok") : r.error().args.at(0);
  };
  auto bad = c;
  bad.insured.nir = "255081416802539";  // wrong key
  EXPECT_EQ(argOf(bad), "ins.nir");
  bad = c;
  bad.notAfter = c.notBefore + apcv::kMaxCredentialSeconds + 1;
  EXPECT_EQ(argOf(bad), "exp");
  bad = c;
  bad.insured.birthDate = "1955-08";
  EXPECT_EQ(argOf(bad), "ins.dn");
  bad = c;
  bad.rights.exemptions = {"ALD\xff"};
  EXPECT_EQ(argOf(bad), "rts.exo");
  bad = c;
  bad.beneficiaries.front().firstNames = "L\xc3";  // cut multi-byte sequence
  EXPECT_EQ(argOf(bad), "ben.prn");
  bad = c;
  bad.issuer = std::string(65, 'I');
  EXPECT_EQ(argOf(bad), "iss");
  bad = c;
  bad.rights.amc = std::string(apcv::kMaxClaimText, 'x');
  EXPECT_EQ(argOf(bad), "ok");  // at the bound
  bad.rights.amc += 'x';
  EXPECT_EQ(argOf(bad), "rts.amc");
  const std::uint8_t notMap[] = {0x01};
  EXPECT_EQ(apcv::decodeInsurerCredential(notMap).error().code, Errc::ApcvMalformed);
  EXPECT_EQ(apcv::decodeInsurerCredential({}).error().code, Errc::ApcvMalformed);

  auto d = sampleDevice();
  d.credentialDigest = Bytes(32, 7);
  ASSERT_TRUE(apcv::decodeDeviceClaims(apcv::encodeDeviceClaims(d)));
  auto badDevice = d;
  badDevice.expiresAt = d.issuedAt + apcv::kMaxTokenLifetimeSeconds + 1;
  EXPECT_EQ(apcv::decodeDeviceClaims(apcv::encodeDeviceClaims(badDevice)).error().args.at(0), "exp");
  badDevice = d;
  badDevice.tokenId = {1, 2};
  EXPECT_EQ(apcv::decodeDeviceClaims(apcv::encodeDeviceClaims(badDevice)).error().args.at(0), "cti");
  badDevice = d;
  badDevice.credentialDigest = Bytes(31, 7);
  EXPECT_EQ(apcv::decodeDeviceClaims(apcv::encodeDeviceClaims(badDevice)).error().args.at(0), "cdg");
}

TEST(ApcvClaims, Utf8Validation) {
  EXPECT_TRUE(apcv::isCleanUtf8("Zoé Ñandú 日本 😀"));
  EXPECT_TRUE(apcv::isCleanUtf8(""));
  EXPECT_FALSE(apcv::isCleanUtf8("\xff"));
  EXPECT_FALSE(apcv::isCleanUtf8("\xc0\x80"));           // overlong NUL
  EXPECT_FALSE(apcv::isCleanUtf8("\xe0\x80\xaf"));       // overlong
  EXPECT_FALSE(apcv::isCleanUtf8("\xed\xbf\xbf"));       // surrogate
  EXPECT_FALSE(apcv::isCleanUtf8("\xf4\x90\x80\x80"));   // over U+10FFFF
  EXPECT_FALSE(apcv::isCleanUtf8("\xe6\x97"));           // truncated
  EXPECT_FALSE(apcv::isCleanUtf8("a\nb"));               // control
  EXPECT_FALSE(apcv::isCleanUtf8("a\x7f"));
}

TEST(ApcvReplayCache, SurvivesReopenAndForgetsExpired) {
  const auto dir = std::filesystem::temp_directory_path() / ("vd_replay_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" + std::to_string(kT0));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto file = dir / "replay.txt";
  const std::vector<std::uint8_t> a{1, 2, 3, 4, 5, 6, 7, 8}, b{8, 7, 6, 5, 4, 3, 2, 1};
  {
    auto cache = apcv::ReplayCache::open(file, kT0);
    ASSERT_TRUE(cache.ok());
    EXPECT_TRUE(*cache->record(a, kT0 + 100, kT0));
    EXPECT_TRUE(*cache->record(b, kT0 + 1000, kT0));
    EXPECT_FALSE(*cache->record(a, kT0 + 100, kT0 + 1));
  }
  {
    auto cache = apcv::ReplayCache::open(file, kT0 + 50);
    ASSERT_TRUE(cache.ok());
    EXPECT_TRUE(cache->contains(a, kT0 + 50));
    EXPECT_FALSE(*cache->record(a, kT0 + 100, kT0 + 50));
  }
  {
    auto cache = apcv::ReplayCache::open(file, kT0 + 100);  // a has expired
    ASSERT_TRUE(cache.ok());
    EXPECT_EQ(cache->size(), 1u);
    EXPECT_FALSE(cache->contains(a, kT0 + 100));
    EXPECT_TRUE(cache->contains(b, kT0 + 100));
  }
  std::ofstream(file, std::ios::app) << "zz corrupt\n" << "abcd notanumber\n";
  auto cache = apcv::ReplayCache::open(file, kT0 + 100);
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(cache->size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  EXPECT_EQ(apcv::ReplayCache::open(dir / "missing" / "r.txt", kT0).error().code, Errc::ReplayCacheUnwritable);
  std::filesystem::remove_all(dir);
}

// A verification "at" a time far ahead (`token verify --at 2099-…`, a wrong --at) sees the
// entries as expired but never erases them from the file: the real clock still needs them.
TEST(ApcvReplayCache, AFutureClockNeverPurgesTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("vd_replay_future_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto file = dir / "replay.txt";
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::vector<std::uint8_t> a{1, 2, 3, 4, 5, 6, 7, 8}, b{9, 9, 9, 9, 9, 9, 9, 9};
  ASSERT_TRUE(*apcv::ReplayCache::open(file, now)->record(a, now + 600, now));
  const std::int64_t far = now + 100LL * 365 * 86400;
  {
    auto ahead = apcv::ReplayCache::open(file, far);
    ASSERT_TRUE(ahead.ok());
    EXPECT_FALSE(ahead->contains(a, far));       // expired at that time…
    EXPECT_TRUE(*ahead->record(b, far + 600, far));  // …and a write then keeps it in the file
  }
  auto later = apcv::ReplayCache::open(file, now + 1);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->contains(a, now + 1));
  EXPECT_FALSE(*later->record(a, now + 600, now + 1));  // still a replay by the real clock
  std::filesystem::remove_all(dir);
}

TEST(ApcvReplayCache, ParsesWhatItCanOfADamagedFile) {
  std::map<std::string, std::int64_t> e;
  apcv::ReplayCache::parseEntries("VDREPLAY1\n0a0b 200\n0a0b 300\n0c 100\nABCD 500\n0d +500\n0e 5x\n0f \n"
                                  "10 99999999999999999999\n11 -1\n12 400",
                                  150, e);
  EXPECT_EQ(e, (std::map<std::string, std::int64_t>{{"0a0b", 300}, {"12", 400}}));
  e.clear();
  apcv::ReplayCache::parseEntries("0a 200", 0, e);  // the header is optional
  EXPECT_EQ(e.size(), 1u);
  e.clear();
  apcv::ReplayCache::parseEntries(std::string(200, 'a') + " 500\n", 0, e);  // over-long id
  EXPECT_TRUE(e.empty());
}
