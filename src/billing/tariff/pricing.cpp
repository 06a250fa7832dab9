#include "billing/tariff/pricing.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace vd::billing {
namespace {

using core::DatedRow;
using core::Errc;
using core::Money;
using core::Rate;

// General-practice NGAP codes (docs/tariffs.md). A consultation or visit has exactly one
// reference act; majorations ride on it.
constexpr std::array<std::string_view, 8> kReferenceActs{"G", "GS", "VG", "VGS", "C", "V", "APC", "TCG"};
constexpr std::array<std::string_view, 3> kVisits{"VG", "VGS", "V"};
constexpr std::array<std::string_view, 3> kMajorations{"MEG", "MCG", "MD"};
// MMG is the majoration already inside G/GS/VG/VGS until 2024-12-21 (G = C + MMG): it is
// never billed on a line of its own, before or after its abolition on 2024-12-22.
constexpr std::string_view kIncludedMajoration = "MMG";

/// MEG: "majoration enfant" of the GP, for children from 0 to 6 years: under 6 on the date
/// of care (acts.csv label and sources).
constexpr int kMegAgeLimit = 6;
/// Minors (under 18 on the date of care) are exempt from PF and franchises (CSS art. L160-13).
constexpr int kAdultAge = 18;
/// Exemption from the ticket modérateur (ALD-related care, maternity) and AME: the base is paid in full.
constexpr Rate kFullRate = Rate::percent(100);
/// The reimbursement class of medicines with a low medical benefit (taux de 15 %).
constexpr std::string_view kLowBenefitClass = "MED.15";
/// HD.age: prescriptions for children under 3 or patients aged 70 or more (avenant 11 à la
/// convention pharmaceutique; pharmacy_fees.csv).
constexpr int kHdAgeYoungerThan = 3;
constexpr int kHdAgeFrom = 70;
/// HD.complex: prescriptions of 5 medicine lines or more (pharmacy_fees.csv).
constexpr int kHdComplexLines = 5;

template <std::size_t N>
bool isOneOf(std::string_view code, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), code) != set.end();
}

core::Failure at(core::Error e, int line) {
  e.where = careLineWhere(line);
  return core::fail(std::move(e));
}

core::Failure at(Errc code, std::vector<std::string> args, int line) {
  return core::fail(code, std::move(args), careLineWhere(line));
}

core::Result<DatedRow> lookup(const core::DatedTable& table, std::string_view key, core::Date date, int line) {
  auto row = table.find(key, date);
  if (!row) return at(row.error(), line);
  return row;
}

struct SheetFacts {
  int age = 0;
  bool maternity = false;
  bool exempt = false;    ///< from PF and franchises
  bool ame = false;       ///< aide médicale de l'État: the base is paid in full
  int referenceIndex = -1;
};

/// The compatibility rules of one consultation; `facts.referenceIndex` is set on success.
core::Result<void> checkRules(const CareSheet& sheet, const core::DatedTable& acts, SheetFacts& facts) {
  int mdLine = 0;
  int orphanLine = 0;
  std::string orphanCode;
  bool visit = false;
  for (std::size_t i = 0; i < sheet.lines.size(); ++i) {
    const CareLine& l = sheet.lines[i];
    const int n = static_cast<int>(i) + 1;
    if (l.quantity < 1 || l.quantity > kMaxLineQuantity) return at(Errc::PricingLineValue, {"quantity"}, n);
    if (l.kind == CareLineKind::Medicine) {
      if (l.unitPrice <= Money()) return at(Errc::PricingLineValue, {"price"}, n);
      if (l.medicineClass.empty()) return at(Errc::PricingMedicineClass, {"-"}, n);
      if (l.medicineClass.rfind("MED.", 0) != 0) {
        return at(Errc::PricingMedicineClass, {l.medicineClass.substr(0, 16)}, n);
      }
      continue;
    }
    if (l.code == kIncludedMajoration) return at(Errc::PricingNotBillableAlone, {l.code}, n);
    if (auto row = lookup(acts, l.code, sheet.dateOfCare, n); !row) return core::fail(row.error());
    if (isOneOf(l.code, kReferenceActs)) {
      if (facts.referenceIndex >= 0) {
        const std::string& first = sheet.lines[static_cast<std::size_t>(facts.referenceIndex)].code;
        return at(Errc::PricingTwoReferenceActs, {l.code, first, std::to_string(facts.referenceIndex + 1)}, n);
      }
      if (l.quantity != 1) return at(Errc::PricingTwoReferenceActs, {l.code, l.code, std::to_string(n)}, n);
      facts.referenceIndex = static_cast<int>(i);
      visit = isOneOf(l.code, kVisits);
    } else if (isOneOf(l.code, kMajorations)) {
      if (l.quantity != 1) return at(Errc::PricingLineValue, {"quantity"}, n);
      if (l.code == "MEG" && facts.age >= kMegAgeLimit) return at(Errc::PricingMegAge, {}, n);
      if (l.code == "MD" && mdLine == 0) mdLine = n;
      if (orphanLine == 0) {
        orphanLine = n;
        orphanCode = l.code;
      }
    }
  }
  if (mdLine != 0 && !visit) return at(Errc::PricingMdWithoutVisit, {}, mdLine);
  if (orphanLine != 0 && facts.referenceIndex < 0) {
    return at(Errc::PricingMajorationWithoutAct, {orphanCode}, orphanLine);
  }
  return {};
}

}  // namespace

