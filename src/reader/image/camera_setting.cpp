#include "reader/image/camera_setting.hpp"

namespace vd::reader::image {

namespace {
constexpr std::size_t kMaxDevicePath = 255;
}

core::Result<CameraSpec> parseCameraSetting(std::string_view text) {
  if (text.empty() || text == "off") return CameraSpec{};
  if (text == "auto") return CameraSpec{CameraSpec::Kind::Auto, {}};
  const auto bad = [&] {
    std::string shown(text.substr(0, 64));  // printable in the message, whatever the bytes
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    return core::fail(core::Errc::CameraSetting, {shown});
  };
  if (text.size() > kMaxDevicePath || text.substr(0, 5) != "/dev/" || text.size() == 5) return bad();
  if (text.find("..") != std::string_view::npos) return bad();
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\'' || c == '!' || c == '\\') return bad();
  }
  return CameraSpec{CameraSpec::Kind::Device, std::string(text)};
}

}  // namespace vd::reader::image
