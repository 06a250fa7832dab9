// ApCV benchmarks (issue 4 §9), printed into docs/PERFORMANCE.md by bench/run.sh:
//  - QR decode per 640×480 frame, success rate and p50/p95, ZXing alone vs zbar alone vs
//    ZXing then zbar after a miss, on ONE generated set (sim::cameraFrame: sizes, rotations
//    0–45°, blur, noise, fixed seeds): the figures behind the zbar-fallback decision;
//  - VD2 token verification p50/p99 (Base45 + inflate + two COSE_Sign1 signatures of different
//    parties, the insurer's and the phone's, + SHA-256 digest + claims + replay check) next to
//    ONE bare ECDSA P-256 verify of as many bytes;
//  - scan to verdict from a PNG file (read + PNG decode + QR decode + verification).
#include "apcv_bench.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "crypto/trust_store.hpp"
#include "reader/apcv/token.hpp"
#include "reader/image/qr_reader.hpp"
#include "sim/phone_kit.hpp"
#include "sim/qr_png.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace image = vd::reader::image;

double percentile(std::vector<double> v, double p) {  // nearest rank
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p * static_cast<double>(v.size()))));
  return v[std::min(v.size(), rank) - 1];
}

std::vector<double> samples(int n, const std::function<void()>& f) {
  for (int i = 0; i < std::max(2, n / 10); ++i) f();  // warm-up
  std::vector<double> us;
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    f();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return us;
}

struct FrameSpec {
  int side;
  double rotate, blur, noise;
  const char* group;  // which degradation dominates (for the per-group success rates)
};

struct EngineRun {
  const char* name;
  image::QrEngine engine;
  std::vector<double> us;
  int ok = 0;
  int zbarHits = 0;
  std::vector<int> okByGroup;
};

}  // namespace

