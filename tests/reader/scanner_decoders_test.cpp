// The scanner decoders of reader/scanner on hand-built reports (no device): HID boot keyboard
// in both layouts, HID POS, serial lines, report descriptors, VID:PID lists.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reader/scanner/code_source.hpp"
#include "reader/scanner/hid_decoders.hpp"
#include "reader/scanner/keyboard_layout.hpp"

namespace vd::reader::scanner {
namespace {

constexpr std::string_view kBase45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
constexpr std::uint8_t kShift = mod::kLeftShift;

using Report = std::vector<std::uint8_t>;

Report down(KeyStroke s) {
  return {s.modifiers, 0, s.usage, 0, 0, 0, 0, 0};
}
Report up() {
  return Report(8, 0);
}

// Key-down then key-up per character, as a scanner types; Enter at the end when asked.
std::vector<Report> typed(KeyboardLayout layout, std::string_view text, bool enter = true) {
  std::vector<Report> r;
  for (char c : text) {
    const auto s = strokeFor(layout, std::string_view(&c, 1));
    EXPECT_TRUE(s.has_value()) << "cannot type '" << c << "' with " << layoutId(layout);
    if (!s) continue;
    r.push_back(down(*s));
    r.push_back(up());
  }
  if (enter) {
    r.push_back(down({0, kUsageEnter}));
    r.push_back(up());
  }
  return r;
}

std::vector<ScanResult> feedAll(HidKeyboardDecoder& d, const std::vector<Report>& reports, std::int64_t t0 = 0,
                                std::int64_t step = 2) {
  std::vector<ScanResult> out;
  std::int64_t t = t0;
  for (const auto& r : reports) {
    for (auto& x : d.feed(r, t)) out.push_back(std::move(x));
    t += step;
  }
  return out;
}

std::string onlyText(const std::vector<ScanResult>& results) {
  EXPECT_EQ(results.size(), 1u);
  if (results.size() != 1) return "<" + std::to_string(results.size()) + " results>";
  EXPECT_TRUE(results[0].ok()) << (results[0].ok() ? "" : std::string(core::errcId(results[0].error().code)));
  return results[0].ok() ? results[0]->text : "<error>";
}

// What each layout must type for the characters whose keys differ (from the layouts
// themselves, not from our tables: AZERTY digits need Shift, A/Q Z/W M swap, : / . on the
// comma-row keys).
struct StrokeCase {
  KeyboardLayout layout;
  const char* ch;
  KeyStroke stroke;
};
const StrokeCase kStrokes[] = {
    {KeyboardLayout::Fr, "1", {kShift, 0x1E}},
    {KeyboardLayout::Fr, "0", {kShift, 0x27}},
    {KeyboardLayout::Fr, "A", {kShift, 0x14}},
    {KeyboardLayout::Fr, "Q", {kShift, 0x04}},
    {KeyboardLayout::Fr, "Z", {kShift, 0x1A}},
    {KeyboardLayout::Fr, "W", {kShift, 0x1D}},
    {KeyboardLayout::Fr, "M", {kShift, 0x33}},
    {KeyboardLayout::Fr, ":", {0, 0x37}},
    {KeyboardLayout::Fr, "/", {kShift, 0x37}},
    {KeyboardLayout::Fr, ".", {kShift, 0x36}},
    {KeyboardLayout::Fr, "-", {0, 0x23}},
    {KeyboardLayout::Fr, "$", {0, 0x30}},
    {KeyboardLayout::Fr, "%", {kShift, 0x34}},
    {KeyboardLayout::Fr, "*", {0, 0x31}},
    {KeyboardLayout::Fr, "+", {kShift, 0x2E}},
    {KeyboardLayout::Fr, " ", {0, 0x2C}},
    {KeyboardLayout::Fr, "@", {mod::kRightAlt, 0x27}},
    {KeyboardLayout::Us, "1", {0, 0x1E}},
    {KeyboardLayout::Us, "A", {kShift, 0x04}},
    {KeyboardLayout::Us, ":", {kShift, 0x33}},
    {KeyboardLayout::Us, "/", {0, 0x38}},
    {KeyboardLayout::Us, ".", {0, 0x37}},
    {KeyboardLayout::Us, "$", {kShift, 0x21}},
    {KeyboardLayout::Us, "%", {kShift, 0x22}},
    {KeyboardLayout::Us, "*", {kShift, 0x25}},
    {KeyboardLayout::Us, "+", {kShift, 0x2E}},
    {KeyboardLayout::Us, "-", {0, 0x2D}},
};

TEST(KeyboardLayout, StrokesOfTheLayouts) {
  for (const auto& c : kStrokes) {
    SCOPED_TRACE(std::string(layoutId(c.layout)) + " '" + c.ch + "'");
    const auto s = strokeFor(c.layout, c.ch);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(*s, c.stroke);
    EXPECT_EQ(translateKey(c.layout, c.stroke).text, c.ch);
  }
}

TEST(KeyboardLayout, EveryBase45CharacterRoundTripsInBothLayouts) {
  for (const auto layout : {KeyboardLayout::Us, KeyboardLayout::Fr}) {
    SCOPED_TRACE(layoutId(layout));
    HidKeyboardDecoder d(layout);
    EXPECT_EQ(onlyText(feedAll(d, typed(layout, kBase45))), kBase45);
    // Each character alone too (one code per character).
    for (char c : kBase45) {
      if (c == ' ') continue;  // a lone space is a code of one space: fine, but skip for clarity
      EXPECT_EQ(onlyText(feedAll(d, typed(layout, std::string_view(&c, 1)))), std::string(1, c));
    }
  }
}

TEST(KeyboardLayout, ParseAndIds) {
  EXPECT_EQ(parseLayout("FR"), KeyboardLayout::Fr);
  EXPECT_EQ(parseLayout("azerty"), KeyboardLayout::Fr);
  EXPECT_EQ(parseLayout("us"), KeyboardLayout::Us);
  EXPECT_EQ(parseLayout("qwertz"), std::nullopt);
  EXPECT_EQ(otherLayout(KeyboardLayout::Fr), KeyboardLayout::Us);
}

TEST(HidKeyboardDecoder, RightShiftAndAltGr) {
  HidKeyboardDecoder fr(KeyboardLayout::Fr);
  const std::vector<Report> r{{mod::kRightShift, 0, 0x1E, 0, 0, 0, 0, 0},
                              up(),  // 1
                              {mod::kRightAlt, 0, 0x27, 0, 0, 0, 0, 0},
                              up(),  // @ (AltGr)
                              {mod::kLeftCtrl | mod::kLeftAlt, 0, 0x20, 0, 0, 0, 0, 0},
                              up(),  // # (Ctrl+Alt)
                              down({0, kUsageEnter}),
                              up()};
  EXPECT_EQ(onlyText(feedAll(fr, r)), "1@#");
}

TEST(HidKeyboardDecoder, ModifierOnlyReportsAndShiftHeldAcrossKeys) {
  HidKeyboardDecoder us(KeyboardLayout::Us);
  const std::vector<Report> r{{kShift, 0, 0, 0, 0, 0, 0, 0},     // Shift pressed alone first
                              {kShift, 0, 0x19, 0, 0, 0, 0, 0},  // V
                              {kShift, 0, 0, 0, 0, 0, 0, 0},     // V released, Shift held
                              {kShift, 0, 0x07, 0, 0, 0, 0, 0},  // D
                              up(),
                              down({0, 0x1E}),
                              up(),
                              down({kShift, 0x33}),
                              up(),
                              down({0, kUsageEnter}),
                              up()};
  EXPECT_EQ(onlyText(feedAll(us, r)), "VD1:");
}

TEST(HidKeyboardDecoder, RolloverTypesNewKeysInSlotOrderOnce) {
  HidKeyboardDecoder us(KeyboardLayout::Us);
  const std::vector<Report> r{{0, 0, 0x04, 0, 0, 0, 0, 0},                 // a
                              {0, 0, 0x04, 0x05, 0, 0, 0, 0},              // a held, b new
                              {0, 0, 0x05, 0x06, 0x07, 0, 0, 0},           // c, d new
                              {0, 0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01},  // ErrorRollOver: ignored
                              {0, 0, 0x06, 0x07, 0, 0, 0, 0},              // still held
                              up(),
                              down({0, 0x04}),
                              up(),  // a again after a release
                              down({0, kUsageKeypadEnter}),
                              up()};
  EXPECT_EQ(onlyText(feedAll(us, r)), "abcda");
}

TEST(HidKeyboardDecoder, KeypadIsLayoutIndependent) {
  for (const auto layout : {KeyboardLayout::Us, KeyboardLayout::Fr}) {
    HidKeyboardDecoder d(layout);
    const std::vector<Report> r{down({0, 0x59}), up(), down({0, 0x62}),        up(), down({0, 0x63}), up(),
                                down({0, 0x55}), up(), down({0, kUsageEnter}), up()};
    EXPECT_EQ(onlyText(feedAll(d, r)), "10.*");
  }
}

TEST(HidKeyboardDecoder, WrongLayoutGivesOtherTextNotACrash) {
  HidKeyboardDecoder us(KeyboardLayout::Us);
  EXPECT_EQ(onlyText(feedAll(us, typed(KeyboardLayout::Fr, "VD1:AZ"))), "VD!.QW");
  HidKeyboardDecoder fr(KeyboardLayout::Fr);
  EXPECT_EQ(onlyText(feedAll(fr, typed(KeyboardLayout::Us, "VD1:"))), "VD&M");
  // The raw strokes let the caller re-decode with the other layout.
  HidKeyboardDecoder again(KeyboardLayout::Us);
  const auto res = feedAll(again, typed(KeyboardLayout::Fr, "VD1:AZ"));
  ASSERT_TRUE(res.at(0).ok());
  EXPECT_EQ(decodeStrokes(res[0]->strokes, KeyboardLayout::Fr), "VD1:AZ");
}

TEST(HidKeyboardDecoder, UnmappedKeyMakesTheCodeGarbled) {
  HidKeyboardDecoder us(KeyboardLayout::Us);
  const std::vector<Report> r{down({0, 0x04}), up(), down({mod::kLeftCtrl, 0x05}), up(),
                              down({0, 0x06}), up(), down({0, kUsageEnter}),       up()};
  const auto res = feedAll(us, r);
  ASSERT_EQ(res.size(), 1u);
  ASSERT_FALSE(res[0].ok());
  EXPECT_EQ(res[0].error().code, core::Errc::ScannerGarbled);
  // US has no AltGr; the FR dead key ^ (0x2F) is not text either.
  EXPECT_EQ(translateKey(KeyboardLayout::Us, {mod::kRightAlt, 0x27}).kind, KeyMeaning::Kind::Unmapped);
  EXPECT_EQ(translateKey(KeyboardLayout::Fr, {0, 0x2F}).kind, KeyMeaning::Kind::Unmapped);
  // The next code is clean again.
  EXPECT_EQ(onlyText(feedAll(us, typed(KeyboardLayout::Us, "OK"), 1000)), "OK");
}

TEST(HidKeyboardDecoder, EndsOnInterReportGapWithoutEnter) {
  HidKeyboardDecoder d(KeyboardLayout::Fr, DecoderLimits{8192, 100});
  EXPECT_TRUE(feedAll(d, typed(KeyboardLayout::Fr, "ABC", false), 0, 5).empty());
  EXPECT_TRUE(d.poll(25 + 100).empty());  // last report (key-up) at t=25: exactly the gap, still open
  auto res = d.poll(25 + 101);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0]->text, "ABC");
  EXPECT_EQ(res[0]->end, ScannedText::End::Gap);
  EXPECT_TRUE(d.poll(10'000).empty());
  // A report after the gap ends the pending code first, then starts a new one.
  EXPECT_TRUE(feedAll(d, typed(KeyboardLayout::Fr, "X", false), 20'000).empty());
  auto two = feedAll(d, typed(KeyboardLayout::Fr, "Y"), 21'000);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0]->text, "X");
  EXPECT_EQ(two[1]->text, "Y");
}

TEST(HidKeyboardDecoder, LoneEnterShortAndOverlongReports) {
  HidKeyboardDecoder d(KeyboardLayout::Us, DecoderLimits{4, 100});
  EXPECT_TRUE(feedAll(d, {down({0, kUsageEnter}), up()}).empty());
  EXPECT_TRUE(d.feed(Report{0x02}, 0).empty());  // too short: ignored
  const auto res = feedAll(d, typed(KeyboardLayout::Us, "ABCDE"));
  ASSERT_EQ(res.size(), 1u);
  ASSERT_FALSE(res[0].ok());
  EXPECT_EQ(res[0].error().code, core::Errc::ScannerCodeTooLong);
  EXPECT_EQ(onlyText(feedAll(d, typed(KeyboardLayout::Us, "ABCD"), 500)), "ABCD");
}

TEST(HidPosDecoder, MultiReportCodeWithSymbology) {
  std::string text = "VD1:";
  for (int i = 0; i < 150; ++i) text += static_cast<char>('A' + i % 26);
  const auto reports = HidPosDecoder::encode(text);
  ASSERT_EQ(reports.size(), 3u);  // 154 bytes = 56 + 56 + 42
  HidPosDecoder d;
  std::vector<ScanResult> out;
  for (std::size_t i = 0; i < reports.size(); ++i)
    for (auto& r : d.feed(reports[i], static_cast<std::int64_t>(i))) out.push_back(std::move(r));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]->text, text);
  EXPECT_EQ(out[0]->symbology, "]Q1");
}

TEST(HidPosDecoder, BadLengthOtherReportIdsAndTimeout) {
  HidPosDecoder d;
  Report other(64, 0);
  other[0] = 0x04;
  EXPECT_TRUE(d.feed(other, 0).empty());
  Report bad = HidPosDecoder::encode("ABC")[0];
  bad[1] = 57;
  auto res = d.feed(bad, 1);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0].error().code, core::Errc::ScannerGarbled);
  Report past = {0x02, 10, ']', 'Q', '1', 'A'};  // n beyond a short report
  res = d.feed(past, 2);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_FALSE(res[0].ok());
  // First report of two, then silence: the part read ends on the gap.
  const auto two = HidPosDecoder::encode(std::string(60, 'Z'));
  EXPECT_TRUE(d.feed(two[0], 10).empty());
  res = d.poll(500);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0]->text, std::string(56, 'Z'));
  EXPECT_EQ(res[0]->end, ScannedText::End::Gap);
}

