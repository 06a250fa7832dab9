// libFuzzer target: the byte streams of USB and serial QR scanners (reader/scanner) — HID boot
// keyboard reports in both layouts, HID POS reports, serial lines, report descriptors and the
// keyboard-wedge detector. Input: byte 0 chooses the decoder; then records of
// [length][time step][length bytes]. Every code must respect the length limit.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reader/scanner/hid_decoders.hpp"
#include "reader/scanner/wedge_burst_detector.hpp"

namespace sc = vd::reader::scanner;

namespace {

constexpr std::size_t kLimit = 64;

void checkResults(const std::vector<sc::ScanResult>& results) {
  for (const auto& r : results)
    if (r.ok() && (r->text.empty() || r->text.size() > kLimit || r->strokes.size() > kLimit)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0] % 6;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  if (mode == 5) {
    (void)sc::reportDescriptorUsesPage(rest, 0x8C);
    return 0;
  }
  const sc::DecoderLimits limits{kLimit, 20};
  sc::HidKeyboardDecoder kbd(mode == 0 ? sc::KeyboardLayout::Us : sc::KeyboardLayout::Fr, limits);
  sc::HidPosDecoder pos(limits);
  sc::LineDecoder line(limits);
  sc::WedgeOptions wo;
  wo.maxLength = kLimit;
  sc::WedgeBurstDetector wedge(wo);
  std::int64_t t = 0;
  std::size_t i = 0;
  while (i + 2 <= rest.size()) {
    const std::size_t len = rest[i] % 72;
    t += rest[i + 1];
    i += 2;
    const auto chunk = rest.subspan(i, std::min(len, rest.size() - i));
    i += chunk.size();
    switch (mode) {
      case 0:
      case 1:
        checkResults(kbd.feed(chunk, t));
        checkResults(kbd.poll(t + 1));
        break;
      case 2:
        checkResults(pos.feed(chunk, t));
        checkResults(pos.poll(t + 1));
        break;
      case 3:
        checkResults(line.feed(chunk, t));
        checkResults(line.poll(t + 1));
        break;
      default: {
        for (const std::uint8_t b : chunk) {
          sc::WedgeKey k;
          k.kind = b == '\n'  ? sc::WedgeKey::Kind::Enter
                   : b < 0x20 ? sc::WedgeKey::Kind::Other
                              : sc::WedgeKey::Kind::Char;
          if (k.kind == sc::WedgeKey::Kind::Char) k.text = std::string(1, static_cast<char>(b));
          const auto out = wedge.onKey(std::move(k), t);
          if (out.code && (out.code->size() > kLimit || out.code->empty())) __builtin_trap();
          t += b % 40;
        }
        const auto out = wedge.onTick(t + 100);
        if (out.code && out.code->size() > kLimit) __builtin_trap();
        if (wedge.held() != 0) __builtin_trap();
      }
    }
  }
  return 0;
}
