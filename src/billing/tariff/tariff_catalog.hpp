#pragma once
/// \file
/// The dated tariff tables shipped in resources/tariffs/ (see docs/tariffs.md), loaded once
/// and looked up by code and date of care. Tables are immutable after load: a catalog may
/// be shared across threads.

#include <filesystem>
#include <string_view>

#include "core/dated_table.hpp"
#include "core/result.hpp"

namespace vd::billing {

class TariffCatalog {
 public:
  /// Reads acts.csv, parameters.csv, medicine_rates.csv and pharmacy_fees.csv from `dir`.
  /// Errors: FileUnreadable (path, reason) or the table's own error with
  /// where = "file:line".
  static core::Result<TariffCatalog> load(const std::filesystem::path& dir);

  /// NGAP acts and majorations (G, GS, VG, MEG, MD, APC, TCG, C, V, …).
  const core::DatedTable& acts() const { return m_acts; }
  /// Participation forfaitaire, franchises, caps, AMO rates.
  const core::DatedTable& parameters() const { return m_parameters; }
  /// Medicine reimbursement classes (MED.100, MED.65, MED.30, MED.15).
  const core::DatedTable& medicineRates() const { return m_medicineRates; }

  /// Pharmacy dispensing fees (honoraires de dispensation: HD.box, HD.prescription, …).
  const core::DatedTable& pharmacyFees() const { return m_pharmacyFees; }

  /// Looks `code` up in acts, parameters, medicine rates, then pharmacy fees.
  core::Result<core::DatedRow> find(std::string_view code, core::Date date) const;
  /// The table that knows `code`, or nullptr.
  const core::DatedTable* tableOf(std::string_view code) const;

 private:
  core::DatedTable m_acts;
  core::DatedTable m_parameters;
  core::DatedTable m_medicineRates;
  core::DatedTable m_pharmacyFees;
};

}  // namespace vd::billing
