#include "crypto/trust_store.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "crypto/digest.hpp"

namespace vd::crypto {
namespace {

constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr std::size_t kMaxEntryBytes = 128;

core::Result<std::string> readSmallFile(const std::filesystem::path& p, std::size_t maxBytes = kMaxFileBytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(p, ec);
  if (ec || size > maxBytes) return core::fail(core::Errc::TrustStoreInvalid, {p.filename().string()});
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return core::fail(core::Errc::TrustStoreInvalid, {p.filename().string()});
  return ss.str();
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

// trust.json is one flat object; only "issued_at" is read, so a tiny scanner does (no JSON
// library in crypto). Anything else than a quoted YYYY-MM-DD after the key is refused.
core::Result<core::Date> parseIssuedAt(std::string_view json) {
  const auto k = json.find("\"issued_at\"");
  if (k == std::string_view::npos) return core::fail(core::Errc::TrustStoreInvalid, {"trust.json: issued_at"});
  auto rest = json.substr(k + 11);
  rest = trim(rest.substr(0, std::min<std::size_t>(rest.size(), 64)));
  if (rest.empty() || rest.front() != ':') return core::fail(core::Errc::TrustStoreInvalid, {"trust.json: issued_at"});
  rest = trim(rest.substr(1));
  if (rest.size() < 12 || rest[0] != '"' || rest[11] != '"')
    return core::fail(core::Errc::TrustStoreInvalid, {"trust.json: issued_at"});
  auto d = core::Date::parseIso(rest.substr(1, 10));
  if (!d) return core::fail(core::Errc::TrustStoreInvalid, {"trust.json: issued_at"});
  return *d;
}

core::Result<std::set<std::string, std::less<>>> parseRevocationList(std::string_view text) {
  std::set<std::string, std::less<>> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    auto line = text.substr(pos, nl - pos);
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.size() > kMaxEntryBytes) return core::fail(core::Errc::TrustStoreInvalid, {"revoked-*.txt"});
    if (!line.empty()) out.emplace(line);
    pos = nl + 1;
  }
  return out;
}

core::Result<TrustStore> TrustStore::load(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto issuersDir = dir / "issuers";
  if (!std::filesystem::is_directory(issuersDir, ec)) return core::fail(core::Errc::TrustStoreMissing, {dir.string()});
  TrustStore store;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(issuersDir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".pem") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto text = readSmallFile(f);
    if (!text) return core::fail(text.error());
    auto key = PublicKey::fromPem(*text);
    if (!key) return core::fail(core::Errc::TrustStoreInvalid, {f.filename().string()});
    store.m_issuers.push_back(std::move(*key));
  }
  auto signedLists = loadSignedTrustLists(dir);
  if (!signedLists) return core::fail(signedLists.error());
  if (*signedLists) return store.withLists(**signedLists);
  // Cards in opposition are the card reader's: its trust folder's opposition.txt
  // (vitale_card_reader.hpp), one list, not repeated here.
  if (const auto p = dir / "revoked-app-instances.txt"; std::filesystem::exists(p, ec)) {
    auto text = readSmallFile(p);
    if (!text) return core::fail(text.error());
    auto list = parseRevocationList(*text);
    if (!list) return core::fail(core::Errc::TrustStoreInvalid, {"revoked-app-instances.txt"});
    store.m_revokedApps = std::move(*list);
  }
  if (const auto p = dir / "trust.json"; std::filesystem::exists(p, ec)) {
    auto text = readSmallFile(p);
    if (!text) return core::fail(text.error());
    auto d = parseIssuedAt(*text);
    if (!d) return core::fail(d.error());
    store.m_issuedAt = *d;
  }
  return store;
}

core::Result<PublicKey> loadTrustListSigner(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto p = dir / kTrustListSignerFile;
  if (!std::filesystem::exists(p, ec)) return core::fail(core::Errc::TrustListSignerMissing, {dir.string()});
  auto text = readSmallFile(p);
  if (!text) return core::fail(text.error());
  auto key = PublicKey::fromPem(*text);
  if (!key) return core::fail(core::Errc::TrustStoreInvalid, {std::string(kTrustListSignerFile)});
  return key;
}

