#include "billing/fse/fse_assembly.hpp"

namespace vd::billing {

Fse assembleFse(Fse fse, const CareSheet& sheet, const PricedSheet& priced) {
  fse.lines.clear();
  fse.totals = {};
  // The care lines, then the per-prescription pharmacy fees the engine added (code HD.…).
  for (std::size_t i = 0; i < priced.lines.size() + priced.fees.size(); ++i) {
    const bool fee = i >= priced.lines.size();
    const PricedLine& pl = fee ? priced.fees[i - priced.lines.size()] : priced.lines[i];
    FseLine l;
    l.date = sheet.dateOfCare;
    const CareLine* cl = fee || i >= sheet.lines.size() ? nullptr : &sheet.lines[i];
    l.code = cl && cl->kind == CareLineKind::Medicine && cl->cip ? "CIP:" + cl->cip->digits() + ":" + pl.code : pl.code;
    l.quantity = pl.quantity;
    l.unitAmount = pl.unitAmount;
    l.fee = pl.dispensingFee;
    l.base = pl.amounts.base;
    l.amoRate = pl.amoRate;
    l.amo = pl.amounts.amoShare;
    l.amc = pl.amounts.amcOwes;
    l.patient = l.base - l.amo - l.amc;
    l.participationForfaitaire = pl.amounts.pfDeducted;
    l.franchise = pl.amounts.franchiseDeducted;
    fse.lines.push_back(l);
    fse.totals.base += l.base;
    fse.totals.amo += l.amo;
    fse.totals.amc += l.amc;
    fse.totals.patient += l.patient;
    fse.totals.participationForfaitaire += l.participationForfaitaire;
    fse.totals.franchise += l.franchise;
  }
  fse.totals.amoOwes = fse.totals.amo - fse.totals.participationForfaitaire - fse.totals.franchise;
  fse.totals.patientPaysNow = priced.totals.patientNow;
  return fse;
}

}  // namespace vd::billing
