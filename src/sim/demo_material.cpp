#include "sim/demo_material.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

#include "crypto/keys.hpp"
#include "crypto/test_pki.hpp"
#include "sim/phone_kit.hpp"
#include "sim/virtual_card.hpp"

namespace vd::sim {
namespace {

core::Result<void> writeText(const std::filesystem::path& p, const std::string& text, bool secret) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) return core::fail(core::Errc::FileUnreadable, {p.string(), "write"});
  if (secret) {
    std::error_code ec;
    std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
  }
  return {};
}

}  // namespace

core::Result<void> cardPkiInit(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {dir.string(), ec.message()});
  auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
  if (!key) return core::fail(key.error());
  for (auto w : {writeText(dir / "issuer-key.pem", key->pem(), true),
                 writeText(dir / "issuer.pub.pem", key->publicKey().pem(), false),
                 writeText(dir / "opposition.txt",
                           "# TEST ONLY: card serials on the opposition list (lost or stolen)\n" +
                               oppositionSerialHex() + "\n",
                           false)}) {
    if (!w) return w;
  }
  return {};
}

core::Result<std::filesystem::path> practitionerInit(const std::filesystem::path& dir) {
  auto files = crypto::issueTestCertificate(dir, "practitioner", "TEST ONLY Dr Camille DEMODESK");
  if (!files) return core::fail(files.error());
  // RPPS 10099999996 and AM number 141999995: test identifiers (valid check digit, not
  // assigned to a real practitioner as far as public directories show).
  const nlohmann::json profile{{"rpps", "10099999996"},
                               {"am_number", "141999995"},
                               {"name", "Dr Camille DEMODESK (TEST ONLY)"},
                               {"specialty", "01"},
                               {"sector", 1},
                               {"optam", false},
                               {"situation", "cabinet principal"},
                               {"signing",
                                {{"kind", "key_file"},
                                 {"key_file", "practitioner-key.pem"},
                                 {"certificate", "practitioner.pem"}}}};
  const auto file = dir / "practitioner.json";
  if (auto w = writeText(file, profile.dump(2) + "\n", false); !w) return core::fail(w.error());
  return file;
}

core::Result<DemoMaterial> demoMaterialInit(const std::filesystem::path& dir, std::int64_t now) {
  DemoMaterial m{dir / "card-pki", dir / "apcv", dir / "practitioner"};
  if (!std::filesystem::exists(m.cardPki / "issuer-key.pem")) {
    if (auto r = cardPkiInit(m.cardPki); !r) return core::fail(r.error());
  }
  // Material from before the signed trust lists (or VD1 tokens) is made again whole.
  if (!std::filesystem::exists(m.apcv / "keys" / "trust-list-signer-key.pem")) {
    if (auto r = apcvInit(m.apcv, now); !r) return core::fail(r.error());
  }
  if (!std::filesystem::exists(m.practitionerFile())) {
    if (auto r = practitionerInit(m.practitioner); !r) return core::fail(r.error());
  }
  return m;
}

}  // namespace vd::sim
