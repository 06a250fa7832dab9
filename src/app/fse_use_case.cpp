#include "app/fse_use_case.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "billing/outbox/fse_register.hpp"
#include "crypto/digest.hpp"

namespace vd::app {

core::Result<billing::Fse> buildFse(const billing::TariffCatalog& catalog, const NewFseRequest& request,
                                    const billing::CapHistory& history) {
  billing::CareSheet sheet{request.dateOfCare, request.practitioner.identity.rpps, request.patient.coverage, {}};
  for (std::size_t i = 0; i < request.careLines.size(); ++i) {
    auto line = billing::parseCareLine(request.careLines[i], static_cast<int>(i + 1));
    if (!line) return core::fail(line.error());
    sheet.lines.push_back(std::move(*line));
  }
  const billing::PricingEngine engine(catalog);
  auto priced = engine.price(sheet, history);
  if (!priced) return core::fail(priced.error());

  billing::Fse fse;
  fse.createdOn = request.today;
  fse.practitioner = request.practitioner.identity;
  fse.insured = request.patient.insured;
  fse.beneficiary = request.patient.beneficiary;
  fse.amo = request.patient.amo;
  fse.amc = request.patient.amc;
  fse.tiersPayantAmo = request.patient.coverage.tiersPayantAmo;
  fse.accident = {request.accident, request.accidentDate};
  fse.software = std::string("VitaleDesk ") + VD_VERSION;
  // The care lines, then the per-prescription pharmacy fees the engine added (code HD.…).
  for (std::size_t i = 0; i < priced->lines.size() + priced->fees.size(); ++i) {
    const bool fee = i >= priced->lines.size();
    const billing::PricedLine& pl = fee ? priced->fees[i - priced->lines.size()] : priced->lines[i];
    billing::FseLine l;
    l.date = request.dateOfCare;
    const billing::CareLine* cl = fee ? nullptr : &sheet.lines[i];
    l.code = cl && cl->kind == billing::CareLineKind::Medicine && cl->cip ? "CIP:" + cl->cip->digits() + ":" + pl.code
                                                                          : pl.code;
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
  fse.totals.patientPaysNow = priced->totals.patientNow;
  return fse;
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
  billing::CapCharge charge{beneficiaryKey(fse.beneficiary.person), fse.practitioner.rpps, fse.createdOn, {}, 0, {}};
  for (const auto& l : fse.lines) {
    charge.day = l.date;
    charge.pf += l.participationForfaitaire;
    charge.pfCount += l.participationForfaitaire > core::Money() ? 1 : 0;
    charge.franchise += l.franchise;
  }
  std::vector<billing::CapCharge> charges;
  if (charge.pfCount > 0 || charge.franchise > core::Money()) charges.push_back(charge);
  // The sheet enters the outbox (pending) in the same transaction; its R161-47 deadline runs
  // from the earliest act, 8 working days under tiers payant (AMO), 3 otherwise.
  billing::QueueEntry queue;
  queue.careDate = fse.createdOn;
  for (const auto& l : fse.lines) queue.careDate = std::min(*queue.careDate, l.date);
  queue.tiersPayant = fse.tiersPayantAmo;
  queue.destination = fse.amo.regime + fse.amo.caisse;
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
