// vitaledesk-cli nfc read: the appli carte Vitale of a phone tapped on the contactless reader,
// through the same verifier and JSON as `token verify` (docs/formats/apcv-nfc.md).
#include <nlohmann/json.hpp>

#include "app/credential_view.hpp"
#include "app/nfc_use_case.hpp"
#include "cli/apcv_output.hpp"
#include "cli/command.hpp"
#include "app/local_time.hpp"

namespace vd::cli {
namespace {

namespace apcv = reader::apcv;

// Errors that refuse what was presented (no HCE service, a non-conforming answer): shown as
// a refused verdict with the reason, like a malformed QR text.
bool refusesPresentation(const core::Error& e) {
  return e.code == core::Errc::NfcServiceAbsent || e.code == core::Errc::NfcAnswerMalformed ||
         e.code == core::Errc::NfcAnswerTooLong || e.code == core::Errc::ApcvFormatOutdated;
}

int nfcRead(Invocation& inv) {
  const bool json = inv.has("json");
  app::NfcReadRequest req;
  req.reader = inv.value("reader");
  req.trustDir = trustDirOption(inv);
  if (req.trustDir.empty()) {
    *inv.err << inv.tr("Indiquez le dossier de confiance (--trust DIR ou VITALEDESK_TRUST_DIR).\n",
                       "Give the trust directory (--trust DIR or VITALEDESK_TRUST_DIR).\n");
    return kUsage;
  }
  if (auto at = inv.value("at")) {
    req.at = parseIsoTime(*at);
    if (!req.at) return reportError(inv, core::makeError(core::Errc::InvalidArgument, {"--at " + *at}), kUsage);
  }
  if (!waitMsOption(inv, req.waitMs)) return kUsage;
  req.replayCache = inv.has("replay-cache") ? std::filesystem::path(*inv.value("replay-cache")) : defaultReplayCache();

  auto result = app::readPhoneNfc(req);
  if (!result) {
    const core::Error& e = result.error();
    if (refusesPresentation(e)) {
      const nlohmann::json j{{"verdict", "refused"}, {"reasons", reasonsJson(inv, {e})}};
      if (json) *inv.out << j.dump(2) << '\n';
      else reportError(inv, e, kRejected);
      return kRejected;
    }
    return reportReadError(inv, e, app::isNfcDeviceError(e) ? kEnvironment : kRejected);
  }
  const apcv::Credential& cred = result->reading.credential;
  const bool ok = cred.verdict == apcv::Verdict::Verified;
  const std::int64_t now = req.at.value_or(app::SystemClock().now());
  if (json) {
    nlohmann::json j;
    j["trust"] = trustJson(inv, result->trust, now);
    addCredentialJson(inv, cred, j);
    j["reader"] = result->reader;
    j["apdu_commands"] = result->reading.apduCount;
    j["token_bytes"] = result->reading.tokenBytes;
    j["elapsed_ms"] = result->elapsedMs;
    *inv.out << j.dump(2) << '\n';
  } else {
    *inv.out << inv.tr("Appli carte Vitale (NFC) : ", "Carte Vitale app (NFC): ")
             << (ok ? inv.tr("vérifiée", "verified") : inv.tr("REFUSÉE", "REFUSED")) << " (" << result->reader
             << ")\n";
    for (const auto& e : cred.reasons) *inv.out << "  - " << core::describeLine(e, inv.lang) << '\n';
    if (ok && cred.claims) {
      const apcv::Person& p = cred.claims->insured;
      *inv.out << "  " << p.birthName << ' ' << p.firstNames << ' ' << p.birthDate << ' ' << p.nir << '\n';
      if (cred.presentation) *inv.out << "  " << presentationText(inv, *cred.presentation) << '\n';
    }
  }
  for (const auto& e : cred.reasons)
    if (e.code == core::Errc::ReplayCacheUnwritable) return kEnvironment;
  if (!ok) return kRejected;
  // --patient-out: the billing file of the verified phone (the desk's own mapping); the date of
  // care is the desk's local day of now or of --at (app::localDay).
  const core::Date day = req.at ? app::localDay(*req.at) : localToday();
  return writePatientFile(inv, app::viewOfToken(cred, app::CredentialOrigin::Nfc, now), day);
}

}  // namespace

std::vector<Command> nfcCommands() {
  return {Command{{"nfc", "read"},
                  "",
                  0,
                  0,
                  "Read the appli carte Vitale of a phone tapped on the contactless reader (fresh challenge, "
                  "signatures, validity, revocation, replay). Exit 0 verified, 1 refused, 3 no service, reader "
                  "or phone, or phone lifted.",
                  {{"reader", "NAME", "reader name (or a unique part of it); default: the first with a phone"},
                   {"trust", "DIR", "trust directory (issuers/, revocation lists); default $VITALEDESK_TRUST_DIR"},
                   {"at", "ISO-TIME", "verify as of this UTC time (YYYY-MM-DD[THH:MM:SS[Z]]) instead of now"},
                   {"wait-ms", "MS", "how long to wait for a phone (default 5000)"},
                   {"replay-cache", "FILE",
                    "token ids already seen (default $XDG_STATE_HOME/vitaledesk/apcv-replay.txt)"},
                   {"json", "", "print the verdict as JSON (the shape of 'token verify')"},
                   patientOutOptions()[0], patientOutOptions()[1]},
                  nfcRead}};
}

}  // namespace vd::cli
