#include "reader/scanner/keyboard_layout.hpp"

#include <array>
#include <cctype>

namespace vd::reader::scanner {
namespace {

// One key of page 0x07 and what it types with no modifier, with Shift, with AltGr (nullptr: nothing).
struct KeyRow {
  std::uint8_t usage;
  const char* plain;
  const char* shift;
  const char* altGr;
};

// Keys shared by both layouts (letters are overridden per layout below).
constexpr std::array kCommon{
    KeyRow{0x2C, " ", " ", nullptr},
    KeyRow{0x2B, "\t", nullptr, nullptr},
    // Keypad (layout-independent; NumLock on).
    KeyRow{0x54, "/", nullptr, nullptr},
    KeyRow{0x55, "*", nullptr, nullptr},
    KeyRow{0x56, "-", nullptr, nullptr},
    KeyRow{0x57, "+", nullptr, nullptr},
    KeyRow{0x59, "1", nullptr, nullptr},
    KeyRow{0x5A, "2", nullptr, nullptr},
    KeyRow{0x5B, "3", nullptr, nullptr},
    KeyRow{0x5C, "4", nullptr, nullptr},
    KeyRow{0x5D, "5", nullptr, nullptr},
    KeyRow{0x5E, "6", nullptr, nullptr},
    KeyRow{0x5F, "7", nullptr, nullptr},
    KeyRow{0x60, "8", nullptr, nullptr},
    KeyRow{0x61, "9", nullptr, nullptr},
    KeyRow{0x62, "0", nullptr, nullptr},
    KeyRow{0x63, ".", nullptr, nullptr},
};

// US QWERTY: letters 0x04–0x1D are a–z in order (handled in code); the rest here.
constexpr std::array kUs{
    KeyRow{0x1E, "1", "!", nullptr},  KeyRow{0x1F, "2", "@", nullptr},  KeyRow{0x20, "3", "#", nullptr},
    KeyRow{0x21, "4", "$", nullptr},  KeyRow{0x22, "5", "%", nullptr},  KeyRow{0x23, "6", "^", nullptr},
    KeyRow{0x24, "7", "&", nullptr},  KeyRow{0x25, "8", "*", nullptr},  KeyRow{0x26, "9", "(", nullptr},
    KeyRow{0x27, "0", ")", nullptr},  KeyRow{0x2D, "-", "_", nullptr},  KeyRow{0x2E, "=", "+", nullptr},
    KeyRow{0x2F, "[", "{", nullptr},  KeyRow{0x30, "]", "}", nullptr},  KeyRow{0x31, "\\", "|", nullptr},
    KeyRow{0x32, "\\", "|", nullptr}, KeyRow{0x33, ";", ":", nullptr},  KeyRow{0x34, "'", "\"", nullptr},
    KeyRow{0x35, "`", "~", nullptr},  KeyRow{0x36, ",", "<", nullptr},  KeyRow{0x37, ".", ">", nullptr},
    KeyRow{0x38, "/", "?", nullptr},  KeyRow{0x64, "\\", "|", nullptr},
};

// French AZERTY: the letters that move, the digit row (digits need Shift), punctuation.
constexpr std::array kFr{
    KeyRow{0x04, "q", "Q", nullptr},
    KeyRow{0x14, "a", "A", nullptr},
    KeyRow{0x1A, "z", "Z", nullptr},
    KeyRow{0x1D, "w", "W", nullptr},
    KeyRow{0x33, "m", "M", nullptr},
    KeyRow{0x10, ",", "?", nullptr},
    KeyRow{0x08, "e", "E", "\xE2\x82\xAC"},  // €
    KeyRow{0x1E, "&", "1", nullptr},
    KeyRow{0x1F, "\xC3\xA9", "2", nullptr},  // é
    KeyRow{0x20, "\"", "3", "#"},
    KeyRow{0x21, "'", "4", "{"},
    KeyRow{0x22, "(", "5", "["},
    KeyRow{0x23, "-", "6", "|"},
    KeyRow{0x24, "\xC3\xA8", "7", nullptr},  // è
    KeyRow{0x25, "_", "8", "\\"},
    KeyRow{0x26, "\xC3\xA7", "9", "^"},  // ç
    KeyRow{0x27, "\xC3\xA0", "0", "@"},  // à
    KeyRow{0x2D, ")", "\xC2\xB0", "]"},
    KeyRow{0x2E, "=", "+", "}"},                // °
    KeyRow{0x30, "$", "\xC2\xA3", "\xC2\xA4"},  // £ ¤
    KeyRow{0x31, "*", "\xC2\xB5", nullptr},
    KeyRow{0x32, "*", "\xC2\xB5", nullptr},      // µ
    KeyRow{0x34, "\xC3\xB9", "%", nullptr},      // ù
    KeyRow{0x35, "\xC2\xB2", nullptr, nullptr},  // ²
    KeyRow{0x36, ";", ".", nullptr},
    KeyRow{0x37, ":", "/", nullptr},
    KeyRow{0x38, "!", "\xC2\xA7", nullptr},  // §
    KeyRow{0x64, "<", ">", nullptr},
};

constexpr const char* kLower[26] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                    "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
constexpr const char* kUpper[26] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
                                    "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"};

std::optional<KeyRow> findRow(KeyboardLayout layout, std::uint8_t usage) {
  const auto search = [usage](const auto& table) -> std::optional<KeyRow> {
    for (const auto& r : table)
      if (r.usage == usage) return r;
    return std::nullopt;
  };
  if (auto r = layout == KeyboardLayout::Fr ? search(kFr) : search(kUs)) return r;
  if (auto r = search(kCommon)) return r;
  if (usage >= 0x04 && usage <= 0x1D) return KeyRow{usage, kLower[usage - 4], kUpper[usage - 4], nullptr};
  return std::nullopt;
}

}  // namespace

