#include "sim/phone_kit.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/date.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/token.hpp"
#include "sim/identity_generator.hpp"
#include "sim/virtual_card.hpp"

namespace vd::sim {
namespace {

namespace apcv = reader::apcv;
constexpr std::int64_t kDay = 86400;

core::Result<void> writeFile(const std::filesystem::path& p, const std::string& text, bool secret) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) return core::fail(core::Errc::FileUnreadable, {p.filename().string(), "write"});
  if (secret) {
    std::error_code ec;
    std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
  }
  return {};
}

core::Result<std::string> readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return core::fail(core::Errc::FileUnreadable, {p.filename().string(), "apcv init?"});
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

core::Result<crypto::PrivateKey> readKey(const std::filesystem::path& dir, const char* name) {
  auto text = readFile(dir / "keys" / name);
  if (!text) return core::fail(text.error());
  return crypto::PrivateKey::fromPem(*text);
}

apcv::Person person(const SyntheticIdentity& id, int qualite, int rank) {
  std::string first = id.firstNames.empty() ? std::string() : id.firstNames.front();
  return apcv::Person{id.nir.value(), id.birthName, first, id.birthDate.raw(), rank, qualite, "1.2.250.1.213.1.4.10"};
}

std::string isoDay(std::int64_t unix) { return core::Date::fromDayNumber(static_cast<std::int32_t>(unix / kDay)).iso(); }

}  // namespace

const std::vector<std::string_view>& phoneKits() {
  static const std::vector<std::string_view> kits{"valid",    "expired",       "not-yet-valid", "unknown-issuer",
                                                  "tampered", "revoked-phone", "delegated",     "delegated-too-long",
                                                  "replayed"};
  return kits;
}

core::Result<void> apcvInit(const std::filesystem::path& dir, std::int64_t now) {
  std::error_code ec;
  std::filesystem::create_directories(dir / "trust" / "issuers", ec);
  std::filesystem::create_directories(dir / "keys", ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {dir.string(), ec.message()});
  auto issuer = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
  if (!issuer) return core::fail(issuer.error());
  auto cert = crypto::makeTestCertificate(*issuer, "TEST ONLY ApCV issuer (VitaleDesk simulator)", 3650);
  if (!cert) return core::fail(cert.error());
  const std::pair<const char*, crypto::KeyType> keys[] = {{"unknown-issuer-key.pem", crypto::KeyType::EcP256},
                                                           {"phone-key.pem", crypto::KeyType::EcP256},
                                                           {"lost-phone-key.pem", crypto::KeyType::Ed25519}};
  for (const auto& [name, type] : keys) {
    auto k = crypto::PrivateKey::generate(type);
    if (!k) return core::fail(k.error());
    if (auto w = writeFile(dir / "keys" / name, k->pem(), true); !w) return w;
  }
  const std::string certPem = crypto::trustAnchorPem(*cert);
  for (auto w : {writeFile(dir / "keys" / "issuer-key.pem", issuer->pem(), true),
                 writeFile(dir / "keys" / "issuer.pem", certPem, false),
                 writeFile(dir / "trust" / "issuers" / "issuer.pem", certPem, false),
                 writeFile(dir / "trust" / "revoked-app-instances.txt",
                           "# App instances reported lost or stolen (TEST ONLY)\n" + std::string(kLostPhoneAppInstance) +
                               "\n",
                           false),
                 writeFile(dir / "trust" / "trust.json", "{\n  \"issued_at\": \"" + isoDay(now) + "\"\n}\n", false)}) {
    if (!w) return w;
  }
  return {};
}

core::Result<std::string> phoneQr(const std::filesystem::path& dir, std::string_view kit, std::int64_t now) {
  auto cose = phoneToken(dir, kit, now);
  if (!cose) return core::fail(cose.error());
  return apcv::tokenText(*cose);
}

core::Result<std::vector<std::uint8_t>> phoneToken(const std::filesystem::path& dir, std::string_view kit,
                                                   std::int64_t now, const PhoneTokenOptions& options) {
  bool known = false;
  for (auto k : phoneKits()) known = known || k == kit;
  if (!known) return core::fail(core::Errc::InvalidArgument, {"--kit " + std::string(kit)});
  const bool lost = kit == "revoked-phone";
  auto issuer = readKey(dir, kit == "unknown-issuer" ? "unknown-issuer-key.pem" : "issuer-key.pem");
  if (!issuer) return core::fail(issuer.error());
  auto phone = readKey(dir, lost ? "lost-phone-key.pem" : "phone-key.pem");
  if (!phone) return core::fail(phone.error());
  std::vector<std::uint8_t> issuerKid = issuer->publicKey().kid();
  if (kit != "unknown-issuer") {
    auto certText = readFile(dir / "keys" / "issuer.pem");
    if (!certText) return core::fail(certText.error());
    auto cert = crypto::PublicKey::fromPem(*certText);
    if (!cert) return core::fail(cert.error());
    issuerKid = cert->kid();
  }
  const std::string aid(lost ? kLostPhoneAppInstance : kPhoneAppInstance);
  auto appCert = apcv::signAppCertificate(
      apcv::AppCertificate{"TEST-ISSUER", aid, phone->publicKey().spkiDer(), now - 30 * kDay, now + 365 * kDay},
      *issuer, issuerKid);
  if (!appCert) return core::fail(appCert.error());

  apcv::Claims c;
  c.issuer = "TEST-ISSUER";
  c.issuedAt = kit == "expired" ? now - 600 : kit == "not-yet-valid" ? now + 600 : now;
  c.expiresAt = c.issuedAt + 180;
  auto jti = crypto::randomBytes(16);
  if (!jti) return core::fail(jti.error());
  c.tokenId = options.tokenId.value_or(*jti);
  c.challenge = options.challenge;
  c.appInstanceId = aid;
  IdentityGenerator gen(42);
  const SyntheticIdentity holder = gen.next();
  const SyntheticIdentity child = gen.next();
  c.insured = person(holder, 0, 1);
  c.beneficiaries.push_back(person(child, 6, 1));
  c.rights = apcv::Rights{isoDay(now), kAmoRegime, kAmoCaisse, kAmoCentre, {}, false, "AMC-TEST-0001"};
  if (kit == "delegated" || kit == "delegated-too-long")
    c.delegation = apcv::Delegation{"AIDANT", "Sam", now + (kit == "delegated" ? 7 : 45) * kDay};
  auto cose = apcv::makeTokenCose(c, *appCert, *phone);
  if (!cose || kit != "tampered") return cose;
  apcv::Claims altered = c;
  altered.rights.c2s = true;  // a forger granting himself C2S
  return apcv::tamperTokenCose(*cose, altered);
}

std::int64_t nowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace vd::sim