std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(LineDecoder, CrLfCrlfChunksAndGap) {
  LineDecoder d;
  auto res = d.feed(bytes("VD1:AB\rVD1:CD\nVD1:EF\r\n"), 0);
  ASSERT_EQ(res.size(), 3u);
  EXPECT_EQ(res[0]->text, "VD1:AB");
  EXPECT_EQ(res[1]->text, "VD1:CD");
  EXPECT_EQ(res[2]->text, "VD1:EF");
  EXPECT_TRUE(d.feed(bytes("VD1:"), 1000).empty());
  EXPECT_TRUE(d.feed(bytes("GH"), 1010).empty());
  res = d.feed(bytes("\r"), 1020);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0]->text, "VD1:GH");
  EXPECT_TRUE(d.feed(bytes("VD1:IJ"), 2000).empty());
  EXPECT_TRUE(d.poll(2050).empty());
  res = d.poll(2101);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0]->text, "VD1:IJ");
  res = d.feed(bytes("A\x01"
                     "B\r"),
               3000);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0].error().code, core::Errc::ScannerGarbled);
}

TEST(ReportDescriptor, FindsThePosUsagePage) {
  const std::vector<std::uint8_t> pos{0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01, 0xC0};
  const std::vector<std::uint8_t> pos1{0x05, 0x8C, 0x09, 0x02};
  const std::vector<std::uint8_t> keyboard{0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0xC0};
  const std::vector<std::uint8_t> truncated{0x05, 0x01, 0x06, 0x8C};
  const std::vector<std::uint8_t> longItem{0xFE, 0x02, 0x10, 0x05, 0x8C, 0x05, 0x8C};
  const std::vector<std::uint8_t> onlyInLongItem{0xFE, 0x02, 0x10, 0x05, 0x8C};
  EXPECT_TRUE(reportDescriptorUsesPage(pos, 0x8C));
  EXPECT_TRUE(reportDescriptorUsesPage(pos1, 0x8C));
  EXPECT_FALSE(reportDescriptorUsesPage(keyboard, 0x8C));
  EXPECT_FALSE(reportDescriptorUsesPage(truncated, 0x8C));
  EXPECT_TRUE(reportDescriptorUsesPage(longItem, 0x8C));
  EXPECT_FALSE(reportDescriptorUsesPage(onlyInLongItem, 0x8C));  // a long item's data is not an item
}

TEST(VidPid, ParseAndMatch) {
  const auto a = parseVidPid("1209:0001");
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->matches(0x1209, 0x0001));
  EXPECT_FALSE(a->matches(0x1209, 0x0002));
  const auto any = parseVidPid("0C2E:*");
  ASSERT_TRUE(any.has_value());
  EXPECT_TRUE(any->matches(0x0c2e, 0x1234));
  EXPECT_FALSE(parseVidPid("1209").has_value());
  EXPECT_FALSE(parseVidPid("12345:1").has_value());
  EXPECT_FALSE(parseVidPid("12g9:0001").has_value());
  EXPECT_FALSE(parseVidPid("1209:").has_value());
  bool testPid = false;
  for (const auto& v : knownScanners()) testPid = testPid || v.matches(0x1209, 0x0001);
  EXPECT_TRUE(testPid);
}

}  // namespace
}  // namespace vd::reader::scanner
