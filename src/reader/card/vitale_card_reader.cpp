#include "reader/card/vitale_card_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "crypto/cose.hpp"
#include "crypto/digest.hpp"

namespace vd::reader {
namespace {

// The APDU step and the problem of a CardStatusWord, in the message's language.
std::string stepSelect() { return core::frEn("sélection de fichier", "select file"); }
std::string stepRead() { return core::frEn("lecture de fichier", "read binary"); }
std::string badLength() { return core::frEn("longueur", "length"); }

std::string swHex(std::uint16_t sw) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", sw);
  return buf;
}

/// Counts APDUs and maps status words to typed errors.
class Session {
 public:
  explicit Session(ApduChannel& ch) : m_ch(ch) {}
  core::Result<Response> send(std::span<const std::uint8_t> apdu) {
    ++count;
    return transmitT0(m_ch, apdu);
  }
  int count = 0;

 private:
  ApduChannel& m_ch;
};

core::Result<std::vector<std::uint8_t>> readFile(Session& s, std::uint16_t fid, std::size_t size) {
  const std::uint8_t fidBytes[] = {static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)};
  auto sel = s.send(makeApdu(0x00, 0xA4, 0x02, 0x0C, fidBytes));
  if (!sel) return core::fail(sel.error());
  if (sel->sw == 0x6A82) return core::fail(core::Errc::CardFileMissing, {swHex(fid)});
  if (!sel->ok()) return core::fail(core::Errc::CardStatusWord, {swHex(sel->sw), stepSelect()});
  std::vector<std::uint8_t> out;
  // size == 0: unknown (the directory itself): read until a short chunk.
  const std::size_t limit = size == 0 ? kMaxFileSize : size;
  while (out.size() < limit) {
    const std::size_t want = std::min<std::size_t>(limit - out.size(), 256);
    auto rb = s.send(makeApdu(0x00, 0xB0, static_cast<std::uint8_t>(out.size() >> 8),
                              static_cast<std::uint8_t>(out.size()), {}, static_cast<int>(want & 0xFF)));
    if (!rb) return core::fail(rb.error());
    if (rb->sw == 0x6B00 && size == 0 && !out.empty()) break;
    if (!rb->ok()) return core::fail(core::Errc::CardStatusWord, {swHex(rb->sw), stepRead()});
    if (rb->data.empty() || rb->data.size() > want)
      return core::fail(core::Errc::CardStatusWord, {badLength(), stepRead()});
    out.insert(out.end(), rb->data.begin(), rb->data.end());
    if (size == 0 && rb->data.size() < want) break;
  }
  if (size != 0 && out.size() != size) return core::fail(core::Errc::CardStatusWord, {badLength(), stepRead()});
  return out;
}

bool issuerSignatureValid(const CardTrust& trust, std::span<const std::uint8_t> cose,
                          std::span<const std::uint8_t> signedBytes, bool& unknownIssuer) {
  unknownIssuer = false;
  auto msg = crypto::parseCoseSign1(cose);
  if (!msg) return false;
  const crypto::Sha256Digest digest = crypto::sha256(signedBytes);
  if (msg->payload.size() != digest.size() || !std::equal(digest.begin(), digest.end(), msg->payload.begin()))
    return false;
  const crypto::CoseAlg allowed[] = {crypto::CoseAlg::ES256};
  for (const crypto::PublicKey& key : trust.issuers) {
    if (key.kid() != msg->kid) continue;
    return crypto::coseVerifySignature(*msg, key, allowed).ok();
  }
  unknownIssuer = true;
  return false;
}

core::Result<bool> internalAuthenticate(Session& s, const CardInfo& info) {
  auto challenge = crypto::randomBytes(kChallengeSize);
  if (!challenge) return core::fail(challenge.error());
  auto resp = s.send(makeApdu(0x00, 0x88, 0x00, 0x00, *challenge, 0));
  if (!resp) return core::fail(resp.error());
  if (!resp->ok()) return false;
  auto key = crypto::PublicKey::fromDer(info.publicKey);
  if (!key || key->type() != crypto::KeyType::EcP256) return false;
  auto msg = crypto::parseCoseSign1(resp->data);
  if (!msg || msg->payload != internalAuthPayload(*challenge)) return false;
  const crypto::CoseAlg allowed[] = {crypto::CoseAlg::ES256};
  return crypto::coseVerifySignature(*msg, *key, allowed).ok();
}

constexpr std::size_t kMaxTrustFile = 1024 * 1024;
constexpr std::size_t kMaxOppositionEntry = 128;

// A trust file, read whole when it is at most kMaxTrustFile bytes.
core::Result<std::string> readTrustFile(const std::filesystem::path& p) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(p, ec);
  if (ec || size > kMaxTrustFile) return core::fail(core::Errc::CardTrustInvalid, {p.filename().string()});
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return core::fail(core::Errc::CardTrustInvalid, {p.filename().string()});
  return ss.str();
}

}  // namespace

core::Error cardReasonError(std::string_view id) {
  using E = core::Errc;
  static constexpr std::pair<std::string_view, E> kReasons[] = {
      {"public_fields_only", E::CardReasonPublicFieldsOnly},
      {"unknown_issuer", E::CardReasonUnknownIssuer},
      {"issuer_signature", E::CardReasonIssuerSignature},
      {"internal_authenticate", E::CardReasonInternalAuthenticate},
      {"opposition", E::CardReasonOpposition},
      {"rights_expired", E::CardReasonRightsExpired},
  };
  for (const auto& [name, code] : kReasons)
    if (name == id) return core::makeError(code);
  return core::makeError(E::CardReasonOther, {std::string(id)});
}

