// Card reader benchmark through a real pcscd + vpcd (bench/card_bench.sh starts them):
// the raw APDU round trip (floor), a full read + verification of an inserted card, and
// (--insertion) the wall-clock instant a newly inserted card is verified.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "reader/card/vitale_card_reader.hpp"
#include "reader/pcsc/pcsc_context.hpp"
#include "pcsc_bench_common.hpp"

using vd::bench::pct;

int main(int argc, char** argv) {
  std::string readerName, trustDir;
  int rounds = 200;
  bool insertion = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reader" && i + 1 < argc) readerName = argv[++i];
    else if (a == "--trust" && i + 1 < argc) trustDir = argv[++i];
    else if (a == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--insertion") insertion = true;
  }
  using namespace vd;
  auto trust = reader::CardTrust::load(trustDir);
  auto ctx = reader::PcscContext::establish();
  if (!trust || !ctx) return 3;
  const core::Date at = *core::Date::fromYmd(2026, 6, 15);
  if (insertion) {
    if (!(*ctx)->waitForCard(readerName, 5000)) return 3;
    auto card = (*ctx)->connect(readerName);
    if (!card || !(*card)->beginTransaction()) return 3;
    auto cred = reader::VitaleCardReader(*trust, at).read(**card);
    if (!cred || cred->verdict != reader::Verdict::Verified) return 1;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    std::printf("%lld\n", static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
    return 0;
  }
  if (!(*ctx)->waitForCard(readerName, 3000)) return 3;
  auto card = (*ctx)->connect(readerName);
  if (!card || !(*card)->beginTransaction()) return 3;
  using Clock = std::chrono::steady_clock;
  const std::vector<std::uint8_t> select = reader::makeApdu(0x00, 0xA4, 0x04, 0x0C, reader::kVitaleAid);
  std::vector<double> readUs;
  int apdus = 0;
  auto floorRuns = vd::bench::roundTrips(**card, select, rounds);
  if (!floorRuns) return 1;
  const std::vector<double>& floorUs = *floorRuns;
  for (int i = 0; i < rounds / 4 + 3; ++i) {
    const auto t0 = Clock::now();
    auto cred = reader::VitaleCardReader(*trust, at).read(**card);
    const auto t1 = Clock::now();
    if (!cred || cred->verdict != reader::Verdict::Verified) return 1;
    apdus = cred->apduCount;
    if (i >= 3) readUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::printf("| raw APDU round trip (SELECT, pcscd + vpcd + emulator) | %.1f | %.1f | (floor) | 1.00× |\n",
              pct(floorUs, 0.5), pct(floorUs, 0.99));
  std::printf("| full read + verification (%d commands, 1 GET RESPONSE, ECDSA verify ×2) | %.1f | %.1f | raw APDU | %.1f× |\n",
              apdus, pct(readUs, 0.5), pct(readUs, 0.99), pct(readUs, 0.5) / pct(floorUs, 0.5));
  return 0;
}
