// The libcurl transport against the REAL insurer simulator (Beast, mutual TLS) on an
// ephemeral loopback port, with a test PKI generated in a temporary folder.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "billing/fse/fse_signing.hpp"
#include "billing/transport/curl_transport.hpp"
#include "billing/transport/insurer_wire.hpp"
#include "crypto/test_pki.hpp"
#include "fse_fixtures.hpp"
#include "sim/server/insurer_server.hpp"
#include "sim/virtual_card.hpp"

namespace vd::billing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using core::Errc;

core::Date today() {
  const auto days = std::chrono::duration_cast<std::chrono::hours>(
                        std::chrono::system_clock::now().time_since_epoch()).count() / 24;
  return core::Date::fromDayNumber(static_cast<std::int32_t>(days));
}

class TransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = fs::temp_directory_path() / ("vd-transport-" + std::to_string(::getpid()));
    fs::remove_all(s_dir);
    ASSERT_TRUE(sim::writeServerPki(s_dir).ok());
    // The practitioner's certificate shares the simulator's test CA (same folder).
    auto practitioner = crypto::issueTestCertificate(s_dir, "practitioner", "TEST ONLY Dr TEST");
    ASSERT_TRUE(practitioner.ok());
    s_practitioner = *practitioner;
    auto intruder = crypto::issueTestCertificate(s_dir / "other", "intruder", "TEST ONLY intruder",
                                                 {"clientAuth", ""});
    ASSERT_TRUE(intruder.ok());
    s_intruder = *intruder;
  }
  static void TearDownTestSuite() { fs::remove_all(s_dir); }

  void TearDown() override { m_server.reset(); }

  sim::InsurerServer& start(sim::InsurerServerOptions o = {}) {
    o.tlsDir = s_dir;
    auto server = sim::InsurerServer::start(o);
    EXPECT_TRUE(server.ok()) << (server.ok() ? "" : core::errcId(server.error().code));
    m_server = std::move(*server);
    return *m_server;
  }

  TransportConfig config() const {
    TransportConfig c = transportConfigFromTlsDir(s_dir, "https://127.0.0.1:" + std::to_string(m_server->port()));
    c.connectTimeout = 2s;
    c.totalTimeout = 5s;
    return c;
  }

  std::unique_ptr<LotTransport> transport(const TransportConfig& c) {
    auto t = makeCurlTransport(c);
    EXPECT_TRUE(t.ok());
    return t.ok() ? std::move(*t) : nullptr;
  }

  static std::string signedFse(std::uint64_t number, const crypto::TestPkiFiles& pki = s_practitioner,
                               int daysAgo = 10) {
    Fse f = testing::validFse();
    f.invoiceNumber = number;
    f.createdOn = today().addDays(-daysAgo);
    for (auto& line : f.lines) line.date = f.createdOn;
    CmsFseSigner signer(std::move(crypto::SigningKey::fromPemFile(pki.key)).value(),
                        *crypto::X509Cert::fromPemFile(pki.certificate));
    auto pem = signFse(f, signer);
    EXPECT_TRUE(pem.ok());
    return pem.ok() ? *pem : std::string();
  }

  static ClaimedFse member(std::uint64_t number, std::string document = {}) {
    return ClaimedFse{FseRef{"10099999996", number}, "fse-key-" + std::to_string(number),
                      document.empty() ? signedFse(number) : std::move(document)};
  }

  static Lot lot(const std::string& id, std::vector<ClaimedFse> members) {
    return Lot{id, "lot-key-" + id, "CPAM-751", std::move(members)};
  }

  static inline fs::path s_dir;
  static inline crypto::TestPkiFiles s_practitioner, s_intruder;
  std::unique_ptr<sim::InsurerServer> m_server;
};

TEST_F(TransportTest, RoundTripGivesAVerifiedArl) {
  start();
  auto t = transport(config());
  auto receipt = t->sendLot(lot("L1", {member(1), member(2)}));
  ASSERT_TRUE(receipt.ok()) << core::errcId(receipt.error().code);
  EXPECT_EQ(receipt->lotId, "L1");
  EXPECT_FALSE(receipt->duplicate);
  ASSERT_TRUE(receipt->arl.has_value());
  ASSERT_EQ(receipt->arl->entries.size(), 2u);
  EXPECT_TRUE(receipt->arl->entries[0].accepted);
  EXPECT_EQ(receipt->arl->entries[1].ref, (FseRef{"10099999996", 2}));
  auto polled = t->fetchArl("L1");
  ASSERT_TRUE(polled.ok());
  ASSERT_TRUE(polled->has_value());
  EXPECT_EQ((*polled)->entries.size(), 2u);
  const auto counts = m_server->counts();
  EXPECT_EQ(counts.lots, 1u);
  EXPECT_EQ(counts.fseAccepted, 2u);
}

