// The keyboard-wedge burst detector: scanner bursts become codes, human typing passes through
// unchanged and in order (timings in ms, no clock, no sleep).
#include "reader/scanner/wedge_burst_detector.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vd::reader::scanner {
namespace {

struct Fed {
  std::string passed;  // passThrough keys: chars as is, Enter as '\n', Other as '#'
  std::vector<std::string> codes;
  std::vector<core::Errc> errors;
};

void collect(Fed& f, WedgeOutput out) {
  for (const auto& k : out.passThrough)
    f.passed += k.kind == WedgeKey::Kind::Char ? k.text : k.kind == WedgeKey::Kind::Enter ? "\n" : "#";
  if (out.code) f.codes.push_back(*out.code);
  if (out.error) f.errors.push_back(out.error->code);
}

// Types `text` ('\n' = Enter, '#' = Other) with `gap` ms between keys from `t`, ticking every 10 ms.
Fed type(WedgeBurstDetector& d, std::string_view text, std::int64_t gap, std::int64_t& t, Fed f = {}) {
  std::uint64_t tag = 0;
  for (char c : text) {
    for (std::int64_t tick = t - gap + 10; tick < t; tick += 10) collect(f, d.onTick(tick));
    WedgeKey k;
    k.kind = c == '\n' ? WedgeKey::Kind::Enter : c == '#' ? WedgeKey::Kind::Other : WedgeKey::Kind::Char;
    if (k.kind == WedgeKey::Kind::Char) k.text = std::string(1, c);
    k.tag = tag++;
    collect(f, d.onKey(k, t));
    t += gap;
  }
  return f;
}

void settle(WedgeBurstDetector& d, Fed& f, std::int64_t& t) {
  for (int i = 0; i < 10; ++i) collect(f, d.onTick(t += 10));
}

struct Case {
  const char* name;
  const char* text;
  std::int64_t gapMs;
  bool scanner;  // a code expected, nothing passed through
};

const Case kCases[] = {
    {"scanner 2 ms", "VD1:6BFOXN%TS\n", 2, true},
    {"scanner at the 30 ms limit", "VD1:6BFOXN%TS\n", 30, true},
    {"human 120 ms", "dupont jean\n", 120, false},
    {"fast typist 40 ms", "password\n", 40, false},
    {"short fast burst (3 keys, 5 ms)", "abc\n", 5, false},
    {"fast burst without Enter", "ABCDEFGHIJ", 5, false},
    {"burst cut by an Other key", "ABCD#EFGHIJ\n", 5, false},
};

TEST(WedgeBurstDetector, ScannerBurstsAndHumanTyping) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    WedgeBurstDetector d;
    std::int64_t t = 1000;
    Fed f = type(d, c.text, c.gapMs, t);
    settle(d, f, t);
    std::string text = c.text;
    if (c.scanner) {
      ASSERT_EQ(f.codes.size(), 1u);
      text.pop_back();
      EXPECT_EQ(f.codes[0], text);
      EXPECT_EQ(f.passed, "");
    } else {
      EXPECT_TRUE(f.codes.empty());
      EXPECT_EQ(f.passed, text);  // every key, in order: human typing is never swallowed
    }
    EXPECT_EQ(d.held(), 0u);
  }
}

TEST(WedgeBurstDetector, HumanKeyThenScanThenHuman) {
  WedgeBurstDetector d;
  std::int64_t t = 0;
  Fed f = type(d, "ab", 150, t);
  t += 200;
  f = type(d, "VD1:ABCDEFGH\n", 3, t, f);
  t += 300;
  f = type(d, "c\n", 150, t, f);
  settle(d, f, t);
  ASSERT_EQ(f.codes.size(), 1u);
  EXPECT_EQ(f.codes[0], "VD1:ABCDEFGH");
  EXPECT_EQ(f.passed, "abc\n");
}

TEST(WedgeBurstDetector, HeldKeyIsReleasedAfterTheGap) {
  WedgeBurstDetector d;
  Fed f;
  collect(f, d.onKey({WedgeKey::Kind::Char, "x", 7}, 100));
  EXPECT_EQ(d.held(), 1u);
  collect(f, d.onTick(130));  // exactly the gap: still held
  EXPECT_EQ(f.passed, "");
  WedgeOutput out = d.onTick(131);
  ASSERT_EQ(out.passThrough.size(), 1u);
  EXPECT_EQ(out.passThrough[0].tag, 7u);  // the caller's handle comes back
}

TEST(WedgeBurstDetector, WithoutEnterWhenConfigured) {
  WedgeOptions o;
  o.requireEnter = false;
  WedgeBurstDetector d(o);
  std::int64_t t = 0;
  Fed f = type(d, "VD1:ABCDEFGH", 4, t);
  settle(d, f, t);
  ASSERT_EQ(f.codes.size(), 1u);
  EXPECT_EQ(f.codes[0], "VD1:ABCDEFGH");
}

TEST(WedgeBurstDetector, OverlongBurstIsDroppedWithAnError) {
  WedgeOptions o;
  o.maxLength = 16;
  WedgeBurstDetector d(o);
  std::int64_t t = 0;
  Fed f = type(d, std::string(40, 'A') + "\n", 2, t);
  settle(d, f, t);
  EXPECT_TRUE(f.codes.empty());
  ASSERT_FALSE(f.errors.empty());
  EXPECT_EQ(f.errors[0], core::Errc::ScannerCodeTooLong);
  EXPECT_EQ(f.passed, "");  // neither the burst nor its Enter reach the focused control
}

}  // namespace
}  // namespace vd::reader::scanner
