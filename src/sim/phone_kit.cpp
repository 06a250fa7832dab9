#include "sim/phone_kit.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/date.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "crypto/trust_list.hpp"
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
                                                  "replayed", "expired-issuer", "revoked-issuer", "wrong-iss"};
  return kits;
}

static core::Result<crypto::PublicKey> issuerCertificate(const crypto::PrivateKey& key, const char* cn, std::int64_t from,
                                                  std::int64_t to, const char* usage = "critical,digitalSignature") {
  crypto::TestCertificateOptions o;
  o.commonName = cn;
  o.notBeforeOffset = from;
  o.notAfterOffset = to;
  o.keyUsage = usage;
  o.organizationIdentifier = std::string(kKitIssuer);
  return crypto::makeTestCertificate(key, o);
}

core::Result<crypto::TrustLists> kitTrustLists(const std::filesystem::path& dir, std::int64_t now) {
  auto certText = readFile(dir / "keys" / "revoked-issuer.pem");
  if (!certText) return core::fail(certText.error());
  auto revoked = crypto::PublicKey::fromPem(*certText);
  if (!revoked) return core::fail(revoked.error());
  crypto::TrustLists l;
  l.sequence = static_cast<std::uint64_t>(now);
  l.issuedAt = core::Date::fromDayNumber(static_cast<std::int32_t>(now / kDay));
  l.appInstances = {std::string(kLostPhoneAppInstance)};
  l.cardSerials = {oppositionSerialHex()};
  l.revokedIssuers = {revoked->kid()};
  return l;
}

core::Result<std::vector<std::uint8_t>> signKitTrustLists(const std::filesystem::path& dir,
                                                          const crypto::TrustLists& lists) {
  auto key = readKey(dir, "trust-list-signer-key.pem");
  if (!key) return core::fail(key.error());
  auto certText = readFile(dir / "trust" / std::string(crypto::kTrustListSignerFile));
  if (!certText) return core::fail(certText.error());
  auto cert = crypto::PublicKey::fromPem(*certText);
  if (!cert) return core::fail(cert.error());
  return crypto::signTrustLists(lists, *key, cert->kid());
}

