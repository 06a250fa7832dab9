// vitaledesk-cli queue … and audit verify: the outbox as support staff see it
// (docs/outbox.md), and queue flush, which runs the dispatcher against the insurer network.
// Only queue metadata is printed: never a NIR, a name or a document.
#include <nlohmann/json.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>

#include "app/atomic_file.hpp"
#include "app/desk_settings.hpp"
#include "app/fse_use_case.hpp"
#include "app/local_time.hpp"
#include "billing/outbox/dispatcher.hpp"
#include "billing/outbox/outbox.hpp"
#include "billing/transport/curl_transport.hpp"
#include "cli/command.hpp"

namespace vd::cli {
namespace {

using billing::FseRef;
using billing::Outbox;
using billing::OutboxItem;

const OptionSpec kRegister{"register", "FILE", "register database (default ~/.local/share/vitaledesk/register.db)"};
const OptionSpec kDataKey{"data-key", "FILE", "the register's data key (default: the register's path + .key)"};
const OptionSpec kJson{"json", "", "print as JSON"};

int exitFor(core::Errc code) {
  switch (code) {
    case core::Errc::FseStore:
    case core::Errc::OutboxDiskFull:
    case core::Errc::OutboxKeyFile:
    case core::Errc::Internal:
      return kEnvironment;
    default:
      return kRejected;
  }
}

/// Opens the register's outbox (system clock) and runs `body` on it: the prologue every
/// queue command shares. Opening errors exit 3.
template <class F>
int withOutbox(Invocation& inv, F&& body) {
  app::SystemClock clock;
  auto o = Outbox::open(app::registerLocation(inv.value("register"), inv.value("data-key")), clock);
  if (!o) return reportError(inv, o.error(), kEnvironment);
  return body(*o);
}

std::string timeText(std::optional<core::UnixSeconds> t) {
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

int queueList(Invocation& inv, Outbox& o) {
  auto items = o.list();
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

int queueShow(Invocation& inv, Outbox& o) {
  auto ref = FseRef::parse(inv.positional[0]);
  if (!ref) return reportError(inv, ref.error(), kRejected);
  auto it = o.show(*ref);
  if (!it) return reportError(inv, it.error(), exitFor(it.error().code));
  const nlohmann::json j = toJson(*it);
  if (inv.has("json")) {
    *inv.out << j.dump(2) << '\n';
  } else {
    for (const auto& [k, v] : j.items()) *inv.out << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
  }
  return kOk;
}

int queueStats(Invocation& inv, Outbox& o) {
  auto s = o.stats();
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

/// The operator actions on one sheet (queue retry|hold|release): one table, one handler.
struct QueueAction {
  std::string_view verb;
  std::string_view summary;
  std::string_view doneFr, doneEn;
  core::Result<void> (*apply)(Outbox&, const FseRef&);
};

const QueueAction kQueueActions[] = {
    {"retry", "Retry a deferred care sheet now (deferred → pending).", "renvoi demandé", "retry requested",
     [](Outbox& o, const FseRef& r) { return o.retry(r); }},
    {"hold", "Hold a care sheet (not sent until released).", "retenue", "held",
     [](Outbox& o, const FseRef& r) { return o.hold(r); }},
    {"release", "Release a held care sheet (held → pending).", "libérée", "released",
     [](Outbox& o, const FseRef& r) { return o.release(r); }},
};

int queueAction(Invocation& inv, Outbox& o, const QueueAction& action) {
  auto ref = FseRef::parse(inv.positional[0]);
  if (!ref) return reportError(inv, ref.error(), kRejected);
  // The logged transition (reference, states and reason code only: no patient data).
  std::string transition;
  o.setObserver([&](const billing::TransitionEvent& e) { transition = e.from + " -> " + e.to + " (" + e.reason + ")"; });
  auto r = action.apply(o, *ref);
  if (!r) return reportError(inv, r.error(), exitFor(r.error().code));
  *inv.out << ref->str() << ": " << inv.tr(action.doneFr, action.doneEn) << ", " << transition << '\n';
  return kOk;
}

int queueExport(Invocation& inv, Outbox& o) {
  auto items = o.list();
  if (!items) return reportError(inv, items.error(), exitFor(items.error().code));
  std::ostringstream lines;
  for (const auto& it : *items) lines << toJson(it).dump() << '\n';
  if (const auto path = inv.value("out")) {
    // The queue's rows are the practice's billing: 0600, whole, never through a link.
    if (auto w = app::replaceFileWhole(std::filesystem::path(*path), lines.str(), 0600); !w)
      return reportError(inv, w.error(), kEnvironment);
    return kOk;
  }
  *inv.out << lines.str();
  if (!inv.out->flush())
    return reportError(
        inv,
        core::makeError(core::Errc::FileUnreadable, {inv.value("out").value_or("-"), core::frEn("écriture", "write")}),
        kEnvironment);
  return kOk;
}

int auditVerify(Invocation& inv, Outbox& o) {
  auto v = o.verifyAudit();
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

/// A non-negative integer option, or `fallback` when absent. False on a bad value.
bool intOption(const Invocation& inv, std::string_view name, long long fallback, long long& out) {
  const auto v = inv.value(name);
  if (!v) {
    out = fallback;
    return true;
  }
  try {
    std::size_t used = 0;
    out = std::stoll(*v, &used);
    return used == v->size() && out >= 0;
  } catch (const std::exception&) {
    return false;
  }
}

/// Set by SIGINT/SIGTERM during `queue flush`: stop cleanly (nothing left half-sent).
volatile std::sig_atomic_t g_flushInterrupted = 0;
extern "C" void onFlushSignal(int) { g_flushInterrupted = 1; }

/// What `queue flush` saw, fed by the dispatcher's events (worker thread).
struct FlushProgress {
  std::mutex mu;
  std::condition_variable cv;
  int sent = 0, acknowledged = 0, rejected = 0, held = 0, lots = 0;
  bool idle = false, offline = false, failed = false;
  billing::QueueCounts counts;
  std::optional<core::Error> error;
  std::optional<core::Error> tlsRefusal;
};

bool isTlsRefusal(const core::Error& e) {
  return e.code == core::Errc::TransportTls || e.code == core::Errc::TlsPinnedKeyMismatch;
}

/// The PIN of a token key, in this order: --pin-file (a file only its owner can read),
/// VD_TLS_PIN, --pin-stdin, else the terminal without echo. Never a command-line value (ps
/// shows those). Errors: TlsTokenPinMissing {where}.
core::Result<std::string> tlsPin(const Invocation& inv) {
  std::string pin;
  if (const auto file = inv.value("pin-file")) {
    std::error_code ec;
    const auto perms = std::filesystem::status(*file, ec).permissions();
    using P = std::filesystem::perms;
    if (ec) return core::fail(core::Errc::TlsTokenPinMissing, {"--pin-file"});
    if ((perms & (P::group_all | P::others_all)) != P::none)
      return core::fail(core::Errc::TlsTokenPinMissing,
                        {core::frEn("--pin-file lisible par d'autres (chmod 600)", "--pin-file readable by others (chmod 600)")});
    std::ifstream in(*file);
    if (!std::getline(in, pin)) return core::fail(core::Errc::TlsTokenPinMissing, {"--pin-file"});
  } else if (const char* env = std::getenv("VD_TLS_PIN"); env != nullptr && *env != '\0') {
    pin = env;
  } else if (!inv.has("pin-stdin") && isatty(STDIN_FILENO)) {
    char* typed = getpass(std::string(inv.tr("Code PIN de la clé de connexion : ", "Connection key PIN: ")).c_str());
    if (typed != nullptr) {
      pin = typed;
      explicit_bzero(typed, pin.size());
    }
  } else if (!std::getline(std::cin, pin)) {
    pin.clear();
  }
  if (!pin.empty() && pin.back() == '\r') pin.pop_back();
  if (pin.empty()) return core::fail(core::Errc::TlsTokenPinMissing, {"PIN"});
  return pin;
}

/// --tls-key, --tls-cert, --pkcs11-module, --pinned-key over the --tls-dir files.
core::Result<void> applyTlsOptions(const Invocation& inv, billing::TransportConfig& config) {
  if (const auto key = inv.value("tls-key")) config.clientKey = *key;
  if (const auto cert = inv.value("tls-cert")) config.clientCertFile = *cert;
  if (const auto module = inv.value("pkcs11-module")) config.pkcs11Module = *module;
  if (const auto pinned = inv.value("pinned-key")) config.pinnedPublicKey = *pinned;
  if (config.clientKey.rfind("pkcs11:", 0) != 0) return {};
  if (config.pkcs11Module.empty()) config.pkcs11Module = app::kDefaultPkcs11Module;
  auto pin = tlsPin(inv);
  if (!pin) return core::fail(pin.error());
  config.pin = std::move(*pin);
  return {};
}

int queueFlush(Invocation& inv) {
  long long timeoutMs = 0, waitArl = 0, waitOnline = 0, lotSize = 0, retryMin = 0, retryMax = 0;
  if (!intOption(inv, "timeout-ms", 30000, timeoutMs) || !intOption(inv, "wait-arl", 0, waitArl) ||
      !intOption(inv, "wait-online", 0, waitOnline) || !intOption(inv, "lot-size", 50, lotSize) ||
      !intOption(inv, "retry-min", 60, retryMin) || !intOption(inv, "retry-max", 3600, retryMax) || lotSize == 0 ||
      timeoutMs == 0 || retryMin == 0 || retryMax < retryMin) {
    *inv.err << inv.tr("Valeur d'option invalide (entiers positifs ; --retry-max ≥ --retry-min).",
                       "Invalid option value (positive integers; --retry-max ≥ --retry-min).")
             << '\n';
    return kUsage;
  }
  auto config = billing::transportConfigFromTlsDir(*inv.value("tls-dir"), *inv.value("server"));
  if (const auto proxy = inv.value("proxy")) config.proxy = *proxy;
  if (auto tls = applyTlsOptions(inv, config); !tls) return reportError(inv, tls.error(), kEnvironment);
  config.totalTimeout = std::chrono::milliseconds(timeoutMs);
  config.connectTimeout = std::min(config.connectTimeout, config.totalTimeout);
  auto transport = billing::makeCurlTransport(config);
  if (!transport) return reportError(inv, transport.error(), kEnvironment);

  billing::DispatcherConfig dc;
  dc.registerFile = app::registerLocation(inv.value("register"), inv.value("data-key"));
  dc.lotSize = static_cast<std::size_t>(lotSize);
  dc.arlPollInterval = 1;  // a person is waiting: poll the ARLs every second
  dc.policy.minBackoff = retryMin;
  dc.policy.maxBackoff = retryMax;
  FlushProgress p;
  app::SystemClock clock;
  billing::Dispatcher dispatcher(dc, std::move(*transport), clock, [&p](const billing::DispatchEvent& e) {
    using K = billing::DispatchEventKind;
    std::lock_guard<std::mutex> lk(p.mu);
    p.counts = e.counts;
    switch (e.kind) {
      case K::LotSent: p.sent += e.sheets; ++p.lots; break;
      case K::Acknowledged: p.acknowledged += e.sheets; break;
      case K::Rejected: p.rejected += e.sheets; break;
      case K::Held:
        p.held += e.sheets;
        // A refused TLS session (untrusted server, pin mismatch) holds every lot: say why once.
        if (e.error && isTlsRefusal(*e.error)) p.tlsRefusal = e.error;
        break;
      case K::Online: p.offline = false; break;
      case K::Offline: p.offline = true; p.error = e.error; break;
      case K::Failed: p.failed = true; p.error = e.error; break;
      case K::Idle: p.idle = true; break;
      case K::Stopped: break;
    }
    p.cv.notify_all();
  });
  if (auto started = dispatcher.start(); !started) return reportError(inv, started.error(), kEnvironment);
  g_flushInterrupted = 0;
  struct sigaction action {}, oldInt {}, oldTerm {};
  action.sa_handler = onFlushSignal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &oldInt);
  ::sigaction(SIGTERM, &action, &oldTerm);
  // Until nothing more can be sent now: idle with no ARL awaited (or --wait-arl spent), offline
  // past --wait-online, or a register failure.
  const auto t0 = std::chrono::steady_clock::now();
  {
    std::unique_lock<std::mutex> lk(p.mu);
    for (;;) {
      const auto elapsed = std::chrono::steady_clock::now() - t0;
      if (p.failed || g_flushInterrupted) break;
      if (p.offline && elapsed >= std::chrono::seconds(waitOnline)) break;
      if (!p.offline && p.idle && (p.counts.awaitingArl == 0 || elapsed >= std::chrono::seconds(waitArl))) break;
      p.idle = false;
      p.cv.wait_for(lk, std::chrono::milliseconds(100));
    }
  }
  dispatcher.stop();  // the request in progress ends within --timeout-ms; unsent lots go back
  ::sigaction(SIGINT, &oldInt, nullptr);
  ::sigaction(SIGTERM, &oldTerm, nullptr);
  std::lock_guard<std::mutex> lk(p.mu);
  const auto& c = p.counts;
  if (inv.has("json")) {
    nlohmann::json j{{"sent", p.sent},           {"lots", p.lots},
                     {"acknowledged", p.acknowledged}, {"rejected", p.rejected},
                     {"held", p.held},           {"deferred", c.deferred},
                     {"awaiting_arl", c.awaitingArl}, {"pending", c.pending},
                     {"offline", p.offline}};
    if (p.error) j["error"] = core::errcId(p.error->code);
    else if (p.tlsRefusal) j["error"] = core::errcId(p.tlsRefusal->code);
    *inv.out << j.dump(2) << '\n';
  } else {
    *inv.out << inv.tr("envoyées : ", "sent: ") << p.sent << " (" << p.lots << inv.tr(" lots)", " lots)") << '\n'
             << inv.tr("acquittées : ", "acknowledged: ") << p.acknowledged << '\n'
             << inv.tr("rejetées : ", "rejected: ") << p.rejected << '\n'
             << inv.tr("retenues : ", "held: ") << p.held << '\n'
             << inv.tr("reportées : ", "deferred: ") << c.deferred << '\n'
             << inv.tr("en attente d'ARL : ", "awaiting ARL: ") << c.awaitingArl << '\n'
             << inv.tr("en file : ", "pending: ") << c.pending << '\n';
  }
  if ((p.failed || p.offline) && p.error) return reportError(inv, *p.error, kEnvironment);
  if (p.tlsRefusal) return reportError(inv, *p.tlsRefusal, kEnvironment);
  return kOk;
}

}  // namespace

std::vector<Command> queueCommands() {
  std::vector<Command> commands{
      Command{{"queue", "list"}, "", 0, 0,
              "List the outbox: state, deadline (R161-47; '!' when overdue), attempts, last error.",
              {kRegister, kDataKey, {"state", "STATE", "only this state (pending, deferred, held, …)"}, kJson},
              [](Invocation& inv) { return withOutbox(inv, [&](Outbox& o) { return queueList(inv, o); }); }},
      Command{{"queue", "show"}, "<RPPS/NUMBER>", 1, 1, "Show one care sheet's queue entry (no patient data).",
              {kRegister, kDataKey, kJson},
              [](Invocation& inv) { return withOutbox(inv, [&](Outbox& o) { return queueShow(inv, o); }); }},
      Command{{"queue", "stats"}, "", 0, 0, "Count care sheets per state, overdue and due within one working day.",
              {kRegister, kDataKey, kJson},
              [](Invocation& inv) { return withOutbox(inv, [&](Outbox& o) { return queueStats(inv, o); }); }},
      Command{{"queue", "export"}, "", 0, 0, "Export the queue metadata as JSON lines (no patient data).",
              {kRegister, kDataKey, {"out", "FILE", "write to FILE instead of the standard output"}},
              [](Invocation& inv) { return withOutbox(inv, [&](Outbox& o) { return queueExport(inv, o); }); }},
      Command{{"queue", "flush"}, "", 0, 0,
              "Send the queue now (HTTPS, mutual TLS) until nothing more can be sent; print exact counts "
              "(exit 3 when the network or the register failed).",
              {kRegister, kDataKey,
               {"server", "URL", "insurer network base URL, e.g. https://127.0.0.1:8443 (required)"},
               {"tls-dir", "DIR", "ca.pem, client.pem, client.key, arl-signer.pem (required)"},
               {"proxy", "URL", "HTTP proxy"},
               {"tls-key", "FILE|URI", "client key: a PEM file or a pkcs11: URI (RFC 7512) of a card or token key "
                                       "(default DIR/client.key)"},
               {"tls-cert", "FILE", "client certificate (default DIR/client.pem)"},
               {"pkcs11-module", "PATH", "PKCS#11 module of the card or token "
                                             "(default /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so)"},
               {"pin-file", "FILE", "token PIN in a file only you can read (else VD_TLS_PIN, else asked)"},
               {"pin-stdin", "", "read the token PIN from standard input"},
               {"pinned-key", "PINS", "sha256//<base64> of the insurer server's public key (';' between several)"},
               {"timeout-ms", "N", "total timeout of one request (default 30000)"},
               {"wait-arl", "S", "wait up to S seconds for the ARLs of the lots sent (default 0)"},
               {"wait-online", "S", "keep probing an unreachable network for up to S seconds (default 0)"},
               {"lot-size", "N", "care sheets per lot (default 50)"},
               {"retry-min", "S", "first probe delay after an outage, seconds (default 60)"},
               {"retry-max", "S", "longest probe delay, seconds (default 3600)"},
               kJson},
              [](Invocation& inv) {
                if (!inv.value("server") || !inv.value("tls-dir")) {
                  const std::string missing = !inv.value("server") && !inv.value("tls-dir") ? "--server, --tls-dir"
                                              : !inv.value("server")                        ? "--server"
                                                                                             : "--tls-dir";
                  return reportError(inv, core::makeError(core::Errc::CliOptionsRequired, {missing, "queue flush"}),
                                     kUsage);
                }
                return queueFlush(inv);
              }},
      Command{{"audit", "verify"}, "", 0, 0,
              "Recompute the outbox audit hash chain (exit 0 intact, 1 altered, 3 register unusable).",
              {kRegister, kDataKey, kJson},
              [](Invocation& inv) { return withOutbox(inv, [&](Outbox& o) { return auditVerify(inv, o); }); }},
  };
  for (const QueueAction& action : kQueueActions)
    commands.push_back(Command{{"queue", action.verb}, "<RPPS/NUMBER>", 1, 1, action.summary, {kRegister, kDataKey},
                               [&action](Invocation& inv) {
                                 return withOutbox(inv, [&](Outbox& o) { return queueAction(inv, o, action); });
                               }});
  return commands;
}

}  // namespace vd::cli
