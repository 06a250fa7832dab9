// ApCV token: every verdict, skew edges, replay cache persistence, delegation limit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/date.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/token.hpp"

namespace apcv = vd::reader::apcv;
using vd::core::Errc;
using vd::crypto::KeyType;
using vd::crypto::PrivateKey;

namespace {

constexpr std::int64_t kT0 = 1795000000;  // 2026-11-18T…Z

struct Pki {
  PrivateKey issuer = *PrivateKey::generate(KeyType::EcP256);
  vd::crypto::PublicKey issuerCert = *vd::crypto::makeTestCertificate(issuer, "TEST ONLY issuer");
  PrivateKey app = *PrivateKey::generate(KeyType::Ed25519);
};

const Pki& pki() {
  static const Pki p;
  return p;
}

apcv::Claims sampleClaims(std::int64_t iat = kT0) {
  apcv::Claims c;
  c.issuer = "TEST-ISSUER";
  c.issuedAt = iat;
  c.expiresAt = iat + 120;
  c.tokenId = {1, 2, 3, 4, 5, 6, 7, static_cast<std::uint8_t>(iat & 0xff)};
  c.appInstanceId = "APP-1";
  c.insured = {"255081416802538", "DEMO", "Camille", "19550800", 1, 0, "1.2.250.1.213.1.4.10"};
  c.beneficiaries.push_back({"295109912611193", "DEMO", "Lou", "19951000", 2, 6, ""});
  c.rights = {"2026-11-01", "01", "751", "0001", {"ALD"}, false, "AMC-TEST-1"};
  return c;
}

std::vector<std::uint8_t> appCert(const PrivateKey& app, const std::string& aid, const PrivateKey& issuer,
                                  std::span<const std::uint8_t> issuerKid, std::int64_t nbf = kT0 - 86400,
                                  std::int64_t naf = kT0 + 365 * 86400) {
  apcv::AppCertificate a{"TEST-ISSUER", aid, app.publicKey().spkiDer(), nbf, naf};
  return *apcv::signAppCertificate(a, issuer, issuerKid);
}

std::string token(const apcv::Claims& c, std::vector<std::uint8_t> cert = {}) {
  if (cert.empty()) cert = appCert(pki().app, c.appInstanceId, pki().issuer, pki().issuerCert.kid());
  return *apcv::makeToken(c, cert, pki().app);
}

struct Verify {
  vd::crypto::TrustStore trust = vd::crypto::TrustStore::fromKeys({pki().issuerCert}, {"APP-LOST"});
  vd::reader::FixedClock clock{kT0 + 10};
  apcv::ReplayCache cache;
  apcv::Credential operator()(const std::string& text, apcv::VerifyOptions o = {}) {
    return apcv::TokenVerifier(trust, clock, cache, o).verify(text);
  }
};

Errc firstReason(const apcv::Credential& c) { return c.reasons.empty() ? Errc::Internal : c.reasons.front().code; }

}  // namespace

TEST(ApcvToken, ValidTokenVerifiesWithItsClaims) {
  Verify v;
  const std::string text = token(sampleClaims());
  EXPECT_EQ(text.rfind("VD1:", 0), 0u);
  const auto cred = v(text);
  ASSERT_EQ(cred.verdict, apcv::Verdict::Verified) << vd::core::errcId(firstReason(cred));
  ASSERT_TRUE(cred.claims);
  EXPECT_EQ(cred.claims->insured.nir, "255081416802538");
  EXPECT_EQ(cred.claims->insured.birthDate, "19550800");  // lunar kept raw
  EXPECT_EQ(cred.claims->beneficiaries.at(0).qualite, 6);
  EXPECT_EQ(cred.claims->rights.exemptions, std::vector<std::string>{"ALD"});
  EXPECT_EQ(cred.claims->rights.amc, "AMC-TEST-1");
  EXPECT_EQ(cred.issuerKidHex, vd::crypto::toHex(pki().issuerCert.kid()));
  EXPECT_FALSE(cred.presentation);
}

TEST(ApcvToken, ScannerTerminatorIsIgnored) {
  Verify v;
  EXPECT_EQ(v(token(sampleClaims()) + "\r\n").verdict, apcv::Verdict::Verified);
}

