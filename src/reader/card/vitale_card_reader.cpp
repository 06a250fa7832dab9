#include "reader/card/vitale_card_reader.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "crypto/cose.hpp"
#include "crypto/digest.hpp"

namespace vd::reader {
namespace {

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
  if (!sel->ok()) return core::fail(core::Errc::CardStatusWord, {swHex(sel->sw), "select file"});
  std::vector<std::uint8_t> out;
  // size == 0: unknown (the directory itself): read until a short chunk.
  const std::size_t limit = size == 0 ? kMaxFileSize : size;
  while (out.size() < limit) {
    const std::size_t want = std::min<std::size_t>(limit - out.size(), 256);
    auto rb = s.send(makeApdu(0x00, 0xB0, static_cast<std::uint8_t>(out.size() >> 8),
                              static_cast<std::uint8_t>(out.size()), {}, static_cast<int>(want & 0xFF)));
    if (!rb) return core::fail(rb.error());
    if (rb->sw == 0x6B00 && size == 0 && !out.empty()) break;
    if (!rb->ok()) return core::fail(core::Errc::CardStatusWord, {swHex(rb->sw), "read binary"});
    if (rb->data.empty() || rb->data.size() > want) return core::fail(core::Errc::CardStatusWord, {"length", "read binary"});
    out.insert(out.end(), rb->data.begin(), rb->data.end());
    if (size == 0 && rb->data.size() < want) break;
  }
  if (size != 0 && out.size() != size) return core::fail(core::Errc::CardStatusWord, {"length", "read binary"});
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

}  // namespace

std::string_view verdictId(Verdict v) {
  switch (v) {
    case Verdict::Verified: return "verified";
    case Verdict::ReadNotVerified: return "read_not_verified";
    case Verdict::Refused: return "refused";
  }
  return "refused";
}

core::Result<CardTrust> CardTrust::load(const std::string& dir) {
  namespace fs = std::filesystem;
  CardTrust trust;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return core::fail(core::Errc::CardTrustMissing, {dir});
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("issuer", 0) != 0 || name.size() < 8 || name.substr(name.size() - 8) != ".pub.pem") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto key = crypto::PublicKey::fromPem(text.str());
    if (!key) return core::fail(key.error());
    trust.issuers.push_back(std::move(key.value()));
  }
  if (trust.issuers.empty()) return core::fail(core::Errc::CardTrustMissing, {dir});
  std::ifstream opp(fs::path(dir) / "opposition.txt");
  for (std::string line; std::getline(opp, line);) {
    if (line.empty() || line[0] == '#') continue;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    trust.opposition.insert(line);
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
