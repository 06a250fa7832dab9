#pragma once
/// \file
/// The FSE (feuille de soins électronique, electronic care sheet) as VitaleDesk's open
/// stand-in format, version "vd-fse/1" (docs/formats/fse.md). It carries the content that
/// CSS art. R161-42 makes mandatory: identification of the insured and of the beneficiary,
/// of the practitioner and of his situation, the date of each act, the codes and cotations,
/// the amounts and what each payer owes, the accident mention, the software, and the
/// invoice number (numéro de facture, unique and increasing per practitioner).
///
/// The canonical form is JSON with sorted keys, no insignificant white space, amounts in
/// integer cents: the same document always gives the same bytes, which are what is signed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace vd::billing {

inline constexpr const char* kFseFormat = "vd-fse/1";

/// The practitioner (professionnel de santé) and his billing situation.
struct FsePractitioner {
  std::string rpps;        ///< 11 digits, Luhn check digit (RPPS, ANS)
  std::string amNumber;    ///< numéro d'identification Assurance Maladie (facturation), 9 digits
  std::string name;
  std::string specialty;   ///< specialty code, 2 digits ("01" general medicine)
  int sector = 1;          ///< convention sector 1 or 2
  bool optam = false;      ///< sector 2 with OPTAM
  std::string situation;   ///< "cabinet principal", "remplaçant", …
};

struct FsePerson {
  std::string nir;         ///< 15 characters with key
  std::string birthName;
  std::string firstName;
  std::string birthDate;   ///< raw YYYYMMDD (may be lunar)
  int birthRank = 1;       ///< rang de naissance (twins: 1, 2)
};

struct FseBeneficiary {
  FsePerson person;
  std::string qualite;     ///< "assuré", "conjoint", "enfant", … (qualité du bénéficiaire)
};

struct FseAmo {
  std::string regime;      ///< "01" régime général
  std::string caisse;      ///< 3 digits
  std::string centre;      ///< 4 digits
  std::string exemption;   ///< "" none, "ald", "maternite", "c2s", "ame"
};

struct FseAmc {
  std::string organisation;  ///< AMC number
  std::string contract;
  bool tiersPayant = false;
};

struct FseLine {
  core::Date date = *core::Date::fromYmd(1970, 1, 1);  ///< date of the act (may differ per line)
  std::string code;           ///< NGAP code, "CIP:<cip13>:<class>", or a per-prescription pharmacy fee ("HD.age")
  int quantity = 1;
  core::Money unitAmount;     ///< tariff (base) per unit
  core::Money fee;            ///< pharmacy dispensing fees for this line (0 for acts)
  core::Money base;           ///< unitAmount × quantity + fee
  core::Rate amoRate = core::Rate::percent(0);
  core::Money amo;            ///< AMO share before deductions
  core::Money amc;
  core::Money patient;        ///< base − amo − amc
  core::Money participationForfaitaire;
  core::Money franchise;
};

struct FseTotals {
  core::Money base, amo, amc, patient, participationForfaitaire, franchise;
  core::Money amoOwes;        ///< amo − PF − franchise
  core::Money patientPaysNow; ///< at the desk, given the tiers-payant flags
};

struct FseAccident {
  bool accident = false;             ///< care linked to an accident caused by a third party
  std::optional<core::Date> date;
};

struct Fse {
  std::string format = kFseFormat;
  std::uint64_t invoiceNumber = 0;
  core::Date createdOn = *core::Date::fromYmd(1970, 1, 1);
  FsePractitioner practitioner;
  FsePerson insured;
  FseBeneficiary beneficiary;
  FseAmo amo;
  std::optional<FseAmc> amc;
  bool tiersPayantAmo = false;
  std::vector<FseLine> lines;
  FseTotals totals;
  FseAccident accident;
  std::string software;        ///< "VitaleDesk <version>"
};

/// Canonical JSON (the bytes that are signed).
std::string toCanonicalJson(const Fse& fse);
/// Parses a canonical (or any equivalent) JSON FSE. Errors: FseMalformed (what is wrong),
/// never an exception; input over 1 MiB is refused.
core::Result<Fse> fseFromJson(std::string_view json);

/// Every problem of `fse`, all at once (empty = valid). Each error is FseInvalid (or a NIR
/// error) with where = the field ("beneficiary.nir", "lines[2].amounts", …).
std::vector<core::Error> validateFse(const Fse& fse);

/// RPPS check digit: Luhn over the 11 digits (ANS, RPPS identifier).
bool isValidRpps(std::string_view rpps);

}  // namespace vd::billing
