#include "app/use_cases.hpp"

#include "app/resources.hpp"

namespace vd::app {

core::Result<NirCheck> checkNir(std::string_view text) {
  auto nir = core::Nir::parse(text);
  if (!nir) return core::fail(nir.error());
  const bool temporary = nir->kind() == core::Nir::Kind::Temporary;
  return NirCheck{std::move(*nir), temporary};
}

core::Result<TariffView> showTariff(const billing::TariffCatalog& catalog, std::string_view code,
                                    core::Date date) {
  auto row = catalog.find(code, date);
  if (!row) return core::fail(row.error());
  const core::DatedTable* table = catalog.tableOf(code);
  return TariffView{std::move(*row), table->history(code)};
}

core::Result<billing::TariffCatalog> loadShippedTariffs() {
  const auto dir = resourcesDir();
  if (!dir) {
    return core::fail(core::Errc::ResourcesMissing);
  }
  return billing::TariffCatalog::load(*dir / "tariffs");
}

}  // namespace vd::app