std::optional<KeyboardLayout> parseLayout(std::string_view name) {
  std::string l;
  for (char c : name) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (l == "us" || l == "qwerty") return KeyboardLayout::Us;
  if (l == "fr" || l == "azerty") return KeyboardLayout::Fr;
  return std::nullopt;
}

std::string_view layoutId(KeyboardLayout layout) {
  return layout == KeyboardLayout::Fr ? "fr" : "us";
}

KeyboardLayout otherLayout(KeyboardLayout layout) {
  return layout == KeyboardLayout::Fr ? KeyboardLayout::Us : KeyboardLayout::Fr;
}

KeyMeaning translateKey(KeyboardLayout layout, KeyStroke stroke) {
  using Kind = KeyMeaning::Kind;
  const std::uint8_t u = stroke.usage;
  if (u <= 0x03 || u == 0x39 || u == 0x53 || (u >= 0xE0 && u <= 0xE7)) return {Kind::Ignored, {}};
  if (u == kUsageEnter || u == kUsageKeypadEnter) return {Kind::Enter, {}};
  const std::uint8_t m = stroke.modifiers;
  const bool shift = (m & (mod::kLeftShift | mod::kRightShift)) != 0;
  const bool gui = (m & (mod::kLeftGui | mod::kRightGui)) != 0;
  // AltGr: right Alt, or Ctrl+Left Alt (Windows' equivalent) — only the French layout has one.
  const bool rightAlt = (m & mod::kRightAlt) != 0;
  const bool ctrl = (m & (mod::kLeftCtrl | mod::kRightCtrl)) != 0;
  const bool leftAlt = (m & mod::kLeftAlt) != 0;
  const bool altGr = layout == KeyboardLayout::Fr && (rightAlt || (ctrl && leftAlt));
  if (gui || (!altGr && (ctrl || leftAlt || rightAlt))) return {Kind::Unmapped, {}};
  const auto row = findRow(layout, u);
  if (!row) return {Kind::Unmapped, {}};
  const char* text = altGr ? (shift ? nullptr : row->altGr) : shift ? row->shift : row->plain;
  if (text == nullptr) return {Kind::Unmapped, {}};
  return {Kind::Text, text};
}

std::optional<KeyStroke> strokeFor(KeyboardLayout layout, std::string_view ch) {
  if (ch == "\n" || ch == "\r") return KeyStroke{0, kUsageEnter};
  const std::uint8_t modifierOrder[] = {0, mod::kLeftShift, mod::kRightAlt};
  for (const std::uint8_t m : modifierOrder) {
    // Main block first (0x04–0x38, ISO key 0x64), keypad last: a scanner types main keys.
    for (int u = 0x04; u <= 0x64; ++u) {
      if (u >= 0x39 && u < 0x64) continue;
      const KeyStroke s{m, static_cast<std::uint8_t>(u)};
      const auto k = translateKey(layout, s);
      if (k.kind == KeyMeaning::Kind::Text && k.text == ch) return s;
    }
  }
  return std::nullopt;
}

std::string decodeStrokes(std::span<const KeyStroke> strokes, KeyboardLayout layout, std::size_t* unmapped) {
  std::string out;
  std::size_t bad = 0;
  for (const auto& s : strokes) {
    const auto k = translateKey(layout, s);
    if (k.kind == KeyMeaning::Kind::Text)
      out += k.text;
    else if (k.kind == KeyMeaning::Kind::Unmapped)
      ++bad;
  }
  if (unmapped != nullptr) *unmapped = bad;
  return out;
}

}  // namespace vd::reader::scanner
