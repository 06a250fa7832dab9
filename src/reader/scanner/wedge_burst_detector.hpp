#pragma once
/// \file
/// Keyboard-wedge fallback (the scanner types into the focused window because it could not be
/// claimed): tells a scanner burst from human typing by timing alone. Pure: no libusb, no wx,
/// no clock — the caller passes the time of each key event (monotonic milliseconds).
///
/// Use (GUI, main thread): intercept every key event before the focused control gets it and
///   1. call `onKey()` with the event's character (UTF-8 from the OS layout — a wedge scanner
///      is decoded by the OS, so the OS layout must match the scanner's) or Enter or Other;
///   2. replay `passThrough` keys to the control, in order (they are human typing), identified
///      by the `tag` the caller gave them (e.g. an index into its own copies of the events);
///   3. if `code` is set, a scanner burst ended: handle the code, do not type it anywhere;
///   4. call `onTick()` every ~10 ms (a timer) so held keys are released when typing pauses.
/// A held key is delayed by at most `maxGapMs` + one tick: human typing is never swallowed.
///
/// A burst is a scanner when every gap between its keys is ≤ `maxGapMs` (30 ms: a person types
/// at best ~80 ms per key; scanners 1–10 ms), it has at least `minLength` characters, and it
/// ends with Enter within `maxGapMs` (or, with `requireEnter` false, with silence). Anything
/// else is human typing and passes through unchanged. A burst longer than `maxLength` is a
/// bad read: `error` = ScannerCodeTooLong and its keys are dropped.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace vd::reader::scanner {

struct WedgeKey {
  enum class Kind : std::uint8_t { Char, Enter, Other };
  Kind kind = Kind::Char;
  std::string text;       ///< UTF-8 character for Kind::Char
  std::uint64_t tag = 0;  ///< the caller's handle on the original event, returned as is
};

struct WedgeOutput {
  std::vector<WedgeKey> passThrough;  ///< human typing: deliver to the focused control, in order
  std::optional<std::string> code;    ///< a complete scanner code (Enter excluded)
  std::optional<core::Error> error;   ///< an overlong burst (dropped)
};

struct WedgeOptions {
  std::int64_t maxGapMs = 30;
  std::size_t minLength = 8;
  std::size_t maxLength = 8192;
  bool requireEnter = true;
};

/// Not thread-safe: one per window, called on the UI thread.
class WedgeBurstDetector {
 public:
  explicit WedgeBurstDetector(WedgeOptions options = {}) : m_options(options) {}
  WedgeOutput onKey(WedgeKey key, std::int64_t atMs);
  WedgeOutput onTick(std::int64_t nowMs);
  /// Keys currently held back (a burst in progress or a first key waiting for the next).
  std::size_t held() const { return m_held.size(); }

 private:
  void release(WedgeOutput& out);
  WedgeOptions m_options;
  std::vector<WedgeKey> m_held;
  std::size_t m_heldChars = 0;
  bool m_overlong = false;
  std::int64_t m_last = 0;
};

}  // namespace vd::reader::scanner
