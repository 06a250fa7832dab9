// vitaledesk-cli fse …
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/atomic_file.hpp"
#include "app/credential_view.hpp"
#include "app/fse_use_case.hpp"
#include "app/use_cases.hpp"
#include "billing/fse/fse_signing.hpp"
#include "billing/tariff/care_line.hpp"
#include "cli/command.hpp"

namespace vd::cli {
namespace {

std::optional<std::string> readFile(const std::string& path, std::size_t limit = 4u << 20) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string s(limit + 1, '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<std::size_t>(in.gcount()));
  if (s.size() > limit) return std::nullopt;
  return s;
}

// The PIN callback: from standard input with --pin-stdin (scripts, tests), else from the
// terminal without echo. The PIN is never written anywhere.
crypto::PinCallback pinCallback(const Invocation& inv) {
  const bool fromStdin = inv.has("pin-stdin");
  return [fromStdin, &inv]() -> std::optional<std::string> {
    std::string pin;
    if (!fromStdin && isatty(STDIN_FILENO)) {
      char* p = getpass(std::string(inv.tr("Code PIN de la carte CPS : ", "CPS card PIN: ")).c_str());
      if (p == nullptr) return std::nullopt;
      pin = p;
      explicit_bzero(p, pin.size());
    } else if (!std::getline(std::cin, pin)) {
      return std::nullopt;
    }
    return pin;
  };
}

std::string money(core::Money m) { return m.toString(); }

void printSummary(std::ostream& o, const billing::Fse& f, const Invocation& inv) {
  o << inv.tr("FSE n° ", "Care sheet no. ") << f.invoiceNumber << inv.tr(" du ", " of ") << f.createdOn.iso() << '\n';
  o << inv.tr("Praticien : ", "Practitioner: ") << f.practitioner.name << " (RPPS " << f.practitioner.rpps << ")\n";
  o << inv.tr("Bénéficiaire : ", "Beneficiary: ") << f.beneficiary.person.birthName << ' '
    << f.beneficiary.person.firstName << '\n';
  for (const auto& l : f.lines) {
    o << "  " << l.date.iso() << "  " << l.code << " x" << l.quantity << "  " << money(l.base) << " EUR  AMO "
      << money(l.amo) << "  AMC " << money(l.amc) << '\n';
  }
  const auto& t = f.totals;
  o << inv.tr("Total ", "Total ") << money(t.base) << " EUR ; AMO " << money(t.amo) << " − PF "
    << money(t.participationForfaitaire) << inv.tr(" − franchises ", " − deductibles ") << money(t.franchise) << " = "
    << money(t.amoOwes) << inv.tr(" payés par l'AMO ; AMC ", " paid by AMO; AMC ") << money(t.amc) << '\n';
  o << inv.tr("À payer par le patient maintenant : ", "Patient pays now: ") << money(t.patientPaysNow) << " EUR\n";
  if (t.participationForfaitaire > core::Money() || t.franchise > core::Money()) {
    o << inv.tr("Plafonds PF et franchises : compteur local de ce poste (les montants retenus ailleurs ne sont "
                "pas connus ; l'Assurance Maladie régularise).",
                "PF and deductible caps: this desk's local counter (amounts withheld elsewhere are not known; "
                "the insurer settles the difference).")
      << '\n';
  }
}

int fseNew(Invocation& inv) {
  const auto practitionerFile = inv.value("practitioner");
  const auto patientFile = inv.value("patient");
  const auto dateText = inv.value("date");
  const std::vector<std::string> acts = inv.values("act");
  if (!practitionerFile || !patientFile || !dateText || acts.empty()) {
    std::string missing;
    for (const auto& [given, name] : {std::pair{practitionerFile.has_value(), "--practitioner"},
                                      {patientFile.has_value(), "--patient"}, {dateText.has_value(), "--date"},
                                      {!acts.empty(), "--act"}})
      if (!given) missing += (missing.empty() ? "" : ", ") + std::string(name);
    return reportError(inv, core::makeError(core::Errc::CliOptionsRequired, {missing, "fse new"}), kUsage);
  }
  auto date = core::Date::parseIso(*dateText);
  if (!date) return reportError(inv, date.error(), kUsage);
  auto catalog = app::loadShippedTariffs();
  if (!catalog) return reportError(inv, catalog.error(), kEnvironment);
  auto practitioner = app::loadPractitioner(*practitionerFile);
  if (!practitioner) return reportError(inv, practitioner.error(), kRejected);
  auto patient = app::loadPatient(*patientFile);
  if (!patient) return reportError(inv, patient.error(), kRejected);
  // The desk bills verified credentials only: a hand-written or refused one is not billed.
  if (patient->verdict != "verified") {
    const std::string stated = patient->verdict.empty() ? "—" : patient->verdict.substr(0, 32);
    return reportError(inv, core::makeError(core::Errc::FsePatientNotVerified, {stated}, "--patient"), kRejected);
  }

  // The --act text is parsed once, here; from now on the lines are typed.
  std::vector<billing::CareLine> lines;
  for (std::size_t i = 0; i < acts.size(); ++i) {
    auto line = billing::parseCareLine(acts[i], static_cast<int>(i + 1));
    if (!line) return reportError(inv, line.error(), kRejected);
    lines.push_back(std::move(*line));
  }
  app::NewFseRequest req{*practitioner, *patient, std::move(lines), *date, localToday(), false, std::nullopt};
  if (const auto acc = inv.value("accident")) {
    auto d = core::Date::parseIso(*acc);
    if (!d) return reportError(inv, d.error(), kUsage);
    req.accident = true;
    req.accidentDate = *d;
  }
  const billing::RegisterLocation registerFile = app::registerLocation(inv.value("register"), inv.value("data-key"));
  // The PF and franchise caps are counted from this register only (local counters).
  auto history = app::loadCapHistory(registerFile, *patient, date->year());
  if (!history) return reportError(inv, history.error(), kEnvironment);
  auto fse = app::buildFse(*catalog, req, **history);
  if (!fse) return reportError(inv, fse.error(), kRejected);
  auto signer = app::openSigner(practitioner->signing, pinCallback(inv));
  if (!signer) return reportError(inv, signer.error(), kEnvironment);
  std::vector<core::Error> problems;
  auto stored = app::signAndStore(std::move(*fse), **signer, registerFile, &problems);
  if (!stored) {
    if (problems.empty()) return reportError(inv, stored.error(), stored.error().code == core::Errc::FseStore || stored.error().code == core::Errc::OutboxKeyFile || stored.error().code == core::Errc::OutboxDiskFull ? kEnvironment : kRejected);
    for (const auto& p : problems) *inv.err << core::describeLine(p, inv.lang) << '\n';
    return kRejected;
  }
  if (const auto out = inv.value("out")) {
    // The signed sheet names the patient: 0600, whole, never through a link.
    if (auto w = app::replaceFileWhole(std::filesystem::path(*out), stored->signedPem, 0600); !w)
      return reportError(inv, w.error(), kEnvironment);
  } else if (!inv.has("json")) {
    *inv.out << stored->signedPem;
  }
  if (inv.has("json")) {
    nlohmann::json j = nlohmann::json::parse(billing::toCanonicalJson(stored->fse));
    *inv.out << j.dump(2) << '\n';
  } else if (inv.value("out")) {
    printSummary(*inv.out, stored->fse, inv);
  }
  return kOk;
}

std::vector<crypto::X509Cert> trustFrom(const Invocation& inv, std::optional<core::Error>& error) {
  std::vector<crypto::X509Cert> anchors;
  if (const auto t = inv.value("trust")) {
    auto cert = crypto::X509Cert::fromPemFile(*t);
    if (!cert) error = cert.error();
    else anchors.push_back(*cert);
  }
  return anchors;
}

int fseVerifyOrShow(Invocation& inv, bool show) {
  const auto text = readFile(inv.positional[0]);
  if (!text) {
    return reportError(
        inv, core::makeError(core::Errc::FileUnreadable, {inv.positional[0], core::frEn("ouverture", "open")}),
        kEnvironment);
  }
  std::optional<core::Error> trustError;
  const auto anchors = trustFrom(inv, trustError);
  if (trustError) return reportError(inv, *trustError, kEnvironment);
  auto verified = billing::verifySignedFse(*text, anchors);
  if (!verified) {
    if (inv.has("json")) {
      const auto m = core::describe(verified.error(), inv.lang);
      *inv.out << nlohmann::json{{"valid", false}, {"error", core::errcId(verified.error().code)},
                                 {"cause", m.cause}, {"action", m.action}}.dump(2)
               << '\n';
      return kRejected;
    }
    return reportError(inv, verified.error(), kRejected);
  }
  // `fse verify` vouches for the signer only against a trust anchor: without --trust a sheet
  // re-signed by any key would pass, so it is reported but not valid (exit 1). `fse show`
  // only displays.
  const bool valid = verified->problems.empty() && (show || verified->chainVerified);
  if (inv.has("json")) {
    nlohmann::json j{{"valid", valid},
                     {"signer", verified->signerSubject},
                     {"chain_verified", verified->chainVerified},
                     {"invoice_number", verified->fse.invoiceNumber}};
    if (show) j["fse"] = nlohmann::json::parse(billing::toCanonicalJson(verified->fse));
    for (const auto& p : verified->problems) j["problems"].push_back(core::describeLine(p, inv.lang));
    *inv.out << j.dump(2) << '\n';
  } else {
    if (show) printSummary(*inv.out, verified->fse, inv);
    *inv.out << inv.tr("Signature valide", "Valid signature") << " (" << verified->signerSubject << ")"
             << (verified->chainVerified ? inv.tr(", certificat reconnu", ", trusted certificate")
                                         : inv.tr(", certificat non vérifié (donnez --trust)",
                                                  ", certificate not checked (give --trust)"))
             << '\n';
    for (const auto& p : verified->problems) *inv.out << core::describeLine(p, inv.lang) << '\n';
  }
  return valid ? kOk : kRejected;
}

}  // namespace

std::vector<OptionSpec> patientOutOptions() {
  return {{"patient-out", "FILE", "when verified, write the patient file of 'fse new --patient' (patient data, 0600)"},
          {"beneficiary", "N", "with --patient-out: the beneficiary (0, the default, is the insured)"}};
}

int writePatientFile(const Invocation& inv, const app::CredentialView& view, core::Date dateOfCare) {
  const auto file = inv.value("patient-out");
  if (!file || view.verdict != app::CredentialVerdict::Verified) return kOk;
  std::size_t index = 0;
  if (const auto n = inv.value("beneficiary")) {
    const auto [end, ec] = std::from_chars(n->data(), n->data() + n->size(), index);
    if (ec != std::errc() || end != n->data() + n->size() || n->empty())
      return reportError(inv, core::makeError(core::Errc::InvalidArgument, {*n}, "--beneficiary"), kUsage);
  }
  auto patient = app::patientContextFor(view, index, dateOfCare);
  if (!patient) return reportError(inv, patient.error(), kRejected);
  // Patient data: readable by its owner only, written whole or not at all.
  if (auto w = app::replaceFileWhole(std::filesystem::path(*file), app::patientToJson(*patient), 0600); !w)
    return reportError(inv, w.error(), kEnvironment);
  return kOk;
}

std::vector<Command> fseCommands() {
  const OptionSpec json{"json", "", "print JSON"};
  const OptionSpec trust{"trust", "CA.pem", "check the signer certificate against this authority"};
  return {
      Command{{"fse", "new"},
              "",
              0,
              0,
              "Price, number, sign and register a care sheet (exit 0 signed and registered, 1 refused "
              "with every reason, 3 key, token or register unavailable).",
              {{"act", "LINE", "a care line, repeatable: G, G:2, MEG, VG:ALD, CIP:<cip13>:<price>:<boxes>:<rate>"},
               {"practitioner", "FILE", "practitioner profile (JSON, docs/formats/fse.md)"},
               {"patient", "FILE", "patient credential (JSON)"},
               {"date", "YYYY-MM-DD", "date of care"},
               {"accident", "YYYY-MM-DD", "care linked to an accident caused by a third party, on that date"},
               {"register", "FILE", "register database (default ~/.local/share/vitaledesk/register.db)"},
               {"data-key", "FILE", "the register's data key (default: the register's path + .key)"},
               {"out", "FILE", "write the signed FSE there and print a summary (default: PEM on stdout)"},
               {"pin-stdin", "", "read the token PIN from standard input"},
               json},
              fseNew},
      Command{{"fse", "show"}, "<FILE>", 1, 1, "Show a signed care sheet (its signature is checked).", {trust, json},
              [](Invocation& inv) { return fseVerifyOrShow(inv, true); }},
      Command{{"fse", "verify"}, "<FILE>", 1, 1,
              "Verify a signed care sheet: signature, canonical form, content; exit 0 valid, 1 refused.", {trust, json},
              [](Invocation& inv) { return fseVerifyOrShow(inv, false); }},
  };
}

}  // namespace vd::cli
