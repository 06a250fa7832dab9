// libFuzzer target: the FSE JSON parser and validator (signed files come from disk and from
// other desks; the content is parsed only after its signature verified, but stays hostile).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billing/fse/fse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fse = vd::billing::fseFromJson(text);
  if (fse.ok()) {
    (void)vd::billing::validateFse(*fse);
    // The canonical form of a parsed document parses back to the same canonical form.
    const std::string canonical = vd::billing::toCanonicalJson(*fse);
    auto again = vd::billing::fseFromJson(canonical);
    if (!again.ok() || vd::billing::toCanonicalJson(*again) != canonical) __builtin_trap();
  }
  return 0;
}
