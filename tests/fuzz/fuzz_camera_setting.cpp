// libFuzzer target: the camera setting (off, auto or a /dev/ path; a hand-edited configuration
// file). A device accepted must be exactly the input, under /dev/, without anything a pipeline
// description or a message could misread; an error's argument must stay printable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "reader/image/camera_setting.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace image = vd::reader::image;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto spec = image::parseCameraSetting(text);
  if (spec.ok()) {
    if (spec->kind == image::CameraSpec::Kind::Pipeline) __builtin_trap();  // never from a setting
    if (spec->kind == image::CameraSpec::Kind::Device) {
      if (spec->value != text || spec->value.rfind("/dev/", 0) != 0 || spec->value.size() > 255) __builtin_trap();
      for (char c : spec->value)
        if (c == ' ' || c == '!' || c == '"' || c == '\'' || c == '\\' || static_cast<unsigned char>(c) < 0x21 ||
            static_cast<unsigned char>(c) > 0x7e)
          __builtin_trap();
    }
  } else {
    if (spec.error().args.size() != 1 || spec.error().args[0].size() > 64) __builtin_trap();
    for (char c : spec.error().args[0])
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) __builtin_trap();
  }
  return 0;
}
