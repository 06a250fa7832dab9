#include "reader/image/frame.hpp"

#include <cstring>

namespace vd::reader::image {

core::Result<void> checkFrame(const Frame& f) {
  if (f.data == nullptr || f.width < 1 || f.height < 1 || f.width > kMaxImageSide || f.height > kMaxImageSide ||
      f.stride < f.width || f.stride > 4 * kMaxImageSide)
    return core::fail(core::Errc::ImageMalformed, {"frame"});
  return {};
}

GreyImage copyFrame(const Frame& f) {
  GreyImage img{f.width, f.height, std::vector<std::uint8_t>(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height))};
  for (int y = 0; y < f.height; ++y)
    std::memcpy(img.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(f.width),
                f.data + static_cast<std::size_t>(y) * static_cast<std::size_t>(f.stride), static_cast<std::size_t>(f.width));
  return img;
}

}  // namespace vd::reader::image