TEST(ApcvToken, ExpiryWithSkewEdges) {
  const auto c = sampleClaims();
  Verify v;
  v.clock.set(c.expiresAt + apcv::kDefaultSkewSeconds - 1);
  EXPECT_EQ(v(token(c)).verdict, apcv::Verdict::Verified);
  Verify w;
  w.clock.set(c.expiresAt + apcv::kDefaultSkewSeconds);
  const auto cred = w(token(c));
  EXPECT_EQ(cred.verdict, apcv::Verdict::Refused);
  EXPECT_EQ(firstReason(cred), Errc::ApcvExpired);
}

TEST(ApcvToken, NotYetValidWithSkewEdges) {
  const auto c = sampleClaims();
  Verify v;
  v.clock.set(c.issuedAt - apcv::kDefaultSkewSeconds);
  EXPECT_EQ(v(token(c)).verdict, apcv::Verdict::Verified);
  Verify w;
  w.clock.set(c.issuedAt - apcv::kDefaultSkewSeconds - 1);
  EXPECT_EQ(firstReason(w(token(c))), Errc::ApcvNotYetValid);
}

TEST(ApcvToken, UnknownIssuerRefused) {
  const auto other = *PrivateKey::generate(KeyType::EcP256);
  const auto kid = other.publicKey().kid();
  Verify v;
  const auto cred = v(token(sampleClaims(), appCert(pki().app, "APP-1", other, kid)));
  EXPECT_EQ(cred.verdict, apcv::Verdict::Refused);
  EXPECT_EQ(firstReason(cred), Errc::ApcvUnknownIssuer);
  EXPECT_FALSE(cred.claims);
}

TEST(ApcvToken, TamperedClaimsRefused) {
  auto altered = sampleClaims();
  altered.insured.birthName = "OTHER";
  Verify v;
  const auto cred = v(*apcv::tamperToken(token(sampleClaims()), altered));
  EXPECT_EQ(firstReason(cred), Errc::ApcvSignatureInvalid);
  EXPECT_FALSE(cred.claims);
}

TEST(ApcvToken, RevokedAppInstanceRefused) {
  auto c = sampleClaims();
  c.appInstanceId = "APP-LOST";
  Verify v;
  EXPECT_EQ(firstReason(v(token(c))), Errc::ApcvAppRevoked);
}

TEST(ApcvToken, AppCertificateOutsideItsValidityRefused) {
  Verify v;
  const auto cert = appCert(pki().app, "APP-1", pki().issuer, pki().issuerCert.kid(), kT0 - 200, kT0 - 100);
  EXPECT_EQ(firstReason(v(token(sampleClaims(), cert))), Errc::ApcvAppCertificateExpired);
}

TEST(ApcvToken, AppInstanceIdMustMatchItsCertificate) {
  Verify v;
  const auto cert = appCert(pki().app, "APP-2", pki().issuer, pki().issuerCert.kid());
  EXPECT_EQ(firstReason(v(token(sampleClaims(), cert))), Errc::ApcvAppCertificateInvalid);
}

TEST(ApcvToken, AppKeyMustBeTheCertifiedOne) {
  Verify v;
  const auto other = *PrivateKey::generate(KeyType::Ed25519);
  const auto cert = appCert(other, "APP-1", pki().issuer, pki().issuerCert.kid());
  EXPECT_EQ(firstReason(v(token(sampleClaims(), cert))), Errc::ApcvAppCertificateInvalid);
}

TEST(ApcvToken, ReplayRefusedSecondTime) {
  Verify v;
  const std::string text = token(sampleClaims());
  EXPECT_EQ(v(text).verdict, apcv::Verdict::Verified);
  EXPECT_EQ(firstReason(v(text)), Errc::ApcvReplay);
}

TEST(ApcvToken, RefusedTokenDoesNotBurnItsId) {
  const auto c = sampleClaims();
  Verify v;
  v.clock.set(c.issuedAt - 3600);
  EXPECT_EQ(firstReason(v(token(c))), Errc::ApcvNotYetValid);
  v.clock.set(c.issuedAt);
  EXPECT_EQ(v(token(c)).verdict, apcv::Verdict::Verified);
}

