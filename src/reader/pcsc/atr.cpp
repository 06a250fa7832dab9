#include "reader/pcsc/atr.hpp"

namespace vd::reader {
namespace {
core::Failure bad(std::string_view fr, std::string_view en) {
  return core::fail(core::Errc::InvalidArgument, {core::frEn(fr, en)}, "atr");
}
}  // namespace

core::Result<Atr> parseAtr(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) return bad("ATR trop court", "ATR too short");
  if (bytes.size() > 33) return bad("ATR trop long", "ATR too long");
  Atr atr;
  atr.raw.assign(bytes.begin(), bytes.end());
  if (bytes[0] == 0x3F) {
    atr.directConvention = false;
  } else if (bytes[0] != 0x3B) {
    return bad("octet TS de l'ATR", "ATR TS byte");
  }
  const std::size_t historicalCount = bytes[1] & 0x0F;
  std::size_t pos = 2;
  std::uint8_t y = bytes[1] >> 4;  // presence of TA, TB, TC, TD for interface group 1
  bool anyProtocol = false;
  bool needTck = false;
  for (int group = 1; group <= 8; ++group) {
    for (int bit = 0; bit < 3; ++bit) {  // TA, TB, TC
      if (y & (1u << bit)) {
        if (pos >= bytes.size())
          return bad("ATR tronqué dans les octets d'interface", "ATR truncated in interface bytes");
        ++pos;
      }
    }
    if (!(y & 0x8)) break;  // no TD: last group
    if (pos >= bytes.size()) return bad("ATR tronqué dans les octets d'interface", "ATR truncated in interface bytes");
    const std::uint8_t td = bytes[pos++];
    const int protocol = td & 0x0F;
    anyProtocol = true;
    if (protocol == 0) atr.offersT0 = true;
    if (protocol == 1) atr.offersT1 = true;
    if (protocol != 0) needTck = true;  // ISO 7816-3 §8.2.5: TCK absent only for T=0 alone
    y = td >> 4;
    if (group == 8 && y != 0) return bad("ATR avec trop de groupes d'interface", "ATR has too many interface groups");
  }
  if (!anyProtocol) atr.offersT0 = true;  // no TD1: T=0 implied
  if (pos + historicalCount > bytes.size())
    return bad("ATR tronqué dans les octets historiques", "ATR truncated in historical bytes");
  atr.historical.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                        bytes.begin() + static_cast<std::ptrdiff_t>(pos + historicalCount));
  pos += historicalCount;
  if (needTck) {
    if (pos >= bytes.size()) return bad("octet TCK de l'ATR absent", "ATR missing TCK");
    atr.hasTck = true;
    std::uint8_t x = 0;
    for (std::size_t i = 1; i <= pos; ++i) x ^= bytes[i];
    atr.tckValid = x == 0;
    ++pos;
  }
  if (pos != bytes.size()) return bad("octets en trop après l'ATR", "ATR has trailing bytes");
  // PC/SC Part 3: 3B 8n 80 01 — TD1 = 80 (TD2 follows, T=0 ... ), TD2 = 01 (T=1).
  atr.contactless = bytes.size() >= 4 && bytes[0] == 0x3B && (bytes[1] & 0xF0) == 0x80 &&
                    bytes[2] == 0x80 && bytes[3] == 0x01;
  return atr;
}

}  // namespace vd::reader
