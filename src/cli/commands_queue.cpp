// vitaledesk-cli queue … and audit verify: the outbox as support staff see it
// (docs/outbox.md). Only queue metadata is printed: never a NIR, a name or a document.
#include <nlohmann/json.hpp>

#include <fstream>
#include <iomanip>

#include "app/fse_use_case.hpp"
#include "billing/outbox/outbox.hpp"
#include "cli/command.hpp"

namespace vd::cli {
namespace {

using billing::FseRef;
using billing::Outbox;
using billing::OutboxItem;

const OptionSpec kRegister{"register", "FILE", "register database (default ~/.local/share/vitaledesk/register.db)"};
const OptionSpec kJson{"json", "", "print as JSON"};

int exitFor(core::Errc code) {
  switch (code) {
    case core::Errc::FseStore:
    case core::Errc::OutboxKeyFile:
    case core::Errc::Internal:
      return kEnvironment;
    default:
      return kRejected;
  }
}

std::optional<Outbox> openOutbox(Invocation& inv, const billing::Clock& clock, int& exitCode) {
  const std::filesystem::path file =
      inv.value("register") ? std::filesystem::path(*inv.value("register")) : app::defaultRegisterFile();
  auto o = Outbox::open(file, clock);
  if (!o) {
    exitCode = reportError(inv, o.error(), kEnvironment);
    return std::nullopt;
  }
  return std::move(*o);
}

std::string timeText(std::optional<billing::UnixSeconds> t) {
  if (!t) return "";
  const std::time_t tt = static_cast<std::time_t>(*t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json toJson(const OutboxItem& it) {
  nlohmann::json j{{"ref", it.ref.str()},
                   {"state", it.rawState},
                   {"care_date", it.careDate.iso()},
                   {"tiers_payant", it.tiersPayant},
                   {"destination", it.destination},
                   {"idempotency_key", it.idemKey},
                   {"attempts", it.attempts},
                   {"deadline", it.deadline.iso()},
                   {"send_by", it.deadlines.sendBy.iso()},
                   {"overdue", it.overdue},
                   {"last_error", it.lastError},
                   {"lot", it.lotId}};
  if (it.nextAttemptAt) j["next_attempt_at"] = timeText(it.nextAttemptAt);
  if (it.sendingUntil) j["sending_until"] = timeText(it.sendingUntil);
  if (it.sentAt) j["sent_at"] = timeText(it.sentAt);
  if (it.acknowledgedAt) j["acknowledged_at"] = timeText(it.acknowledgedAt);
  if (it.deadlines.arlExpected) j["arl_expected_by"] = it.deadlines.arlExpected->iso();
  if (it.deadlines.resendBy) j["resend_by"] = it.deadlines.resendBy->iso();
  return j;
}

int queueList(Invocation& inv) {
  billing::SystemClock clock;
  int code = kOk;
  auto o = openOutbox(inv, clock, code);
  if (!o) return code;
  auto items = o->list();
  if (!items) return reportError(inv, items.error(), exitFor(items.error().code));
  const auto state = inv.value("state");
  if (inv.has("json")) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& it : *items)
      if (!state || it.rawState == *state) arr.push_back(toJson(it));
    *inv.out << arr.dump(2) << '\n';
    return kOk;
  }
  *inv.out << std::left << std::setw(18) << "FSE" << std::setw(14) << inv.tr("ÉTAT", "STATE") << std::setw(13)
           << inv.tr("ÉCHÉANCE", "DEADLINE") << std::setw(9) << inv.tr("ESSAIS", "ATTEMPTS")
           << inv.tr("DERNIÈRE ERREUR", "LAST ERROR") << '\n';
  for (const auto& it : *items) {
    if (state && it.rawState != *state) continue;
    *inv.out << std::left << std::setw(18) << it.ref.str() << std::setw(14) << it.rawState << std::setw(13)
             << (it.deadline.iso() + (it.overdue ? "!" : "")) << std::setw(9) << it.attempts << it.lastError << '\n';
  }
  return kOk;
}

std::optional<FseRef> refArg(Invocation& inv, int& code) {
  auto ref = FseRef::parse(inv.positional[0]);
  if (!ref) {
    code = reportError(inv, ref.error(), kRejected);
    return std::nullopt;
  }
  return *ref;
}

int queueShow(Invocation& inv) {
  billing::SystemClock clock;
  int code = kOk;
  auto ref = refArg(inv, code);
  if (!ref) return code;
  auto o = openOutbox(inv, clock, code);
  if (!o) return code;
  auto it = o->show(*ref);
  if (!it) return reportError(inv, it.error(), exitFor(it.error().code));
  const nlohmann::json j = toJson(*it);
  if (inv.has("json")) {
    *inv.out << j.dump(2) << '\n';
  } else {
    for (const auto& [k, v] : j.items()) *inv.out << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
  }
  return kOk;
}

int queueStats(Invocation& inv) {
  billing::SystemClock clock;
  int code = kOk;
  auto o = openOutbox(inv, clock, code);
  if (!o) return code;
  auto s = o->stats();
  if (!s) return reportError(inv, s.error(), exitFor(s.error().code));
  if (inv.has("json")) {
    nlohmann::json j{{"by_state", s->byState}, {"overdue", s->overdue}, {"due_within_one_working_day",
                                                                        s->dueWithinOneWorkingDay}};
    *inv.out << j.dump(2) << '\n';
  } else {
    for (const auto& [state, n] : s->byState) *inv.out << state << ": " << n << '\n';
    *inv.out << inv.tr("en retard : ", "overdue: ") << s->overdue << '\n'
             << inv.tr("échéance sous 1 jour ouvré : ", "due within 1 working day: ") << s->dueWithinOneWorkingDay
             << '\n';
  }
  return kOk;
}

template <class F>
int queueAction(Invocation& inv, F action, std::string_view doneFr, std::string_view doneEn) {
  billing::SystemClock clock;
  int code = kOk;
  auto ref = refArg(inv, code);
  if (!ref) return code;
  auto o = openOutbox(inv, clock, code);
  if (!o) return code;
  // The logged transition (reference, states and reason code only: no patient data).
  std::string transition;
  o->setObserver([&](const billing::TransitionEvent& e) { transition = e.from + " -> " + e.to + " (" + e.reason + ")"; });
  auto r = action(*o, *ref);
  if (!r) return reportError(inv, r.error(), exitFor(r.error().code));
  *inv.out << ref->str() << ": " << inv.tr(doneFr, doneEn) << ", " << transition << '\n';
  return kOk;
}

int queueExport(Invocation& inv) {
  billing::SystemClock clock;
  int code = kOk;
  auto o = openOutbox(inv, clock, code);
  if (!o) return code;
  auto items = o->list();
  if (!items) return reportError(inv, items.error(), exitFor(items.error().code));
  std::ofstream file;
  std::ostream* out = inv.out;
  if (const auto path = inv.value("out")) {
    file.open(*path, std::ios::binary | std::ios::trunc);
    out = &file;
  }
  for (const auto& it : *items) *out << toJson(it).dump() << '\n';
  if (!out->flush())
    return reportError(inv, core::makeError(core::Errc::FileUnreadable, {inv.value("out").value_or("-"), "write"}),
                       kEnvironment);
  return kOk;
}

int auditVerify(Invocation& inv) {
  billing::SystemClock clock;
  int code = kOk;
  auto o = openOutbox(inv, clock, code);
  if (!o) return code;
  auto v = o->verifyAudit();
  if (!v) {
    if (inv.has("json")) {
      *inv.out << nlohmann::json{{"valid", false}, {"error", core::errcId(v.error().code)}}.dump(2) << '\n';
    }
    return reportError(inv, v.error(), exitFor(v.error().code));
  }
  if (inv.has("json")) {
    *inv.out << nlohmann::json{{"valid", true}, {"entries", *v}}.dump(2) << '\n';
  } else {
    *inv.out << inv.tr("Journal d'audit intègre : ", "Audit log intact: ") << *v << inv.tr(" entrées.", " entries.")
             << '\n';
  }
  return kOk;
}

}  // namespace

std::vector<Command> queueCommands() {
  return {
      Command{{"queue", "list"}, "", 0, 0,
              "List the outbox: state, deadline (R161-47; '!' when overdue), attempts, last error.",
              {kRegister, {"state", "STATE", "only this state (pending, deferred, held, …)"}, kJson}, queueList},
      Command{{"queue", "show"}, "<RPPS/NUMBER>", 1, 1, "Show one care sheet's queue entry (no patient data).",
              {kRegister, kJson}, queueShow},
      Command{{"queue", "stats"}, "", 0, 0, "Count care sheets per state, overdue and due within one working day.",
              {kRegister, kJson}, queueStats},
      Command{{"queue", "retry"}, "<RPPS/NUMBER>", 1, 1, "Retry a deferred care sheet now (deferred → pending).",
              {kRegister},
              [](Invocation& inv) {
                return queueAction(inv, [](Outbox& o, const FseRef& r) { return o.retry(r); }, "renvoi demandé",
                                   "retry requested");
              }},
      Command{{"queue", "hold"}, "<RPPS/NUMBER>", 1, 1, "Hold a care sheet (not sent until released).",
              {kRegister},
              [](Invocation& inv) {
                return queueAction(inv, [](Outbox& o, const FseRef& r) { return o.hold(r); }, "retenue", "held");
              }},
      Command{{"queue", "release"}, "<RPPS/NUMBER>", 1, 1, "Release a held care sheet (held → pending).",
              {kRegister},
              [](Invocation& inv) {
                return queueAction(inv, [](Outbox& o, const FseRef& r) { return o.release(r); }, "libérée",
                                   "released");
              }},
      Command{{"queue", "export"}, "", 0, 0, "Export the queue metadata as JSON lines (no patient data).",
              {kRegister, {"out", "FILE", "write to FILE instead of the standard output"}}, queueExport},
      Command{{"audit", "verify"}, "", 0, 0,
              "Recompute the outbox audit hash chain (exit 0 intact, 1 altered, 3 register unusable).",
              {kRegister, kJson}, auditVerify},
  };
}

}  // namespace vd::cli
