#include "crypto/base45.hpp"

#include <array>

namespace vd::crypto {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

constexpr std::array<std::int8_t, 256> makeReverse() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr std::array<std::int8_t, 256> kReverse = makeReverse();

}  // namespace

std::string base45Encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() / 2 * 3 + 2);
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    unsigned n = bytes[i] * 256u + bytes[i + 1];
    for (int k = 0; k < 3; ++k) {
      out += kAlphabet[n % 45];
      n /= 45;
    }
  }
  if (i < bytes.size()) {
    const unsigned n = bytes[i];
    out += kAlphabet[n % 45];
    out += kAlphabet[n / 45];
  }
  return out;
}

core::Result<std::vector<std::uint8_t>> base45Decode(std::string_view text) {
  if (text.size() % 3 == 1) return core::fail(core::Errc::Base45Length, {std::to_string(text.size())});
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 3 * 2 + 1);
  for (std::size_t i = 0; i < text.size(); i += 3) {
    const std::size_t chunk = std::min<std::size_t>(3, text.size() - i);
    unsigned value = 0;
    unsigned weight = 1;
    for (std::size_t k = 0; k < chunk; ++k) {
      const std::int8_t digit = kReverse[static_cast<unsigned char>(text[i + k])];
      if (digit < 0) return core::fail(core::Errc::Base45Character, {std::to_string(i + k + 1)});
      value += static_cast<unsigned>(digit) * weight;
      weight *= 45;
    }
    if (chunk == 3) {
      if (value > 0xFFFF) return core::fail(core::Errc::Base45Value, {std::to_string(i + 1)});
      out.push_back(static_cast<std::uint8_t>(value >> 8));
      out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    } else {
      if (value > 0xFF) return core::fail(core::Errc::Base45Value, {std::to_string(i + 1)});
      out.push_back(static_cast<std::uint8_t>(value));
    }
  }
  return out;
}

}  // namespace vd::crypto
