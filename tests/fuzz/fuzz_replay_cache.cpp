// libFuzzer target: the ApCV replay cache file (ReplayCache::parseEntries, the format of
// replay_cache.hpp). Shared by processes and left by crashes: a damaged file keeps what it can
// and never crashes the desk.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "reader/apcv/replay_cache.hpp"

using vd::reader::apcv::ReplayCache;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::int64_t kNow = 1'800'000'000;
  std::map<std::string, std::int64_t> entries;
  ReplayCache::parseEntries(text, kNow, entries);
  if (entries.size() > ReplayCache::kMaxEntries) __builtin_trap();
  for (const auto& [id, until] : entries) {
    if (until <= kNow || id.empty() || id.size() > 128) __builtin_trap();  // only unexpired hex ids
    for (char c : id)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) __builtin_trap();
  }
  return 0;
}
