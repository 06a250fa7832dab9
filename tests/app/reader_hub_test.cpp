// The desk's credential side without wx: the ReaderHub's token worker with the demo mode's
// in-process kit cards and phones, through the one EventSink (a recording fake here).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "app/camera_demo.hpp"
#include "app/demo_mode.hpp"
#include "app/desk_network.hpp"
#include "app/local_time.hpp"
#include "app/reader_hub.hpp"
#include "app/trust_refresh.hpp"
#include "crypto/trust_store.hpp"
#include "sim/phone_kit.hpp"

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
    auto opened = DemoMode::open(dir() / "demo", clock.now());
    ASSERT_TRUE(opened.ok()) << core::errcId(opened.error().code);
    demo = std::move(*opened);
    ReaderHubConfig config;
    config.cardTrustDir = demo->paths().cardTrustDir;
    config.apcvTrustDir = demo->paths().apcvTrustDir;
    config.replayCache = demo->paths().replayCache;
    config.watchPcsc = false;
    hub = std::make_unique<ReaderHub>(config, sink, clock);
  }
  app::SystemClock clock;
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
  const core::Date today = core::Date::fromDayNumber(static_cast<std::int32_t>(clock.now() / 86400));
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
  const core::Date today = core::Date::fromDayNumber(static_cast<std::int32_t>(clock.now() / 86400));
  EXPECT_FALSE(patientContextFor(refused->view, 0, today).ok());
  EXPECT_FALSE(patientContextFor(unverified->view, 0, today).ok());
}

TEST_F(ReaderHubTest, PhoneKitsGiveTheirVerdicts) {
  const std::int64_t now = clock.now();
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

// A desk left running picks up an updated trust folder (new revocation lists, new date) at the
// next token, without a restart; each verdict carries the material's age.
TEST_F(ReaderHubTest, AnUpdatedTrustFolderIsUsedWithoutARestart) {
  const fs::path trust = dir() / "trust-copy";
  fs::remove_all(trust);
  fs::copy(demo->paths().apcvTrustDir, trust, fs::copy_options::recursive);
  ReaderHubConfig config = hub->config();
  config.apcvTrustDir = trust;
  config.replayCache.clear();
  ReaderHub own(config, sink, clock);
  const std::int64_t now = clock.now();
  own.presentToken(*demo->phoneToken("revoked-phone", now), CredentialOrigin::QrScanner);
  auto before = sink.waitFor<CredentialPresented>(1);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->view.verdict, CredentialVerdict::Refused);
  ASSERT_TRUE(before->view.trustAgeDays.has_value());
  EXPECT_EQ(*before->view.trustAgeDays, 0);
  // The insurer's update (signed lists): the phone is no longer listed, the material dated 30 days ago.
  {
    const fs::path material = demo->paths().apcvTrustDir.parent_path();
    auto lists = sim::kitTrustLists(material, now);
    ASSERT_TRUE(lists.ok());
    lists->appInstances.clear();
    lists->sequence += 1;
    lists->issuedAt = core::Date::fromDayNumber(static_cast<std::int32_t>(now / 86400) - 30);
    auto document = sim::signKitTrustLists(material, *lists);
    ASSERT_TRUE(document.ok());
    std::ofstream(trust / "trust-lists.cose", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(document->data()), static_cast<std::streamsize>(document->size()));
  }
  own.presentToken(*demo->phoneToken("revoked-phone", now), CredentialOrigin::QrScanner);
  auto after = sink.waitFor<CredentialPresented>(2);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->view.verdict, CredentialVerdict::Verified);
  ASSERT_TRUE(after->view.trustAgeDays.has_value());
  EXPECT_EQ(*after->view.trustAgeDays, 30);
  // A broken update keeps the previous material (and says so in the log).
  std::ofstream(trust / "trust.json", std::ios::trunc) << "{\"issued_at\": 12";
  own.presentToken(*demo->phoneToken("valid", now), CredentialOrigin::QrScanner);
  auto kept = sink.waitFor<CredentialPresented>(3);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->view.verdict, CredentialVerdict::Verified);
  EXPECT_EQ(kept->view.trustAgeDays, std::optional<int>(30));
}