TEST_F(TransportTest, LotsShareOneKeptAliveConnection) {
  start();
  auto t = transport(config());
  constexpr int kLots = 10, kPerLot = 20;
  std::vector<Lot> lots;
  for (int l = 0; l < kLots; ++l) {
    std::vector<ClaimedFse> members;
    for (int m = 0; m < kPerLot; ++m) members.push_back(member(static_cast<std::uint64_t>(100 + l * kPerLot + m)));
    lots.push_back(lot("K" + std::to_string(l), std::move(members)));
  }
  const auto begin = std::chrono::steady_clock::now();
  for (const auto& l : lots) {
    auto receipt = t->sendLot(l);
    ASSERT_TRUE(receipt.ok());
    ASSERT_TRUE(receipt->arl.has_value());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  EXPECT_EQ(m_server->connectionsAccepted(), 1u);
  EXPECT_EQ(m_server->counts().fseAccepted, static_cast<std::size_t>(kLots * kPerLot));
  std::cout << "[ figures  ] " << kLots * kPerLot << " FSE in " << kLots << " lots over one connection: "
            << static_cast<int>(kLots * kPerLot / seconds) << " FSE/s (signature checked, ARL signed)\n";
}

TEST_F(TransportTest, SameLotOrSameFseTwiceIsCountedOnce) {
  start();
  auto t = transport(config());
  const Lot first = lot("L1", {member(1), member(2)});
  ASSERT_TRUE(t->sendLot(first).ok());
  auto again = t->sendLot(first);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  ASSERT_TRUE(again->arl.has_value());
  EXPECT_TRUE(again->arl->entries[1].accepted);
  // FSE 2 again (same key) in a new lot with FSE 3: the replay keeps its first answer.
  auto mixed = t->sendLot(lot("L2", {member(2), member(3)}));
  ASSERT_TRUE(mixed.ok());
  EXPECT_FALSE(mixed->duplicate);
  EXPECT_TRUE(mixed->arl->entries[0].accepted);
  const auto counts = m_server->counts();
  EXPECT_EQ(counts.lots, 2u);
  EXPECT_EQ(counts.fseAccepted, 3u);
  EXPECT_EQ(counts.duplicatesIgnored, 2u);  // the replayed lot, the replayed FSE
}

TEST_F(TransportTest, SameLotFromTwoDesksAtOnceIsCountedOnce) {
  start();
  const Lot l = lot("L1", {member(1), member(2), member(3)});
  const TransportConfig c = config();
  std::vector<core::Result<LotReceipt>> results;
  std::mutex mutex;
  std::vector<std::thread> desks;
  for (int i = 0; i < 4; ++i) {
    desks.emplace_back([&] {
      auto t = makeCurlTransport(c);
      if (!t.ok()) return;
      auto r = (*t)->sendLot(l);
      std::lock_guard lock(mutex);
      results.push_back(std::move(r));
    });
  }
  for (auto& d : desks) d.join();
  ASSERT_EQ(results.size(), 4u);
  int fresh = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok());
    fresh += r->duplicate ? 0 : 1;
  }
  EXPECT_EQ(fresh, 1);
  const auto counts = m_server->counts();
  EXPECT_EQ(counts.lots, 1u);
  EXPECT_EQ(counts.fseAccepted, 3u);
  EXPECT_EQ(counts.duplicatesIgnored, 3u);
}

TEST_F(TransportTest, KeyOrLotIdReusedForAnotherLotIsAConflict) {
  start();
  auto t = transport(config());
  ASSERT_TRUE(t->sendLot(lot("L1", {member(1)})).ok());
  Lot otherIdSameKey = lot("L2", {member(2)});
  otherIdSameKey.idemKey = "lot-key-L1";
  auto reused = t->sendLot(otherIdSameKey);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().args, (std::vector<std::string>{"409", "idempotency_key_reused"}));
  Lot sameIdOtherKey = lot("L1", {member(2)});
  sameIdOtherKey.idemKey = "fresh";
  auto conflict = t->sendLot(sameIdOtherKey);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().args, (std::vector<std::string>{"409", "lot_id_conflict"}));
  EXPECT_FALSE(isTransient(conflict.error()));
  EXPECT_EQ(m_server->counts().lots, 1u);
}

