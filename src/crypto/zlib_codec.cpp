#include "crypto/zlib_codec.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <memory>
#include <zlib.h>

namespace vd::crypto {
namespace {

constexpr std::uint8_t kZlibHeaderByte = 0x78;  // CMF: deflate, 32 KiB window
constexpr std::size_t kChunk = 16 * 1024;

struct InflateStream {
  z_stream s{};
  bool initialised = false;
  InflateStream() = default;
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
  ~InflateStream() {
    if (initialised) inflateEnd(&s);
  }
};

}  // namespace

core::Result<std::vector<std::uint8_t>> zlibInflate(std::span<const std::uint8_t> compressed, std::size_t maxOutput) {
  if (compressed.size() > UINT_MAX)
    return core::fail(core::Errc::ZlibMalformed, {core::frEn("entrée trop grande", "input too large")});
  InflateStream z;
  if (inflateInit(&z.s) != Z_OK) return core::fail(core::Errc::Internal, {"zlib.inflate_init"});
  z.initialised = true;
  z.s.next_in = const_cast<Bytef*>(compressed.data());  // zlib's API is not const-correct
  z.s.avail_in = static_cast<uInt>(compressed.size());

  std::vector<std::uint8_t> out;
  std::array<std::uint8_t, kChunk> buffer{};
  for (;;) {
    z.s.next_out = buffer.data();
    z.s.avail_out = static_cast<uInt>(buffer.size());
    const int rc = inflate(&z.s, Z_NO_FLUSH);
    const std::size_t produced = buffer.size() - z.s.avail_out;
    if (produced > maxOutput - out.size()) {
      return core::fail(core::Errc::ZlibTooLarge, {std::to_string(maxOutput)});
    }
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(produced));
    if (rc == Z_STREAM_END) break;
    if (rc == Z_NEED_DICT)
      return core::fail(core::Errc::ZlibMalformed, {core::frEn("dictionnaire prédéfini", "preset dictionary")});
    if (rc == Z_DATA_ERROR)
      return core::fail(core::Errc::ZlibMalformed, {core::frEn("données corrompues", "corrupt data")});
    if (rc == Z_MEM_ERROR) return core::fail(core::Errc::Internal, {"zlib.inflate_memory"});
    // Z_OK or Z_BUF_ERROR: no progress possible once the input is used up and the output
    // buffer was not filled — the stream is truncated.
    if ((z.s.avail_in == 0 && z.s.avail_out != 0) || (rc == Z_BUF_ERROR && produced == 0))
      return core::fail(core::Errc::ZlibMalformed, {core::frEn("tronqué", "truncated")});
  }
  if (z.s.avail_in != 0)
    return core::fail(core::Errc::ZlibMalformed,
                      {core::frEn("données après la fin du flux", "data after end of stream")});
  return out;
}

core::Result<std::vector<std::uint8_t>> inflateIfCompressed(std::span<const std::uint8_t> data, std::size_t maxOutput) {
  if (!data.empty() && data[0] == kZlibHeaderByte) return zlibInflate(data, maxOutput);
  if (data.size() > maxOutput) return core::fail(core::Errc::ZlibTooLarge, {std::to_string(maxOutput)});
  return std::vector<std::uint8_t>(data.begin(), data.end());
}

core::Result<std::vector<std::uint8_t>> zlibDeflate(std::span<const std::uint8_t> data, int level) {
  if (level < 0 || level > 9) return core::fail(core::Errc::InvalidArgument, {"zlib.level"});
  if (data.size() > UINT_MAX / 2) return core::fail(core::Errc::InvalidArgument, {"zlib.input_size"});
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::vector<std::uint8_t> out(size);
  if (compress2(out.data(), &size, data.data(), static_cast<uLong>(data.size()), level) != Z_OK) {
    return core::fail(core::Errc::Internal, {"compress2"});
  }
  out.resize(size);
  return out;
}

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  uLong c = ::crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed large inputs in pieces.
  while (!data.empty()) {
    const auto n = static_cast<uInt>(std::min<std::size_t>(data.size(), 1u << 30));
    c = ::crc32(c, data.data(), n);
    data = data.subspan(n);
  }
  return static_cast<std::uint32_t>(c);
}

}  // namespace vd::crypto