TEST_F(ReaderHubTest, TheSameTokenTwiceIsAReplay) {
  const std::string text = *demo->phoneToken("replayed", clock.now());
  EXPECT_EQ(*demo->phoneToken("replayed", clock.now()), text);
  hub->presentToken(text, CredentialOrigin::QrScanner);
  hub->presentToken(text, CredentialOrigin::QrScanner);
  auto first = sink.waitFor<CredentialPresented>(1);
  auto second = sink.waitFor<CredentialPresented>(2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->view.verdict, CredentialVerdict::Verified);
  EXPECT_EQ(second->view.verdict, CredentialVerdict::Refused);
}

TEST_F(ReaderHubTest, PhoneOverInProcessNfcIsVerifiedAgainstItsChallenge) {
  auto valid = demo->nfcPhone("valid");
  auto revoked = demo->nfcPhone("revoked-phone");
  ASSERT_TRUE(valid.ok() && revoked.ok());
  EXPECT_EQ(demo->nfcPhone("no-such-kit").error().code, core::Errc::InvalidArgument);
  hub->presentNfcPhone(*valid, "nfc-test");
  hub->presentNfcPhone(*revoked, "nfc-test");
  auto first = sink.waitFor<CredentialPresented>(1);
  auto second = sink.waitFor<CredentialPresented>(2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->view.origin, CredentialOrigin::Nfc);
  EXPECT_EQ(first->view.device, "nfc-test");
  EXPECT_EQ(first->view.verdict, CredentialVerdict::Verified);
  EXPECT_EQ(second->view.verdict, CredentialVerdict::Refused);
  ASSERT_FALSE(second->view.reasons.empty());
  EXPECT_EQ(second->view.reasons[0].error->code, core::Errc::ApcvAppRevoked);
}

// Online rights (insurer rights service) merged into the view: the online answer wins.
struct OnlineRightsTest : ReaderHubTest {
  CredentialView readKit(const char* kit) {
    hub->insertCard(*demo->insertCard(kit), kit);
    auto presented = sink.waitFor<CredentialPresented>(++m_read);
    EXPECT_TRUE(presented);
    return presented ? presented->view : CredentialView{};
  }
  core::Date today() const {
    return core::Date::fromDayNumber(static_cast<std::int32_t>(clock.now() / 86400));
  }
  OnlineRights answerAgreeingWith(const CredentialView& v) const {
    OnlineRights o{today().iso(), "2026-01-02 10:00 UTC", true, v.regime, v.caisse, v.centre, {}, false, {}, false};
    for (const auto& e : v.beneficiaries[0].exemptions) {
      if (e.kind == "C2S") o.c2s = true;
      else o.exemptions.push_back(e.kind);
    }
    if (v.beneficiaries[0].amc) o.amcOrganisation = v.beneficiaries[0].amc->organisation;
    if (v.beneficiaries[0].amc) o.amcTiersPayant = v.beneficiaries[0].amc->tiersPayant;
    return o;
  }
  std::size_t m_read = 0;
};

TEST_F(OnlineRightsTest, AnAgreeingAnswerKeepsTheCardsPeriodsAndIsMarkedOnline) {
  CredentialView v = readKit("ald");
  ASSERT_EQ(v.verdict, CredentialVerdict::Verified);
  const auto before = v.beneficiaries[0].exemptions;
  ASSERT_EQ(before.size(), 1u);
  applyOnlineRights(v, answerAgreeingWith(v));
  EXPECT_TRUE(v.rightsOnline);
  EXPECT_EQ(v.refreshedAt, "2026-01-02 10:00 UTC");
  EXPECT_TRUE(v.onlineChanges.empty());
  ASSERT_EQ(v.beneficiaries[0].exemptions.size(), 1u);
  EXPECT_EQ(v.beneficiaries[0].exemptions[0].kind, "ALD");
  ASSERT_TRUE(v.beneficiaries[0].exemptions[0].period);
  EXPECT_EQ(v.beneficiaries[0].exemptions[0].period->from, before[0].period->from);
  auto p = patientContextFor(v, 0, today());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->amo.exemption, "ald");
}

