// libFuzzer target: scanner ids "VID:PID" / "VID:*" (parseVidPid), from the settings file and
// the command line. What parses prints back to an equivalent id.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "reader/scanner/code_source.hpp"

namespace sc = vd::reader::scanner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto v = sc::parseVidPid(text);
  if (!v) return 0;
  char buf[16];
  if (v->product) std::snprintf(buf, sizeof buf, "%04x:%04x", v->vendor, *v->product);
  else std::snprintf(buf, sizeof buf, "%04x:*", v->vendor);
  const auto again = sc::parseVidPid(buf);
  if (!again || again->vendor != v->vendor || again->product != v->product) __builtin_trap();
  return 0;
}
