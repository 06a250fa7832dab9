// Outbox drain after an outage (issue 6): N signed care sheets queued while the network was
// down, then drained by the dispatcher (lots of 100, libcurl with mutual TLS) into the insurer
// simulator on loopback, in this process. Next to it, measured in the same run against the
// same server: the raw round trip of one lot POST of the same size through the same
// transport, without the outbox (the floor). Prints a Markdown table (bench/run.sh).
// Usage: vd_drain_bench [--quick]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "app/local_time.hpp"
#include "bench_fse.hpp"
#include "billing/fse/fse_signing.hpp"
#include "billing/outbox/dispatcher.hpp"
#include "billing/outbox/fse_register.hpp"
#include "billing/transport/curl_transport.hpp"
#include "core/nir.hpp"
#include "crypto/digest.hpp"
#include "crypto/test_pki.hpp"
#include "sim/server/insurer_server.hpp"
#include "sim/virtual_card.hpp"

namespace {

using Steady = std::chrono::steady_clock;
constexpr std::size_t kLotSize = 100;

double seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

int fail(const char* what) {
  std::fprintf(stderr, "drain bench: %s\n", what);
  return 3;
}

std::string hex16() { return vd::crypto::toHex(*vd::crypto::randomBytes(16)); }

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int sheets = quick ? 300 : 10000;
  const int rawLots = quick ? 3 : 20;
  const auto dir = std::filesystem::temp_directory_path() / ("vd-drain-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  if (!vd::sim::writeServerPki(dir / "tls")) return fail("server pki");
  auto files = vd::crypto::issueTestCertificate(dir / "tls", "bench", "TEST ONLY bench practitioner");
  if (!files) return fail("practitioner pki");
  auto key = vd::crypto::SigningKey::fromPemFile(files->key);
  auto cert = vd::crypto::X509Cert::fromPemFile(files->certificate);
  if (!key || !cert) return fail("practitioner key");
  vd::billing::CmsFseSigner signer(std::move(key).value(), *cert);
  const vd::core::Date today = vd::core::utcDate(vd::app::SystemClock().now());
  vd::billing::Fse fse = vd::bench::sampleFse(today, 1);

  vd::sim::InsurerServerOptions options;
  options.tlsDir = dir / "tls";
  auto server = vd::sim::InsurerServer::start(options);
  if (!server) return fail("insurer simulator");
  const std::string url = "https://127.0.0.1:" + std::to_string((*server)->port());
  const auto transportConfig = vd::billing::transportConfigFromTlsDir(dir / "tls", url);

  // The queue: N signed sheets, each enqueued in its own durable transaction.
  const auto registerFile = dir / "register.db";
  {
    auto reg = vd::billing::FseRegister::open(registerFile);
    if (!reg) return fail("register");
    vd::billing::QueueEntry q;
    q.careDate = today;
    q.destination = "01141";
    for (int i = 0; i < sheets; ++i) {
      auto n = reg->commitNew(fse.practitioner.rpps, [&](std::uint64_t number) -> vd::core::Result<std::string> {
        fse.invoiceNumber = number;
        return vd::billing::signFse(fse, signer);
      }, {}, q);
      if (!n) return fail("enqueue");
    }
  }

  // Floor: raw lot POSTs of the same size (fresh sheets, numbers after the queue's), same transport.
  std::vector<double> rawMs;
  {
    auto transport = vd::billing::makeCurlTransport(transportConfig);
    if (!transport) return fail("transport");
    std::uint64_t number = static_cast<std::uint64_t>(sheets) + 1000;
    for (int l = 0; l < rawLots + 1; ++l) {
      vd::billing::Lot lot{hex16(), hex16(), "01141", {}};
      for (std::size_t i = 0; i < kLotSize; ++i) {
        fse.invoiceNumber = number;
        lot.members.push_back({{fse.practitioner.rpps, number++}, hex16(), *vd::billing::signFse(fse, signer)});
      }
      const auto t0 = Steady::now();
      auto receipt = (*transport)->sendLot(lot);
      const double ms = seconds(Steady::now() - t0) * 1000;
      if (!receipt || !receipt->arl) return fail("raw lot POST");
      if (l > 0) rawMs.push_back(ms);  // the first one opens the TLS connection
    }
  }
  std::sort(rawMs.begin(), rawMs.end());
  const double rawP50 = rawMs[rawMs.size() / 2];

  // The outage: the network refuses; the dispatcher defers a lot and goes offline.
  auto transport = vd::billing::makeCurlTransport(transportConfig);
  if (!transport) return fail("transport");
  vd::billing::DispatcherConfig config;
  config.registerFile = registerFile;
  config.lotSize = kLotSize;
  vd::app::SystemClock clock;
  vd::billing::Dispatcher dispatcher(config, std::move(*transport), clock, {});
  (*server)->setOnline(false);
  auto down = dispatcher.runOnce();
  if (!down || !down->offline) return fail("outage not seen");
  (*server)->setOnline(true);
  // Recovery: drain everything (sendNow: the deferred lot is due at once).
  int acknowledged = 0, lots = 0;
  const auto t0 = Steady::now();
  for (int pass = 0; acknowledged < sheets && pass < sheets; ++pass) {
    auto r = dispatcher.runOnce(true);
    if (!r || r->offline) return fail("drain");
    acknowledged += r->acknowledged;
    lots += r->lotsSent;
  }
  const double drain = seconds(Steady::now() - t0);
  // Every queued sheet acknowledged, and the ledger holds each sheet once (queue + raw lots).
  const std::size_t expected = static_cast<std::size_t>(sheets) + static_cast<std::size_t>(rawLots + 1) * kLotSize;
  if (acknowledged != sheets || (*server)->counts().fseAccepted != expected) return fail("counts");

  const double rawFsePerSec = kLotSize / (rawP50 / 1000);
  std::printf("\n### Outbox drain after an outage (loopback simulator, mutual TLS, lots of %zu), %d sheets\n\n",
              kLotSize, sheets);
  std::printf("| operation | value | compared with | ratio |\n|---|---|---|---|\n");
  std::printf("| raw lot POST round trip (%zu signed FSE, verified + ARL signed by the server), p50 of %d | %.1f ms "
              "= %.0f FSE/s | (floor) | 1.00× |\n",
              kLotSize, rawLots, rawP50, rawFsePerSec);
  std::printf("| drain %d queued FSE (%d lots: claim, POST, markSent, ARL applied) | %.2f s = %.0f FSE/s | raw lot "
              "POST | %.2f× the time |\n",
              sheets, lots, drain, sheets / drain, (drain / (sheets / static_cast<double>(kLotSize))) / (rawP50 / 1000));

  // The desk's rights look-up per patient: a kept-alive connection (RightsClient, what the desk
  // uses) against a new connection and TLS handshake per look-up (lookupRights), same server.
  const auto nir = vd::core::Nir::parse(vd::sim::kitPersons("twins").front().nir);  // the "twins" kit parent
  if (!nir) return fail("nir");
  const int lookups = quick ? 20 : 200;
  std::vector<double> freshMs, keptMs;
  for (int i = 0; i < lookups; ++i) {
    const auto t = Steady::now();
    if (!vd::billing::lookupRights(transportConfig, *nir, today)) return fail("rights (new connection)");
    freshMs.push_back(seconds(Steady::now() - t) * 1000);
  }
  auto rights = vd::billing::RightsClient::make(transportConfig);
  if (!rights || !(*rights)->lookup(*nir, today)) return fail("rights client");  // opens the connection
  for (int i = 0; i < lookups; ++i) {
    const auto t = Steady::now();
    if (!(*rights)->lookup(*nir, today)) return fail("rights (kept-alive)");
    keptMs.push_back(seconds(Steady::now() - t) * 1000);
  }
  std::sort(freshMs.begin(), freshMs.end());
  std::sort(keptMs.begin(), keptMs.end());
  const double freshP50 = freshMs[freshMs.size() / 2], keptP50 = keptMs[keptMs.size() / 2];
  std::printf("\n### Rights look-up per patient (loopback simulator, mutual TLS), p50 of %d\n\n", lookups);
  std::printf("| operation | value | compared with | ratio |\n|---|---|---|---|\n");
  std::printf("| look-up on a new connection (TCP + TLS handshake with client certificate + POST) | %.2f ms | "
              "(peer) | 1.00× |\n",
              freshP50);
  std::printf("| look-up on the desk's kept-alive connection (RightsClient) | %.3f ms | new connection | %.4f× the "
              "time (%.0f× faster) |\n",
              keptP50, keptP50 / freshP50, freshP50 / keptP50);
  std::filesystem::remove_all(dir);
  return 0;
}