TEST_F(OnlineRightsTest, ExemptionsC2sAndAmcFromTheInsurerReplaceTheCards) {
  CredentialView v = readKit("family");  // AMC 88888888 in tiers payant, no exemption
  ASSERT_EQ(v.verdict, CredentialVerdict::Verified);
  OnlineRights o = answerAgreeingWith(v);
  o.amcOrganisation.reset();  // the AMC contract ended
  o.c2s = true;               // C2S granted since the card was updated
  o.exemptions = {"MAT"};
  applyOnlineRights(v, o);
  const BeneficiaryView& insured = v.beneficiaries[0];
  EXPECT_FALSE(insured.amc);
  ASSERT_EQ(insured.exemptions.size(), 2u);
  EXPECT_EQ(insured.exemptions[0].kind, "MAT");
  ASSERT_TRUE(insured.exemptions[0].period);  // no period online: the date asked
  EXPECT_EQ(insured.exemptions[0].period->from, today().iso());
  EXPECT_EQ(insured.exemptions[1].kind, "C2S");
  using Kind = RightsChange::Kind;
  std::vector<Kind> kinds;
  for (const auto& c : v.onlineChanges) kinds.push_back(c.kind);
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::ExemptionAdded, Kind::ExemptionAdded, Kind::AmcRemoved}));
  EXPECT_EQ(v.onlineChanges[2].what, "88888888");
  // The care-sheet pricing uses the refreshed rights.
  auto p = patientContextFor(v, 0, today());
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->coverage.c2s);
  EXPECT_EQ(p->amo.exemption, "c2s");  // C2S before maternity, as for the card's own rights
  EXPECT_TRUE(p->coverage.maternity);
  EXPECT_FALSE(p->amc);
  EXPECT_FALSE(p->coverage.tiersPayantAmc);
  // The other beneficiaries keep the card's own data (the answer is about the insured).
  auto spouse = patientContextFor(v, 1, today());
  ASSERT_TRUE(spouse.ok());
  EXPECT_FALSE(spouse->coverage.c2s);
}

TEST_F(OnlineRightsTest, RightsClosedOnlineWinOverTheCard) {
  CredentialView v = readKit("ald");
  OnlineRights o = answerAgreeingWith(v);
  o.amoOpen = false;
  o.exemptions.clear();
  applyOnlineRights(v, o);
  EXPECT_FALSE(v.amoOpen);
  ASSERT_FALSE(v.onlineChanges.empty());
  EXPECT_EQ(v.onlineChanges[0].kind, RightsChange::Kind::AmoClosed);
  EXPECT_EQ(v.onlineChanges[1].kind, RightsChange::Kind::ExemptionRemoved);
  EXPECT_TRUE(v.beneficiaries[0].exemptions.empty());
  for (std::size_t i = 0; i < v.beneficiaries.size(); ++i) {
    auto p = patientContextFor(v, i, today());
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code, core::Errc::DeskRightsClosed);
  }
}

TEST_F(OnlineRightsTest, ARefusedCredentialIsNotChanged) {
  CredentialView v = readKit("opposition");
  ASSERT_EQ(v.verdict, CredentialVerdict::Refused);
  applyOnlineRights(v, OnlineRights{today().iso(), "t", true, "01", "751", "0001", {"ALD"}, true, {}, false});
  EXPECT_FALSE(v.rightsOnline);
  EXPECT_TRUE(v.beneficiaries.empty());
}

