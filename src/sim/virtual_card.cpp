#include "sim/virtual_card.hpp"

#include <algorithm>

#include "core/nir.hpp"
#include "crypto/cose.hpp"
#include "crypto/digest.hpp"
#include "reader/card/tlv.hpp"
#include "reader/card/vitale_profile.hpp"

namespace vd::sim {
namespace {

using reader::Beneficiary;
using reader::Period;

Period period(int y1, int m1, int d1, int y2, int m2, int d2) {
  return Period{*core::Date::fromYmd(y1, m1, d1), *core::Date::fromYmd(y2, m2, d2)};
}
const Period kOpen = period(2024, 1, 1, 2099, 12, 31);

std::string nir(const std::string& body13) {
  const int key = core::Nir::computeKey(body13).value();
  return body13 + (key < 10 ? "0" : "") + std::to_string(key);
}

Beneficiary person(const std::string& body, std::string last, std::string first, std::string birth,
                   std::string qualite, int rank = 1) {
  Beneficiary b;
  b.nir = nir(body);
  b.lastName = std::move(last);
  b.firstName = std::move(first);
  b.birthDate = std::move(birth);
  b.birthRank = rank;
  b.qualite = std::move(qualite);
  b.insOid = "1.2.250.1.213.1.4.8";
  b.amoRights.push_back(kOpen);
  return b;
}

const std::vector<KitInfo> kKits = {
    {"family", "verified", "insured person with two beneficiaries (spouse, child), AMC with tiers payant"},
    {"ald", "verified", "insured person with an ALD exemption"},
    {"c2s", "verified", "insured person with C2S"},
    {"expired", "refused", "AMO rights ended 2023-12-31"},
    {"opposition", "refused", "card serial on the opposition list (lost or stolen)"},
    {"altered", "refused", "data changed after issue: bad issuer signature"},
    {"cloned", "refused", "copied data, wrong card key: INTERNAL AUTHENTICATE fails"},
    {"lunar", "verified", "lunar birth date (day 00)"},
    {"corsica", "verified", "NIR born in Corse-du-Sud (2A)"},
    {"twins", "verified", "insured parent with twins (birth ranks 1 and 2)"},
    {"public-only", "read_not_verified", "real-card-like: public identity fields only"},
};

std::vector<std::uint8_t> serialOf(std::size_t index) {
  return {0x56, 0x44, 0x54, 0x45, 0x53, 0x54, 0x00, static_cast<std::uint8_t>(index + 1)};
}

std::size_t kitIndex(const std::string& name) {
  for (std::size_t i = 0; i < kKits.size(); ++i)
    if (kKits[i].name == name) return i;
  return kKits.size();
}

std::vector<Beneficiary> personsOf(const std::string& kit) {
  Beneficiary insured = person("1850575123456", "DEMOVITALE", "PAUL", "19850512", "00");
  if (kit == "family") {
    insured.amc = reader::Amc{"88888888", "CT-DEMO-01", true, kOpen};
    Beneficiary spouse = person("2870369012034", "DEMOVITALE", "JEANNE", "19870304", "02");
    Beneficiary child = person("1150675056078", "DEMOVITALE", "LOUIS", "20150601", "06");
    return {insured, spouse, child};
  }
  // Each kit is its own person (its own NIR), so the insurer simulator's rights look-up, which
  // is keyed by NIR, answers with that kit's rights.
  if (kit == "ald") {
    insured = person("1720375114022", "TESTALD", "MARC", "19720315", "00");
    insured.exemptions.push_back(reader::Exemption{"ALD", kOpen});
  }
  if (kit == "c2s") {
    insured = person("2920793048015", "TESTCSS", "NADIA", "19920722", "00");
    insured.c2s = kOpen;
  }
  if (kit == "expired") {
    insured = person("1600269123033", "TESTEXPIRE", "JEAN", "19600228", "00");
    insured.amoRights = {period(2020, 1, 1, 2023, 12, 31)};
  }
  if (kit == "lunar") insured = person("1620199123012", "TESTLUNAIRE", "ALI", "19620100", "00");
  if (kit == "corsica") insured = person("290052A004012", "TESTCORSE", "MARIA", "19900510", "00");
  if (kit == "twins") {
    Beneficiary parent = person("2880113055021", "TESTJUMEAUX", "ANNE", "19880120", "00");
    Beneficiary a = person("2190169123045", "TESTJUMEAUX", "LEA", "20190115", "06", 1);
    Beneficiary b = person("1190169123046", "TESTJUMEAUX", "TOM", "20190115", "06", 2);
    return {parent, a, b};
  }
  return {insured};
}

std::vector<std::uint8_t> sw(std::uint16_t s) { return {static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)}; }

}  // namespace

const std::vector<KitInfo>& cardKits() { return kKits; }

std::string oppositionSerialHex() { return crypto::toHex(serialOf(kitIndex("opposition"))); }

std::vector<reader::Beneficiary> kitPersons(const std::string& name) {
  return kitIndex(name) == kKits.size() ? std::vector<reader::Beneficiary>{} : personsOf(name);
}

