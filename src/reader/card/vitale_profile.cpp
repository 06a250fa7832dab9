#include "reader/card/vitale_profile.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/birth_date.hpp"
#include "core/nir.hpp"
#include "reader/card/tlv.hpp"

namespace vd::reader {
namespace {

core::Failure invalid(std::string field) { return core::fail(core::Errc::CardProfileInvalid, {std::move(field)}); }

std::optional<core::Date> ymd(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  int v[3] = {0, 0, 0};
  const std::size_t widths[3] = {4, 2, 2};
  std::size_t pos = 0;
  for (int k = 0; k < 3; ++k) {
    for (std::size_t j = 0; j < widths[k]; ++j, ++pos) {
      if (s[pos] < '0' || s[pos] > '9') return std::nullopt;
      v[k] = v[k] * 10 + (s[pos] - '0');
    }
  }
  return core::Date::fromYmd(v[0], v[1], v[2]);
}

std::optional<Period> parsePeriod(const Tlv& t) {
  if (t.value.size() != 16) return std::nullopt;
  const std::string s = t.text();
  auto from = ymd(std::string_view(s).substr(0, 8));
  auto to = ymd(std::string_view(s).substr(8, 8));
  if (!from || !to || *to < *from) return std::nullopt;
  return Period{*from, *to};
}

std::string compact(core::Date d) {
  std::string iso = d.iso();
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string periodText(const Period& p) { return compact(p.from) + compact(p.to); }

bool printable(const std::string& s, std::size_t maxLen) {
  if (s.empty() || s.size() > maxLen) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}

core::Result<Beneficiary> parsePerson(const Tlv& p) {
  Beneficiary b;
  const Tlv* nir = p.find(0x93);
  if (nir == nullptr || !core::Nir::parse(nir->text())) return invalid("nir");
  b.nir = nir->text();
  const Tlv* last = p.find(0x80);
  const Tlv* first = p.find(0x81);
  if (last == nullptr || !printable(last->text(), 64)) return invalid("last_name");
  if (first == nullptr || !printable(first->text(), 64)) return invalid("first_name");
  b.lastName = last->text();
  b.firstName = first->text();
  const Tlv* birth = p.find(0x82);
  if (birth == nullptr || !core::BirthDate::parse(birth->text())) return invalid("birth_date");
  b.birthDate = birth->text();
  for (const Tlv& c : p.children) {
    switch (c.tag) {
      case 0x83:
        if (c.value.size() != 1 || c.value[0] == 0 || c.value[0] > 9) return invalid("birth_rank");
        b.birthRank = c.value[0];
        break;
      case 0x84:
        if (c.value.size() != 2 || !std::isdigit(c.value[0]) || !std::isdigit(c.value[1])) return invalid("qualite");
        b.qualite = c.text();
        break;
      case 0x85:
        if (!printable(c.text(), 64)) return invalid("ins_oid");
        b.insOid = c.text();
        break;
      case 0x86: {
        auto period = parsePeriod(c);
        if (!period) return invalid("amo_period");
        b.amoRights.push_back(*period);
        break;
      }
      case 0xA7: {
        const Tlv* kind = c.find(0x80);
        const Tlv* per = c.find(0x81);
        auto period = per != nullptr ? parsePeriod(*per) : std::nullopt;
        if (kind == nullptr || (kind->text() != "ALD" && kind->text() != "MAT") || !period)
          return invalid("exemption");
        b.exemptions.push_back(Exemption{kind->text(), *period});
        break;
      }
      case 0x88: {
        auto period = parsePeriod(c);
        if (!period) return invalid("c2s");
        b.c2s = *period;
        break;
      }
      case 0xA9: {
        const Tlv* org = c.find(0x80);
        const Tlv* contract = c.find(0x81);
        const Tlv* tp = c.find(0x82);
        const Tlv* per = c.find(0x83);
        auto period = per != nullptr ? parsePeriod(*per) : std::nullopt;
        if (org == nullptr || !printable(org->text(), 32) || contract == nullptr ||
            !printable(contract->text(), 32) || tp == nullptr || tp->value.size() != 1 || !period)
          return invalid("amc");
        b.amc = Amc{org->text(), contract->text(), tp->value[0] != 0, *period};
        break;
      }
      default:
        break;  // 93/80/81/82 handled above; unknown tags are ignored (forward compatible)
    }
  }
  return b;
}

}  // namespace

bool isVitaleAtr(std::span<const std::uint8_t> atr) {
  static constexpr std::uint8_t kPrefix[] = {0x3B, 0x75, 0x13, 0x00, 0x00};
  static constexpr std::uint8_t kSuffix[] = {0x09, 0xEA, 0x90, 0x00};
  if (atr.size() != 10) return false;
  for (std::size_t i = 0; i < 5; ++i)
    if (atr[i] != kPrefix[i]) return false;
  if ((atr[5] & 0xF0) != 0x40) return false;
  for (std::size_t i = 0; i < 4; ++i)
    if (atr[6 + i] != kSuffix[i]) return false;
  return true;
}

core::Result<std::vector<DirectoryEntry>> parseDirectory(std::span<const std::uint8_t> bytes) {
  auto bad = [](std::string reason) { return core::fail(core::Errc::CardDirectoryMalformed, {std::move(reason)}); };
  if (bytes.empty() || bytes.size() % 4 != 0) return bad("length");
  if (bytes.size() / 4 > kMaxDirectoryEntries) return bad("too many entries");
  std::vector<DirectoryEntry> out;
  std::set<std::uint16_t> seen;
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    DirectoryEntry e{static_cast<std::uint16_t>((bytes[i] << 8) | bytes[i + 1]),
                     static_cast<std::uint16_t>((bytes[i + 2] << 8) | bytes[i + 3])};
    if (e.size == 0 || e.size > kMaxFileSize) return bad("file size");
    if (e.fid == kFidDirectory || !seen.insert(e.fid).second) return bad("duplicate file");
    out.push_back(e);
  }
  return out;
}

core::Result<std::vector<Beneficiary>> parsePersons(std::span<const std::uint8_t> bytes) {
  auto tlvs = parseTlvs(bytes);
  if (!tlvs) return core::fail(tlvs.error());
  std::vector<Beneficiary> out;
  for (const Tlv& t : *tlvs) {
    if (t.tag != 0x65) continue;
    auto b = parsePerson(t);
    if (!b) return core::fail(b.error());
    out.push_back(std::move(b.value()));
  }
  if (out.empty() || out.size() > 8) return invalid("beneficiaries");
  return out;
}

core::Result<CardInfo> parseCardInfo(std::span<const std::uint8_t> bytes) {
  auto tlvs = parseTlvs(bytes);
  if (!tlvs) return core::fail(tlvs.error());
  if (tlvs->size() != 1 || (*tlvs)[0].tag != 0x61) return invalid("card");
  const Tlv* serial = (*tlvs)[0].find(0xC0);
  const Tlv* key = (*tlvs)[0].find(0xC1);
  if (serial == nullptr || serial->value.size() != 8) return invalid("serial");
  if (key == nullptr || key->value.empty() || key->value.size() > 512) return invalid("card_key");
  CardInfo info{serial->value, key->value, {}, {}, {}};
  if (const Tlv* amo = (*tlvs)[0].find(0xC2)) {
    const auto& v = amo->value;
    if (v.size() != 9 || !std::all_of(v.begin(), v.end(), [](std::uint8_t c) { return c >= '0' && c <= '9'; }))
      return invalid("amo_attachment");
    const std::string digits(v.begin(), v.end());
    info.regime = digits.substr(0, 2);
    info.caisse = digits.substr(2, 3);
    info.centre = digits.substr(5, 4);
  }
  return info;
}

core::Result<std::vector<std::uint8_t>> parseSignatureFile(std::span<const std::uint8_t> bytes) {
  auto tlvs = parseTlvs(bytes);
  if (!tlvs) return core::fail(tlvs.error());
  if (tlvs->size() != 1 || (*tlvs)[0].tag != 0x9E || (*tlvs)[0].value.empty()) return invalid("issuer_signature");
  return (*tlvs)[0].value;
}

std::vector<std::uint8_t> encodePersons(const std::vector<Beneficiary>& persons) {
  std::vector<std::uint8_t> out;
  for (const Beneficiary& b : persons) {
    std::vector<std::uint8_t> v;
    appendTlv(v, 0x93, b.nir);
    appendTlv(v, 0x80, b.lastName);
    appendTlv(v, 0x81, b.firstName);
    appendTlv(v, 0x82, b.birthDate);
    const std::uint8_t rank[] = {static_cast<std::uint8_t>(b.birthRank)};
    appendTlv(v, 0x83, rank);
    if (!b.qualite.empty()) appendTlv(v, 0x84, b.qualite);
    if (!b.insOid.empty()) appendTlv(v, 0x85, b.insOid);
    for (const Period& p : b.amoRights) appendTlv(v, 0x86, periodText(p));
    for (const Exemption& e : b.exemptions) {
      std::vector<std::uint8_t> x;
      appendTlv(x, 0x80, e.kind);
      appendTlv(x, 0x81, periodText(e.period));
      appendTlv(v, 0xA7, x);
    }
    if (b.c2s) appendTlv(v, 0x88, periodText(*b.c2s));
    if (b.amc) {
      std::vector<std::uint8_t> x;
      appendTlv(x, 0x80, b.amc->organisation);
      appendTlv(x, 0x81, b.amc->contract);
      const std::uint8_t tp[] = {static_cast<std::uint8_t>(b.amc->tiersPayant ? 1 : 0)};
      appendTlv(x, 0x82, tp);
      appendTlv(x, 0x83, periodText(b.amc->period));
      appendTlv(v, 0xA9, x);
    }
    appendTlv(out, 0x65, v);
  }
  return out;
}

std::vector<std::uint8_t> encodeCardInfo(const CardInfo& info) {
  std::vector<std::uint8_t> v;
  appendTlv(v, 0xC0, info.serial);
  appendTlv(v, 0xC1, info.publicKey);
  if (!info.regime.empty()) appendTlv(v, 0xC2, info.regime + info.caisse + info.centre);
  std::vector<std::uint8_t> out;
  appendTlv(out, 0x61, v);
  return out;
}

std::vector<std::uint8_t> encodeDirectory(const std::vector<DirectoryEntry>& entries) {
  std::vector<std::uint8_t> out;
  for (const DirectoryEntry& e : entries) {
    out.push_back(static_cast<std::uint8_t>(e.fid >> 8));
    out.push_back(static_cast<std::uint8_t>(e.fid));
    out.push_back(static_cast<std::uint8_t>(e.size >> 8));
    out.push_back(static_cast<std::uint8_t>(e.size));
  }
  return out;
}

std::vector<std::uint8_t> issuerSignedBytes(const std::vector<CardFile>& files) {
  static constexpr std::string_view kMagic = "VDCARD1";
  std::vector<std::uint8_t> out(kMagic.begin(), kMagic.end());
  for (const CardFile& f : files) {
    if (f.fid == kFidDirectory || f.fid == kFidSignature) continue;
    out.push_back(static_cast<std::uint8_t>(f.fid >> 8));
    out.push_back(static_cast<std::uint8_t>(f.fid));
    out.push_back(static_cast<std::uint8_t>(f.content.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(f.content.size()));
    out.insert(out.end(), f.content.begin(), f.content.end());
  }
  return out;
}

std::vector<std::uint8_t> internalAuthPayload(std::span<const std::uint8_t> challenge) {
  static constexpr std::string_view kMagic = "VDIA1";
  std::vector<std::uint8_t> out(kMagic.size() + challenge.size());
  std::copy(kMagic.begin(), kMagic.end(), out.begin());
  std::copy(challenge.begin(), challenge.end(), out.begin() + static_cast<std::ptrdiff_t>(kMagic.size()));
  return out;
}

}  // namespace vd::reader
