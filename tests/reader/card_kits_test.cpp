// Every kit card of the simulator, read in-process through the real reader code.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "reader/card/vitale_card_reader.hpp"
#include "sim/virtual_card.hpp"

namespace vd {
namespace {

class InProcessChannel : public reader::ApduChannel {
 public:
  explicit InProcessChannel(sim::VirtualCard& card) : m_card(card) {}
  core::Result<reader::Response> transmit(std::span<const std::uint8_t> command) override {
    ++count;
    return reader::parseResponse(m_card.process(command));
  }
  int count = 0;

 private:
  sim::VirtualCard& m_card;
};

struct Fixture {
  crypto::PrivateKey issuer = crypto::PrivateKey::generate(crypto::KeyType::EcP256).value();
  reader::CardTrust trust;
  Fixture() {
    trust.issuers.push_back(issuer.publicKey());
    trust.opposition.insert(sim::oppositionSerialHex());
  }
};

TEST(CardKits, EveryKitGivesItsExpectedVerdict) {
  Fixture f;
  const core::Date at = *core::Date::fromYmd(2026, 11, 23);
  for (const auto& kit : sim::cardKits()) {
    auto card = sim::VirtualCard::fromKit(kit.name, f.issuer);
    ASSERT_TRUE(card.ok()) << kit.name;
    InProcessChannel ch(*card);
    auto cred = reader::VitaleCardReader(f.trust, at).read(ch);
    ASSERT_TRUE(cred.ok()) << kit.name << ' ' << core::errcId(cred.error().code);
    EXPECT_EQ(reader::verdictId(cred->verdict), kit.expected) << kit.name;
    if (cred->verdict != reader::Verdict::Verified) {
      EXPECT_FALSE(cred->reasons.empty()) << kit.name;
    }
    if (cred->verdict == reader::Verdict::Refused) {
      EXPECT_TRUE(cred->beneficiaries.empty()) << kit.name;
      EXPECT_TRUE(cred->caisse.empty()) << kit.name;
    }
    if (cred->verdict == reader::Verdict::Verified) {
      EXPECT_EQ(cred->regime + cred->caisse + cred->centre, "017510001") << kit.name;
    }
    EXPECT_LE(ch.count, 12) << kit.name;
  }
}

TEST(CardKits, RefusalReasons) {
  Fixture f;
  const core::Date at = *core::Date::fromYmd(2026, 11, 23);
  auto reasonOf = [&](const std::string& kit) {
    auto card = sim::VirtualCard::fromKit(kit, f.issuer).value();
    InProcessChannel ch(card);
    return reader::VitaleCardReader(f.trust, at).read(ch).value().reasons;
  };
  EXPECT_EQ(reasonOf("expired"), std::vector<std::string>{"rights_expired"});
  EXPECT_EQ(reasonOf("opposition"), std::vector<std::string>{"opposition"});
  EXPECT_EQ(reasonOf("altered"), std::vector<std::string>{"issuer_signature"});
  EXPECT_EQ(reasonOf("cloned"), std::vector<std::string>{"internal_authenticate"});
  EXPECT_EQ(reasonOf("public-only"), std::vector<std::string>{"public_fields_only"});
}

TEST(CardKits, AnotherIssuerIsUnknown) {
  Fixture f;
  auto other = crypto::PrivateKey::generate(crypto::KeyType::EcP256).value();
  auto card = sim::VirtualCard::fromKit("family", other).value();
  InProcessChannel ch(card);
  auto cred = reader::VitaleCardReader(f.trust, *core::Date::fromYmd(2026, 1, 2)).read(ch).value();
  EXPECT_EQ(cred.verdict, reader::Verdict::Refused);
  EXPECT_EQ(cred.reasons, std::vector<std::string>{"unknown_issuer"});
}

TEST(CardKits, FamilyContentTwinsAndLunar) {
  Fixture f;
  const core::Date at = *core::Date::fromYmd(2026, 11, 23);
  auto read = [&](const std::string& kit) {
    auto card = sim::VirtualCard::fromKit(kit, f.issuer).value();
    InProcessChannel ch(card);
    return reader::VitaleCardReader(f.trust, at).read(ch).value();
  };
  auto family = read("family");
  ASSERT_EQ(family.beneficiaries.size(), 3u);
  ASSERT_TRUE(family.beneficiaries[0].amc.has_value());
  EXPECT_TRUE(family.beneficiaries[0].amc->tiersPayant);
  auto twins = read("twins");
  ASSERT_EQ(twins.beneficiaries.size(), 3u);
  EXPECT_EQ(twins.beneficiaries[2].birthRank, 2);
  EXPECT_EQ(twins.beneficiaries[1].birthDate, twins.beneficiaries[2].birthDate);
  EXPECT_EQ(read("lunar").beneficiaries[0].birthDate.substr(6), "00");
  EXPECT_EQ(read("corsica").beneficiaries[0].nir.substr(5, 2), "2A");
  auto ald = read("ald");
  ASSERT_EQ(ald.beneficiaries[0].exemptions.size(), 1u);
  EXPECT_EQ(ald.beneficiaries[0].exemptions[0].kind, "ALD");
  EXPECT_TRUE(read("c2s").beneficiaries[0].c2s.has_value());
}

}  // namespace
}  // namespace vd

