#include "reader/card/tlv.hpp"

#include <string>

namespace vd::reader {
namespace {

core::Failure malformed(std::string reason, std::size_t offset) {
  return core::fail(core::Errc::CardTlvMalformed, {std::move(reason)}, "offset " + std::to_string(offset));
}

std::uint8_t firstTagByte(std::uint32_t tag) {
  while (tag > 0xFF) tag >>= 8;
  return static_cast<std::uint8_t>(tag);
}

}  // namespace

bool Tlv::constructed() const { return (firstTagByte(tag) & 0x20) != 0; }

const Tlv* Tlv::find(std::uint32_t childTag) const {
  for (const Tlv& c : children)
    if (c.tag == childTag) return &c;
  return nullptr;
}

core::Result<std::vector<Tlv>> parseTlvs(std::span<const std::uint8_t> bytes, int depth) {
  if (depth > kTlvMaxDepth) return malformed("too deep", 0);
  std::vector<Tlv> out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (bytes[i] == 0x00 || bytes[i] == 0xFF) {
      ++i;
      continue;
    }
    Tlv t;
    t.tag = bytes[i];
    const std::size_t tagStart = i++;
    if ((t.tag & 0x1F) == 0x1F) {
      for (int n = 0;; ++n) {
        if (n == 2) return malformed("tag too long", tagStart);
        if (i >= bytes.size()) return malformed("truncated tag", tagStart);
        t.tag = (t.tag << 8) | bytes[i];
        if ((bytes[i++] & 0x80) == 0) break;
      }
    }
    if (i >= bytes.size()) return malformed("missing length", tagStart);
    std::size_t len = bytes[i++];
    if (len == 0x81 || len == 0x82) {
      const std::size_t n = len - 0x80;
      if (bytes.size() - i < n) return malformed("truncated length", tagStart);
      len = 0;
      for (std::size_t k = 0; k < n; ++k) len = (len << 8) | bytes[i++];
    } else if (len > 0x80) {
      return malformed("unsupported length", tagStart);
    } else if (len == 0x80) {
      return malformed("indefinite length", tagStart);
    }
    if (bytes.size() - i < len) return malformed("value past the end", tagStart);
    t.value.assign(bytes.begin() + static_cast<std::ptrdiff_t>(i), bytes.begin() + static_cast<std::ptrdiff_t>(i + len));
    if (t.constructed()) {
      auto kids = parseTlvs(t.value, depth + 1);
      if (!kids) return core::fail(kids.error());
      t.children = std::move(kids.value());
    }
    i += len;
    out.push_back(std::move(t));
  }
  return out;
}

void appendTlv(std::vector<std::uint8_t>& out, std::uint32_t tag, std::span<const std::uint8_t> value) {
  if (tag > 0xFFFF) out.push_back(static_cast<std::uint8_t>(tag >> 16));
  if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
  out.push_back(static_cast<std::uint8_t>(tag));
  const std::size_t n = value.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
  }
  out.insert(out.end(), value.begin(), value.end());
}

void appendTlv(std::vector<std::uint8_t>& out, std::uint32_t tag, std::string_view text) {
  appendTlv(out, tag, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace vd::reader
