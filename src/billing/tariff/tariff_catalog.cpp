#include "billing/tariff/tariff_catalog.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vd::billing {
namespace {

constexpr std::uintmax_t kMaxTableBytes = 8u << 20;

core::Result<core::DatedTable> loadTable(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {path.string(), core::errnoName(ec.value())});
  if (size > kMaxTableBytes)
    return core::fail(core::Errc::FileUnreadable, {path.string(), core::frEn("trop gros", "too large")});
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::fail(core::Errc::FileUnreadable, {path.string(), core::errnoName(errno)});
  std::ostringstream text;
  text << in.rdbuf();
  return core::DatedTable::parse(text.str(), path.filename().string());
}

}  // namespace

core::Result<TariffCatalog> TariffCatalog::load(const std::filesystem::path& dir) {
  TariffCatalog c;
  auto acts = loadTable(dir / "acts.csv");
  if (!acts) return core::fail(acts.error());
  auto params = loadTable(dir / "parameters.csv");
  if (!params) return core::fail(params.error());
  auto rates = loadTable(dir / "medicine_rates.csv");
  if (!rates) return core::fail(rates.error());
  auto fees = loadTable(dir / "pharmacy_fees.csv");
  if (!fees) return core::fail(fees.error());
  c.m_acts = std::move(*acts);
  c.m_parameters = std::move(*params);
  c.m_medicineRates = std::move(*rates);
  c.m_pharmacyFees = std::move(*fees);
  return c;
}

const core::DatedTable* TariffCatalog::tableOf(std::string_view code) const {
  for (const core::DatedTable* t : {&m_acts, &m_parameters, &m_medicineRates, &m_pharmacyFees}) {
    if (t->contains(code)) return t;
  }
  return nullptr;
}

core::Result<core::DatedRow> TariffCatalog::find(std::string_view code, core::Date date) const {
  const core::DatedTable* t = tableOf(code);
  if (t == nullptr) return core::fail(core::Errc::TariffUnknownCode, {std::string(code.substr(0, 32))});
  return t->find(code, date);
}

}  // namespace vd::billing
