// ApCV over NFC benchmark through a real pcscd + vpcd and `vitaledesk-sim phone nfc`
// (bench/nfc_bench.sh starts them): the raw APDU round trip (floor), a whole tap once the phone
// is connected (fresh challenge, SELECT, GET TOKEN signed by the phone, chained answer, token
// verification), and (--tap) the wall-clock instant a newly tapped phone is verified.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/local_time.hpp"
#include "reader/apcv/nfc_session.hpp"
#include "reader/pcsc/pcsc_context.hpp"
#include "pcsc_bench_common.hpp"

using vd::bench::pct;

int main(int argc, char** argv) {
  std::string readerName, trustDir;
  int rounds = 200;
  bool tap = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reader" && i + 1 < argc) readerName = argv[++i];
    else if (a == "--trust" && i + 1 < argc) trustDir = argv[++i];
    else if (a == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--tap") tap = true;
  }
  using namespace vd;
  namespace apcv = reader::apcv;
  auto trust = crypto::TrustStore::load(trustDir);
  auto ctx = reader::PcscContext::establish();
  if (!trust || !ctx) return 3;
  const app::SystemClock clock;
  apcv::ReplayCache replay;
  apcv::NfcSession session(*trust, clock, replay);
  if (!(*ctx)->waitForCard(readerName, tap ? 5000 : 3000)) return 3;
  auto phone = (*ctx)->connect(readerName);
  if (!phone || !(*phone)->beginTransaction()) return 3;
  if (tap) {
    auto r = session.read(**phone);
    if (!r || r->credential.verdict != apcv::Verdict::Verified) return 1;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    std::printf("%lld\n", static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
    return 0;
  }
  using Clock = std::chrono::steady_clock;
  const std::vector<std::uint8_t> select = reader::makeApdu(0x00, 0xA4, 0x04, 0x00, apcv::kHceAid, 0);
  std::vector<double> tapUs;
  int apdus = 0;
  std::size_t bytes = 0;
  auto floorRuns = vd::bench::roundTrips(**phone, select, rounds);
  if (!floorRuns) return 1;
  const std::vector<double>& floorUs = *floorRuns;
  for (int i = 0; i < rounds / 4 + 3; ++i) {
    const auto t0 = Clock::now();
    auto r = session.read(**phone);
    const auto t1 = Clock::now();
    if (!r || r->credential.verdict != apcv::Verdict::Verified) return 1;
    apdus = r->apduCount;
    bytes = r->tokenBytes;
    if (i >= 3) tapUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::printf("| raw APDU round trip (SELECT of the HCE AID, pcscd + vpcd + phone emulator) | %.1f | %.1f | (floor) | 1.00× |\n",
              pct(floorUs, 0.5), pct(floorUs, 0.99));
  std::printf("| NFC tap, phone connected → verdict (%d APDUs, %zu-byte token chained; phone signs, desk verifies ×2) "
              "| %.1f | %.1f | raw APDU | %.1f× |\n",
              apdus, bytes, pct(tapUs, 0.5), pct(tapUs, 0.99), pct(tapUs, 0.5) / pct(floorUs, 0.5));
  return 0;
}
