#include "crypto/cbor_value.hpp"

#include <limits>
#include <utility>

#include <cbor.h>

namespace vd::crypto::cbor {

Value Value::integer(std::int64_t v) {
  Value out;
  out.m_kind = Kind::Int;
  out.m_int = v;
  return out;
}

Value Value::bytes(std::span<const std::uint8_t> v) {
  return bytes(std::vector<std::uint8_t>(v.begin(), v.end()));
}

Value Value::bytes(std::vector<std::uint8_t> v) {
  Value out;
  out.m_kind = Kind::Bytes;
  out.m_bytes = std::move(v);
  return out;
}

Value Value::text(std::string v) {
  Value out;
  out.m_kind = Kind::Text;
  out.m_text = std::move(v);
  return out;
}

Value Value::array(std::vector<Value> items) {
  Value out;
  out.m_kind = Kind::Array;
  out.m_items = std::move(items);
  return out;
}

Value Value::map(std::vector<MapEntry> entries) {
  Value out;
  out.m_kind = Kind::Map;
  out.m_entries = std::move(entries);
  return out;
}

Value Value::tagged(std::uint64_t tag, Value content) {
  Value out;
  out.m_kind = Kind::Tag;
  out.m_tag = tag;
  out.m_items.push_back(std::move(content));
  return out;
}

Value Value::boolean(bool v) {
  Value out;
  out.m_kind = Kind::Bool;
  out.m_int = v ? 1 : 0;
  return out;
}

Value Value::null() {
  return Value();
}

Value Value::undefined() {
  Value out;
  out.m_kind = Kind::Undefined;
  return out;
}

Value Value::floating(double v) {
  Value out;
  out.m_kind = Kind::Float;
  out.m_float = v;
  return out;
}

const Value& Value::tagContent() const noexcept {
  static const Value kNull;
  return m_kind == Kind::Tag && !m_items.empty() ? m_items.front() : kNull;
}

const Value* Value::find(std::int64_t key) const noexcept {
  if (m_kind != Kind::Map) return nullptr;
  for (const MapEntry& e : m_entries) {
    if (e.key.m_kind == Kind::Int && e.key.m_int == key) return &e.value;
  }
  return nullptr;
}

const Value* Value::find(std::string_view key) const noexcept {
  if (m_kind != Kind::Map) return nullptr;
  for (const MapEntry& e : m_entries) {
    if (e.key.m_kind == Kind::Text && e.key.m_text == key) return &e.value;
  }
  return nullptr;
}

bool operator==(const Value& a, const Value& b) noexcept {
  if (a.m_kind != b.m_kind) return false;
  switch (a.m_kind) {
    case Value::Kind::Int:
    case Value::Kind::Bool:
      return a.m_int == b.m_int;
    case Value::Kind::Bytes:
      return a.m_bytes == b.m_bytes;
    case Value::Kind::Text:
      return a.m_text == b.m_text;
    case Value::Kind::Array:
      return a.m_items == b.m_items;
    case Value::Kind::Map:
      return a.m_entries == b.m_entries;
    case Value::Kind::Tag:
      return a.m_tag == b.m_tag && a.m_items == b.m_items;
    case Value::Kind::Float:
      return a.m_float == b.m_float;
    case Value::Kind::Null:
    case Value::Kind::Undefined:
      return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Decoding: libcbor's streaming decoder reports one item head at a time and never allocates,
// so the limits are checked before anything is built (a declared length of 2^32 items costs
// nothing). The tree is assembled here on an explicit stack: no recursion on hostile input.

namespace {

struct Frame {
  Value::Kind kind = Value::Kind::Array;
  std::size_t remaining = 0;  // items (array) or entries (map) still expected
  std::uint64_t tag = 0;
  std::vector<Value> items;
  std::vector<MapEntry> entries;
  std::optional<Value> key;
};

class Decoder {
 public:
  Decoder(const Limits& limits, std::size_t inputSize) : m_limits(limits), m_inputSize(inputSize) {}

  core::Result<Value> run(std::span<const std::uint8_t> data);

  // Callback targets.
  void onUnsigned(std::uint64_t v) {
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return malformed(core::frEn("entier hors limites", "integer out of range"));
    scalar(Value::integer(static_cast<std::int64_t>(v)));
  }
  void onNegative(std::uint64_t n) {
    if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return malformed(core::frEn("entier hors limites", "integer out of range"));
    scalar(Value::integer(-1 - static_cast<std::int64_t>(n)));
  }
  void onBytes(const unsigned char* data, std::size_t size) { scalar(Value::bytes(std::span(data, size))); }
  void onText(const unsigned char* data, std::size_t size) {
    scalar(Value::text(std::string(reinterpret_cast<const char*>(data), size)));
  }
  void onIndefinite() { malformed(core::frEn("longueur indéfinie", "indefinite length")); }
  void onArray(std::size_t size) { open(Value::Kind::Array, size, 0); }
  void onMap(std::size_t size) { open(Value::Kind::Map, size, 0); }
  void onTag(std::uint64_t tag) { open(Value::Kind::Tag, 1, tag); }
  void onScalar(Value v) { scalar(std::move(v)); }

 private:
  void malformed(std::string reason) {
    if (!m_error) m_error = core::makeError(core::Errc::CborMalformed, {reason});
  }
  void limit(const std::string& what) {
    if (!m_error) m_error = core::makeError(core::Errc::CborLimit, {what});
  }
  bool countItem() {
    ++m_calls;
    if (++m_items > m_limits.maxItems) {
      limit(core::frEn("éléments > " + std::to_string(m_limits.maxItems),
                       "items > " + std::to_string(m_limits.maxItems)));
      return false;
    }
    return !m_error;
  }
  void scalar(Value v) {
    if (countItem()) complete(std::move(v));
  }
  void open(Value::Kind kind, std::size_t size, std::uint64_t tag);
  void complete(Value v);
  std::size_t decodeTagHead(std::span<const std::uint8_t> data);

  static constexpr int kMajorTag = 6;

  const Limits& m_limits;
  std::size_t m_inputSize;
  std::size_t m_offset = 0;
  std::size_t m_items = 0;
  std::size_t m_calls = 0;
  std::vector<Frame> m_stack;
  std::optional<Value> m_root;
  std::optional<core::Error> m_error;
};

void Decoder::open(Value::Kind kind, std::size_t size, std::uint64_t tag) {
  if (!countItem()) return;
  if (m_stack.size() + 1 > m_limits.maxDepth)
    return limit(core::frEn("profondeur > " + std::to_string(m_limits.maxDepth),
                            "depth > " + std::to_string(m_limits.maxDepth)));
  // Every item takes at least one byte: a length beyond the input left is a lie (or a bomb).
  const std::size_t left = m_inputSize - m_offset;
  const std::size_t perEntry = kind == Value::Kind::Map ? 2 : 1;
  if (size > left / perEntry) return malformed(core::frEn("longueur au-delà des données", "length beyond input"));
  if (size * perEntry > m_limits.maxItems - m_items)
    return limit(core::frEn("éléments > " + std::to_string(m_limits.maxItems),
                            "items > " + std::to_string(m_limits.maxItems)));
  if (size == 0) {
    complete(kind == Value::Kind::Map ? Value::map({}) : Value::array({}));
    return;
  }
  Frame f;
  f.kind = kind;
  f.remaining = size;
  f.tag = tag;
  if (kind == Value::Kind::Array) f.items.reserve(size);
  if (kind == Value::Kind::Map) f.entries.reserve(size);
  m_stack.push_back(std::move(f));
}

void Decoder::complete(Value v) {
  for (;;) {
    if (m_stack.empty()) {
      m_root = std::move(v);
      return;
    }
    Frame& f = m_stack.back();
    if (f.kind == Value::Kind::Tag) {
      v = Value::tagged(f.tag, std::move(v));
    } else if (f.kind == Value::Kind::Array) {
      f.items.push_back(std::move(v));
      if (--f.remaining != 0) return;
      v = Value::array(std::move(f.items));
    } else {
      if (!f.key) {
        f.key = std::move(v);
        return;
      }
      for (const MapEntry& e : f.entries) {
        if (e.key == *f.key) return malformed(core::frEn("clé de table en double", "duplicate map key"));
      }
      f.entries.push_back(MapEntry{std::move(*f.key), std::move(v)});
      f.key.reset();
      if (--f.remaining != 0) return;
      v = Value::map(std::move(f.entries));
    }
    m_stack.pop_back();
  }
}

Decoder& self(void* context) {
  return *static_cast<Decoder*>(context);
}

// libcbor 0.8's streaming decoder refuses the tag numbers it lists as unassigned (6–20), and
// COSE_Sign1 is tag 18: tag heads (major type 6) are therefore decoded here.
std::size_t Decoder::decodeTagHead(std::span<const std::uint8_t> data) {
  const std::uint8_t info = data[0] & 0x1F;
  std::size_t extra = 0;
  if (info < 24) {
    onTag(info);
    return 1;
  }
  switch (info) {
    case 24:
      extra = 1;
      break;
    case 25:
      extra = 2;
      break;
    case 26:
      extra = 4;
      break;
    case 27:
      extra = 8;
      break;
    default:
      malformed(core::frEn("étiquette invalide", "invalid tag head"));
      return 0;
  }
  if (data.size() < 1 + extra) {
    malformed(core::frEn("tronqué", "truncated"));
    return 0;
  }
  std::uint64_t tag = 0;
  for (std::size_t i = 1; i <= extra; ++i) tag = (tag << 8) | data[i];
  onTag(tag);
  return 1 + extra;
}

// clang-format off
const cbor_callbacks kCallbacks = {
    /* uint8 */ [](void* c, std::uint8_t v) { self(c).onUnsigned(v); },
    /* uint16 */ [](void* c, std::uint16_t v) { self(c).onUnsigned(v); },
    /* uint32 */ [](void* c, std::uint32_t v) { self(c).onUnsigned(v); },
    /* uint64 */ [](void* c, std::uint64_t v) { self(c).onUnsigned(v); },
    /* negint64 */ [](void* c, std::uint64_t v) { self(c).onNegative(v); },
    /* negint32 */ [](void* c, std::uint32_t v) { self(c).onNegative(v); },
    /* negint16 */ [](void* c, std::uint16_t v) { self(c).onNegative(v); },
    /* negint8 */ [](void* c, std::uint8_t v) { self(c).onNegative(v); },
    /* byte_string_start (indefinite) */ [](void* c) { self(c).onIndefinite(); },
    /* byte_string */ [](void* c, cbor_data d, std::size_t n) { self(c).onBytes(d, n); },
    /* string */ [](void* c, cbor_data d, std::size_t n) { self(c).onText(d, n); },
    /* string_start (indefinite) */ [](void* c) { self(c).onIndefinite(); },
    /* indef_array_start */ [](void* c) { self(c).onIndefinite(); },
    /* array_start */ [](void* c, std::size_t n) { self(c).onArray(n); },
    /* indef_map_start */ [](void* c) { self(c).onIndefinite(); },
    /* map_start */ [](void* c, std::size_t n) { self(c).onMap(n); },
    /* tag */ [](void* c, std::uint64_t t) { self(c).onTag(t); },
    /* float2 */ [](void* c, float v) { self(c).onScalar(Value::floating(v)); },
    /* float4 */ [](void* c, float v) { self(c).onScalar(Value::floating(v)); },
    /* float8 */ [](void* c, double v) { self(c).onScalar(Value::floating(v)); },
    /* undefined */ [](void* c) { self(c).onScalar(Value::undefined()); },
    /* null */ [](void* c) { self(c).onScalar(Value::null()); },
    /* boolean */ [](void* c, bool v) { self(c).onScalar(Value::boolean(v)); },
    /* indef_break */ [](void* c) { self(c).onIndefinite(); },
};
// clang-format on

core::Result<Value> Decoder::run(std::span<const std::uint8_t> data) {
  while (!m_root && !m_error) {
    if (m_offset >= data.size()) return core::fail(core::Errc::CborMalformed, {core::frEn("tronqué", "truncated")});
    if ((data[m_offset] >> 5) == kMajorTag) {
      const std::size_t read = decodeTagHead(data.subspan(m_offset));
      if (read == 0) break;
      m_offset += read;
      continue;
    }
    const std::size_t callsBefore = m_calls;
    const cbor_decoder_result r = cbor_stream_decode(data.data() + m_offset, data.size() - m_offset, &kCallbacks, this);
    if (r.status == CBOR_DECODER_NEDATA)
      return core::fail(core::Errc::CborMalformed, {core::frEn("tronqué", "truncated")});
    if (r.status != CBOR_DECODER_FINISHED || r.read == 0) {
      return core::fail(core::Errc::CborMalformed, {core::frEn("encodage invalide", "invalid encoding")});
    }
    if (m_error) break;
    // libcbor skips some simple values without a callback; they would shift the structure.
    if (m_calls == callsBefore)
      return core::fail(core::Errc::CborMalformed,
                        {core::frEn("valeur simple non prise en charge", "unsupported simple value")});
    m_offset += r.read;
  }
  if (m_error) return core::fail(*m_error);
  if (m_offset != data.size())
    return core::fail(core::Errc::CborMalformed, {core::frEn("octets en trop à la fin", "trailing bytes")});
  return std::move(*m_root);
}

// ---------------------------------------------------------------------------------------------
// Encoding.

void appendHead(std::vector<std::uint8_t>& out, std::size_t (*encodeFn)(std::uint64_t, unsigned char*, std::size_t),
                std::uint64_t value) {
  unsigned char buffer[9];
  const std::size_t n = encodeFn(value, buffer, sizeof buffer);
  out.insert(out.end(), buffer, buffer + n);
}

std::size_t encodeBytesHead(std::uint64_t n, unsigned char* b, std::size_t s) {
  return cbor_encode_bytestring_start(static_cast<std::size_t>(n), b, s);
}
std::size_t encodeTextHead(std::uint64_t n, unsigned char* b, std::size_t s) {
  return cbor_encode_string_start(static_cast<std::size_t>(n), b, s);
}
std::size_t encodeArrayHead(std::uint64_t n, unsigned char* b, std::size_t s) {
  return cbor_encode_array_start(static_cast<std::size_t>(n), b, s);
}
std::size_t encodeMapHead(std::uint64_t n, unsigned char* b, std::size_t s) {
  return cbor_encode_map_start(static_cast<std::size_t>(n), b, s);
}

void encodeInto(std::vector<std::uint8_t>& out, const Value& v) {
  unsigned char buffer[9];
  switch (v.kind()) {
    case Value::Kind::Int:
      if (v.asInt() >= 0) {
        appendHead(out, cbor_encode_uint, static_cast<std::uint64_t>(v.asInt()));
      } else {
        appendHead(out, cbor_encode_negint, static_cast<std::uint64_t>(-1 - v.asInt()));
      }
      return;
    case Value::Kind::Bytes:
      appendHead(out, encodeBytesHead, v.asBytes().size());
      out.insert(out.end(), v.asBytes().begin(), v.asBytes().end());
      return;
    case Value::Kind::Text:
      appendHead(out, encodeTextHead, v.asText().size());
      out.insert(out.end(), v.asText().begin(), v.asText().end());
      return;
    case Value::Kind::Array:
      appendHead(out, encodeArrayHead, v.items().size());
      for (const Value& item : v.items()) encodeInto(out, item);
      return;
    case Value::Kind::Map:
      appendHead(out, encodeMapHead, v.entries().size());
      for (const MapEntry& e : v.entries()) {
        encodeInto(out, e.key);
        encodeInto(out, e.value);
      }
      return;
    case Value::Kind::Tag:
      appendHead(out, cbor_encode_tag, v.tag());
      encodeInto(out, v.tagContent());
      return;
    case Value::Kind::Bool:
      out.insert(out.end(), buffer, buffer + cbor_encode_bool(v.asBool(), buffer, sizeof buffer));
      return;
    case Value::Kind::Null:
      out.insert(out.end(), buffer, buffer + cbor_encode_null(buffer, sizeof buffer));
      return;
    case Value::Kind::Undefined:
      out.insert(out.end(), buffer, buffer + cbor_encode_undef(buffer, sizeof buffer));
      return;
    case Value::Kind::Float:
      out.insert(out.end(), buffer, buffer + cbor_encode_double(v.asFloat(), buffer, sizeof buffer));
      return;
  }
}

}  // namespace

core::Result<Value> decode(std::span<const std::uint8_t> data, const Limits& limits) {
  if (data.size() > limits.maxInputBytes) {
    return core::fail(core::Errc::CborLimit, {core::frEn("taille > " + std::to_string(limits.maxInputBytes),
                                                         "size > " + std::to_string(limits.maxInputBytes))});
  }
  Decoder decoder(limits, data.size());
  return decoder.run(data);
}

std::vector<std::uint8_t> encode(const Value& value) {
  std::vector<std::uint8_t> out;
  encodeInto(out, value);
  return out;
}

}  // namespace vd::crypto::cbor
