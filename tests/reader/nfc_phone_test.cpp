// The simulated HCE phone (sim/phone_nfc) read in-process through the real NFC session and
// token verifier: every kit's verdict, a stale challenge, replay, lift, no service.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "app/local_time.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/nfc_session.hpp"
#include "reader/pcsc/atr.hpp"
#include "sim/phone_kit.hpp"
#include "sim/phone_nfc.hpp"

namespace vd {
namespace {

using core::Errc;
namespace apcv = reader::apcv;

/// The phone as an ApduChannel: a dropped connection is a card gone from the field.
class InProcessChannel final : public reader::ApduChannel {
 public:
  explicit InProcessChannel(sim::NfcPhone& phone) : m_phone(phone) {}
  core::Result<reader::Response> transmit(std::span<const std::uint8_t> command) override {
    auto r = m_phone.process(command);
    if (!r) return core::fail(Errc::CardRemoved);
    return reader::parseResponse(*r);
  }

 private:
  sim::NfcPhone& m_phone;
};

class NfcPhoneTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = std::filesystem::temp_directory_path() / ("vd-nfc-phone-" + std::to_string(getpid()));
    ASSERT_TRUE(sim::apcvInit(s_dir, app::SystemClock().now()));
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(s_dir); }

  core::Result<apcv::NfcReading> tap(sim::NfcPhoneOptions o) {
    o.materialDir = s_dir;
    auto phone = sim::NfcPhone::create(o);
    if (!phone) return core::fail(phone.error());
    InProcessChannel channel(*phone);
    return apcv::NfcSession(trust, clock, replay).read(channel);
  }
  Errc firstReason(const apcv::NfcReading& r) {
    return r.credential.reasons.empty() ? Errc::Internal : r.credential.reasons.front().code;
  }

  static inline std::filesystem::path s_dir;
  crypto::TrustStore trust = crypto::TrustStore::load(s_dir / "trust").value();
  app::SystemClock clock;
  apcv::ReplayCache replay;
};

TEST_F(NfcPhoneTest, ContactlessAtr) {
  auto phone = sim::NfcPhone::create({s_dir, "valid", -1, false, false, "", false});
  ASSERT_TRUE(phone);
  auto atr = reader::parseAtr(phone->atr());
  ASSERT_TRUE(atr);
  EXPECT_TRUE(atr->contactless);
  EXPECT_TRUE(atr->tckValid);
}

TEST_F(NfcPhoneTest, EachKitGivesTheVerdictOfTheQrPath) {
  const std::pair<const char*, Errc> kits[] = {
      {"valid", Errc::Internal},          {"delegated", Errc::Internal},
      {"replayed", Errc::Internal},       {"expired", Errc::ApcvExpired},
      {"not-yet-valid", Errc::ApcvNotYetValid}, {"unknown-issuer", Errc::ApcvUnknownIssuer},
      {"tampered", Errc::ApcvCredentialSignatureInvalid}, {"revoked-phone", Errc::ApcvAppRevoked},
      {"delegated-too-long", Errc::ApcvDelegationTooLong}};
  for (const auto& [kit, reason] : kits) {
    auto r = tap({{}, kit, -1, false, false, "", false});
    ASSERT_TRUE(r) << kit << ": " << core::errcId(r.error().code);
    EXPECT_EQ(firstReason(*r), reason) << kit;
    EXPECT_EQ(r->credential.verdict == apcv::Verdict::Verified, reason == Errc::Internal) << kit;
    EXPECT_GT(r->tokenBytes, 256u) << kit << ": the answer is chained";
    EXPECT_GE(r->apduCount, 3) << kit;
  }
}

TEST_F(NfcPhoneTest, DelegationIsShown) {
  auto r = tap({{}, "delegated", -1, false, false, "", false});
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->credential.presentation);
  EXPECT_EQ(r->credential.presentation->delegate, "Sam AIDANT");
}

TEST_F(NfcPhoneTest, ReplayedTokenIdRefusedOnTheSecondTap) {
  sim::NfcPhoneOptions o{s_dir, "replayed", -1, false, false, "", false};
  auto phone = sim::NfcPhone::create(o);
  ASSERT_TRUE(phone);
  InProcessChannel channel(*phone);
  apcv::NfcSession session(trust, clock, replay);
  auto first = session.read(channel);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->credential.verdict, apcv::Verdict::Verified);
  auto second = session.read(channel);
  ASSERT_TRUE(second);
  EXPECT_EQ(firstReason(*second), Errc::ApcvReplay);
}

TEST_F(NfcPhoneTest, StaleChallengeRefusedEvenOnLaterTaps) {
  sim::NfcPhoneOptions o{s_dir, "valid", -1, true, false, "", false};
  auto phone = sim::NfcPhone::create(o);
  ASSERT_TRUE(phone);
  InProcessChannel channel(*phone);
  apcv::NfcSession session(trust, clock, replay);
  for (int i = 0; i < 2; ++i) {  // first: a random old challenge; then the previous tap's
    auto r = session.read(channel);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->credential.verdict, apcv::Verdict::Refused);
    EXPECT_EQ(firstReason(*r), Errc::ApcvChallengeMismatch);
  }
}

TEST_F(NfcPhoneTest, LiftedAtEachStepIsACleanError) {
  for (int n = 0; n < 4; ++n) {  // before SELECT, before GET TOKEN, during the chained answer
    auto r = tap({{}, "valid", n, false, false, "", false});
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code, Errc::NfcPhoneLifted) << n;
  }
}

TEST_F(NfcPhoneTest, NoHceService) {
  auto r = tap({{}, "valid", -1, false, true, "", false});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::NfcServiceAbsent);
}

TEST_F(NfcPhoneTest, ForgeriesWithExtractedPhoneKeysRefusedOverNfc) {
  const std::pair<const char*, Errc> kinds[] = {{"other-nir", Errc::ApcvCredentialSignatureInvalid},
                                                {"other-rights", Errc::ApcvCredentialSignatureInvalid},
                                                {"long-delegation", Errc::ApcvCredentialSignatureInvalid},
                                                {"self-issued", Errc::ApcvUnknownIssuer},
                                                {"foreign-credential", Errc::ApcvDeviceKeyMismatch}};
  for (const auto& [kind, reason] : kinds) {
    sim::NfcPhoneOptions o;
    o.forge = kind;
    auto r = tap(o);
    ASSERT_TRUE(r) << kind << ": " << core::errcId(r.error().code);
    EXPECT_EQ(r->credential.verdict, apcv::Verdict::Refused) << kind;
    EXPECT_EQ(firstReason(*r), reason) << kind;
    EXPECT_FALSE(r->credential.claims) << kind << ": nothing of a forgery is shown";
  }
}

TEST_F(NfcPhoneTest, OutdatedAppRefusedBeforeAnyToken) {
  sim::NfcPhoneOptions o;
  o.outdated = true;
  auto r = tap(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::ApcvFormatOutdated);
}

TEST_F(NfcPhoneTest, UnknownKitRefused) {
  auto phone = sim::NfcPhone::create({s_dir, "nope", -1, false, false, "", false});
  ASSERT_FALSE(phone);
  EXPECT_EQ(phone.error().code, Errc::InvalidArgument);
}

}  // namespace
}  // namespace vd
