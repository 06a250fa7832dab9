#pragma once
/// \file
/// A small owned CBOR (RFC 8949) value tree, decoded with libcbor's streaming decoder under
/// explicit limits (input size, nesting depth, item count), and encoded with definite lengths.
/// Enough for COSE structures and token claims: integers (64-bit signed range), byte and
/// text strings, arrays, maps (any key type; int and text keys have look-up helpers), tags,
/// booleans, null, undefined and floats. Indefinite-length items are refused (the ApCV profile
/// and the EU DCC only use definite lengths), as are duplicate map keys, integers outside the
/// int64 range, invalid UTF-8 is *not* checked (text is kept as bytes). libcbor types never
/// appear here. Values are plain data: thread-compatible.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::crypto::cbor {

/// Decoding limits. The defaults fit COSE envelopes and ApCV claims with a wide margin.
struct Limits {
  std::size_t maxInputBytes = 64 * 1024;  ///< larger input: CborLimit
  std::size_t maxDepth = 16;              ///< nesting of arrays, maps and tags; deeper: CborLimit
  std::size_t maxItems = 4096;            ///< every data item, map keys included; more: CborLimit
};

struct MapEntry;

class Value {
 public:
  enum class Kind { Int, Bytes, Text, Array, Map, Tag, Bool, Null, Undefined, Float };

  Value() = default;  ///< null
  static Value integer(std::int64_t v);
  static Value bytes(std::span<const std::uint8_t> v);
  static Value bytes(std::vector<std::uint8_t> v);
  static Value text(std::string v);
  static Value array(std::vector<Value> items);
  static Value map(std::vector<MapEntry> entries);
  static Value tagged(std::uint64_t tag, Value content);
  static Value boolean(bool v);
  static Value null();
  static Value undefined();
  static Value floating(double v);

  Kind kind() const noexcept { return m_kind; }
  bool isInt() const noexcept { return m_kind == Kind::Int; }
  bool isBytes() const noexcept { return m_kind == Kind::Bytes; }
  bool isText() const noexcept { return m_kind == Kind::Text; }
  bool isArray() const noexcept { return m_kind == Kind::Array; }
  bool isMap() const noexcept { return m_kind == Kind::Map; }
  bool isTag() const noexcept { return m_kind == Kind::Tag; }
  bool isBool() const noexcept { return m_kind == Kind::Bool; }
  bool isNull() const noexcept { return m_kind == Kind::Null; }

  /// Accessors: meaningful for the matching kind only; for another kind they return a default
  /// (0, false, empty). Check kind() first.
  std::int64_t asInt() const noexcept { return m_kind == Kind::Int ? m_int : 0; }
  bool asBool() const noexcept { return m_kind == Kind::Bool && m_int != 0; }
  double asFloat() const noexcept { return m_kind == Kind::Float ? m_float : 0.0; }
  const std::vector<std::uint8_t>& asBytes() const noexcept { return m_bytes; }  ///< Bytes
  std::string_view asText() const noexcept { return m_text; }                    ///< Text
  const std::vector<Value>& items() const noexcept { return m_items; }           ///< Array items
  const std::vector<MapEntry>& entries() const noexcept { return m_entries; }    ///< Map entries
  std::uint64_t tag() const noexcept { return m_tag; }                           ///< Tag number
  /// The tagged content (Tag only; null for other kinds).
  const Value& tagContent() const noexcept;

  /// Map look-up by integer or text key; nullptr when absent or not a map.
  const Value* find(std::int64_t key) const noexcept;
  const Value* find(std::string_view key) const noexcept;

  friend bool operator==(const Value& a, const Value& b) noexcept;

 private:
  Kind m_kind = Kind::Null;
  std::int64_t m_int = 0;  // Int, Bool
  double m_float = 0.0;
  std::uint64_t m_tag = 0;
  std::vector<std::uint8_t> m_bytes;
  std::string m_text;
  std::vector<Value> m_items;  // Array items, or the single tagged content
  std::vector<MapEntry> m_entries;
};

struct MapEntry {
  Value key;
  Value value;
  friend bool operator==(const MapEntry& a, const MapEntry& b) noexcept = default;
};

/// Decodes exactly one data item filling `data`. Errors: CborLimit {what} (input size, depth,
/// item count), CborMalformed {reason} (truncated, invalid encoding, trailing bytes,
/// indefinite length, duplicate map key, integer out of range, unsupported simple value).
core::Result<Value> decode(std::span<const std::uint8_t> data, const Limits& limits = {});

/// Encodes with definite lengths, the shortest integer/length heads, map entries in their
/// stored order, floats as 64-bit. Deterministic for a given tree.
std::vector<std::uint8_t> encode(const Value& value);

}  // namespace vd::crypto::cbor
