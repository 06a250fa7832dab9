#pragma once
/// \file
/// HID keyboard usages (USB HID Usage Tables, page 0x07) as typed by a QR scanner in keyboard
/// emulation, translated with the layout configured IN THE SCANNER (never the OS layout), so
/// an AZERTY/QWERTY mismatch between the desk and the scanner cannot garble Base45.
///
/// Layouts: US QWERTY and French AZERTY (Windows/xkb "fr" base layout, AltGr = right Alt or
/// Ctrl+Left Alt). Keypad keys are layout-independent (NumLock assumed on, as scanners send
/// them in "keypad emulation" mode). Dead keys (AZERTY ^ ¨, AltGr ~ `) are not mapped. Pure
/// functions, no I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vd::reader::scanner {

enum class KeyboardLayout : std::uint8_t { Us, Fr };

/// "us"/"qwerty" or "fr"/"azerty" (case-insensitive).
std::optional<KeyboardLayout> parseLayout(std::string_view name);
/// "us" or "fr".
std::string_view layoutId(KeyboardLayout layout);
/// The other supported layout (hint when a code decodes only with it).
KeyboardLayout otherLayout(KeyboardLayout layout);

/// Modifier bits of byte 0 of a boot-keyboard report.
namespace mod {
inline constexpr std::uint8_t kLeftCtrl = 0x01, kLeftShift = 0x02, kLeftAlt = 0x04, kLeftGui = 0x08;
inline constexpr std::uint8_t kRightCtrl = 0x10, kRightShift = 0x20, kRightAlt = 0x40, kRightGui = 0x80;
}  // namespace mod

inline constexpr std::uint8_t kUsageEnter = 0x28;
inline constexpr std::uint8_t kUsageKeypadEnter = 0x58;

/// One key press: the modifiers held and the key's usage id.
struct KeyStroke {
  std::uint8_t modifiers = 0;
  std::uint8_t usage = 0;
  bool operator==(const KeyStroke&) const = default;
};

struct KeyMeaning {
  enum class Kind : std::uint8_t {
    Text,      ///< `text` holds the UTF-8 character(s)
    Enter,     ///< Enter or keypad Enter: end of code
    Ignored,   ///< modifier-only keys, Caps/Num Lock, reserved usages 0x00–0x03
    Unmapped,  ///< a key this layout cannot type as text (Ctrl combinations, dead keys, F-keys…)
  };
  Kind kind = Kind::Unmapped;
  std::string_view text;
};

/// What `stroke` types with `layout`.
KeyMeaning translateKey(KeyboardLayout layout, KeyStroke stroke);

/// The stroke that types the UTF-8 character `ch` with `layout` (no modifier preferred, then
/// Shift, then AltGr); nullopt when the layout cannot type it. Used by the simulator.
std::optional<KeyStroke> strokeFor(KeyboardLayout layout, std::string_view ch);

/// Text typed by `strokes` with `layout` (Enter and unmapped keys skipped); counts unmapped
/// strokes in `*unmapped` when given.
std::string decodeStrokes(std::span<const KeyStroke> strokes, KeyboardLayout layout, std::size_t* unmapped = nullptr);

}  // namespace vd::reader::scanner