SplitAmounts& SplitAmounts::operator+=(const SplitAmounts& o) {
  base += o.base;
  amoShare += o.amoShare;
  pfDeducted += o.pfDeducted;
  franchiseDeducted += o.franchiseDeducted;
  amoOwes += o.amoOwes;
  amcOwes += o.amcOwes;
  patientNow += o.patientNow;
  patientFinal += o.patientFinal;
  return *this;
}

PricingEngine::PricingEngine(const core::DatedTable& acts, const core::DatedTable& parameters,
                             const core::DatedTable& medicineRates, const core::DatedTable& pharmacyFees)
    : m_acts(&acts), m_parameters(&parameters), m_medicineRates(&medicineRates), m_pharmacyFees(&pharmacyFees) {}

namespace {

/// Base and AMO share of an act line.
core::Result<PricedLine> priceAct(const CareLine& l, int n, const CareSheet& sheet, const SheetFacts& facts,
                                  const core::DatedTable& acts, const core::DatedTable& params) {
  auto tariff = lookup(acts, l.code, sheet.dateOfCare, n);
  if (!tariff) return core::fail(tariff.error());
  PricedLine p;
  p.line = n;
  p.kind = CareLineKind::Act;
  p.code = l.code;
  p.quantity = l.quantity;
  p.unitAmount = tariff->money();
  p.amounts.base = p.unitAmount * l.quantity;
  if (facts.ame || facts.maternity) {
    p.amoRate = kFullRate;
  } else {
    // ALD-related care: exonération du ticket modérateur (CSS art. L160-14), rate from the table.
    auto rate = lookup(params, l.aldRelated ? "AMO.rate_ald" : "AMO.rate_consultation", sheet.dateOfCare, n);
    if (!rate) return core::fail(rate.error());
    p.amoRate = rate->rate();
  }
  p.amounts.amoShare = p.amounts.base.applyRate(p.amoRate);
  return p;
}

/// Base (boxes + dispensing fees) and AMO share of a medicine line.
core::Result<PricedLine> priceMedicine(const CareLine& l, int n, const CareSheet& sheet, const SheetFacts& facts,
                                       const core::DatedTable& rates, const core::DatedTable& fees) {
  auto rate = rates.find(l.medicineClass, sheet.dateOfCare);
  if (!rate) {
    if (rate.error().code == Errc::TariffUnknownCode) {
      return at(Errc::PricingMedicineClass, {l.medicineClass.substr(0, 16)}, n);
    }
    return at(rate.error(), n);
  }
  PricedLine p;
  p.line = n;
  p.kind = CareLineKind::Medicine;
  p.code = l.medicineClass;
  p.quantity = l.quantity;
  p.unitAmount = l.unitPrice;
  // Honoraire de dispensation per box, when one is in force on the date (from 2015). It is
  // reimbursed at the rate of the medicine it comes with (assumption stated in
  // pharmacy_fees.csv and docs/pricing.md), so it is simply part of the line's base.
  if (auto fee = fees.find("HD.box", sheet.dateOfCare); fee) p.dispensingFee = fee->money() * l.quantity;
  p.amounts.base = l.unitPrice * l.quantity + p.dispensingFee;
  // A medicine with a low medical benefit (15 %, "SMR faible", décret n° 2010-6) stays at
  // 15 % even for ALD-related care and in the maternity window: the exemption from the
  // ticket modérateur does not extend to it (CSS art. R160-8; docs/pricing.md §3 states the
  // sources and what is still to confirm). AME pays the base in full.
  const bool lowBenefit = l.medicineClass == kLowBenefitClass;
  const bool exemptFromTm = facts.ame || (!lowBenefit && (facts.maternity || l.aldRelated));
  p.amoRate = exemptFromTm ? kFullRate : rate->rate();
  p.amounts.amoShare = p.amounts.base.applyRate(p.amoRate);
  return p;
}

/// The per-prescription fees of a pharmacy sheet (honoraires de dispensation à l'ordonnance,
/// pharmacy_fees.csv): HD.prescription for any prescription of reimbursable medicines,
/// HD.age (under 3 or 70 and over), HD.complex (5 medicine lines or more), HD.specific (a
/// médicament spécifique on the prescription), each when in force on the date of care.
/// AMO rate: AMO.rate_pharmacy_fee (70 %), except HD.complex, whose patient participation is
/// suppressed (AMO.rate_hd_complex, 100 %); 100 % under AME, in the maternity window, or when
/// every medicine line is ALD-related (an ALD prescription). No PF, no franchise.
core::Result<std::vector<PricedLine>> prescriptionFees(const CareSheet& sheet, const SheetFacts& facts,
                                                       const core::DatedTable& params,
                                                       const core::DatedTable& fees) {
  std::vector<PricedLine> out;
  int medicines = 0;
  bool allAld = true;
  bool specific = false;
  for (const CareLine& l : sheet.lines) {
    if (l.kind != CareLineKind::Medicine) continue;
    ++medicines;
    allAld = allAld && l.aldRelated;
    specific = specific || l.specificMedicine;
  }
  if (medicines == 0) return out;
  const core::Date date = sheet.dateOfCare;
  const std::pair<std::string_view, bool> wanted[] = {
      {"HD.prescription", true},
      {"HD.age", facts.age < kHdAgeYoungerThan || facts.age >= kHdAgeFrom},
      {"HD.complex", medicines >= kHdComplexLines},
      {"HD.specific", specific},
  };
  for (const auto& [key, applies] : wanted) {
    if (!applies) continue;
    auto fee = fees.find(key, date);
    if (!fee) {
      if (fee.error().code == Errc::TariffNotInForce) continue;  // not yet (or no longer) in force
      return core::fail(fee.error());
    }
    PricedLine p;
    p.kind = CareLineKind::Fee;
    p.code = std::string(key);
    p.unitAmount = fee->money();
    p.amounts.base = p.unitAmount;
    if (facts.ame || facts.maternity || allAld) {
      p.amoRate = kFullRate;
    } else {
      auto rate = params.find(key == "HD.complex" ? "AMO.rate_hd_complex" : "AMO.rate_pharmacy_fee", date);
      if (!rate) return core::fail(rate.error());
      p.amoRate = rate->rate();
    }
    p.amounts.amoShare = p.amounts.base.applyRate(p.amoRate);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

namespace {

/// PF and franchises of one sheet. They are withheld from what the AMO pays, never asked at
/// the desk, and never exceed the AMO share of the line (the insurer recovers any rest on
/// later reimbursements, out of the desk's sight).
class Deductions {
 public:
  Deductions(const CareSheet& sheet, const CapHistory& history, const core::DatedTable& params)
      : m_sheet(sheet), m_history(history), m_params(params) {}

  /// PF: once per consultation, on its reference act (CSS art. L160-13; €1, then €2 from
  /// 2024-05-15 by décret 2024-113), at most PF.cap_day per day and practitioner and
  /// PF.cap_year euros per calendar year, counted locally (cap_counters.hpp).
  core::Result<Money> pf(Money amoShare, int n) const {
    const core::Date date = m_sheet.dateOfCare;
    const std::string& key = m_sheet.coverage.beneficiaryKey;
    auto amount = lookup(m_params, "PF.amount", date, n);
    if (!amount) return core::fail(amount.error());
    auto capDay = lookup(m_params, "PF.cap_day", date, n);
    if (!capDay) return core::fail(capDay.error());
    auto capYear = lookup(m_params, "PF.cap_year", date, n);
    if (!capYear) return core::fail(capYear.error());
    if (m_history.pfCountOnDay(key, m_sheet.practitionerId, date) >= capDay->count()) return Money();
    const Money room = capYear->money() - m_history.pfChargedInYear(key, date.year());
    return core::max(Money(), core::min(core::min(amount->money(), room), amoShare));
  }

  /// Franchise per box (CSS art. L160-13; €0.50, then €1 from 2024-03-31 by décret
  /// 2024-114), at most FRANCHISE.cap_year euros per calendar year, counting the lines
  /// already priced in this sheet.
  core::Result<Money> franchise(int boxes, Money amoShare, int n) {
    const core::Date date = m_sheet.dateOfCare;
    auto perBox = lookup(m_params, "FRANCHISE.box", date, n);
    if (!perBox) return core::fail(perBox.error());
    if (!m_franchiseRoomKnown) {
      auto cap = lookup(m_params, "FRANCHISE.cap_year", date, n);
      if (!cap) return core::fail(cap.error());
      m_franchiseRoom = core::max(
          Money(), cap->money() - m_history.franchiseChargedInYear(m_sheet.coverage.beneficiaryKey, date.year()));
      m_franchiseRoomKnown = true;
    }
    const Money f = core::max(Money(), core::min(core::min(perBox->money() * boxes, m_franchiseRoom), amoShare));
    m_franchiseRoom -= f;
    return f;
  }

 private:
  const CareSheet& m_sheet;
  const CapHistory& m_history;
  const core::DatedTable& m_params;
  Money m_franchiseRoom;  // what is left under the yearly franchise cap, once known
  bool m_franchiseRoomKnown = false;
};

/// Everything that follows from the share and the deductions.
void settle(SplitAmounts& a, const Coverage& cov) {
  a.amoOwes = a.amoShare - a.pfDeducted - a.franchiseDeducted;
  // The AMC pays the ticket modérateur: the complement of the AMO share, before PF and
  // franchises (a contrat responsable may not reimburse them), so base = AMO share + AMC + rest
  // to the cent whatever the rounding of the share.
  // The C2S is a complementary cover: it pays the ticket modérateur, and its beneficiaries
  // advance nothing (CSS art. L861-1 and L861-3).
  a.amcOwes = (cov.amcCoversTicketModerateur || cov.c2s) ? a.base - a.amoShare : Money();
  // At the desk: without tiers payant the patient advances everything and is reimbursed
  // later; with tiers payant a payer pays the practitioner directly, so the patient does not
  // advance that payer's share. The PF and franchises are not asked now either: under tiers
  // payant the insurer recovers them later from the patient (on later reimbursements).
  // The AMO pays the practitioner its whole share (PF and franchises are recovered later, CSS
  // art. L160-13), so a tiers-payant sheet leaves nothing for the patient to pay at the desk.
  const bool tpAmo = cov.tiersPayantAmo || cov.c2s;
  const bool tpAmc = cov.tiersPayantAmc || cov.c2s;
  a.patientNow = a.base - (tpAmo ? a.amoShare : Money()) - (tpAmc ? a.amcOwes : Money());
  a.patientFinal = a.base - a.amoOwes - a.amcOwes;
}

}  // namespace

core::Result<PricedSheet> PricingEngine::price(const CareSheet& sheet, const CapHistory& history) const {
  if (sheet.lines.empty()) return core::fail(Errc::PricingEmptySheet);
  const core::Date date = sheet.dateOfCare;
  const Coverage& cov = sheet.coverage;
  if (!cov.birthDate) return core::fail(Errc::BirthDateFormat, {}, "birth_date");
  SheetFacts facts;
  facts.age = cov.birthDate->ageAt(date);
  facts.maternity = cov.maternity && cov.maternity->covers(date);
  facts.ame = cov.ame;
  // Exempt from PF and franchises: minors, maternity, C2S (CSS art. L160-13) and AME.
  facts.exempt = facts.age < kAdultAge || facts.maternity || cov.c2s || cov.ame;
  if (auto ok = checkRules(sheet, *m_acts, facts); !ok) return core::fail(ok.error());

  PricedSheet out;
  out.pfExempt = facts.exempt;
  out.franchiseExempt = facts.exempt;
  Deductions deductions(sheet, history, *m_parameters);
  for (std::size_t i = 0; i < sheet.lines.size(); ++i) {
    const CareLine& l = sheet.lines[i];
    const int n = static_cast<int>(i) + 1;
    auto priced = l.kind == CareLineKind::Act ? priceAct(l, n, sheet, facts, *m_acts, *m_parameters)
                                              : priceMedicine(l, n, sheet, facts, *m_medicineRates, *m_pharmacyFees);
    if (!priced) return core::fail(priced.error());
    PricedLine p = std::move(*priced);
    SplitAmounts& a = p.amounts;
    if (!facts.exempt && static_cast<int>(i) == facts.referenceIndex) {
      auto pf = deductions.pf(a.amoShare, n);
      if (!pf) return core::fail(pf.error());
      a.pfDeducted = *pf;
    } else if (!facts.exempt && l.kind == CareLineKind::Medicine) {
      auto f = deductions.franchise(l.quantity, a.amoShare, n);
      if (!f) return core::fail(f.error());
      a.franchiseDeducted = *f;
    }
    settle(a, cov);
    out.totals += a;
    out.lines.push_back(std::move(p));
  }
  auto fees = prescriptionFees(sheet, facts, *m_parameters, *m_pharmacyFees);
  if (!fees) return core::fail(fees.error());
  for (PricedLine& f : *fees) {
    settle(f.amounts, cov);
    out.totals += f.amounts;
    out.fees.push_back(std::move(f));
  }
  return out;
}

void recordCharges(const CareSheet& sheet, const PricedSheet& priced, InMemoryCapHistory& history) {
  const std::string& key = sheet.coverage.beneficiaryKey;
  for (const PricedLine& l : priced.lines) {
    if (l.amounts.pfDeducted > Money())
      history.addPf(key, sheet.practitionerId, sheet.dateOfCare, l.amounts.pfDeducted);
  }
  if (priced.totals.franchiseDeducted > Money()) {
    history.addFranchise(key, sheet.dateOfCare, priced.totals.franchiseDeducted);
  }
}

}  // namespace vd::billing
