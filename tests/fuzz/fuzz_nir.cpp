// libFuzzer target: NIR parsing and key computation (text typed by users, read from cards).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/nir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto nir = vd::core::Nir::parse(text);
  if (nir.ok()) {
    (void)nir->formatted();
    (void)nir->kind();
    if (nir->key() < 1 || nir->key() > 97) __builtin_trap();
  }
  if (size >= 13) (void)vd::core::Nir::computeKey(text.substr(0, 13));
  return 0;
}
