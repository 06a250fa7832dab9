#pragma once
/// \file
/// Answer To Reset parsing (ISO/IEC 7816-3 §8.2) and what VitaleDesk decides from an ATR:
/// the protocols offered, and contact vs contactless. PC/SC readers synthesise an ATR for
/// contactless ISO 14443-4 cards (PC/SC Part 3, §3.1.3.2.3): `3B 8n 80 01` followed by the
/// historical bytes (type A) or the ATQB application data (type B) and TCK. Reader
/// attributes are unreliable (vpcd has none), so the ATR decides and the reader name is
/// only a hint.
///
/// The ATR comes from the card: hostile input. The parser is bounds-checked and fuzzed.

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace vd::reader {

struct Atr {
  std::vector<std::uint8_t> raw;
  bool directConvention = true;        ///< TS = 3B (3F = inverse)
  bool offersT0 = false;
  bool offersT1 = false;
  std::vector<std::uint8_t> historical;
  bool hasTck = false;
  bool tckValid = true;                 ///< XOR of T0..TCK is zero (when TCK present)
  bool contactless = false;             ///< PC/SC Part 3 synthesised ATR
};

/// Parses 2..33 bytes. Errc::InvalidArgument (where="atr") on a truncated or oversized ATR
/// or a bad TS byte.
core::Result<Atr> parseAtr(std::span<const std::uint8_t> bytes);

}  // namespace vd::reader
