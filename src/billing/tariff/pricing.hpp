#pragma once
/// \file
/// The pricing engine: prices a care sheet at the date of care from the dated tariff tables
/// and splits every line between AMO (assurance maladie obligatoire, the base scheme), AMC
/// (assurance maladie complémentaire, the complementary insurer) and the patient.
/// How and why, with a worked example: docs/pricing.md.
///
/// Vocabulary (French domain words kept as they are):
/// - ticket modérateur (TM): the part of the base the AMO does not pay (30 % of a consultation);
/// - participation forfaitaire (PF): flat amount per consultation/act, CSS art. L160-13;
/// - franchise médicale: flat amount per medicine box, CSS art. L160-13;
/// - ALD: affection de longue durée, care related to it is exempt from the TM (not from PF
///   or franchises); C2S: complémentaire santé solidaire; AME: aide médicale de l'État;
/// - tiers payant: the payer pays the practitioner directly, the patient does not advance it.
///
/// Pure computation: no I/O, no clock. An engine only reads its tables and may be shared
/// across threads when the tables are.

#include <optional>
#include <string>
#include <vector>

#include "billing/tariff/cap_counters.hpp"
#include "billing/tariff/care_line.hpp"
#include "billing/tariff/tariff_catalog.hpp"
#include "core/birth_date.hpp"
#include "core/date.hpp"
#include "core/dated_table.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace vd::billing {

/// An inclusive period of dates.
struct DatePeriod {
  core::Date from;
  core::Date to;  ///< last day, inclusive
  bool covers(core::Date d) const { return from <= d && d <= to; }
};

/// The beneficiary's rights that matter for the split, as known on the date of care
/// (from the card, the ApCV or the rights service).
struct Coverage {
  std::string beneficiaryKey = {};  ///< pseudonymous key for the cap counters, never a NIR in clear
  /// May be lunar (ageAt handles it). Required: pricing fails with BirthDateFormat without it.
  std::optional<core::BirthDate> birthDate = std::nullopt;
  bool c2s = false;  ///< complémentaire santé solidaire
  bool ame = false;  ///< aide médicale de l'État
  /// Maternity insurance window (from the 6th month of pregnancy to 12 days after birth),
  /// when the rights carry one.
  std::optional<DatePeriod> maternity = std::nullopt;
  bool amcCoversTicketModerateur = false;  ///< the AMC contract pays the TM
  bool tiersPayantAmo = false;             ///< the AMO share is paid to the practitioner directly
  bool tiersPayantAmc = false;             ///< the AMC share is paid to the practitioner directly
};

/// What is priced: one consultation (at most one reference act) and/or dispensed medicines.
struct CareSheet {
  core::Date dateOfCare;
  std::string practitionerId = {};  ///< for the PF daily cap (per practitioner)
  Coverage coverage = {};
  std::vector<CareLine> lines = {};
};

/// The amounts of one line, or of a whole sheet. Invariants (to the cent):
/// amoOwes = amoShare − pfDeducted − franchiseDeducted;
/// patientFinal = base − amoOwes − amcOwes = (base − amoShare − amcOwes) + pf + franchise.
struct SplitAmounts {
  core::Money base;               ///< tariff × quantity (+ dispensing fees): the base de remboursement
  core::Money amoShare;           ///< base × AMO rate (before PF and franchises)
  core::Money pfDeducted;         ///< participation forfaitaire withheld from the AMO share
  core::Money franchiseDeducted;  ///< franchises withheld from the AMO share
  core::Money amoOwes;            ///< what the AMO finally pays: share − PF − franchises
  core::Money amcOwes;            ///< what the AMC pays (the TM when the contract covers it)
  core::Money patientNow;         ///< what the patient pays at the desk today
  core::Money patientFinal;       ///< the patient's final cost once everyone has settled

  SplitAmounts& operator+=(const SplitAmounts& o);
  friend bool operator==(const SplitAmounts&, const SplitAmounts&) = default;
};

struct PricedLine {
  int line = 0;  ///< 1-based position in the care sheet
  CareLineKind kind = CareLineKind::Act;
  std::string code;  ///< act code, or the medicine class ("MED.65")
  int quantity = 1;
  core::Money unitAmount;     ///< tariff of one act, or price of one box
  core::Money dispensingFee;  ///< HD.box × boxes (medicines; included in amounts.base)
  core::Rate amoRate = core::Rate::percent(0);
  SplitAmounts amounts;
};

struct PricedSheet {
  std::vector<PricedLine> lines;  ///< same order as the care sheet
  /// Per-prescription pharmacy fees the engine adds when the sheet dispenses medicines
  /// (kind Fee, line 0, code HD.prescription / HD.age / HD.complex / HD.specific;
  /// docs/pricing.md §3). They carry no PF and no franchise.
  std::vector<PricedLine> fees;
  SplitAmounts totals;            ///< sums of the lines and the fees
  bool pfExempt = false;          ///< minor, maternity, C2S or AME on the date of care
  bool franchiseExempt = false;   ///< same exemptions
};

class PricingEngine {
 public:
  /// The tables must outlive the engine.
  PricingEngine(const core::DatedTable& acts, const core::DatedTable& parameters, const core::DatedTable& medicineRates,
                const core::DatedTable& pharmacyFees);
  /// Uses the catalog's tables; the catalog must outlive the engine.
  explicit PricingEngine(const TariffCatalog& catalog)
      : PricingEngine(catalog.acts(), catalog.parameters(), catalog.medicineRates(), catalog.pharmacyFees()) {}

  /// Prices `sheet` at its date of care, reading the caps' past charges from `history`
  /// (never writing them: record the result with recordCharges once the FSE is committed).
  /// Errors name the line (where = "line N"): TariffUnknownCode, TariffNotInForce,
  /// BirthDateFormat (no birth date in the coverage), PricingEmptySheet, PricingLineValue, PricingNotBillableAlone,
  /// PricingMajorationWithoutAct, PricingMdWithoutVisit, PricingTwoReferenceActs, PricingMegAge, PricingMedicineClass.
  core::Result<PricedSheet> price(const CareSheet& sheet, const CapHistory& history) const;

 private:
  const core::DatedTable* m_acts;
  const core::DatedTable* m_parameters;
  const core::DatedTable* m_medicineRates;
  const core::DatedTable* m_pharmacyFees;
};

/// Adds the PF and franchises of a priced sheet to local counters.
void recordCharges(const CareSheet& sheet, const PricedSheet& priced, InMemoryCapHistory& history);

}  // namespace vd::billing
