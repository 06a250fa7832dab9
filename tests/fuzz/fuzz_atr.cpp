// libFuzzer target: ATR parsing (bytes from the card).
#include <cstddef>
#include <cstdint>
#include <span>

#include "reader/pcsc/atr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto atr = vd::reader::parseAtr(std::span(data, size));
  if (atr.ok() && atr->raw.size() != size) __builtin_trap();
  return 0;
}
