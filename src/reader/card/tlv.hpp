#pragma once
/// \file
/// BER-TLV (ISO/IEC 7816-4 §5.2) as used by the simulated Vitale card profile
/// (docs/formats/vitale-card.md): tags of 1 to 3 bytes, definite lengths in short form or
/// 81/82 long form, constructed tags (bit 6 of the first byte) parsed recursively up to a
/// fixed depth. Hostile input: bounds-checked, fuzzed (tests/fuzz/fuzz_card.cpp).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace vd::reader {

struct Tlv {
  std::uint32_t tag = 0;             ///< tag bytes big-endian (0x65, 0x5F24, …)
  std::vector<std::uint8_t> value;   ///< the value bytes (also kept for constructed tags)
  std::vector<Tlv> children;         ///< parsed children of a constructed tag

  bool constructed() const;
  /// First child with `tag`, or nullptr.
  const Tlv* find(std::uint32_t childTag) const;
  std::string text() const { return {value.begin(), value.end()}; }
};

inline constexpr int kTlvMaxDepth = 4;

/// Parses a sequence of TLVs filling `bytes` exactly; 00 and FF padding between objects is
/// skipped. Errors: CardTlvMalformed {reason} with where = "offset N".
core::Result<std::vector<Tlv>> parseTlvs(std::span<const std::uint8_t> bytes, int depth = 0);

/// Appends the encoding of one TLV (tag ≤ 3 bytes, length ≤ 65535) to `out`.
void appendTlv(std::vector<std::uint8_t>& out, std::uint32_t tag, std::span<const std::uint8_t> value);
void appendTlv(std::vector<std::uint8_t>& out, std::uint32_t tag, std::string_view text);

}  // namespace vd::reader