TEST_F(OnlineRightsTest, TheDemoInsurerAnswersWithTheKitsRights) {
  // The real path: the in-process insurer simulator over TLS on loopback.
  auto net = DeskNetwork::startDemo(demo->paths(), demo->paths().practitionerFile.parent_path() / "ca.pem", sink);
  ASSERT_TRUE(net.ok()) << core::errcId(net.error().code);
  // (The simulator looks the NIR up in its kits in order; "family" is the first with this NIR.)
  CredentialView v = readKit("family");
  ASSERT_EQ(v.verdict, CredentialVerdict::Verified);
  (*net)->refreshRights(v.readAt, v.beneficiaries[0].nir, today());
  auto r = sink.waitFor<RightsRefreshed>(1, std::chrono::milliseconds(15000));
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->error) << core::errcId(r->error->code);
  EXPECT_EQ(r->readAt, v.readAt);
  EXPECT_TRUE(r->rights.amoOpen);
  EXPECT_FALSE(r->rights.c2s);
  EXPECT_EQ(r->rights.amcOrganisation, std::optional<std::string>("88888888"));
  EXPECT_TRUE(r->rights.amcTiersPayant);
  EXPECT_EQ(r->rights.caisse, v.caisse);
  EXPECT_EQ(r->rights.asOf, today().iso());
  applyOnlineRights(v, r->rights);
  EXPECT_TRUE(v.rightsOnline);
  EXPECT_TRUE(v.onlineChanges.empty()) << static_cast<int>(v.onlineChanges[0].kind);
  ASSERT_TRUE(v.beneficiaries[0].amc);
  EXPECT_EQ(v.beneficiaries[0].amc->contract, "CT-DEMO-01") << "the card's contract kept";
  EXPECT_TRUE(patientContextFor(v, 0, today())->coverage.tiersPayantAmc);
}

// The insurer's revocation service keeps stale trust folders current without a restart: the
// lost phone and the card in opposition are refused again, and the material is dated today.
TEST_F(OnlineRightsTest, TheInsurersRevocationsRefreshStaleTrustFolders) {
  const fs::path root = dir() / "refresh";
  fs::remove_all(root);
  DeskPaths paths = demo->paths();
  paths.apcvTrustDir = root / "apcv";
  paths.cardTrustDir = root / "card";
  fs::create_directories(root);
  fs::copy(demo->paths().apcvTrustDir, paths.apcvTrustDir, fs::copy_options::recursive);
  fs::copy(demo->paths().cardTrustDir, paths.cardTrustDir, fs::copy_options::recursive);
  std::ofstream(paths.cardTrustDir / "opposition.txt", std::ios::trunc) << "# none\n";
  {
    // Stale signed lists: 30 days old, an early sequence number, the lost phone not yet in them.
    const fs::path material = demo->paths().apcvTrustDir.parent_path();
    auto lists = sim::kitTrustLists(material, clock.now());
    ASSERT_TRUE(lists.ok());
    lists->appInstances.clear();
    lists->sequence = 1;
    lists->issuedAt = core::Date::fromDayNumber(today().dayNumber() - 30);
    auto document = sim::signKitTrustLists(material, *lists);
    ASSERT_TRUE(document.ok());
    std::ofstream(paths.apcvTrustDir / "trust-lists.cose", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(document->data()), static_cast<std::streamsize>(document->size()));
  }
  ReaderHubConfig config = hub->config();
  config.apcvTrustDir = paths.apcvTrustDir;
  config.cardTrustDir = paths.cardTrustDir.string();
  config.replayCache.clear();
  ReaderHub own(config, sink, clock);
  const std::int64_t now = clock.now();
  own.presentToken(*demo->phoneToken("revoked-phone", now), CredentialOrigin::QrScanner);
  auto before = sink.waitFor<CredentialPresented>(1);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->view.verdict, CredentialVerdict::Verified) << "the stale list does not know the lost phone";
  EXPECT_EQ(before->view.trustAgeDays, std::optional<int>(30));

  auto net = DeskNetwork::startDemo(paths, demo->paths().practitionerFile.parent_path() / "ca.pem", sink);
  ASSERT_TRUE(net.ok()) << core::errcId(net.error().code);
  const auto readAll = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  const auto installed = [&] {
    auto store = crypto::TrustStore::load(paths.apcvTrustDir);
    return store.ok() && store->sequence() > std::optional<std::uint64_t>(1);
  };
  while (!installed() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(installed()) << "the desk's refresh installed the insurer's newer signed lists";
  EXPECT_TRUE(crypto::TrustStore::load(paths.apcvTrustDir)->isAppInstanceRevoked("APP-TEST-LOST"));
  EXPECT_NE(readAll(paths.cardTrustDir / "opposition.txt").find("# Derived from trust-lists.cose"), std::string::npos);

  own.presentToken(*demo->phoneToken("revoked-phone", now), CredentialOrigin::QrScanner);
  auto after = sink.waitFor<CredentialPresented>(2);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->view.verdict, CredentialVerdict::Refused);
  EXPECT_EQ(after->view.trustAgeDays, std::optional<int>(0));
  own.insertCard(*demo->insertCard("opposition"), "opposition");
  auto card = sink.waitFor<CredentialPresented>(3);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->view.verdict, CredentialVerdict::Refused);
  ASSERT_FALSE(card->view.reasons.empty());
  EXPECT_EQ(card->view.reasons[0].id, "opposition");
}

