#pragma once
/// \file
/// The billing use case shared by the desk and `vitaledesk-cli fse new`: a practitioner, a
/// patient credential and care lines → a priced, validated, numbered and signed FSE stored
/// in the register (docs/formats/fse.md describes the input files and the output).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "billing/fse/fse.hpp"
#include "billing/outbox/data_key.hpp"
#include "billing/fse/fse_signing.hpp"
#include "billing/tariff/pricing.hpp"
#include "billing/tariff/tariff_catalog.hpp"
#include "crypto/cms.hpp"

namespace vd::app {

/// How the practitioner signs.
struct SigningConfig {
  enum class Kind { KeyFile, Pkcs11 } kind = Kind::KeyFile;
  std::filesystem::path keyFile;      ///< KeyFile: PEM private key
  std::filesystem::path certificate;  ///< both: the practitioner's certificate (PEM)
  crypto::Pkcs11KeyConfig pkcs11;     ///< Pkcs11: module and key URI
};

struct PractitionerProfile {
  billing::FsePractitioner identity;
  SigningConfig signing;
};

/// Reads a practitioner file (JSON, docs/formats/fse.md). Relative paths in it are relative
/// to the file. Errors: FileUnreadable, FseMalformed (the field at fault).
core::Result<PractitionerProfile> loadPractitioner(const std::filesystem::path& file);
/// The same from the file's text; relative paths are resolved against `baseDir`.
core::Result<PractitionerProfile> practitionerFromJson(std::string_view json, const std::filesystem::path& baseDir);

/// The patient side of a care sheet, from a patient credential JSON (docs/formats/fse.md §4).
/// `verdict` is the credential's verdict as the file states it ("verified" for a credential
/// the desk verified; empty when absent): `fse new` bills only "verified".
struct PatientContext {
  billing::FsePerson insured;
  billing::FseBeneficiary beneficiary;
  billing::FseAmo amo;
  std::optional<billing::FseAmc> amc;
  billing::Coverage coverage;  ///< beneficiaryKey is pseudonymous (a hash), never the NIR
  std::string verdict;
};

core::Result<PatientContext> loadPatient(const std::filesystem::path& file);
core::Result<PatientContext> patientFromJson(std::string_view json);
/// The patient file of a context: what patientFromJson reads back to the same billing context
/// (`token verify --patient-out` writes it for a verified credential). Holds patient data.
std::string patientToJson(const PatientContext& patient);

struct NewFseRequest {
  PractitionerProfile practitioner;
  PatientContext patient;
  std::vector<billing::CareLine> careLines;  ///< typed lines (the CLI parses its --act text once)
  core::Date dateOfCare;
  core::Date today;
  bool accident = false;
  std::optional<core::Date> accidentDate;
};

/// Prices the care and builds the unsigned FSE (invoice number 0: allocated when stored).
core::Result<billing::Fse> buildFse(const billing::TariffCatalog& catalog, const NewFseRequest& request,
                                    const billing::CapHistory& history);

/// Opens the signing key of the profile (asking for the PIN through `askPin` for a token).
core::Result<std::unique_ptr<billing::FseSigner>> openSigner(const SigningConfig& config,
                                                             const crypto::PinCallback& askPin);

struct StoredFse {
  std::uint64_t invoiceNumber = 0;
  std::string signedPem;
  billing::Fse fse;
};

/// Numbers, signs and stores `fse` in the register at `registerFile`, atomically, with the
/// PF and franchises it deducts added to the beneficiary's local cap counters.
/// `problems` receives every validation problem when the FSE is invalid.
core::Result<StoredFse> signAndStore(billing::Fse fse, billing::FseSigner& signer,
                                     const billing::RegisterLocation& registerFile,
                                     std::vector<core::Error>* problems = nullptr);

/// The beneficiary's local PF/franchise counters for `year`, from the register.
core::Result<std::unique_ptr<billing::InMemoryCapHistory>> loadCapHistory(const billing::RegisterLocation& registerFile,
                                                                          const PatientContext& patient, int year);

/// Pseudonymous key of a beneficiary for the cap counters (a salted hash; never the NIR).
std::string beneficiaryKey(const billing::FsePerson& person);

/// Default register location: $XDG_DATA_HOME/vitaledesk/register.db (or ~/.local/share/…).
std::filesystem::path defaultRegisterFile();
/// The register a command or the desk works on: `file` (else defaultRegisterFile()) and its
/// data key `keyFile` (else `<register>.key`) — `--register`/`--data-key`, `/Outbox/DataKeyFile`.
billing::RegisterLocation registerLocation(const std::optional<std::string>& file,
                                           const std::optional<std::string>& keyFile);

}  // namespace vd::app
