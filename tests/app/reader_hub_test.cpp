// The desk's credential side without wx: the ReaderHub's token worker with the demo mode's
// in-process kit cards and phones, through the one EventSink (a recording fake here).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "app/demo_mode.hpp"
#include "app/reader_hub.hpp"

namespace vd::app {
namespace {

namespace fs = std::filesystem;

class RecordingSink final : public EventSink {
 public:
  void post(DeskEvent event) override {
    std::lock_guard lock(m_mutex);
    m_events.push_back(std::move(event));
    m_cv.notify_all();
  }
  /// Waits (bounded) for the n-th event of type T and returns a copy.
  template <class T>
  std::optional<T> waitFor(std::size_t nth = 1, std::chrono::milliseconds budget = std::chrono::milliseconds(5000)) {
    std::unique_lock lock(m_mutex);
    std::optional<T> found;
    m_cv.wait_for(lock, budget, [&] {
      std::size_t seen = 0;
      for (const auto& e : m_events)
        if (const T* t = std::get_if<T>(&e); t != nullptr && ++seen == nth) {
          found = *t;
          return true;
        }
      return false;
    });
    return found;
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::vector<DeskEvent> m_events;
};

struct ReaderHubTest : ::testing::Test {
  static fs::path dir() {
    static const fs::path d = [] {
      char tmpl[] = "/tmp/vd-hub-test-XXXXXX";
      return fs::path(mkdtemp(tmpl));
    }();
    return d;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir(), ec);
  }
  void SetUp() override {
    auto opened = DemoMode::open(dir() / "demo", clock.nowUnixSeconds());
    ASSERT_TRUE(opened.ok()) << core::errcId(opened.error().code);
    demo = std::move(*opened);
    ReaderHubConfig config;
    config.cardTrustDir = demo->paths().cardTrustDir;
    config.apcvTrustDir = demo->paths().apcvTrustDir;
    config.replayCache = demo->paths().replayCache;
    config.watchPcsc = false;
    hub = std::make_unique<ReaderHub>(config, sink, clock);
  }
  reader::SystemClock clock;
  RecordingSink sink;
  std::unique_ptr<DemoMode> demo;
  std::unique_ptr<ReaderHub> hub;
};

TEST_F(ReaderHubTest, WithoutPcscTheCardReaderIsHonestlyUnavailable) {
  auto first = sink.waitFor<SourceChanged>();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->source, Source::CardReader);
  EXPECT_EQ(first->state, SourceState::Unavailable);
}

TEST_F(ReaderHubTest, KitCardIsReadVerifiedAndClearedOnRemoval) {
  auto card = demo->insertCard("family");
  ASSERT_TRUE(card.ok());
  hub->insertCard(*card, "test");
  auto presented = sink.waitFor<CredentialPresented>();
  ASSERT_TRUE(presented);
  const CredentialView& v = presented->view;
  EXPECT_EQ(v.verdict, CredentialVerdict::Verified);
  ASSERT_EQ(v.beneficiaries.size(), 3u);
  EXPECT_EQ(v.beneficiaries[0].qualite, "00");  // the insured first
  // The fund comes from the card itself (EF 2002 C2): billable offline.
  EXPECT_EQ(v.regime + v.caisse + v.centre, "017510001");
  EXPECT_FALSE(v.rightsOnline);
  const core::Date today = core::Date::fromDayNumber(static_cast<std::int32_t>(clock.nowUnixSeconds() / 86400));
  auto spouse = patientContextFor(v, 1, today);
  ASSERT_TRUE(spouse.ok());
  EXPECT_EQ(spouse->beneficiary.qualite, "conjoint");
  EXPECT_EQ(spouse->insured.nir, v.beneficiaries[0].nir);
  EXPECT_FALSE(spouse->coverage.beneficiaryKey.empty());
  EXPECT_EQ(patientContextFor(v, 3, today).error().code, core::Errc::InvalidArgument);
  hub->removeCard("test");
  EXPECT_TRUE(sink.waitFor<CredentialCleared>());
}

TEST_F(ReaderHubTest, RefusedAndUnverifiedCardsGiveNothingToBill) {
  for (const char* kit : {"opposition", "public-only"}) {
    auto card = demo->insertCard(kit);
    ASSERT_TRUE(card.ok());
    hub->insertCard(*card, kit);
  }
  auto refused = sink.waitFor<CredentialPresented>(1);
  auto unverified = sink.waitFor<CredentialPresented>(2);
  ASSERT_TRUE(refused && unverified);
  EXPECT_EQ(refused->view.verdict, CredentialVerdict::Refused);
  EXPECT_TRUE(refused->view.beneficiaries.empty());
  ASSERT_FALSE(refused->view.reasons.empty());
  EXPECT_EQ(refused->view.reasons[0].id, "opposition");
  EXPECT_EQ(unverified->view.verdict, CredentialVerdict::ReadNotVerified);
  EXPECT_FALSE(unverified->view.beneficiaries.empty());
  const core::Date today = core::Date::fromDayNumber(static_cast<std::int32_t>(clock.nowUnixSeconds() / 86400));
  EXPECT_FALSE(patientContextFor(refused->view, 0, today).ok());
  EXPECT_FALSE(patientContextFor(unverified->view, 0, today).ok());
}

TEST_F(ReaderHubTest, PhoneKitsGiveTheirVerdicts) {
  const std::int64_t now = clock.nowUnixSeconds();
  hub->presentToken(*demo->phoneToken("valid", now), CredentialOrigin::QrScanner);
  hub->presentToken(*demo->phoneToken("revoked-phone", now), CredentialOrigin::QrScanner);
  hub->presentToken(*demo->phoneToken("delegated", now), CredentialOrigin::QrImage);
  auto valid = sink.waitFor<CredentialPresented>(1);
  auto revoked = sink.waitFor<CredentialPresented>(2);
  auto delegated = sink.waitFor<CredentialPresented>(3);
  ASSERT_TRUE(valid && revoked && delegated);
  EXPECT_EQ(valid->view.verdict, CredentialVerdict::Verified);
  EXPECT_EQ(valid->view.regime, "01");
  EXPECT_TRUE(patientContextFor(valid->view, 0, core::Date::fromDayNumber(static_cast<std::int32_t>(now / 86400))).ok());
  EXPECT_EQ(revoked->view.verdict, CredentialVerdict::Refused);
  ASSERT_FALSE(revoked->view.reasons.empty());
  EXPECT_EQ(revoked->view.reasons[0].error->code, core::Errc::ApcvAppRevoked);
  EXPECT_TRUE(revoked->view.beneficiaries.empty());
  ASSERT_TRUE(delegated->view.delegation);
  EXPECT_NE(delegated->view.delegation->delegate.find("AIDANT"), std::string::npos);
  EXPECT_EQ(delegated->view.origin, CredentialOrigin::QrImage);
}

TEST_F(ReaderHubTest, TheSameTokenTwiceIsAReplay) {
  const std::string text = *demo->phoneToken("replayed", clock.nowUnixSeconds());
  EXPECT_EQ(*demo->phoneToken("replayed", clock.nowUnixSeconds()), text);
  hub->presentToken(text, CredentialOrigin::QrScanner);
  hub->presentToken(text, CredentialOrigin::QrScanner);
  auto first = sink.waitFor<CredentialPresented>(1);
  auto second = sink.waitFor<CredentialPresented>(2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->view.verdict, CredentialVerdict::Verified);
  EXPECT_EQ(second->view.verdict, CredentialVerdict::Refused);
}

TEST_F(ReaderHubTest, StoppingWithWorkQueuedReturns) {
  for (int i = 0; i < 20; ++i) hub->insertCard(*demo->insertCard("family"), "burst");
  const auto start = std::chrono::steady_clock::now();
  hub.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace vd::app
