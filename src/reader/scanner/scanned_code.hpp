#pragma once
/// \file
/// What every scanner decoder produces (a code, or a bad read), and `CodeBuffer`, the piece
/// they share: it accumulates one code, enforces the length limit, remembers why a read is
/// garbled and ends the code on a terminator or after an inter-report gap. Pure, no I/O;
/// time is passed in as monotonic milliseconds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "reader/scanner/keyboard_layout.hpp"

namespace vd::reader::scanner {

/// Longest code accepted (the ApCV token text limit, reader/apcv/token.hpp).
inline constexpr std::size_t kDefaultMaxCodeLength = 8192;
/// A code without a terminator ends after this much silence (scanners send a report every
/// 1–10 ms; they pause far less than this inside one code).
inline constexpr std::int64_t kDefaultEndGapMs = 100;

struct DecoderLimits {
  std::size_t maxLength = kDefaultMaxCodeLength;
  std::int64_t endGapMs = kDefaultEndGapMs;
};

/// One code read by a scanner.
struct ScannedText {
  enum class End : std::uint8_t { Terminator, Gap };
  std::string text;                ///< UTF-8, terminator excluded
  std::vector<KeyStroke> strokes;  ///< HID keyboard only: the raw key presses (re-decoding hint)
  std::string symbology;           ///< HID POS only: AIM identifier (e.g. "]Q1"), else empty
  End end = End::Terminator;
};

/// A finished read: a code, or ScannerGarbled / ScannerCodeTooLong.
using ScanResult = core::Result<ScannedText>;

/// Accumulates one code. Not thread-safe (one per decoder).
class CodeBuffer {
 public:
  explicit CodeBuffer(DecoderLimits limits) : m_limits(limits) {}

  /// Appends text received at `atMs` (beyond the limit it is counted, not kept).
  void append(std::string_view text, std::int64_t atMs);
  void appendStroke(KeyStroke s) {
    if (m_strokes.size() < m_limits.maxLength) m_strokes.push_back(s);
  }
  /// Marks the current code garbled; the first `detail` is kept (technical, no data).
  void markGarbled(std::string detail, std::int64_t atMs);
  /// Notes activity at `atMs` without text (a key-up report, a modifier).
  void touch(std::int64_t atMs) {
    if (m_active) m_last = atMs;
  }
  /// True when something was received since the last finish().
  bool active() const { return m_active; }
  /// True when the code has been silent for longer than the end gap at `nowMs`.
  bool gapElapsed(std::int64_t nowMs) const { return m_active && nowMs - m_last > m_limits.endGapMs; }
  /// Ends the code. nullopt for an empty read (a lone terminator); resets the buffer.
  std::optional<ScanResult> finish(ScannedText::End end, std::string symbology = {});
  const DecoderLimits& limits() const { return m_limits; }

 private:
  DecoderLimits m_limits;
  std::string m_text;
  std::vector<KeyStroke> m_strokes;
  std::string m_garbled;
  bool m_overlong = false;
  bool m_active = false;
  std::int64_t m_last = 0;
};

}  // namespace vd::reader::scanner
