#pragma once
// A valid FSE for tests: the worked example of the billing issue (adult, G at €30 on
// 2025-01-15, AMO 70 % − €2 PF, AMC pays the ticket modérateur).
#include "billing/fse/fse.hpp"

namespace vd::billing::testing {

inline Fse validFse() {
  using core::Money;
  Fse f;
  f.invoiceNumber = 1;
  f.createdOn = *core::Date::parseIso("2025-01-15");
  f.practitioner = {"10099999996", "141999995", "Dr TEST", "01", 1, false, "cabinet principal"};
  f.insured = {"255081416802538", "TESTVITALE", "CAMILLE", "19550814", 1};
  f.beneficiary = {f.insured, "assure"};
  f.amo = {"01", "141", "0000", ""};
  f.amc = FseAmc{"99999997", "CONTRAT-TEST", false};
  FseLine l;
  l.date = f.createdOn;
  l.code = "G";
  l.quantity = 1;
  l.unitAmount = Money::cents(3000);
  l.base = Money::cents(3000);
  l.amoRate = core::Rate::percent(70);
  l.amo = Money::cents(2100);
  l.amc = Money::cents(900);
  l.patient = Money::cents(0);
  l.participationForfaitaire = Money::cents(200);
  f.lines.push_back(l);
  f.totals = {Money::cents(3000), Money::cents(2100), Money::cents(900), Money::cents(0),
              Money::cents(200),  Money::cents(0),    Money::cents(1900), Money::cents(3000)};
  f.software = "VitaleDesk test";
  return f;
}

}  // namespace vd::billing::testing
