// libFuzzer target: the strict PNG decoder of `token verify --image` (files are hostile).
#include <cstddef>
#include <cstdint>
#include <span>

#include "reader/image/png_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto img = vd::reader::image::decodePng(std::span<const std::uint8_t>(data, size));
  if (img.ok() && img->pixels.size() != static_cast<std::size_t>(img->width) * static_cast<std::size_t>(img->height))
    __builtin_trap();
  return 0;
}
