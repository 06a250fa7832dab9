// vitaledesk-cli card …
#include <chrono>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "app/card_use_case.hpp"
#include "app/credential_view.hpp"
#include "cli/command.hpp"
#include "core/birth_date.hpp"
#include "core/messages.hpp"
#include "crypto/digest.hpp"
#include "reader/card/vitale_card_reader.hpp"
#include "reader/pcsc/pcsc_monitor.hpp"

namespace vd::cli {
namespace {

nlohmann::json periodJson(const reader::Period& p) { return {{"from", p.from.iso()}, {"to", p.to.iso()}}; }

nlohmann::json beneficiaryJson(const reader::Beneficiary& b, core::Date at) {
  nlohmann::json j{{"nir", b.nir},         {"last_name", b.lastName}, {"first_name", b.firstName},
                   {"birth_date", b.birthDate}, {"birth_rank", b.birthRank}, {"qualite", b.qualite}};
  if (auto bd = core::BirthDate::parse(b.birthDate)) j["lunar_birth_date"] = bd->isLunar();
  if (!b.insOid.empty()) j["ins_oid"] = b.insOid;
  nlohmann::json amo = nlohmann::json::array();
  bool covered = false;
  for (const auto& p : b.amoRights) {
    amo.push_back(periodJson(p));
    covered = covered || p.covers(at);
  }
  j["amo_rights"] = amo;
  j["amo_rights_at_date"] = covered;
  nlohmann::json ex = nlohmann::json::array();
  for (const auto& e : b.exemptions)
    ex.push_back({{"kind", e.kind}, {"period", periodJson(e.period)}, {"at_date", e.period.covers(at)}});
  j["exemptions"] = ex;
  if (b.c2s) j["c2s"] = {{"period", periodJson(*b.c2s)}, {"at_date", b.c2s->covers(at)}};
  if (b.amc)
    j["amc"] = {{"organisation", b.amc->organisation}, {"contract", b.amc->contract},
                {"tiers_payant", b.amc->tiersPayant}, {"period", periodJson(b.amc->period)},
                {"at_date", b.amc->period.covers(at)}};
  return j;
}

std::string reasonText(const Invocation& inv, const std::string& id) {
  const core::UserMessage m = core::describe(reader::cardReasonError(id), inv.lang);
  return m.cause + " " + m.action;
}

int cardRead(Invocation& inv) {
  const bool json = inv.has("json");
  app::CardReadRequest req;
  req.reader = inv.value("reader");
  const char* env = std::getenv("VITALEDESK_CARD_TRUST");
  req.trustDir = inv.value("trust").value_or(env != nullptr ? env : "");
  req.at = localToday();
  if (auto at = inv.value("at")) {
    auto d = core::Date::parseIso(*at);
    if (!d) return reportError(inv, d.error(), kUsage);
    req.at = *d;
  }
  if (!waitMsOption(inv, req.waitMs)) return kUsage;
  auto result = app::readVitaleCard(req);
  if (!result) {
    const core::Error& e = result.error();
    return reportReadError(inv, e, app::isDeviceError(e) ? kEnvironment : kRejected);
  }
  const auto& cred = result->credential;
  if (json) {
    nlohmann::json people = nlohmann::json::array();
    for (const auto& b : cred.beneficiaries) people.push_back(beneficiaryJson(b, req.at));
    nlohmann::json j{{"verdict", reader::verdictId(cred.verdict)},
                     {"reasons", cred.reasons},
                     {"reason_texts", [&] {
                        nlohmann::json texts = nlohmann::json::array();
                        for (const auto& r : cred.reasons) texts.push_back(reasonText(inv, r));
                        return texts;
                      }()},
                     {"reader", result->reader},
                     {"serial", cred.serialHex},
                     {"date_of_care", req.at.iso()},
                     {"apdu_commands", cred.apduCount},
                     {"elapsed_ms", result->elapsedMs},
                     {"beneficiaries", people}};
    *inv.out << j.dump(2) << '\n';
  } else {
    const std::string_view verdict =
        cred.verdict == reader::Verdict::Verified          ? inv.tr("vérifiée", "verified")
        : cred.verdict == reader::Verdict::ReadNotVerified ? inv.tr("lue, NON vérifiée", "read, NOT verified")
                                                           : inv.tr("REFUSÉE", "REFUSED");
    *inv.out << inv.tr("Carte Vitale : ", "Carte Vitale: ") << verdict << " (" << result->reader << ")";
    *inv.out << '\n';
    for (const auto& r : cred.reasons) *inv.out << "  - " << reasonText(inv, r) << '\n';
    for (const auto& b : cred.beneficiaries)
      *inv.out << "  " << b.qualite << ' ' << b.lastName << ' ' << b.firstName << ' ' << b.birthDate
               << inv.tr(" rang ", " rank ") << b.birthRank << ' ' << b.nir << '\n';
  }
  if (cred.verdict != reader::Verdict::Verified) return kRejected;
  // --patient-out: the billing file of the verified card (the desk's own mapping).
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return writePatientFile(inv, app::viewOfCard(cred, result->reader, req.at, now), req.at);
}

int cardWatch(Invocation& inv) {
  const bool json = inv.has("json");
  long durationMs = 0;
  if (auto d = inv.value("duration-ms")) {
    try {
      durationMs = std::stol(*d);
    } catch (const std::exception&) {
      durationMs = -1;
    }
    if (durationMs < 0) return reportError(inv, core::makeError(core::Errc::InvalidArgument, {*d}, "--duration-ms"), kUsage);
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(durationMs);
  reader::PcscMonitor monitor;
  while (durationMs == 0 || std::chrono::steady_clock::now() < end) {
    for (const auto& e : monitor.poll(250)) {
      const bool vitale = e.kind == reader::ReaderEvent::Kind::CardInserted && reader::isVitaleAtr(e.atr);
      if (json) {
        nlohmann::json j{{"event", reader::readerEventId(e.kind)}, {"reader", e.reader}};
        if (e.kind == reader::ReaderEvent::Kind::CardInserted) {
          j["atr"] = crypto::toHex(e.atr);
          j["vitale"] = vitale;
        }
        *inv.out << j.dump() << std::endl;
      } else {
        *inv.out << reader::readerEventId(e.kind);
        if (!e.reader.empty()) *inv.out << " \"" << e.reader << '"';
        if (e.kind == reader::ReaderEvent::Kind::CardInserted)
          *inv.out << " atr=" << crypto::toHex(e.atr) << (vitale ? " (carte Vitale)" : "");
        *inv.out << std::endl;
      }
    }
  }
  return kOk;
}

}  // namespace

std::vector<Command> cardCommands() {
  return {Command{{"card", "read"},
                  "",
                  0,
                  0,
                  "Read the carte Vitale in a PC/SC reader and verify it (issuer signature, INTERNAL "
                  "AUTHENTICATE, opposition list, rights at the date of care). Exit 0 verified, 1 refused "
                  "or not verified, 3 no service, reader or card.",
                  {{"reader", "NAME", "reader name (or a unique part of it); default: the first with a card"},
                   {"json", "", "print the credential as JSON"},
                   {"at", "YYYY-MM-DD", "date of care (default: today)"},
                   {"trust", "DIR", "issuer keys and opposition list (default: $VITALEDESK_CARD_TRUST)"},
                   {"wait-ms", "MS", "how long to wait for a card (default 2000)"},
                   patientOutOptions()[0], patientOutOptions()[1]},
                  cardRead},
          Command{{"card", "watch"},
                  "",
                  0,
                  0,
                  "Print reader and card events (reader added/removed, card inserted/removed, service "
                  "lost/back) until interrupted; recovers by itself when pcscd restarts.",
                  {{"json", "", "one JSON object per event"},
                   {"duration-ms", "MS", "stop after MS milliseconds (default: run until interrupted)"}},
                  cardWatch}};
}

}  // namespace vd::cli
