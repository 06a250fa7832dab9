// libFuzzer target: vpcd entries of reader.conf files and VD_VPCD_PORT (app/vpcd_conf.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/vpcd_conf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto entries = vd::app::parseVpcdConf(text);
  if (entries.size() > 16) __builtin_trap();
  for (const auto& e : entries)
    if (e.port < 1 || e.port > 65534 || e.friendlyName.size() > 128) __builtin_trap();
  if (auto port = vd::app::parseVpcdPort(text); port && (*port < 1 || *port > 65534)) __builtin_trap();
  return 0;
}