// applyRevocations (signed lists, rollback, one atomic file): tests/app/trust_refresh_test.cpp.

// The camera path end to end with a real GStreamer file pipeline (no V4L2 camera on the test
// machines): the demo phone's PNG is seen in many frames, verified once (the repeat rule: a
// second report would be refused as a replay), then the configured camera (off) comes back.
TEST_F(ReaderHubTest, PhoneShownToTheCameraIsVerifiedOnceThenTheCameraIsOffAgain) {
  auto stream = demoCameraStream(*demo, "valid", clock.now(), dir(), 20);
  ASSERT_TRUE(stream.ok()) << core::errcId(stream.error().code);
  hub->showToCamera(*stream, "Test kit camera");
  auto presented = sink.waitFor<CredentialPresented>(1, std::chrono::milliseconds(15000));
  ASSERT_TRUE(presented);
  EXPECT_EQ(presented->view.origin, CredentialOrigin::QrCamera);
  EXPECT_EQ(presented->view.verdict, CredentialVerdict::Verified);
  // Card and NFC unavailable (no PC/SC), then the camera: off, the test stream, off again.
  auto fifth = sink.waitFor<SourceChanged>(5, std::chrono::milliseconds(15000));
  ASSERT_TRUE(fifth);
  EXPECT_EQ(fifth->source, Source::Camera);
  EXPECT_EQ(fifth->state, SourceState::Unavailable);
  auto fourth = sink.waitFor<SourceChanged>(4);
  EXPECT_EQ(fourth->state, SourceState::Waiting);
  EXPECT_EQ(fourth->device, "Test kit camera");
  EXPECT_FALSE(sink.waitFor<CredentialPresented>(2, std::chrono::milliseconds(300)));
}

// The camera gives the same code again (glare, refocus, phone lowered and raised): ignored, the
// verified patient stays; the same token from a scanner is still a replay.
TEST_F(ReaderHubTest, TheSameCodeFromTheCameraAgainIsNotARefusal) {
  const std::string text = *demo->phoneToken("valid", clock.now());
  hub->presentToken(text, CredentialOrigin::QrCamera);
  hub->presentToken(text, CredentialOrigin::QrCamera);
  hub->presentToken(text, CredentialOrigin::QrScanner);
  auto first = sink.waitFor<CredentialPresented>(1);
  auto second = sink.waitFor<CredentialPresented>(2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->view.verdict, CredentialVerdict::Verified);
  EXPECT_EQ(first->view.origin, CredentialOrigin::QrCamera);
  EXPECT_EQ(second->view.origin, CredentialOrigin::QrScanner) << "the camera's repeat was not ignored";
  EXPECT_EQ(second->view.verdict, CredentialVerdict::Refused);
  EXPECT_FALSE(sink.waitFor<CredentialPresented>(3, std::chrono::milliseconds(200)));
}

