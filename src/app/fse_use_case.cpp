#include "app/fse_use_case.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "billing/outbox/fse_register.hpp"
#include "crypto/digest.hpp"

namespace vd::app {
namespace {

using nlohmann::json;
constexpr std::size_t kMaxInputFile = 1u << 20;

core::Result<std::string> readSmallFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::fail(core::Errc::FileUnreadable, {path.string(), ec.message()});
  if (size > kMaxInputFile) return core::fail(core::Errc::FileUnreadable, {path.string(), "too large"});
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) return core::fail(core::Errc::FileUnreadable, {path.string(), "read"});
  return s.str();
}

// Typed accessors that fail with FseMalformed naming the field.
struct Fields {
  std::optional<std::string> problem;
  std::string str(const json& o, const char* k, bool required = true) {
    if (o.is_object() && o.contains(k) && o.at(k).is_string()) return o.at(k).get<std::string>();
    if (required || (o.is_object() && o.contains(k))) note(k);
    return {};
  }
  bool boolean(const json& o, const char* k) {
    if (!o.is_object() || !o.contains(k)) return false;
    if (!o.at(k).is_boolean()) note(k);
    return o.at(k).is_boolean() && o.at(k).get<bool>();
  }
  int integer(const json& o, const char* k, int dflt) {
    if (!o.is_object() || !o.contains(k)) return dflt;
    if (!o.at(k).is_number_integer()) {
      note(k);
      return dflt;
    }
    return o.at(k).get<int>();
  }
  void note(const char* k) {
    if (!problem) problem = k;
  }
  billing::FsePerson person(const json& o) {
    return billing::FsePerson{str(o, "nir"), str(o, "birth_name"), str(o, "first_name"), str(o, "birth_date"),
                              integer(o, "birth_rank", 1)};
  }
};

}  // namespace

std::string beneficiaryKey(const billing::FsePerson& p) {
  // The cap counters are keyed by a hash, so that they never hold a NIR in clear.
  const auto digest = crypto::sha256("vd-beneficiary/1|" + p.nir + "|" + p.birthDate + "|" + std::to_string(p.birthRank));
  return crypto::toHex(std::span(digest.data(), 12));
}

core::Result<PractitionerProfile> loadPractitioner(const std::filesystem::path& file) {
  auto text = readSmallFile(file);
  if (!text) return core::fail(text.error());
  const json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return core::fail(core::Errc::FseMalformed, {"practitioner JSON"});
  Fields f;
  PractitionerProfile p;
  p.identity.rpps = f.str(doc, "rpps");
  p.identity.amNumber = f.str(doc, "am_number");
  p.identity.name = f.str(doc, "name");
  p.identity.specialty = f.str(doc, "specialty");
  p.identity.sector = f.integer(doc, "sector", 1);
  p.identity.optam = f.boolean(doc, "optam");
  p.identity.situation = f.str(doc, "situation");
  const json signing = doc.contains("signing") ? doc.at("signing") : json::object();
  const std::string kind = f.str(signing, "kind");
  auto resolve = [&](const std::string& rel) {
    const std::filesystem::path q(rel);
    return q.is_absolute() ? q : file.parent_path() / q;
  };
  p.signing.certificate = resolve(f.str(signing, "certificate"));
  if (kind == "key_file") {
    p.signing.kind = SigningConfig::Kind::KeyFile;
    p.signing.keyFile = resolve(f.str(signing, "key_file"));
  } else if (kind == "pkcs11") {
    p.signing.kind = SigningConfig::Kind::Pkcs11;
    p.signing.pkcs11.modulePath = f.str(signing, "module");
    p.signing.pkcs11.keyUri = f.str(signing, "key_uri");
  } else {
    f.note("signing.kind");
  }
  if (f.problem) return core::fail(core::Errc::FseMalformed, {"practitioner: " + *f.problem});
  return p;
}

core::Result<PatientContext> patientFromJson(std::string_view text) {
  if (text.size() > kMaxInputFile) return core::fail(core::Errc::FseMalformed, {"patient: size"});
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return core::fail(core::Errc::FseMalformed, {"patient JSON"});
  Fields f;
  PatientContext p;
  p.insured = f.person(doc.contains("insured") ? doc.at("insured") : json());
  if (doc.contains("beneficiary")) {
    const json& b = doc.at("beneficiary");
    p.beneficiary.person = f.person(b);
    p.beneficiary.qualite = f.str(b, "qualite");
  } else {
    p.beneficiary.person = p.insured;
    p.beneficiary.qualite = "assure";
  }
  const json amo = doc.contains("amo") ? doc.at("amo") : json();
  p.amo.regime = f.str(amo, "regime");
  p.amo.caisse = f.str(amo, "caisse");
  p.amo.centre = f.str(amo, "centre");
  p.amo.exemption = f.str(amo, "exemption", false);
  billing::Coverage& c = p.coverage;
  auto birth = core::BirthDate::parse(p.beneficiary.person.birthDate);
  if (!birth) f.note("beneficiary.birth_date");
  if (birth) c.birthDate = *birth;
  c.beneficiaryKey = beneficiaryKey(p.beneficiary.person);
  c.c2s = p.amo.exemption == "c2s";
  c.ame = p.amo.exemption == "ame";
  if (p.amo.exemption == "maternite") {
    auto from = core::Date::parseIso(f.str(amo, "maternity_from"));
    auto to = core::Date::parseIso(f.str(amo, "maternity_to"));
    if (from && to) c.maternity = billing::DatePeriod{*from, *to};
    else f.note("amo.maternity_from/to");
  }
  c.tiersPayantAmo = f.boolean(doc, "tiers_payant_amo");
  if (doc.contains("amc") && !doc.at("amc").is_null()) {
    const json& a = doc.at("amc");
    p.amc = billing::FseAmc{f.str(a, "organisation"), f.str(a, "contract", false), f.boolean(a, "tiers_payant")};
    c.amcCoversTicketModerateur = f.boolean(a, "covers_ticket_moderateur");
    c.tiersPayantAmc = p.amc->tiersPayant;
  }
  if (f.problem) return core::fail(core::Errc::FseMalformed, {"patient: " + *f.problem});
  return p;
}

core::Result<PatientContext> loadPatient(const std::filesystem::path& file) {
  auto text = readSmallFile(file);
  if (!text) return core::fail(text.error());
  return patientFromJson(*text);
}

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
                                     const std::filesystem::path& registerFile,
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

core::Result<std::unique_ptr<billing::InMemoryCapHistory>> loadCapHistory(const std::filesystem::path& registerFile,
                                                                          const PatientContext& patient, int year) {
  auto reg = billing::FseRegister::open(registerFile);
  if (!reg) return core::fail(reg.error());
  return reg->capHistory(patient.coverage.beneficiaryKey, year);
}

std::filesystem::path defaultRegisterFile() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = xdg && *xdg ? std::filesystem::path(xdg)
                                           : std::filesystem::path(home ? home : ".") / ".local" / "share";
  return base / "vitaledesk" / "register.db";
}

}  // namespace vd::app