int runApcvBench(bool quick) {
  const auto dir = std::filesystem::temp_directory_path() / ("vd-apcv-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  // Now: the issuer certificates apcvInit makes are valid around the real time (checked at
  // presentation). The tokens' shape (sizes) does not depend on the value.
  const std::int64_t now = vd::sim::nowUnix();
  if (!vd::sim::apcvInit(dir, now)) return 3;
  auto text = vd::sim::phoneQr(dir, "valid", now);
  auto trust = vd::crypto::TrustStore::load(dir / "trust");
  if (!text || !trust) return 3;

  // --- QR decode on one generated set -------------------------------------------------
  // 240–330 px for a ~125-module code: 1.8–2.5 px per module, what a desk webcam gets from a
  // phone at arm's length; 330 px is the largest that stays inside 480 rows at 45°.
  const std::vector<int> sides = quick ? std::vector<int>{330} : std::vector<int>{240, 280, 330};
  const std::vector<double> rotations = quick ? std::vector<double>{0, 25} : std::vector<double>{0, 10, 25, 45};
  const std::vector<double> blurs = quick ? std::vector<double>{0, 0.6} : std::vector<double>{0, 0.6, 0.9};
  const std::vector<double> noises = quick ? std::vector<double>{10} : std::vector<double>{0, 10};
  const char* groups[] = {"sharp, upright", "rotated only", "blurred (σ ≥ 0.6, any angle)"};
  std::vector<FrameSpec> specs;
  for (int s : sides)
    for (double r : rotations)
      for (double b : blurs)
        for (double n : noises) specs.push_back({s, r, b, n, b > 0 ? groups[2] : r > 0 ? groups[1] : groups[0]});
  // A fixed text of a VD2 token's length (the kit holder's, 906 characters; see the size
  // table): the same pixels on every run and machine.
  const std::string qrText = vd::sim::syntheticQrText(906, 12345);
  std::vector<image::GreyImage> frames;
  std::uint64_t seed = 1;
  for (const FrameSpec& f : specs) {
    auto frame = vd::sim::cameraFrame(qrText, f.side, 640, 480, {f.rotate, f.blur, f.noise, seed++});
    if (!frame) return 3;
    frames.push_back(std::move(*frame));
  }
  std::vector<EngineRun> runs{{"ZXing alone", image::QrEngine::ZXing, {}, 0, 0, std::vector<int>(3)},
                              {"zbar alone", image::QrEngine::Zbar, {}, 0, 0, std::vector<int>(3)},
                              {"ZXing, then zbar after a miss (adopted)", image::QrEngine::ZXingThenZbar, {}, 0, 0,
                               std::vector<int>(3)}};
  const int reps = quick ? 1 : 2;
  for (EngineRun& run : runs) {
    (void)image::decodeQr(image::Frame::of(frames.front()), run.engine);  // warm-up
    for (int rep = 0; rep < reps; ++rep) {
      for (std::size_t i = 0; i < frames.size(); ++i) {
        const auto t0 = Clock::now();
        auto r = image::decodeQr(image::Frame::of(frames[i]), run.engine);
        run.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (rep != 0) continue;
        const bool good = r && r->text == qrText;
        run.ok += good;
        run.zbarHits += good && r->foundBy == image::QrEngine::Zbar;
        for (int g = 0; g < 3; ++g) run.okByGroup[static_cast<std::size_t>(g)] += good && specs[i].group == groups[g];
      }
    }
  }
  std::vector<int> groupSize(3);
  for (const FrameSpec& f : specs)
    for (int g = 0; g < 3; ++g) groupSize[static_cast<std::size_t>(g)] += f.group == groups[g];
  std::printf("\n### QR decode, 640×480 frames (%zu frames × %d passes)\n\n", frames.size(), reps);
  std::printf("Set: QR (ECC M) of a fixed %zu-character Base45 text (`sim::syntheticQrText`, the"
              " VD2 kit token's length) %s px square, rotated %s°, Gaussian blur σ %s px, noise σ %s"
              " grey levels, seeds 1…%zu (`sim::cameraFrame`). Success = the exact text.\n\n",
              qrText.size(), quick ? "330" : "240/280/330", quick ? "0/25" : "0/10/25/45", quick ? "0/0.6" : "0/0.6/0.9",
              quick ? "10" : "0/10", frames.size());
  std::printf("| engine | success | %s | %s | %s | p50 ms | p95 ms | p50 ratio |\n|---|---|---|---|---|---|---|---|\n",
              groups[0], groups[1], groups[2]);
  const double zxP50 = percentile(runs[0].us, 0.5);
  for (const EngineRun& run : runs) {
    std::printf("| %s | %d/%zu |", run.name, run.ok, frames.size());
    for (int g = 0; g < 3; ++g) std::printf(" %d/%d |", run.okByGroup[static_cast<std::size_t>(g)], groupSize[static_cast<std::size_t>(g)]);
    std::printf(" %.2f | %.2f | %.2f× |\n", percentile(run.us, 0.5) / 1000, percentile(run.us, 0.95) / 1000,
                percentile(run.us, 0.5) / zxP50);
  }
  std::printf("\nThe fallback decoded %d frame(s) ZXing had missed; ratios are against ZXing alone.\n", runs[2].zbarHits);

  // --- Token verification and scan to verdict ------------------------------------------
  const int n = quick ? 20 : 400;
  vd::core::FixedClock clock(now + 5);
  auto verifyOnce = [&](const std::string& t) {
    vd::reader::apcv::ReplayCache replay;  // in memory, fresh: the same token every time
    vd::reader::apcv::TokenVerifier verifier(*trust, clock, replay);
    if (verifier.verify(t).verdict != vd::reader::apcv::Verdict::Verified) std::abort();
  };
  // Floor: a bare ECDSA P-256 verification (OpenSSL) of as many bytes as the token's claims.
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  const std::string msg(text->size(), 'x');
  std::vector<unsigned char> sig(128);
  std::size_t sigLen = sig.size();
  EVP_MD_CTX* sc = EVP_MD_CTX_new();
  EVP_DigestSignInit(sc, nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(sc, sig.data(), &sigLen, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  EVP_MD_CTX_free(sc);
  const auto floor = samples(n, [&] {
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(c, nullptr, EVP_sha256(), nullptr, key);
    if (EVP_DigestVerify(c, sig.data(), sigLen, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1)
      std::abort();
    EVP_MD_CTX_free(c);
  });
  EVP_PKEY_free(key);
  const auto verify = samples(n, [&] { verifyOnce(*text); });
  const auto png = dir / "phone.png";
  if (!vd::sim::writeQrPng(*text, png, 400)) return 3;
  const auto decodeFile = samples(n / 4, [&] {
    if (!image::readQrTextFromFile(png.string())) std::abort();
  });
  const auto scan = samples(n / 4, [&] {
    auto t = image::readQrTextFromFile(png.string());
    if (!t) std::abort();
    verifyOnce(*t);
  });
  const double f50 = percentile(floor, 0.5);
  std::printf("\n### ApCV token verification and scan to verdict\n\n");
  std::printf("| operation | samples | p50 µs | p99 µs | compared with | p50 ratio |\n|---|---|---|---|---|---|\n");
  std::printf("| bare ECDSA P-256 verify (EVP_DigestVerify, %zu bytes) | %d | %.1f | %.1f | (floor) | 1.00× |\n",
              msg.size(), n, f50, percentile(floor, 0.99));
  std::printf("| VD2 token verify: prefix + Base45 + inflate + COSE_Sign1 ×2 (insurer's credential, phone's "
              "presentation) + SHA-256 digest + claims + replay check (`TokenVerifier::verify`) | %d | %.1f | %.1f | bare verify | %.2f× |\n",
              n, percentile(verify, 0.5), percentile(verify, 0.99), percentile(verify, 0.5) / f50);
  std::printf("| PNG file (400 px) → read + PNG decode + QR decode | %d | %.1f | %.1f | token verify | %.2f× |\n",
              n / 4, percentile(decodeFile, 0.5), percentile(decodeFile, 0.99),
              percentile(decodeFile, 0.5) / percentile(verify, 0.5));
  std::printf("| scan to verdict: PNG file → verified credential | %d | %.1f | %.1f | token verify | %.2f× |\n", n / 4,
              percentile(scan, 0.5), percentile(scan, 0.99), percentile(scan, 0.5) / percentile(verify, 0.5));
  std::filesystem::remove_all(dir);
  return 0;
}
