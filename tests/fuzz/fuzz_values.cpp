// libFuzzer target: the small value parsers (dates, birth dates, amounts, rates).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/birth_date.hpp"
#include "core/money.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto d = vd::core::Date::parseIso(text); d.ok() && d->iso() != text) __builtin_trap();
  if (auto b = vd::core::BirthDate::parse(text); b.ok()) {
    (void)b->display();
    (void)b->ageAt(*vd::core::Date::fromYmd(2025, 6, 1));
  }
  if (auto m = vd::core::Money::parse(text); m.ok()) {
    if (vd::core::Money::parse(m->toString())->cents() != m->cents()) __builtin_trap();
  }
  (void)vd::core::Rate::parse(text);
  return 0;
}