core::Result<std::optional<TrustLists>> loadSignedTrustLists(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto p = dir / kTrustListsFile;
  if (!std::filesystem::exists(p, ec)) return std::optional<TrustLists>{};
  auto signer = loadTrustListSigner(dir);
  if (!signer) return core::fail(signer.error());
  auto bytes = readSmallFile(p, kMaxTrustListBytes);
  if (!bytes) return core::fail(core::Errc::TrustListMalformed, {std::string(kTrustListsFile)});
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes->data());
  auto lists = verifyTrustLists({data, bytes->size()}, *signer, kTrustListsFile);
  if (!lists) return core::fail(lists.error());
  return std::optional<TrustLists>(std::move(*lists));
}

TrustStore TrustStore::withLists(const TrustLists& lists) const {
  TrustStore s = *this;
  s.m_revokedApps = {lists.appInstances.begin(), lists.appInstances.end()};
  s.m_revokedIssuers = {lists.revokedIssuers.begin(), lists.revokedIssuers.end()};
  s.m_issuedAt = lists.issuedAt;
  s.m_sequence = lists.sequence;
  return s;
}

TrustStore TrustStore::fromKeys(std::vector<PublicKey> issuers, std::set<std::string, std::less<>> revokedAppInstances,
                                std::optional<core::Date> issuedAt) {
  TrustStore s;
  s.m_issuers = std::move(issuers);
  s.m_revokedApps = std::move(revokedAppInstances);
  s.m_issuedAt = issuedAt;
  return s;
}

std::optional<PublicKey> TrustStore::issuerByKid(std::span<const std::uint8_t> kid) const {
  for (const auto& k : m_issuers) {
    const auto id = k.kid();
    if (std::equal(id.begin(), id.end(), kid.begin(), kid.end())) return k;
  }
  return std::nullopt;
}

bool TrustStore::isIssuerRevoked(std::span<const std::uint8_t> kid) const {
  return m_revokedIssuers.count(std::vector<std::uint8_t>(kid.begin(), kid.end())) != 0;
}

core::Result<PublicKey> TrustStore::issuerAt(std::span<const std::uint8_t> kid, std::int64_t at) const {
  auto key = issuerByKid(kid);
  const std::string hex = toHex(kid);
  if (!key) return core::fail(core::Errc::ApcvUnknownIssuer, {hex});
  if (isIssuerRevoked(kid)) return core::fail(core::Errc::ApcvIssuerRevoked, {hex});
  const auto facts = key->certificateFacts();
  if (!facts) return *key;  // a bare public key: nothing more to check
  if (facts->hasKeyUsage && !facts->digitalSignature) return core::fail(core::Errc::ApcvIssuerKeyUsage, {hex});
  const auto day = [](std::int64_t t) {
    return core::Date::fromDayNumber(static_cast<std::int32_t>((t >= 0 ? t : t - 86399) / 86400)).iso();
  };
  if (at < facts->notBefore) return core::fail(core::Errc::ApcvIssuerNotYetValid, {hex, day(facts->notBefore)});
  if (at > facts->notAfter) return core::fail(core::Errc::ApcvIssuerExpired, {hex, day(facts->notAfter)});
  return *key;
}

bool TrustStore::isAppInstanceRevoked(std::string_view id) const { return m_revokedApps.find(id) != m_revokedApps.end(); }

std::optional<int> TrustStore::ageInDays(core::Date today) const {
  if (!m_issuedAt) return std::nullopt;
  return core::daysBetween(today, *m_issuedAt);
}

std::string trustAnchorPem(const PublicKey& key) {
  const auto& der = key.certificateDer();
  if (der.empty()) return key.pem();
  std::string b64(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), der.data(), static_cast<int>(der.size()));
  b64.resize(static_cast<std::size_t>(n));
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

}  // namespace vd::crypto
