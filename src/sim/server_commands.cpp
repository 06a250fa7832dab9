// vitaledesk-sim pki server DIR | server --port P --tls-dir DIR [faults] | ledger FILE
#include "sim/server_commands.hpp"

#include <signal.h>

#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/messages.hpp"
#include <algorithm>
#include <climits>

#include "sim/cli_options.hpp"
#include "sim/server/insurer_server.hpp"

namespace vd::sim {
namespace {

void serverUsage(std::ostream& o) {
  o << "Usage: vitaledesk-sim server --port P --tls-dir DIR [--bind ADDR] [--down-for S] [--fail-rate X]\n"
       "                            [--latency MS] [--drop-mid-response X] [--arl-delay S] [--ledger FILE]\n"
       "                            [--seed N] [--practitioner-ca FILE] [--apcv-dir DIR]\n"
       "                            [--trust-list MODE] [--trust-list-seq N]\n\n"
       "Play the insurer network (TEST ONLY): HTTPS with mutual TLS on ADDR:P (default 127.0.0.1;\n"
       "P = 0 picks a free port), lots with idempotency, signed ARLs, rights and ApCV revocations\n"
       "(docs/formats/insurer-api.md). DIR comes from 'vitaledesk-sim pki server DIR'. Prints\n"
       "'listening on ADDR:PORT' when ready; stops cleanly on SIGTERM or SIGINT.\n\n"
       "Faults:\n"
       "  --down-for S           refuse connections for S seconds after start\n"
       "  --fail-rate X          answer 503 to a share X (0..1) of requests, without processing them\n"
       "  --latency MS           wait MS milliseconds before each answer\n"
       "  --drop-mid-response X  process a share X of requests, then cut the answer in the middle\n"
       "  --arl-delay S          ARLs are ready S seconds after their lot (GET answers 202 before)\n"
       "  --ledger FILE          keep what was received in FILE (JSON lines, fsynced, reloaded)\n"
       "  --seed N               seed of the fault draws (default 0)\n"
       "  --practitioner-ca FILE CA certificates of the FSE signers (default DIR/ca.pem)\n"
       "  --apcv-dir DIR         'apcv init' material: its trust-list signer signs GET /v1/apcv/revocations\n"
       "                         (without it that endpoint answers 503)\n"
       "  --trust-list MODE      what that endpoint serves (tests): good (default), unsigned, unknown-key,\n"
       "                         bad-signature, truncated\n"
       "  --trust-list-seq N     sequence number of the served lists (default: the current Unix time)\n";
}

std::chrono::milliseconds seconds(double s) { return std::chrono::milliseconds(std::llround(s * 1000.0)); }

int environmentError(const core::Error& e) {
  std::cerr << "vitaledesk-sim: " << core::describeLine(e, core::Lang::En) << '\n';
  return kEnvironment;
}

}  // namespace

int pkiServerCommand(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help") {
    (args.size() == 1 ? std::cout : std::cerr)
        << "Usage: vitaledesk-sim pki server DIR\n\n"
           "Create the TEST-ONLY TLS material of the insurer simulator in DIR: ca.pem (reused with\n"
           "ca-key.pem when present), server.pem/server.key (127.0.0.1, localhost), client.pem/\n"
           "client.key (the desk's mutual-TLS identity) and arl-signer.pem/arl-signer.key.\n";
    return args.size() == 1 ? kOk : kUsage;
  }
  if (auto r = writeServerPki(args[0]); !r) return environmentError(r.error());
  std::cout << args[0] << '\n';
  return kOk;
}

int serverCommand(const std::vector<std::string>& args) {
  InsurerServerOptions o;
  bool hasPort = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help") {
      serverUsage(std::cout);
      return kOk;
    }
    if (i + 1 >= args.size()) {
      serverUsage(std::cerr);
      return kUsage;
    }
    const std::string& v = args[++i];
    bool ok = true;
    double d = 0;
    if (a == "--port") {
      ok = parseNumber<std::uint16_t>(v, 0, 65535, o.port);
      hasPort = ok;
    } else if (a == "--tls-dir") {
      o.tlsDir = v;
    } else if (a == "--bind") {
      o.bindAddress = v;
    } else if (a == "--down-for") {
      ok = parseNumber(v, 0.0, 86400.0, d);
      o.downFor = seconds(d);
    } else if (a == "--arl-delay") {
      ok = parseNumber(v, 0.0, 86400.0, d);
      o.arlDelay = seconds(d);
    } else if (a == "--latency") {
      long ms = 0;
      ok = parseNumber(v, 0L, 600000L, ms);
      o.latency = std::chrono::milliseconds(ms);
    } else if (a == "--fail-rate") {
      ok = parseNumber(v, 0.0, 1.0, o.failRate);
    } else if (a == "--drop-mid-response") {
      ok = parseNumber(v, 0.0, 1.0, o.dropMidResponse);
    } else if (a == "--ledger") {
      o.ledger = v;
    } else if (a == "--seed") {
      ok = parseNumber<std::uint64_t>(v, 0, UINT64_MAX, o.seed);
    } else if (a == "--practitioner-ca") {
      o.practitionerCa = v;
    } else if (a == "--apcv-dir") {
      o.apcvMaterial = v;
    } else if (a == "--trust-list") {
      o.trustListMode = v;
      ok = std::find(trustListModes().begin(), trustListModes().end(), v) != trustListModes().end();
    } else if (a == "--trust-list-seq") {
      ok = parseNumber<std::uint64_t>(v, 1, INT64_MAX, o.trustListSequence);
    } else {
      ok = false;
    }
    if (!ok) {
      serverUsage(std::cerr);
      return kUsage;
    }
  }
  if (!hasPort || o.tlsDir.empty()) {
    serverUsage(std::cerr);
    return kUsage;
  }
  // Block the stop signals before any thread starts, so that only sigwait() receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto server = InsurerServer::start(o);
  if (!server) return environmentError(server.error());
  std::cout << "listening on " << o.bindAddress << ':' << (*server)->port() << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  server->reset();  // stops cleanly: the ledger is fsynced line by line
  std::cerr << "vitaledesk-sim: stopped\n";
  return kOk;
}

int ledgerCommand(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help") {
    (args.size() == 1 ? std::cout : std::cerr)
        << "Usage: vitaledesk-sim ledger FILE\n\n"
           "Print what the simulator's ledger FILE holds as JSON: lots, fse_accepted, fse_rejected,\n"
           "duplicates_ignored (replays of a lot or FSE idempotency key, never counted twice).\n";
    return args.size() == 1 ? kOk : kUsage;
  }
  auto counts = readLedgerCounts(args[0]);
  if (!counts) return environmentError(counts.error());
  const nlohmann::json j{{"lots", counts->lots},
                         {"fse_accepted", counts->fseAccepted},
                         {"fse_rejected", counts->fseRejected},
                         {"duplicates_ignored", counts->duplicatesIgnored}};
  std::cout << j.dump() << '\n';
  return kOk;
}

}  // namespace vd::sim
