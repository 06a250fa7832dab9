#pragma once
/// \file
/// A valid GP consultation care sheet for the benchmarks (TEST ONLY identities).

#include "billing/fse/fse.hpp"
#include "core/date.hpp"
#include "core/money.hpp"

namespace vd::bench {

inline billing::Fse sampleFse(core::Date dateOfCare = *core::Date::parseIso("2025-01-15"), std::uint64_t number = 1) {
  using core::Money;
  billing::Fse f;
  f.invoiceNumber = number;
  f.createdOn = dateOfCare;
  f.practitioner = {"10099999996", "141999995", "Dr BENCH (TEST ONLY)", "01", 1, false, "cabinet principal"};
  f.insured = {"255081416802538", "TESTVITALE", "CAMILLE", "19550814", 1};
  f.beneficiary = {f.insured, "assure"};
  f.amo = {"01", "141", "0000", ""};
  billing::FseLine l;
  l.date = f.createdOn;
  l.code = "G";
  l.unitAmount = l.base = Money::cents(3000);
  l.amoRate = core::Rate::percent(70);
  l.amo = Money::cents(2100);
  l.patient = Money::cents(900);
  l.participationForfaitaire = Money::cents(200);
  f.lines.push_back(l);
  f.totals = {Money::cents(3000), Money::cents(2100), Money(), Money::cents(900), Money::cents(200), Money(),
              Money::cents(1900), Money::cents(3000)};
  f.software = "VitaleDesk bench";
  return f;
}

}  // namespace vd::bench