// The desk's rights client keeps one connection for every patient, and reconnects by itself
// when the server was restarted (same port) meanwhile.
TEST_F(TransportTest, RightsClientKeepsItsConnectionAndReconnectsAfterARestart) {
  start();
  const auto nir = core::Nir::parse(sim::kitPersons("twins").front().nir);  // the "twins" kit parent
  ASSERT_TRUE(nir.ok());
  auto client = RightsClient::make(config());
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 5; ++i) {
    auto r = (*client)->lookup(*nir, today());
    ASSERT_TRUE(r.ok()) << core::errcId(r.error().code);
    EXPECT_TRUE(r->amoOpen);
  }
  EXPECT_EQ(m_server->connectionsAccepted(), 1u) << "one TLS connection for five look-ups";
  sim::InsurerServerOptions again;
  again.port = m_server->port();
  m_server.reset();
  start(again);
  auto after = (*client)->lookup(*nir, today());
  ASSERT_TRUE(after.ok()) << core::errcId(after.error().code);
  EXPECT_EQ(after->asOf, today().iso());
}

TEST_F(TransportTest, LedgerSurvivesARestart) {
  const fs::path ledger = s_dir / "ledger-restart.jsonl";
  fs::remove(ledger);
  sim::InsurerServerOptions o;
  o.ledger = ledger;
  start(o);
  const Lot l = lot("L1", {member(1)});
  ASSERT_TRUE(transport(config())->sendLot(l).ok());
  m_server.reset();
  start(o);
  auto replay = transport(config())->sendLot(l);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->duplicate);
  auto counts = sim::readLedgerCounts(ledger);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->lots, 1u);
  EXPECT_EQ(counts->fseAccepted, 1u);
  EXPECT_EQ(counts->duplicatesIgnored, 1u);
}

TEST_F(TransportTest, NegativeArlCarriesReasonCodes) {
  start();
  auto t = transport(config());
  ASSERT_TRUE(t->sendLot(lot("L1", {member(1)})).ok());
  std::string tampered = signedFse(5);
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  ClaimedFse sameInvoiceOtherKey = member(1);
  sameInvoiceOtherKey.idemKey = "another-key";
  ClaimedFse wrongRef = member(7, signedFse(8));
  auto receipt = t->sendLot(lot("L2", {member(4, signedFse(4, s_intruder)), member(5, tampered), sameInvoiceOtherKey,
                                       member(6, signedFse(6, s_practitioner, 800)), wrongRef,
                                       member(9, "not a CMS")}));
  ASSERT_TRUE(receipt.ok()) << core::errcId(receipt.error().code);
  ASSERT_TRUE(receipt->arl.has_value());
  std::vector<std::string> reasons;
  for (const auto& e : receipt->arl->entries) {
    EXPECT_FALSE(e.accepted);
    reasons.push_back(e.reasonCode);
  }
  ASSERT_EQ(reasons.size(), 6u);
  // A flipped base64 character breaks either the DER structure or the signed bytes.
  EXPECT_TRUE(reasons[1] == "signature_invalid" || reasons[1] == "fse_malformed") << reasons[1];
  reasons[1] = "tampered";
  EXPECT_EQ(reasons, (std::vector<std::string>{"signature_invalid", "tampered", "duplicate_invoice",
                                               "care_date_too_old", "ref_mismatch", "fse_malformed"}));
  EXPECT_EQ(m_server->counts().fseRejected, 6u);
}