TEST_F(ReaderHubTest, ATestStreamThatCannotPlayIsAReadFailure) {
  hub->showToCamera("filesrc location=/nonexistent/vd-camera.png ! pngdec ! imagefreeze", "broken");
  auto failed = sink.waitFor<ReadFailed>(1, std::chrono::milliseconds(10000));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->origin, CredentialOrigin::QrCamera);
  EXPECT_EQ(failed->error.code, core::Errc::CameraPipeline);
  EXPECT_EQ(failed->error.args.at(0), "filesrc");
}

TEST_F(ReaderHubTest, StoppingWhileTheCameraStreamsReturns) {
  hub->showToCamera("videotestsrc is-live=true pattern=ball", "live test source");
  auto waiting = sink.waitFor<SourceChanged>(4, std::chrono::milliseconds(10000));  // card, nfc, camera off, live
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->source, Source::Camera);
  EXPECT_EQ(waiting->state, SourceState::Waiting);
  const auto start = std::chrono::steady_clock::now();
  hub.reset();  // closes the camera first: pipeline to NULL, threads joined
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

// The camera events the sink holds so far (any order of the other sources around them).
std::vector<SourceChanged> cameraEvents(RecordingSink& sink) {
  std::vector<SourceChanged> out;
  for (std::size_t k = 1;; ++k) {
    auto e = sink.waitFor<SourceChanged>(k, std::chrono::milliseconds(0));
    if (!e) return out;
    if (e->source == Source::Camera) out.push_back(*e);
  }
}

TEST_F(ReaderHubTest, AConfiguredCameraThatStopsIsStartedAgain) {
  RecordingSink events;
  ReaderHubConfig config = hub->config();
  config.camera = {reader::image::CameraSpec::Kind::Pipeline, "videotestsrc num-buffers=3"};
  config.cameraRetryMs = 100;
  auto camera = std::make_unique<ReaderHub>(config, events, clock);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  std::vector<SourceChanged> seen;
  while (std::chrono::steady_clock::now() < until) {
    seen = cameraEvents(events);
    if (seen.size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  camera.reset();
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[0].state, SourceState::Waiting);  // streaming
  EXPECT_EQ(seen[1].state, SourceState::Error);    // its end: camera.lost
  ASSERT_TRUE(seen[1].error);
  EXPECT_EQ(seen[1].error->code, core::Errc::CameraLost);
  EXPECT_EQ(seen[2].state, SourceState::Waiting);  // 100 ms later, streaming again
}

TEST_F(ReaderHubTest, AMissingCameraIsReportedOnceWhileItIsTriedAgain) {
  RecordingSink events;
  ReaderHubConfig config = hub->config();
  config.camera = {reader::image::CameraSpec::Kind::Device, "/dev/video-vd-absent"};
  config.cameraRetryMs = 20;
  auto camera = std::make_unique<ReaderHub>(config, events, clock);
  ASSERT_TRUE(events.waitFor<LogLine>(1, std::chrono::milliseconds(10000)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // some 20 retries
  camera.reset();
  const auto seen = cameraEvents(events);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].state, SourceState::Unavailable);
  ASSERT_TRUE(seen[0].error);
  EXPECT_EQ(seen[0].error->code, core::Errc::CameraNone);
  // GStreamer's diagnostic and the error code: once, not once per retry.
  EXPECT_TRUE(events.waitFor<LogLine>(2, std::chrono::milliseconds(0)));
  EXPECT_FALSE(events.waitFor<LogLine>(3, std::chrono::milliseconds(0))) << events.waitFor<LogLine>(3)->text;
}

TEST_F(ReaderHubTest, StoppingWithWorkQueuedReturns) {
  for (int i = 0; i < 20; ++i) hub->insertCard(*demo->insertCard("family"), "burst");
  const auto start = std::chrono::steady_clock::now();
  hub.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace vd::app
