// VitaleDesk benchmarks: each figure next to a floor measured in the same run, on the same
// machine (machines here are noisy: compare ratios, not absolute times).
// Prints Markdown tables (bench/run.sh writes them into docs/PERFORMANCE.md).
//
// Percentiles need every sample, which Google Benchmark's aggregates do not give: hence
// this small harness (steady_clock around each iteration, nearest-rank percentiles).
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "apcv_bench.hpp"
#include "bench_fse.hpp"
#include "app/fse_use_case.hpp"
#include "app/use_cases.hpp"
#include "billing/fse/fse_signing.hpp"
#include "billing/outbox/fse_register.hpp"
#include "billing/tariff/pricing.hpp"
#include "crypto/test_pki.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
  double p50 = 0, p99 = 0;  // microseconds
};

Stats measure(int n, const std::function<void()>& f) {
  for (int i = 0; i < std::max(2, n / 10); ++i) f();  // warm-up
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    f();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  auto rank = [&](double p) { return us[static_cast<std::size_t>(std::max(0.0, p * static_cast<double>(us.size()) - 1))]; };
  return {rank(0.50), rank(0.99)};
}

void row(const char* what, Stats s, Stats floor, const char* floorName) {
  std::printf("| %s | %.2f | %.2f | %s | %.2f× |\n", what, s.p50, s.p99, floorName, s.p50 / floor.p50);
}
void floorRow(const char* what, Stats s) { std::printf("| %s | %.2f | %.2f | (floor) | 1.00× |\n", what, s.p50, s.p99); }

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int n = quick ? 20 : 400;
  const auto dir = std::filesystem::temp_directory_path() / ("vd-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto files = vd::crypto::issueTestCertificate(dir, "bench", "TEST ONLY bench");
  if (!files) return 3;
  const vd::billing::Fse fse = vd::bench::sampleFse();
  const std::string canonical = vd::billing::toCanonicalJson(fse);

  // Floor: a bare ECDSA P-256 signature and verification of the same bytes with OpenSSL.
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  std::vector<unsigned char> sig(128);
  std::size_t sigLen = 0;
  auto rawSign = [&] {
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    sigLen = sig.size();
    EVP_DigestSignInit(c, nullptr, EVP_sha256(), nullptr, raw);
    EVP_DigestSign(c, sig.data(), &sigLen, reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size());
    EVP_MD_CTX_free(c);
  };
  auto rawVerify = [&] {
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(c, nullptr, EVP_sha256(), nullptr, raw);
    if (EVP_DigestVerify(c, sig.data(), sigLen, reinterpret_cast<const unsigned char*>(canonical.data()),
                         canonical.size()) != 1) {
      std::abort();
    }
    EVP_MD_CTX_free(c);
  };
  auto key = vd::crypto::SigningKey::fromPemFile(files->key);
  auto cert = vd::crypto::X509Cert::fromPemFile(files->certificate);
  const std::vector<vd::crypto::X509Cert> anchors{*vd::crypto::X509Cert::fromPemFile(files->caCertificate)};
  vd::billing::CmsFseSigner signer(std::move(key).value(), *cert);
  std::string pem = *vd::billing::signFse(fse, signer);

  const Stats sFloor = measure(n, rawSign);
  rawSign();
  const Stats vFloor = measure(n, rawVerify);
  const Stats sFse = measure(n, [&] { pem = *vd::billing::signFse(fse, signer); });
  const Stats vFse = measure(n, [&] {
    if (!vd::billing::verifySignedFse(pem, anchors).ok()) std::abort();
  });

  std::printf("### FSE signature (ECDSA P-256, key file), %d samples\n\n", n);
  std::printf("| operation | p50 µs | p99 µs | compared with | p50 ratio |\n|---|---|---|---|---|\n");
  floorRow("raw ECDSA sign of the canonical bytes (OpenSSL EVP_DigestSign)", sFloor);
  row("validate + canonical JSON + CMS sign (`signFse`)", sFse, sFloor, "raw sign");
  floorRow("raw ECDSA verify (EVP_DigestVerify)", vFloor);
  row("CMS verify + chain + profile + parse + validate (`verifySignedFse`)", vFse, vFloor, "raw verify");

  // Floor: one 4 KiB write + fdatasync in the same directory (what one durable commit costs).
  const auto floorFile = dir / "fsync-floor.bin";
  const int fd = ::open(floorFile.c_str(), O_CREAT | O_WRONLY, 0600);
  std::vector<char> page(4096, 'x');
  long offset = 0;
  const Stats fsyncFloor = measure(n, [&] {
    if (::pwrite(fd, page.data(), page.size(), offset) < 0 || ::fdatasync(fd) != 0) std::abort();
    offset = (offset + 4096) % (1 << 20);
  });
  ::close(fd);
  auto reg = vd::billing::FseRegister::open(dir / "register.db");
  const Stats commit = measure(n, [&] {
    if (!reg->commitNew("bench", [&](std::uint64_t) -> vd::core::Result<std::string> { return pem; }).ok()) std::abort();
  });
  std::printf("\n### Register commit (number + signed FSE, SQLite WAL, synchronous=FULL), %d samples\n\n", n);
  std::printf("| operation | p50 µs | p99 µs | compared with | p50 ratio |\n|---|---|---|---|---|\n");
  floorRow("4 KiB pwrite + fdatasync, same directory", fsyncFloor);
  row("`FseRegister::commitNew` (BEGIN IMMEDIATE … COMMIT)", commit, fsyncFloor, "fsync floor");

  // Pricing: a child's consultation with MEG and an adult's pharmacy sheet.
  auto catalog = vd::app::loadShippedTariffs();
  if (!catalog) return 3;
  const vd::billing::PricingEngine engine(*catalog);
  const vd::billing::InMemoryCapHistory history;
  vd::billing::CareSheet child{*vd::core::Date::parseIso("2025-06-01"), "bench", {}, {}};
  child.coverage.birthDate = *vd::core::BirthDate::parse("20220310");
  child.lines = {vd::billing::CareLine::act("G"), vd::billing::CareLine::act("MEG")};
  const Stats lookup = measure(n * 10, [&] {
    if (!catalog->acts().find("G", child.dateOfCare).ok()) std::abort();
  });
  const Stats price = measure(n * 10, [&] {
    if (!engine.price(child, history).ok()) std::abort();
  });
  std::printf("\n### Pricing (shipped tables), %d samples\n\n", n * 10);
  std::printf("| operation | p50 µs | p99 µs | compared with | p50 ratio |\n|---|---|---|---|---|\n");
  floorRow("one dated-table lookup (G at the date)", lookup);
  row("price G + MEG for a child (rules, PF, split)", price, lookup, "one lookup");

  if (const int rc = runApcvBench(quick); rc != 0) return rc;  // bench/apcv_bench.cpp
  if (const int rc = runApcvSizeBench(); rc != 0) return rc;  // bench/apcv_size_bench.cpp

  EVP_PKEY_free(raw);
  std::filesystem::remove_all(dir);
  return 0;
}