namespace vd {
namespace {

TEST(CardTrustFolder, LoadsIssuerKeysAndOppositionList) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("vd-card-trust-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256).value();
  std::ofstream(dir / "issuer.pub.pem") << key.publicKey().pem();
  std::ofstream(dir / "opposition.txt") << "# comment\n5644544553540005\r\n\n";
  auto trust = reader::CardTrust::load(dir.string());
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(trust->issuers.size(), 1u);
  EXPECT_EQ(trust->opposition, std::set<std::string>{"5644544553540005"});
  fs::remove(dir / "issuer.pub.pem");
  EXPECT_EQ(reader::CardTrust::load(dir.string()).error().code, core::Errc::CardTrustMissing);
  EXPECT_EQ(reader::CardTrust::load((dir / "missing").string()).error().code, core::Errc::CardTrustMissing);
  fs::remove_all(dir);
}

TEST(CardTrustFolder, OppositionListIsBoundedAndNormalised) {
  auto list = reader::parseOppositionList("# lost\n  ABCDEF01  # stolen\r\n\n5644544553540005\r");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::set<std::string>{"abcdef01", "5644544553540005"}));
  EXPECT_TRUE(reader::parseOppositionList("")->empty());
  const auto tooLong = reader::parseOppositionList("ok\n" + std::string(129, 'a'));
  ASSERT_FALSE(tooLong.ok());
  EXPECT_EQ(tooLong.error().code, core::Errc::CardTrustInvalid);
  EXPECT_EQ(tooLong.error().args, std::vector<std::string>{"opposition.txt"});
  // Found by fuzz_card_trust: control bytes inside a line made an entry that never matches.
  using namespace std::string_literals;
  for (const std::string& bad : {"5640005\r\xdd\xdd\n"s, "ABC\0DEF0"s, "serial-1"s, "12 34"s}) {
    const auto r = reader::parseOppositionList(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::Errc::CardTrustInvalid);
  }
}

TEST(CardTrustFolder, RefusesAnOversizedOppositionFile) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("vd-card-trust-big-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "issuer.pub.pem") << crypto::PrivateKey::generate(crypto::KeyType::EcP256)->publicKey().pem();
  {
    std::ofstream big(dir / "opposition.txt");
    const std::string line(16, '0');
    for (int i = 0; i < 70000; ++i) big << line << '\n';  // 1.19 MB > 1 MiB
  }
  const auto trust = reader::CardTrust::load(dir.string());
  ASSERT_FALSE(trust.ok());
  EXPECT_EQ(trust.error().code, core::Errc::CardTrustInvalid);
  EXPECT_EQ(trust.error().args, std::vector<std::string>{"opposition.txt"});
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vd