TEST_F(TransportTest, UntrustedPeersAreTlsErrorsNotTransient) {
  start();
  TransportConfig wrongClient = config();
  wrongClient.clientCertFile = s_intruder.certificate.string();
  wrongClient.clientKey = s_intruder.key.string();
  auto refused = transport(wrongClient)->sendLot(lot("L1", {member(1)}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::TransportTls) << core::errcId(refused.error().code);
  EXPECT_FALSE(isTransient(refused.error()));

  TransportConfig wrongServerCa = config();
  wrongServerCa.caFile = s_intruder.caCertificate.string();
  wrongServerCa.arlTrustFile = s_intruder.certificate.string();
  auto unverified = transport(wrongServerCa)->sendLot(lot("L1", {member(1)}));
  ASSERT_FALSE(unverified.ok());
  EXPECT_EQ(unverified.error().code, Errc::TransportTls) << unverified.error().args.at(0);
  EXPECT_FALSE(isTransient(unverified.error()));
  EXPECT_EQ(m_server->counts().lots, 0u);
}

TEST_F(TransportTest, StoppedOrOfflineServerIsATransientNetworkError) {
  start();
  const TransportConfig c = config();
  auto t = transport(c);
  m_server->setOnline(false);
  auto offline = t->sendLot(lot("L1", {member(1)}));
  ASSERT_FALSE(offline.ok());
  EXPECT_EQ(offline.error().code, Errc::TransportNetwork) << core::errcId(offline.error().code);
  EXPECT_TRUE(isTransient(offline.error()));
  m_server->setOnline(true);
  std::this_thread::sleep_for(50ms);  // the listener reopens on the server's thread
  EXPECT_TRUE(t->sendLot(lot("L1", {member(1)})).ok());
  m_server.reset();
  auto stopped = t->sendLot(lot("L2", {member(2)}));
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, Errc::TransportNetwork);
  EXPECT_TRUE(isTransient(stopped.error()));
}

TEST_F(TransportTest, DownForRefusesThenServes) {
  sim::InsurerServerOptions o;
  o.downFor = 400ms;
  start(o);
  auto t = transport(config());
  auto down = t->sendLot(lot("L1", {member(1)}));
  ASSERT_FALSE(down.ok());
  EXPECT_TRUE(isTransient(down.error()));
  std::this_thread::sleep_for(600ms);
  EXPECT_TRUE(t->sendLot(lot("L1", {member(1)})).ok());
}

TEST_F(TransportTest, SlowAnswerIsATransientTimeout) {
  sim::InsurerServerOptions o;
  o.latency = 1500ms;
  start(o);
  TransportConfig c = config();
  c.totalTimeout = 300ms;
  auto slow = transport(c)->sendLot(lot("L1", {member(1)}));
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code, Errc::TransportTimeout);
  EXPECT_TRUE(isTransient(slow.error()));
}

TEST_F(TransportTest, FailRateGives503Transient) {
  sim::InsurerServerOptions o;
  o.failRate = 1.0;
  start(o);
  auto busy = transport(config())->sendLot(lot("L1", {member(1)}));
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, Errc::TransportServerBusy);
  EXPECT_EQ(busy.error().args.at(0), "503");
  EXPECT_TRUE(isTransient(busy.error()));
  EXPECT_EQ(m_server->counts().lots, 0u);
}

TEST_F(TransportTest, MalformedMemberIsRefusedNotTransient) {
  start();
  ClaimedFse bad = member(1);
  bad.ref.practitioner.clear();  // "/1": not a reference
  auto refused = transport(config())->sendLot(lot("L1", {bad}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::TransportRequestRefused);
  EXPECT_EQ(refused.error().args, (std::vector<std::string>{"400", "malformed_request"}));
  EXPECT_FALSE(isTransient(refused.error()));
}

TEST_F(TransportTest, DroppedAnswerIsTransientAndTheRetryIsADuplicate) {
  const fs::path ledger = s_dir / "ledger-drop.jsonl";
  fs::remove(ledger);
  sim::InsurerServerOptions o;
  o.ledger = ledger;
  o.dropMidResponse = 1.0;
  start(o);
  const Lot l = lot("L1", {member(1), member(2)});
  auto cut = transport(config())->sendLot(l);
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, Errc::TransportNetwork) << core::errcId(cut.error().code);
  EXPECT_TRUE(isTransient(cut.error()));
  EXPECT_EQ(m_server->counts().lots, 1u);  // the insurer got it: only the answer was lost
  m_server.reset();
  o.dropMidResponse = 0;
  start(o);
  auto retry = transport(config())->sendLot(l);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(m_server->counts().fseAccepted, 2u);
}

