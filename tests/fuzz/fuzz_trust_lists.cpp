// libFuzzer target: the ApCV trust directory's text files (revoked-app-instances.txt,
// trust.json). Installed by an administrator but copied from
// elsewhere: a truncated or hostile file must be refused, never crash the desk.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/trust_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto list = vd::crypto::parseRevocationList(text)) {
    for (const std::string& entry : *list) {
      // Entries are trimmed, comment-free, non-empty and bounded.
      if (entry.empty() || entry.size() > 128 || entry.find('#') != std::string::npos ||
          entry.find('\n') != std::string::npos || entry.front() == ' ' || entry.back() == ' ')
        __builtin_trap();
    }
  }
  if (auto d = vd::crypto::parseIssuedAt(text)) {
    auto again = vd::core::Date::parseIso(d->iso());  // a real calendar date, round trip
    if (!again || *again != *d) __builtin_trap();
  }
  return 0;
}