core::Result<void> apcvInit(const std::filesystem::path& dir, std::int64_t now) {
  std::error_code ec;
  std::filesystem::create_directories(dir / "trust" / "issuers", ec);
  std::filesystem::create_directories(dir / "keys", ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {dir.string(), ec.message()});
  // Unsigned lists of older material would be ignored next to the signed ones: removed.
  std::filesystem::remove(dir / "trust" / "revoked-app-instances.txt", ec);
  std::filesystem::remove(dir / "trust" / "trust.json", ec);
  auto issuer = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
  auto expired = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
  auto revoked = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
  auto signer = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
  for (const auto* k : {&issuer, &expired, &revoked, &signer})
    if (!*k) return core::fail(k->error());
  auto cert = issuerCertificate(*issuer, "TEST ONLY ApCV issuer (VitaleDesk simulator)", -kDay, 3650 * kDay);
  // Expired yesterday after a year of service: its credentials must be refused at once.
  auto expiredCert = issuerCertificate(*expired, "TEST ONLY ApCV expired issuer", -366 * kDay, -kDay);
  auto revokedCert = issuerCertificate(*revoked, "TEST ONLY ApCV revoked issuer", -kDay, 3650 * kDay);
  auto signerCert = issuerCertificate(*signer, "TEST ONLY insurer trust-list signer", -kDay, 3650 * kDay);
  for (const auto* c : {&cert, &expiredCert, &revokedCert, &signerCert})
    if (!*c) return core::fail(c->error());
  const std::pair<const char*, crypto::KeyType> keys[] = {{"unknown-issuer-key.pem", crypto::KeyType::EcP256},
                                                           {"phone-key.pem", crypto::KeyType::EcP256},
                                                           {"lost-phone-key.pem", crypto::KeyType::Ed25519},
                                                           {"delegate-phone-key.pem", crypto::KeyType::EcP256}};
  for (const auto& [name, type] : keys) {
    auto k = crypto::PrivateKey::generate(type);
    if (!k) return core::fail(k.error());
    if (auto w = writeFile(dir / "keys" / name, k->pem(), true); !w) return w;
  }
  const std::string certPem = crypto::trustAnchorPem(*cert);
  const std::string signerPem = crypto::trustAnchorPem(*signerCert);
  for (auto w : {writeFile(dir / "keys" / "issuer-key.pem", issuer->pem(), true),
                 writeFile(dir / "keys" / "expired-issuer-key.pem", expired->pem(), true),
                 writeFile(dir / "keys" / "revoked-issuer-key.pem", revoked->pem(), true),
                 writeFile(dir / "keys" / "trust-list-signer-key.pem", signer->pem(), true),
                 writeFile(dir / "keys" / "issuer.pem", certPem, false),
                 writeFile(dir / "keys" / "expired-issuer.pem", crypto::trustAnchorPem(*expiredCert), false),
                 writeFile(dir / "keys" / "revoked-issuer.pem", crypto::trustAnchorPem(*revokedCert), false),
                 writeFile(dir / "trust" / "issuers" / "issuer.pem", certPem, false),
                 writeFile(dir / "trust" / "issuers" / "expired-issuer.pem", crypto::trustAnchorPem(*expiredCert), false),
                 writeFile(dir / "trust" / "issuers" / "revoked-issuer.pem", crypto::trustAnchorPem(*revokedCert), false),
                 writeFile(dir / "trust" / std::string(crypto::kTrustListSignerFile), signerPem, false)}) {
    if (!w) return w;
  }
  auto lists = kitTrustLists(dir, now);
  if (!lists) return core::fail(lists.error());
  auto document = signKitTrustLists(dir, *lists);
  if (!document) return core::fail(document.error());
  return writeFile(dir / "trust" / std::string(crypto::kTrustListsFile),
                   std::string(document->begin(), document->end()), false);
}

core::Result<std::string> phoneQr(const std::filesystem::path& dir, std::string_view kit, std::int64_t now) {
  auto cose = phoneToken(dir, kit, now);
  if (!cose) return core::fail(cose.error());
  return apcv::tokenText(*cose);
}

core::Result<KitKeys> loadKitKeys(const std::filesystem::path& dir) {
  auto issuer = readKey(dir, "issuer-key.pem");
  auto unknown = readKey(dir, "unknown-issuer-key.pem");
  auto phone = readKey(dir, "phone-key.pem");
  auto lost = readKey(dir, "lost-phone-key.pem");
  auto delegate = readKey(dir, "delegate-phone-key.pem");
  auto expired = readKey(dir, "expired-issuer-key.pem");
  auto revoked = readKey(dir, "revoked-issuer-key.pem");
  for (const auto* k : {&issuer, &unknown, &phone, &lost, &delegate, &expired, &revoked})
    if (!*k) return core::fail(k->error());
  std::vector<std::uint8_t> kids[3];
  const char* certs[3] = {"issuer.pem", "expired-issuer.pem", "revoked-issuer.pem"};
  for (int i = 0; i < 3; ++i) {
    auto certText = readFile(dir / "keys" / certs[i]);
    if (!certText) return core::fail(certText.error());
    auto cert = crypto::PublicKey::fromPem(*certText);
    if (!cert) return core::fail(cert.error());
    kids[i] = cert->kid();
  }
  return KitKeys{std::move(*issuer),  kids[0], std::move(*unknown), std::move(*phone), std::move(*lost),
                 std::move(*delegate), std::move(*expired), kids[1], std::move(*revoked), kids[2]};
}

