// The desk's trust refresh (app::applyRevocations) against the real in-process insurer
// simulator over mutual TLS: a good signed list is installed as one file and its sequence
// recorded; an older one replayed, one signed by an unknown key, an altered one, an unsigned
// one and a truncated one are each refused with their typed reason, the installed file untouched.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "app/trust_refresh.hpp"
#include "billing/transport/curl_transport.hpp"
#include "crypto/trust_store.hpp"
#include "sim/phone_kit.hpp"
#include "sim/server/insurer_server.hpp"
#include "sim/virtual_card.hpp"

namespace vd::app {
namespace {

namespace fs = std::filesystem;
using core::Errc;

std::string bytesOf(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class TrustRefreshTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_root = fs::temp_directory_path() / ("vd-trust-refresh-" + std::to_string(::getpid()));
    fs::remove_all(s_root);
    ASSERT_TRUE(sim::writeServerPki(s_root / "tls").ok());
    ASSERT_TRUE(sim::apcvInit(s_root / "apcv", sim::nowUnix()).ok());
  }
  static void TearDownTestSuite() { fs::remove_all(s_root); }

  void SetUp() override {
    // The desk's folders: the issuers and the trust-list signer, no lists yet.
    m_desk = s_root / ("desk-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(m_desk);
    fs::create_directories(m_desk / "apcv");
    fs::create_directories(m_desk / "card");
    fs::copy(s_root / "apcv" / "trust" / "issuers", m_desk / "apcv" / "issuers", fs::copy_options::recursive);
    fs::copy_file(s_root / "apcv" / "trust" / crypto::kTrustListSignerFile,
                  m_desk / "apcv" / crypto::kTrustListSignerFile);
  }

  /// One fetch from an insurer serving `mode` with sequence `seq`, applied to the desk folders.
  core::Result<TrustRefreshed> refresh(const std::string& mode, std::uint64_t seq) {
    sim::InsurerServerOptions o;
    o.tlsDir = s_root / "tls";
    o.apcvMaterial = s_root / "apcv";
    o.trustListMode = mode;
    o.trustListSequence = seq;
    auto server = sim::InsurerServer::start(o);
    if (!server) return core::fail(server.error());
    const auto config =
        billing::transportConfigFromTlsDir(o.tlsDir, "https://127.0.0.1:" + std::to_string((*server)->port()));
    auto list = billing::fetchRevocations(config);
    if (!list) return core::fail(list.error());
    return applyRevocations(*list, m_desk / "apcv", m_desk / "card", sim::nowUnix());
  }

  static inline fs::path s_root;
  fs::path m_desk;
};

TEST_F(TrustRefreshTest, AGoodListIsInstalledAsOneFileWithItsSequence) {
  auto done = refresh("good", 1000);
  ASSERT_TRUE(done.ok()) << core::errcId(done.error().code);
  EXPECT_TRUE(done->apcv && done->card);
  EXPECT_EQ(done->sequence, 1000u);
  EXPECT_FALSE(done->previousSequence);
  EXPECT_EQ(done->revokedIssuers, 1u);
  auto store = crypto::TrustStore::load(m_desk / "apcv");
  ASSERT_TRUE(store.ok()) << core::errcId(store.error().code);
  EXPECT_EQ(store->sequence(), std::optional<std::uint64_t>(1000));
  EXPECT_TRUE(store->isAppInstanceRevoked(sim::kLostPhoneAppInstance));
  EXPECT_EQ(store->revokedIssuerCount(), 1u);
  EXPECT_NE(bytesOf(m_desk / "card" / "opposition.txt").find(sim::oppositionSerialHex()), std::string::npos);
  // The same document again is no rollback; a newer one replaces it.
  auto newer = refresh("good", 1001);
  ASSERT_TRUE(newer.ok());
  EXPECT_EQ(newer->previousSequence, std::optional<std::uint64_t>(1000));
}

TEST_F(TrustRefreshTest, EachBadListIsRefusedAndThePreviousOneKept) {
  ASSERT_TRUE(refresh("good", 2000).ok());
  const std::string installed = bytesOf(m_desk / "apcv" / crypto::kTrustListsFile);
  const std::string cards = bytesOf(m_desk / "card" / "opposition.txt");
  const struct {
    const char* mode;
    std::uint64_t seq;
    Errc expected;
  } cases[] = {{"good", 1999, Errc::TrustListRollback},
               {"good", 2000, Errc::TrustListRollback},  // same number, other bytes (new signature)
               {"unknown-key", 3000, Errc::TrustListUnknownSigner},
               {"bad-signature", 3000, Errc::TrustListSignatureInvalid},
               {"unsigned", 3000, Errc::TrustListUnsigned},
               {"truncated", 3000, Errc::TrustListMalformed}};
  for (const auto& c : cases) {
    auto r = refresh(c.mode, c.seq);
    ASSERT_FALSE(r.ok()) << c.mode << " " << c.seq;
    EXPECT_EQ(r.error().code, c.expected) << c.mode << " " << core::errcId(r.error().code);
    EXPECT_EQ(bytesOf(m_desk / "apcv" / crypto::kTrustListsFile), installed) << c.mode;
    EXPECT_EQ(bytesOf(m_desk / "card" / "opposition.txt"), cards) << c.mode;
  }
  auto store = crypto::TrustStore::load(m_desk / "apcv");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->sequence(), std::optional<std::uint64_t>(2000));
}

TEST_F(TrustRefreshTest, WithoutTheSignerCertificateNothingIsInstalled) {
  fs::remove(m_desk / "apcv" / crypto::kTrustListSignerFile);
  auto r = refresh("good", 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::TrustListSignerMissing);
  EXPECT_FALSE(fs::exists(m_desk / "apcv" / crypto::kTrustListsFile));
}

}  // namespace
}  // namespace vd::app
