// libFuzzer target: bounded zlib inflation (QR payloads, hostile: corrupt streams and bombs).
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/zlib_codec.hpp"

namespace {
constexpr std::size_t kLimit = 16 * 1024;  // small, so that bombs are reached quickly
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  auto inflated = vd::crypto::zlibInflate(input, kLimit);
  if (inflated.ok()) {
    if (inflated->size() > kLimit) __builtin_trap();
    auto again = vd::crypto::zlibDeflate(*inflated);
    if (!again.ok()) __builtin_trap();
    auto back = vd::crypto::zlibInflate(*again, kLimit);
    if (!back.ok() || *back != *inflated) __builtin_trap();
  }
  auto dcc = vd::crypto::inflateIfCompressed(input, kLimit);
  if (dcc.ok() && dcc->size() > kLimit) __builtin_trap();
  return 0;
}
