#pragma once
/// \file
/// One line of a care sheet as the practitioner or the pharmacist enters it: an act code
/// (G, VG, MEG, MD…) or a dispensed medicine (CIP13, unit price, boxes, reimbursement
/// class), and whether the care is related to the patient's ALD (affection de longue durée,
/// long-term illness exempted from the ticket modérateur).
///
/// Also the parser of the one-line text form typed at the desk or sent by a scanner
/// workflow. It depends on core only (no tariff tables), so it is fuzzed on its own
/// (tests/fuzz/fuzz_care_line.cpp).
///
/// Text grammar (fields separated by ':', surrounding blanks ignored, letters case-insensitive,
/// at most kMaxCareLineLength bytes):
///
///     act      = CODE [":" COUNT] [":ALD"]                       e.g. "G", "G:2", "VG:ALD"
///     medicine = "CIP:" CIP13 ":" PRICE ":" BOXES [":" RATE] [":ALD"] [":SPEC"]
///                                                      e.g. "CIP:3400935955838:12.50:2:65"
///     CODE     = 1 to 8 letters or digits (not "CIP")
///     COUNT, BOXES = 1 to 99
///     PRICE    = unit price of one box in euros, at most two decimals ("12.50", "12,5")
///     RATE     = 100 | 65 | 35 | 30 | 15 → reimbursement class MED.<RATE>
///     SPEC     = a "médicament spécifique" (adds the HD.specific fee); the flags ALD and
///                SPEC may come in either order
///
/// A medicine line without RATE parses (the class may be filled in from a medicine
/// database later) but cannot be priced until it has one.

#include <optional>
#include <string>
#include <string_view>

#include "billing/tariff/cip13.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace vd::billing {

/// Longest accepted care-line text, in bytes.
inline constexpr std::size_t kMaxCareLineLength = 96;
/// Largest act count or number of boxes on one line.
inline constexpr int kMaxLineQuantity = 99;

/// Fee: a per-prescription pharmacy fee the pricing engine adds itself (never parsed).
enum class CareLineKind { Act, Medicine, Fee };

struct CareLine {
  CareLineKind kind = CareLineKind::Act;
  std::string code;           ///< act code (acts.csv key); empty for a medicine
  int quantity = 1;           ///< number of acts, or of boxes for a medicine
  std::optional<Cip13> cip;   ///< medicine only
  core::Money unitPrice;      ///< medicine only: price of one box (base de remboursement)
  std::string medicineClass;  ///< medicine only: "MED.65"…; empty when not known yet
  bool aldRelated = false;    ///< care related to the ALD (exonération du ticket modérateur)
  bool specificMedicine = false;  ///< medicine only: "médicament spécifique" (HD.specific fee)

  /// An act line.
  static CareLine act(std::string code, int quantity = 1, bool aldRelated = false);
  /// A medicine line; `rateClass` is the medicine_rates.csv key ("MED.65").
  static CareLine medicine(Cip13 cip, core::Money unitPrice, int boxes, std::string rateClass, bool aldRelated = false);
};

/// One line's fields as a form holds them (the desk's care sheet), before any check: the same
/// rules as the text form apply, field by field, without going through text.
struct CareLineFields {
  CareLineKind kind = CareLineKind::Act;
  std::string_view code;       ///< act code, or the CIP13 of a medicine
  std::string_view quantity;   ///< number of acts or boxes, "1".."99"
  std::string_view unitPrice;  ///< medicine: price of one box ("12.50", "12,5")
  std::string_view rate;       ///< medicine: "100" | "65" | "35" | "30" | "15"; "" = not known yet
  bool ald = false;
  bool specific = false;       ///< medicine only
};

/// Checks a form's fields and makes the typed line. `lineNumber` goes into the errors' `where`.
/// Errors: as parseCareLine.
core::Result<CareLine> careLineFromFields(const CareLineFields& fields, int lineNumber);

/// Parses one care line of the text form above. `lineNumber` (1-based) goes into the
/// error's `where` as "line N". Errors: CareLineSyntax (the field at fault), the Cip13 errors.
/// Pure and bounds-checked: hostile input never reads out of bounds and is never echoed.
core::Result<CareLine> parseCareLine(std::string_view text, int lineNumber);

/// "line N", the `where` of every error about line N of a care sheet.
std::string careLineWhere(int lineNumber);

}  // namespace vd::billing
