#pragma once
/// \file
/// Decoders of the byte streams a QR scanner sends, fed report by report (or chunk by chunk)
/// with the monotonic time of arrival. Each returns the codes finished by that input; `poll`
/// ends a code after `DecoderLimits::endGapMs` of silence (scanners configured without an
/// Enter/CR suffix). Input is hostile: any length, any bytes; never throws, never reads out of
/// bounds (fuzz target tests/fuzz/fuzz_scanner_reports.cpp). Not thread-safe: one per device.

#include <cstdint>
#include <span>
#include <vector>

#include "reader/scanner/scanned_code.hpp"

namespace vd::reader::scanner {

/// HID boot keyboard (HID 1.11 appendix B): 8-byte input reports
///   [0] modifiers, [1] reserved, [2..7] up to six usages of the keys held down.
/// A key is "typed" when its usage appears in a report and was not in the previous one
/// (n-key rollover: several new keys in one report are typed in slot order). A report whose
/// slots hold 0x01 (ErrorRollOver) is skipped. Longer reports are accepted (more slots);
/// reports shorter than 3 bytes are ignored. Enter (0x28) or keypad Enter (0x58) ends a code.
/// A key the layout cannot type (Ctrl combination, dead key, F-key) makes the code garbled.
class HidKeyboardDecoder {
 public:
  explicit HidKeyboardDecoder(KeyboardLayout layout, DecoderLimits limits = {}) : m_layout(layout), m_buf(limits) {}
  std::vector<ScanResult> feed(std::span<const std::uint8_t> report, std::int64_t atMs);
  std::vector<ScanResult> poll(std::int64_t nowMs);
  KeyboardLayout layout() const { return m_layout; }

 private:
  KeyboardLayout m_layout;
  CodeBuffer m_buf;
  std::vector<std::uint8_t> m_held;  ///< usages of the previous report
};

/// HID POS barcode scanner (usage page 0x8C, "HID Point of Sale Usage Tables" 1.02): the
/// Scanned Data Report as sent by Honeywell/Zebra scanners in HID POS mode, 64 bytes:
///   [0]      report id 0x02 (other ids are ignored: status, feature reports)
///   [1]      n, the number of data bytes in this report (0–56)
///   [2..4]   AIM symbology identifier, e.g. "]Q1" for QR Code (kept in `symbology`)
///   [5..60]  data, first n bytes valid (raw bytes: no keyboard layout involved)
///   [61..62] reserved
///   [63]     bit 0: "decoded data continued" — more reports follow for this code
/// A report with bit 0 clear ends the code; a short report (< 64 bytes) is read as far as it
/// goes and ends the code. n > 56, or n past the end of the report, makes the code garbled.
class HidPosDecoder {
 public:
  static constexpr std::uint8_t kReportId = 0x02;
  static constexpr std::size_t kReportSize = 64;
  static constexpr std::size_t kMaxData = 56;
  explicit HidPosDecoder(DecoderLimits limits = {}) : m_buf(limits) {}
  std::vector<ScanResult> feed(std::span<const std::uint8_t> report, std::int64_t atMs);
  std::vector<ScanResult> poll(std::int64_t nowMs);

  /// The reports that carry `data` (simulator, tests).
  static std::vector<std::vector<std::uint8_t>> encode(std::string_view data, std::string_view symbology = "]Q1");

 private:
  CodeBuffer m_buf;
  std::string m_symbology;
};

/// Serial and CDC-ACM scanners: a byte stream, codes ended by CR or LF (CRLF is one end).
/// Other control bytes (< 0x20, except TAB) make the code garbled.
class LineDecoder {
 public:
  explicit LineDecoder(DecoderLimits limits = {}) : m_buf(limits) {}
  std::vector<ScanResult> feed(std::span<const std::uint8_t> bytes, std::int64_t atMs);
  std::vector<ScanResult> poll(std::int64_t nowMs);

 private:
  CodeBuffer m_buf;
};

/// True when an HID report descriptor (HID 1.11 §6.2.2, short and long items) sets the given
/// Usage Page (a global item), e.g. 0x8C for HID POS. A truncated descriptor is read as far as
/// it goes.
bool reportDescriptorUsesPage(std::span<const std::uint8_t> descriptor, std::uint16_t usagePage);

}  // namespace vd::reader::scanner
