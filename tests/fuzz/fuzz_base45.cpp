// libFuzzer target: Base45 decoding (text typed by QR scanners, hostile) and the round trip.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/base45.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = vd::crypto::base45Decode(text);
  // Base45 is a bijection on valid text: decoding then encoding gives the text back.
  if (decoded.ok() && vd::crypto::base45Encode(*decoded) != text) __builtin_trap();
  // Any bytes encode, and decode back to themselves.
  auto back = vd::crypto::base45Decode(vd::crypto::base45Encode(std::span(data, size)));
  if (!back.ok() || !std::equal(back->begin(), back->end(), data, data + size)) __builtin_trap();
  return 0;
}