core::Result<VirtualCard> VirtualCard::fromKit(const std::string& name, const crypto::PrivateKey& issuer) {
  const std::size_t index = kitIndex(name);
  if (index == kKits.size()) return core::fail(core::Errc::InvalidArgument, {name}, "kit");
  auto cardKey = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
  if (!cardKey) return core::fail(cardKey.error());
  std::vector<Beneficiary> persons = personsOf(name);
  const auto personBytes = reader::encodePersons(persons);
  const auto cardInfo = reader::encodeCardInfo(reader::CardInfo{serialOf(index), cardKey->publicKey().spkiDer(), kAmoRegime, kAmoCaisse, kAmoCentre});

  VirtualCard card(*cardKey);
  if (name == "public-only") {
    card.m_files[reader::kFidPersons] = personBytes;
  } else {
    std::vector<reader::CardFile> files{{reader::kFidCard, cardInfo}, {reader::kFidPersons, personBytes}};
    const auto digest = crypto::sha256(reader::issuerSignedBytes(files));
    const auto kid = issuer.publicKey().kid();
    auto cose = crypto::coseSign1Sign(digest, issuer, crypto::CoseAlg::ES256, kid);
    if (!cose) return core::fail(cose.error());
    std::vector<std::uint8_t> sigFile;
    reader::appendTlv(sigFile, 0x9E, *cose);
    card.m_files[reader::kFidCard] = cardInfo;
    card.m_files[reader::kFidPersons] = personBytes;
    card.m_files[reader::kFidSignature] = sigFile;
    if (name == "altered") {
      // Rights end date changed after the issuer signed.
      persons[0].amoRights[0].to = persons[0].amoRights[0].to.addDays(-1);
      card.m_files[reader::kFidPersons] = reader::encodePersons(persons);
    }
    if (name == "cloned") {
      auto other = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
      if (!other) return core::fail(other.error());
      card.m_cardKey = *other;
    }
  }
  std::vector<reader::DirectoryEntry> dir;
  for (std::uint16_t fid : {reader::kFidCard, reader::kFidPersons, reader::kFidSignature}) {
    const auto it = card.m_files.find(fid);
    if (it != card.m_files.end()) dir.push_back({fid, static_cast<std::uint16_t>(it->second.size())});
  }
  card.m_files[reader::kFidDirectory] = reader::encodeDirectory(dir);
  return card;
}

std::vector<std::uint8_t> VirtualCard::atr() const { return {0x3B, 0x75, 0x13, 0x00, 0x00, 0x45, 0x09, 0xEA, 0x90, 0x00}; }

void VirtualCard::reset() {
  m_appSelected = false;
  m_current.reset();
  m_pending.clear();
}

std::vector<std::uint8_t> VirtualCard::process(std::span<const std::uint8_t> apdu) {
  if (apdu.size() < 4) return sw(0x6700);
  if (apdu[0] != 0x00) return sw(0x6E00);
  const std::uint8_t ins = apdu[1], p1 = apdu[2], p2 = apdu[3];
  const std::size_t lc = apdu.size() > 5 ? apdu[4] : 0;
  if (apdu.size() > 5 && apdu.size() < 5 + lc) return sw(0x6700);
  const std::span<const std::uint8_t> data = apdu.size() > 5 ? apdu.subspan(5, lc) : std::span<const std::uint8_t>{};
  if (ins != 0xC0) m_pending.clear();
  switch (ins) {
    case 0xA4:
      if (p1 == 0x04) {
        m_appSelected = std::equal(data.begin(), data.end(), reader::kVitaleAid.begin(), reader::kVitaleAid.end());
        m_current.reset();
        return sw(m_appSelected ? 0x9000 : 0x6A82);
      }
      if (p1 == 0x02 && m_appSelected && data.size() == 2) {
        const auto fid = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
        if (m_files.count(fid) == 0) return sw(0x6A82);
        m_current = fid;
        return sw(0x9000);
      }
      return sw(0x6A86);
    case 0xB0: {
      if (!m_current) return sw(0x6986);
      const auto& file = m_files[*m_current];
      const std::size_t offset = static_cast<std::size_t>((p1 << 8) | p2);
      if (offset >= file.size()) return sw(0x6B00);
      const std::size_t le = apdu.size() == 5 ? apdu[4] : 0;
      const std::size_t avail = file.size() - offset;
      if (le != 0 && le > avail) return sw(static_cast<std::uint16_t>(0x6C00 | avail));
      const std::size_t n = std::min(le == 0 ? std::size_t{256} : le, avail);
      std::vector<std::uint8_t> out(file.begin() + static_cast<std::ptrdiff_t>(offset),
                                    file.begin() + static_cast<std::ptrdiff_t>(offset + n));
      out.push_back(0x90);
      out.push_back(0x00);
      return out;
    }
    case 0x88: {
      if (!m_appSelected || data.size() != reader::kChallengeSize) return sw(0x6A80);
      const auto payload = reader::internalAuthPayload(data);
      auto cose = crypto::coseSign1Sign(payload, m_cardKey, crypto::CoseAlg::ES256, m_cardKey.publicKey().kid());
      if (!cose) return sw(0x6F00);
      m_pending = *cose;
      return sw(static_cast<std::uint16_t>(0x6100 | (m_pending.size() > 255 ? 0 : m_pending.size())));
    }
    case 0xC0: {
      if (m_pending.empty()) return sw(0x6985);
      std::size_t le = apdu.size() == 5 ? apdu[4] : 0;
      if (le == 0) le = 256;
      const std::size_t n = std::min(le, m_pending.size());
      std::vector<std::uint8_t> out(m_pending.begin(), m_pending.begin() + static_cast<std::ptrdiff_t>(n));
      m_pending.erase(m_pending.begin(), m_pending.begin() + static_cast<std::ptrdiff_t>(n));
      const std::size_t rest = m_pending.size();
      out.push_back(rest == 0 ? 0x90 : 0x61);
      out.push_back(rest == 0 ? 0x00 : static_cast<std::uint8_t>(rest > 255 ? 0 : rest));
      return out;
    }
    default:
      return sw(0x6D00);
  }
}

}  // namespace vd::sim