TEST_F(TransportTest, DelayedArlIsPolled) {
  sim::InsurerServerOptions o;
  o.arlDelay = 1200ms;
  start(o);
  auto t = transport(config());
  auto receipt = t->sendLot(lot("L1", {member(1)}));
  ASSERT_TRUE(receipt.ok());
  EXPECT_FALSE(receipt->arl.has_value());
  auto early = t->fetchArl("L1");
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());
  std::optional<Arl> arl;
  for (int i = 0; i < 40 && !arl; ++i) {
    std::this_thread::sleep_for(100ms);
    auto polled = t->fetchArl("L1");
    ASSERT_TRUE(polled.ok());
    arl = *polled;
  }
  ASSERT_TRUE(arl.has_value());
  EXPECT_TRUE(arl->entries.at(0).accepted);
  auto unknown = t->fetchArl("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().args, (std::vector<std::string>{"404", "unknown_lot"}));
}

TEST_F(TransportTest, ArlFromAnotherSignerOrTamperedIsRefused) {
  start();
  TransportConfig c = config();
  c.arlTrustFile = (s_dir / "client.pem").string();  // expects another signer
  auto wrongSigner = transport(c)->sendLot(lot("L1", {member(1)}));
  ASSERT_FALSE(wrongSigner.ok());
  EXPECT_EQ(wrongSigner.error().code, Errc::TransportArlSignature);
  EXPECT_FALSE(isTransient(wrongSigner.error()));

  auto polled = transport(config())->fetchArl("L1");
  ASSERT_TRUE(polled.ok() && polled->has_value());
  const wire::ArlTrust trust{{*crypto::X509Cert::fromPemFile(s_dir / "ca.pem")},
                             crypto::X509Cert::fromPemFile(s_dir / "arl-signer.pem")->subject()};
  const Arl forged{"L1", {ArlEntry{FseRef{"10099999996", 1}, true, {}}}};
  auto clientKey = crypto::SigningKey::fromPemFile(s_dir / "client.key");
  auto arlKey = crypto::SigningKey::fromPemFile(s_dir / "arl-signer.key");
  ASSERT_TRUE(clientKey.ok() && arlKey.ok());
  auto byClient = crypto::cmsSign(wire::encodeArlContent(forged, "2026-01-01T00:00:00Z"), *clientKey,
                                  *crypto::X509Cert::fromPemFile(s_dir / "client.pem"));
  ASSERT_TRUE(byClient.ok());
  auto refused = wire::verifyArl(*byClient, trust);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::TransportArlSignature);
  auto genuine = crypto::cmsSign(wire::encodeArlContent(forged, "2026-01-01T00:00:00Z"), *arlKey,
                                 *crypto::X509Cert::fromPemFile(s_dir / "arl-signer.pem"));
  ASSERT_TRUE(genuine.ok());
  EXPECT_TRUE(wire::verifyArl(*genuine, trust).ok());
  std::string altered = *genuine;
  const auto at = altered.find("\n", 40) + 30;  // inside the base64 body
  altered[at] = altered[at] == 'Q' ? 'R' : 'Q';
  auto bad = wire::verifyArl(altered, trust);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::TransportArlSignature);
}

TEST_F(TransportTest, RightsAndRevocations) {
  start();
  const auto nir = core::Nir::parse(sim::kitPersons("twins").front().nir);  // the "twins" kit parent
  ASSERT_TRUE(nir.ok());
  auto rights = lookupRights(config(), *nir, today());
  ASSERT_TRUE(rights.ok()) << core::errcId(rights.error().code);
  EXPECT_TRUE(rights->amoOpen);
  EXPECT_EQ(rights->regime, "01");
  EXPECT_FALSE(rights->amcOrganisation.has_value());
  auto old = lookupRights(config(), *nir, *core::Date::fromYmd(2020, 1, 1));
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->amoOpen);  // kit rights open on 2024-01-01
  auto unknown = lookupRights(config(), *core::Nir::parse("255081416802538"), today());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Errc::RightsUnknownInsured);
  // Without apcv material the simulator has no trust-list signer: 503, nothing to install.
  EXPECT_FALSE(fetchRevocations(config()).ok());
}

TEST_F(TransportTest, ConfigErrorsAreReportedBeforeSending) {
  TransportConfig c = transportConfigFromTlsDir(s_dir, "http://127.0.0.1:1");
  auto plain = makeCurlTransport(c);
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().code, Errc::TransportConfig);
  c = transportConfigFromTlsDir(s_dir / "missing", "https://127.0.0.1:1");
  auto missing = makeCurlTransport(c);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::TransportConfig);
}

}  // namespace
}  // namespace vd::billing
