// libFuzzer target: the strict PNG decoder of `token verify --image` (files are hostile).
// Every input is decoded twice: as is, and with each chunk's CRC recomputed, so mutations of
// headers, palettes, interlaced data and filters reach the decoder instead of failing the CRC.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/zlib_codec.hpp"
#include "reader/image/png_decoder.hpp"

namespace {

void decode(std::span<const std::uint8_t> bytes) {
  auto img = vd::reader::image::decodePng(bytes);
  if (img.ok() && img->pixels.size() != static_cast<std::size_t>(img->width) * static_cast<std::size_t>(img->height))
    __builtin_trap();
}

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  decode(std::span<const std::uint8_t>(data, size));
  std::vector<std::uint8_t> fixed(data, data + size);
  std::size_t pos = 8;
  while (fixed.size() >= pos + 12) {
    const std::uint32_t len = be32(fixed.data() + pos);
    if (len > fixed.size() - pos - 12) break;
    const std::uint32_t crc = vd::crypto::crc32(std::span<const std::uint8_t>(fixed).subspan(pos + 4, 4 + std::size_t{len}));
    for (int i = 0; i < 4; ++i) fixed[pos + 8 + len + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
    pos += 12 + std::size_t{len};
  }
  decode(fixed);
  return 0;
}
