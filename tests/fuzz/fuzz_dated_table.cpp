// libFuzzer target: the dated-table CSV parser (tariff files may be edited by hand).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/dated_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto table = vd::core::DatedTable::parse(text, "fuzz.csv");
  if (table.ok()) {
    const auto day = *vd::core::Date::fromYmd(2025, 1, 15);
    for (const auto& key : table->keys()) {
      auto row = table->find(key, day);
      if (row.ok() && !row->covers(day)) __builtin_trap();
      (void)table->history(key);
    }
  }
  return 0;
}
