#include "app/fse_use_case.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "billing/fse/fse_assembly.hpp"
#include "billing/outbox/fse_register.hpp"
#include "crypto/digest.hpp"

namespace vd::app {

core::Result<billing::Fse> buildFse(const billing::TariffCatalog& catalog, const NewFseRequest& request,
                                    const billing::CapHistory& history) {
  const billing::CareSheet sheet{request.dateOfCare, request.practitioner.identity.rpps, request.patient.coverage,
                                 request.careLines};
  const billing::PricingEngine engine(catalog);
  auto priced = engine.price(sheet, history);
  if (!priced) return core::fail(priced.error());
  billing::Fse header;
  header.createdOn = request.today;
  header.practitioner = request.practitioner.identity;
  header.insured = request.patient.insured;
  header.beneficiary = request.patient.beneficiary;
  header.amo = request.patient.amo;
  header.amc = request.patient.amc;
  header.tiersPayantAmo = request.patient.coverage.tiersPayantAmo;
  header.accident = {request.accident, request.accidentDate};
  header.software = std::string("VitaleDesk ") + VD_VERSION;
  return billing::assembleFse(std::move(header), sheet, *priced);
}

core::Result<std::unique_ptr<billing::FseSigner>> openSigner(const SigningConfig& config,
                                                             const crypto::PinCallback& askPin) {
  auto cert = crypto::X509Cert::fromPemFile(config.certificate);
  if (!cert) return core::fail(cert.error());
  auto key = config.kind == SigningConfig::Kind::KeyFile ? crypto::SigningKey::fromPemFile(config.keyFile)
                                                         : crypto::SigningKey::fromPkcs11(config.pkcs11, askPin);
  if (!key) return core::fail(key.error());
  return std::unique_ptr<billing::FseSigner>(new billing::CmsFseSigner(std::move(*key), std::move(*cert)));
}

core::Result<StoredFse> signAndStore(billing::Fse fse, billing::FseSigner& signer,
                                     const billing::RegisterLocation& registerFile,
                                     std::vector<core::Error>* problems) {
  auto reg = billing::FseRegister::open(registerFile);
  if (!reg) return core::fail(reg.error());
  std::string signedPem;
  const auto charges = billing::capChargesOf(fse, beneficiaryKey(fse.beneficiary.person));
  const billing::QueueEntry queue = billing::queueEntryOf(fse);
  auto number = reg->commitNew(
      fse.practitioner.rpps,
      [&](std::uint64_t n) -> core::Result<std::string> {
        fse.invoiceNumber = n;
        auto pem = billing::signFse(fse, signer, problems);
        if (pem) signedPem = *pem;
        return pem;
      },
      charges, queue);
  if (!number) return core::fail(number.error());
  return StoredFse{*number, std::move(signedPem), std::move(fse)};
}

core::Result<std::unique_ptr<billing::InMemoryCapHistory>> loadCapHistory(const billing::RegisterLocation& registerFile,
                                                                          const PatientContext& patient, int year) {
  auto reg = billing::FseRegister::open(registerFile);
  if (!reg) return core::fail(reg.error());
  return reg->capHistory(patient.coverage.beneficiaryKey, year);
}

billing::RegisterLocation registerLocation(const std::optional<std::string>& file,
                                           const std::optional<std::string>& keyFile) {
  return billing::RegisterLocation(file && !file->empty() ? std::filesystem::path(*file) : defaultRegisterFile(),
                                   keyFile && !keyFile->empty() ? std::filesystem::path(*keyFile)
                                                                : std::filesystem::path());
}

std::filesystem::path defaultRegisterFile() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = xdg && *xdg ? std::filesystem::path(xdg)
                                           : std::filesystem::path(home ? home : ".") / ".local" / "share";
  return base / "vitaledesk" / "register.db";
}

}  // namespace vd::app