apcv::InsurerCredential holderCredential(const crypto::PublicKey& appKey, std::string_view aid, std::int64_t now) {
  IdentityGenerator gen(42);
  const SyntheticIdentity holder = gen.next();
  const SyntheticIdentity child = gen.next();
  apcv::InsurerCredential c;
  c.issuer = std::string(kKitIssuer);
  c.issuedAt = now - 30 * kDay;
  c.notBefore = now - 30 * kDay;
  c.notAfter = now + 335 * kDay;
  c.appInstanceId = std::string(aid);
  c.publicKeyDer = appKey.spkiDer();
  c.insured = person(holder, 0, 1);
  c.beneficiaries.push_back(person(child, 6, 1));
  c.rights = apcv::Rights{isoDay(now), kAmoRegime, kAmoCaisse, kAmoCentre, {}, false, "AMC-TEST-0001"};
  return c;
}

apcv::InsurerCredential delegateCredential(const crypto::PublicKey& delegateKey, std::int64_t now, std::int64_t until) {
  apcv::InsurerCredential c = holderCredential(delegateKey, kDelegatePhoneAppInstance, now);
  c.issuedAt = now - kDay;
  c.notBefore = now - kDay;
  c.notAfter = until;
  c.delegation = apcv::Delegation{"AIDANT", "Sam", until};
  return c;
}

core::Result<apcv::DeviceClaims> kitPresentation(std::int64_t now, const PhoneTokenOptions& options) {
  apcv::DeviceClaims d;
  d.issuedAt = now;
  d.expiresAt = now + 180;
  auto jti = crypto::randomBytes(16);
  if (!jti) return core::fail(jti.error());
  d.tokenId = options.tokenId.value_or(*jti);
  d.challenge = options.challenge;
  return d;
}

core::Result<std::vector<std::uint8_t>> phoneToken(const std::filesystem::path& dir, std::string_view kit,
                                                   std::int64_t now, const PhoneTokenOptions& options) {
  bool known = false;
  for (auto k : phoneKits()) known = known || k == kit;
  if (!known) return core::fail(core::Errc::InvalidArgument, {"--kit " + std::string(kit)});
  auto keys = loadKitKeys(dir);
  if (!keys) return core::fail(keys.error());
  const bool delegated = kit == "delegated" || kit == "delegated-too-long";
  const bool lost = kit == "revoked-phone";
  // The insurer issues each phone's credential; the phone presents it with its own key.
  const crypto::PrivateKey& phone = lost ? keys->lostPhone : delegated ? keys->delegatePhone : keys->phone;
  apcv::InsurerCredential credential =
      delegated ? delegateCredential(phone.publicKey(), now, now + (kit == "delegated" ? 7 : 45) * kDay)
                : holderCredential(phone.publicKey(), lost ? kLostPhoneAppInstance : kPhoneAppInstance, now);
  // Signed by the genuine issuer but naming another one: its certificate's identity must match.
  if (kit == "wrong-iss") credential.issuer = "OTHER-ISSUER";
  const bool unknown = kit == "unknown-issuer";
  const crypto::PrivateKey& issuer = unknown                    ? keys->unknownIssuer
                                     : kit == "expired-issuer" ? keys->expiredIssuer
                                     : kit == "revoked-issuer" ? keys->revokedIssuer
                                                               : keys->issuer;
  const std::vector<std::uint8_t> kid = unknown                    ? issuer.publicKey().kid()
                                        : kit == "expired-issuer" ? keys->expiredIssuerKid
                                        : kit == "revoked-issuer" ? keys->revokedIssuerKid
                                                                  : keys->issuerKid;
  auto signedCredential = apcv::signCredential(credential, issuer, kid);
  if (!signedCredential) return core::fail(signedCredential.error());
  const std::int64_t at = kit == "expired" ? now - 600 : kit == "not-yet-valid" ? now + 600 : now;
  auto device = kitPresentation(at, options);
  if (!device) return core::fail(device.error());
  auto cose = apcv::presentCose(*signedCredential, *device, phone);
  if (!cose || kit != "tampered") return cose;
  // Someone on the way grants the holder C2S: the insurer's signature no longer holds.
  apcv::InsurerCredential altered = credential;
  altered.rights.c2s = true;
  auto forged = apcv::alterCredential(*signedCredential, altered);
  if (!forged) return core::fail(forged.error());
  return apcv::withCredential(*cose, *forged);
}

std::int64_t nowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace vd::sim
