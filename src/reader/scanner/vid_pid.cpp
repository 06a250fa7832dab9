// parseVidPid: the scanner ids of the settings and of `vitaledesk-cli scan --usb VID:PID`
// (apart from usb_scanner_source.cpp so that its fuzz target needs no libusb).
#include <string_view>

#include "reader/scanner/code_source.hpp"

namespace vd::reader::scanner {

std::optional<VidPid> parseVidPid(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 4) return std::nullopt;
  const auto hex = [](std::string_view s) -> std::optional<std::uint16_t> {
    if (s.empty() || s.size() > 4) return std::nullopt;
    unsigned v = 0;
    for (char c : s) {
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    return static_cast<std::uint16_t>(v);
  };
  const auto vendor = hex(text.substr(0, colon));
  if (!vendor) return std::nullopt;
  const std::string_view p = text.substr(colon + 1);
  if (p == "*") return VidPid{*vendor, std::nullopt};
  const auto product = hex(p);
  if (!product) return std::nullopt;
  return VidPid{*vendor, product};
}

}  // namespace vd::reader::scanner