TEST(ApcvToken, DelegationUpTo30Days) {
  auto c = sampleClaims();
  c.delegation = apcv::Delegation{"AIDANT", "Sam", c.issuedAt + apcv::kMaxDelegationSeconds};
  Verify v;
  const auto cred = v(token(c));
  ASSERT_EQ(cred.verdict, apcv::Verdict::Verified);
  ASSERT_TRUE(cred.presentation);
  EXPECT_EQ(cred.presentation->delegate, "Sam AIDANT");
  EXPECT_EQ(cred.presentation->holder, "Camille DEMO");
  EXPECT_EQ(cred.presentation->until, c.issuedAt + apcv::kMaxDelegationSeconds);
  EXPECT_EQ(vd::core::Date::fromDayNumber(static_cast<std::int32_t>(cred.presentation->until / 86400)).iso(),
            "2026-12-18");
}

TEST(ApcvToken, DelegationOver30DaysRefused) {
  auto c = sampleClaims();
  c.delegation = apcv::Delegation{"AIDANT", "Sam", c.issuedAt + apcv::kMaxDelegationSeconds + 1};
  Verify v;
  EXPECT_EQ(firstReason(v(token(c))), Errc::ApcvDelegationTooLong);
}

TEST(ApcvToken, EndedDelegationRefused) {
  auto c = sampleClaims();
  c.delegation = apcv::Delegation{"AIDANT", "Sam", c.issuedAt + 5};
  Verify v;
  EXPECT_EQ(firstReason(v(token(c))), Errc::ApcvDelegationExpired);
}

TEST(ApcvToken, ChallengeMustMatch) {
  auto c = sampleClaims();
  c.challenge = std::vector<std::uint8_t>{9, 9, 9, 9};
  apcv::VerifyOptions o;
  o.expectedChallenge = std::vector<std::uint8_t>{9, 9, 9, 9};
  Verify v;
  EXPECT_EQ(v(token(c), o).verdict, apcv::Verdict::Verified);
  o.expectedChallenge = std::vector<std::uint8_t>{1, 2, 3, 4};
  Verify w;
  EXPECT_EQ(firstReason(w(token(c), o)), Errc::ApcvChallengeMismatch);
}

TEST(ApcvToken, EnvelopeErrors) {
  Verify v;
  EXPECT_EQ(firstReason(v("HC1:ABC")), Errc::ApcvPrefix);
  EXPECT_EQ(firstReason(v("VD1:abc")), Errc::Base45Character);
  EXPECT_EQ(firstReason(v("VD1:" + std::string(9000, '0'))), Errc::ApcvMalformed);
  apcv::VerifyOptions o;
  o.prefix = "XX:";
  EXPECT_EQ(firstReason(v(token(sampleClaims()), o)), Errc::ApcvPrefix);
}

TEST(ApcvToken, EnvelopeOnlyGivesRawClaims) {
  Verify v;
  auto env = apcv::openEnvelope(token(sampleClaims()), v.trust);
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->appCertificate.appInstanceId, "APP-1");
  const std::string diag = apcv::diagnostic(env->rawClaims);
  EXPECT_NE(diag.find("\"aid\": \"APP-1\""), std::string::npos) << diag;
}

TEST(ApcvClaims, RoundTripAndBounds) {
  const auto c = sampleClaims();
  auto back = apcv::decodeClaims(apcv::encodeClaims(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->insured.firstNames, "Camille");
  auto bad = c;
  bad.insured.nir = "255081416802539";  // wrong key
  EXPECT_EQ(apcv::decodeClaims(apcv::encodeClaims(bad)).error().args.at(0), "ins.nir");
  bad = c;
  bad.expiresAt = c.issuedAt + apcv::kMaxTokenLifetimeSeconds + 1;
  EXPECT_EQ(apcv::decodeClaims(apcv::encodeClaims(bad)).error().args.at(0), "exp");
  bad = c;
  bad.tokenId = {1, 2};
  EXPECT_EQ(apcv::decodeClaims(apcv::encodeClaims(bad)).error().args.at(0), "cti");
  bad = c;
  bad.insured.birthDate = "1955-08";
  EXPECT_EQ(apcv::decodeClaims(apcv::encodeClaims(bad)).error().code, Errc::ApcvMalformed);
  const std::uint8_t notMap[] = {0x01};
  EXPECT_EQ(apcv::decodeClaims(notMap).error().code, Errc::ApcvMalformed);
  EXPECT_EQ(apcv::decodeClaims({}).error().code, Errc::ApcvMalformed);
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
