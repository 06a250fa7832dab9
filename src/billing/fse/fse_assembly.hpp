#pragma once
/// \file
/// From a priced care sheet to the unsigned FSE: one line per priced line (the care lines, then
/// the per-prescription pharmacy fees the engine added), the AMO / AMC / patient amounts of each,
/// and the sheet's totals (docs/formats/fse.md §3, docs/pricing.md). Pure: no I/O, no clock.
/// The invoice number stays 0 (allocated when the register stores it, outbox/fse_register.hpp).

#include "billing/fse/fse.hpp"
#include "billing/tariff/pricing.hpp"

namespace vd::billing {

/// The parts of an FSE that do not come from pricing: who, for whom, when, under which flags.
/// `lines` and `totals` of `header` are ignored (they are computed).
Fse assembleFse(Fse header, const CareSheet& sheet, const PricedSheet& priced);

}  // namespace vd::billing
