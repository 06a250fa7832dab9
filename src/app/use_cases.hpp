#pragma once
/// \file
/// Use cases shared by the desk (src/ui) and the CLI (src/cli). They return plain view
/// models; presentation (wx widgets, terminal text, JSON) is the caller's business.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/tariff/tariff_catalog.hpp"
#include "core/date.hpp"
#include "core/nir.hpp"
#include "core/result.hpp"

namespace vd::app {

struct NirCheck {
  core::Nir nir;
  bool temporary = false;  ///< NIA/NNP (sex digit 7 or 8)
};

/// Validates a NIR typed by a user (spaces allowed).
core::Result<NirCheck> checkNir(std::string_view text);

struct TariffView {
  core::DatedRow current;              ///< the row in force on the asked date
  std::vector<core::DatedRow> history; ///< every period of the code, oldest first
};

/// The tariff of `code` on `date`, with its history.
core::Result<TariffView> showTariff(const billing::TariffCatalog& catalog, std::string_view code,
                                    core::Date date);

/// Loads the catalog from the resources directory (see resources.hpp).
core::Result<billing::TariffCatalog> loadShippedTariffs();

}  // namespace vd::app