std::string_view verdictId(Verdict v) {
  switch (v) {
    case Verdict::Verified: return "verified";
    case Verdict::ReadNotVerified: return "read_not_verified";
    case Verdict::Refused: return "refused";
  }
  return "refused";
}

core::Result<std::set<std::string>> parseOppositionList(std::string_view text) {
  std::set<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    if (line.size() > kMaxOppositionEntry) return core::fail(core::Errc::CardTrustInvalid, {"opposition.txt"});
    std::string serial(line);
    for (char& c : serial) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      // A serial is hex (cred.serialHex): anything else could never match, so it is refused
      // rather than leaving a lost card silently usable.
      if (!std::isxdigit(static_cast<unsigned char>(c)))
        return core::fail(core::Errc::CardTrustInvalid, {"opposition.txt"});
    }
    out.insert(std::move(serial));
  }
  return out;
}

core::Result<CardTrust> CardTrust::load(const std::string& dir) {
  namespace fs = std::filesystem;
  CardTrust trust;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return core::fail(core::Errc::CardTrustMissing, {dir});
  std::vector<fs::path> keyFiles;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("issuer", 0) != 0 || name.size() < 8 || name.substr(name.size() - 8) != ".pub.pem") continue;
    keyFiles.push_back(entry.path());
  }
  std::sort(keyFiles.begin(), keyFiles.end());  // a stable order whatever the file system's
  for (const fs::path& f : keyFiles) {
    auto text = readTrustFile(f);
    if (!text) return core::fail(text.error());
    auto key = crypto::PublicKey::fromPem(*text);
    if (!key) return core::fail(key.error());
    trust.issuers.push_back(std::move(key.value()));
  }
  if (trust.issuers.empty()) return core::fail(core::Errc::CardTrustMissing, {dir});
  if (const fs::path opp = fs::path(dir) / "opposition.txt"; fs::exists(opp, ec)) {
    auto text = readTrustFile(opp);
    if (!text) return core::fail(text.error());
    auto list = parseOppositionList(*text);
    if (!list) return core::fail(list.error());
    trust.opposition = std::move(*list);
  }
  return trust;
}

core::Result<CardCredential> VitaleCardReader::read(ApduChannel& channel) const {
  Session s(channel);
  auto sel = s.send(makeApdu(0x00, 0xA4, 0x04, 0x0C, kVitaleAid));
  if (!sel) return core::fail(sel.error());
  if (!sel->ok()) return core::fail(core::Errc::CardNotVitale, {swHex(sel->sw)});

  auto dirBytes = readFile(s, kFidDirectory, 0);
  if (!dirBytes) return core::fail(dirBytes.error());
  auto dir = parseDirectory(*dirBytes);
  if (!dir) return core::fail(dir.error());

  std::vector<CardFile> files;
  std::map<std::uint16_t, std::size_t> index;
  for (const DirectoryEntry& e : *dir) {
    auto content = readFile(s, e.fid, e.size);
    if (!content) return core::fail(content.error());
    index[e.fid] = files.size();
    files.push_back(CardFile{e.fid, std::move(content.value())});
  }
  if (index.count(kFidPersons) == 0) return core::fail(core::Errc::CardFileMissing, {"2004"});
  auto persons = parsePersons(files[index[kFidPersons]].content);
  if (!persons) return core::fail(persons.error());

  CardCredential cred;
  const bool secured = index.count(kFidCard) != 0 && index.count(kFidSignature) != 0;
  if (!secured) {
    // A card without the SESAM-Vitale components: identity only, never rights.
    cred.verdict = Verdict::ReadNotVerified;
    cred.reasons.push_back("public_fields_only");
    for (Beneficiary& b : *persons) {
      cred.beneficiaries.push_back(Beneficiary{b.nir, b.lastName, b.firstName, b.birthDate, b.birthRank,
                                               b.qualite, {}, {}, {}, std::nullopt, std::nullopt});
    }
    cred.apduCount = s.count;
    return cred;
  }
  auto info = parseCardInfo(files[index[kFidCard]].content);
  if (!info) return core::fail(info.error());
  auto cose = parseSignatureFile(files[index[kFidSignature]].content);
  if (!cose) return core::fail(cose.error());
  cred.serialHex = crypto::toHex(info->serial);

  bool unknownIssuer = false;
  if (!issuerSignatureValid(m_trust, *cose, issuerSignedBytes(files), unknownIssuer))
    cred.reasons.push_back(unknownIssuer ? "unknown_issuer" : "issuer_signature");
  auto ia = internalAuthenticate(s, *info);
  if (!ia) return core::fail(ia.error());
  if (!*ia) cred.reasons.push_back("internal_authenticate");
  if (m_trust.opposition.count(cred.serialHex) != 0) cred.reasons.push_back("opposition");
  const Beneficiary& insured = persons->front();
  bool covered = false;
  for (const Period& p : insured.amoRights) covered = covered || p.covers(m_at);
  if (!covered) cred.reasons.push_back("rights_expired");

  cred.apduCount = s.count;
  if (cred.reasons.empty()) {
    cred.verdict = Verdict::Verified;
    cred.beneficiaries = std::move(persons.value());
    cred.regime = info->regime;
    cred.caisse = info->caisse;
    cred.centre = info->centre;
  } else {
    cred.verdict = Verdict::Refused;
  }
  return cred;
}

}  // namespace vd::reader
