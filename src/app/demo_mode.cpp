#include "app/demo_mode.hpp"

#include <fstream>
#include <sstream>

#include "app/atomic_file.hpp"
#include "sim/demo_material.hpp"
#include "sim/phone_kit.hpp"
#include "sim/phone_nfc.hpp"
#include "sim/virtual_card.hpp"

namespace vd::app {
namespace {

/// The kit card behind an ApduChannel, as pcscd + vpcd would carry it (T=0 chaining included).
class VirtualCardChannel final : public reader::ApduChannel {
 public:
  explicit VirtualCardChannel(sim::VirtualCard card) : m_card(std::move(card)) {}
  core::Result<reader::Response> transmit(std::span<const std::uint8_t> command) override {
    return reader::parseResponse(m_card.process(command));
  }

 private:
  sim::VirtualCard m_card;
};

/// The phone in host card emulation behind an ApduChannel, as pcscd + vpcd would carry it.
class NfcPhoneChannel final : public reader::ApduChannel {
 public:
  explicit NfcPhoneChannel(sim::NfcPhone phone) : m_phone(std::move(phone)) {}
  core::Result<reader::Response> transmit(std::span<const std::uint8_t> command) override {
    auto answer = m_phone.process(command);
    if (!answer) return core::fail(core::Errc::CardRemoved);  // lifted
    return reader::parseResponse(*answer);
  }

 private:
  sim::NfcPhone m_phone;
};

core::Result<sim::NfcPhone> makePhone(const std::filesystem::path& apcvDir, const std::string& kit) {
  sim::NfcPhoneOptions options;
  options.materialDir = apcvDir;
  options.kit = kit;
  return sim::NfcPhone::create(std::move(options));
}

}  // namespace

core::Result<std::unique_ptr<DemoMode>> DemoMode::open(const std::filesystem::path& dir, std::int64_t now) {
  auto material = sim::demoMaterialInit(dir, now);
  if (!material) return core::fail(material.error());
  {
    // The demo insurer publishes its trust lists again at each start, as a real desk's trust
    // folder is refreshed: the "N days old" status then shows 0, not the material's first run.
    const auto day = core::Date::fromDayNumber(static_cast<std::int32_t>(now / 86400));
    if (auto w = replaceFileWhole(material->apcvTrust() / "trust.json",
                                  "{\n  \"issued_at\": \"" + day.iso() + "\"\n}\n", 0644);
        !w)
      return core::fail(w.error());
  }
  std::ifstream in(material->cardPki / "issuer-key.pem");
  std::stringstream pem;
  pem << in.rdbuf();
  auto issuer = crypto::PrivateKey::fromPem(pem.str());
  if (!issuer) return core::fail(issuer.error());
  DeskPaths p;
  p.dataDir = dir;
  p.registerFile = dir / "demo-register.db";
  p.practitionerFile = material->practitionerFile();
  p.cardTrustDir = material->cardTrust();
  p.apcvTrustDir = material->apcvTrust();
  p.replayCache = dir / "apcv-replay.txt";
  return std::unique_ptr<DemoMode>(new DemoMode(std::move(p), material->apcv, std::move(*issuer)));
}

std::vector<DemoKit> DemoMode::cardKits() {
  std::vector<DemoKit> kits;
  for (const auto& k : sim::cardKits()) kits.push_back({k.name, k.expected, k.summary});
  return kits;
}

std::vector<std::string> DemoMode::phoneKits() {
  std::vector<std::string> kits;
  for (auto k : sim::phoneKits()) kits.emplace_back(k);
  return kits;
}

core::Result<std::shared_ptr<reader::ApduChannel>> DemoMode::insertCard(const std::string& kit) const {
  auto card = sim::VirtualCard::fromKit(kit, m_cardIssuer);
  if (!card) return core::fail(card.error());
  return std::shared_ptr<reader::ApduChannel>(std::make_shared<VirtualCardChannel>(std::move(*card)));
}

core::Result<std::shared_ptr<reader::ApduChannel>> DemoMode::nfcPhone(const std::string& kit) const {
  auto phone = makePhone(m_apcvDir, kit);
  if (!phone) return core::fail(phone.error());
  return std::shared_ptr<reader::ApduChannel>(std::make_shared<NfcPhoneChannel>(std::move(*phone)));
}

core::Result<std::shared_ptr<sim::VpcdCard>> DemoMode::vpcdCard(const std::string& kit) const {
  auto card = sim::VirtualCard::fromKit(kit, m_cardIssuer);
  if (!card) return core::fail(card.error());
  return std::shared_ptr<sim::VpcdCard>(sim::onVpcd(std::move(*card)));
}

core::Result<std::shared_ptr<sim::VpcdCard>> DemoMode::vpcdPhone(const std::string& kit) const {
  auto phone = makePhone(m_apcvDir, kit);
  if (!phone) return core::fail(phone.error());
  return std::shared_ptr<sim::VpcdCard>(std::make_shared<sim::NfcPhone>(std::move(*phone)));
}

core::Result<std::string> DemoMode::phoneToken(std::string_view kit, std::int64_t now) {
  if (kit == "replayed" && !m_replayed.empty()) return m_replayed;
  auto text = sim::phoneQr(m_apcvDir, kit, now);
  if (!text) return core::fail(text.error());
  if (kit == "replayed") m_replayed = *text;
  return text;
}

}  // namespace vd::app
