#include "reader/scanner/hid_decoders.hpp"

#include <algorithm>
#include <cstdio>

namespace vd::reader::scanner {
namespace {

void push(std::vector<ScanResult>& out, std::optional<ScanResult> r) {
  if (r) out.push_back(std::move(*r));
}

std::string hex2(std::uint8_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02X", v);
  return b;
}

// Ends a code silent for longer than the gap (shared by every decoder's feed and poll).
void endOnGap(CodeBuffer& buf, std::int64_t nowMs, std::vector<ScanResult>& out, std::string symbology = {}) {
  if (buf.gapElapsed(nowMs)) push(out, buf.finish(ScannedText::End::Gap, std::move(symbology)));
}

}  // namespace

std::vector<ScanResult> HidKeyboardDecoder::feed(std::span<const std::uint8_t> report, std::int64_t atMs) {
  std::vector<ScanResult> out;
  endOnGap(m_buf, atMs, out);
  if (report.size() < 3) return out;
  const std::uint8_t modifiers = report[0];
  const auto slots = report.subspan(2);
  if (std::find(slots.begin(), slots.end(), std::uint8_t{0x01}) != slots.end()) {
    m_buf.touch(atMs);  // phantom state: too many keys held, the report carries no key
    return out;
  }
  std::vector<std::uint8_t> now;
  for (const std::uint8_t u : slots) {
    if (u == 0) continue;
    now.push_back(u);
    if (std::find(m_held.begin(), m_held.end(), u) != m_held.end()) continue;  // still held
    const KeyStroke stroke{modifiers, u};
    const KeyMeaning k = translateKey(m_layout, stroke);
    switch (k.kind) {
      case KeyMeaning::Kind::Text:
        m_buf.append(k.text, atMs);
        m_buf.appendStroke(stroke);
        break;
      case KeyMeaning::Kind::Enter:
        push(out, m_buf.finish(ScannedText::End::Terminator));
        break;
      case KeyMeaning::Kind::Unmapped:
        m_buf.markGarbled("HID " + hex2(u) + "+" + hex2(modifiers), atMs);
        m_buf.appendStroke(stroke);
        break;
      case KeyMeaning::Kind::Ignored:
        m_buf.touch(atMs);
        break;
    }
  }
  m_buf.touch(atMs);
  m_held = std::move(now);
  return out;
}

std::vector<ScanResult> HidKeyboardDecoder::poll(std::int64_t nowMs) {
  std::vector<ScanResult> out;
  endOnGap(m_buf, nowMs, out);
  return out;
}

std::vector<ScanResult> HidPosDecoder::feed(std::span<const std::uint8_t> report, std::int64_t atMs) {
  std::vector<ScanResult> out;
  endOnGap(m_buf, atMs, out, m_symbology);
  if (report.size() < 2 || report[0] != kReportId) return out;
  const std::size_t n = report[1];
  if (!m_buf.active() && report.size() >= 5) m_symbology.assign(report.begin() + 2, report.begin() + 5);
  if (n > kMaxData || 5 + n > report.size()) {
    m_buf.markGarbled("HID POS n=" + std::to_string(n) + "/" + std::to_string(report.size()), atMs);
  } else {
    const auto data = report.subspan(5, n);
    m_buf.append(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), atMs);
  }
  const bool more = report.size() >= kReportSize && (report[kReportSize - 1] & 0x01) != 0;
  if (!more) {
    push(out, m_buf.finish(ScannedText::End::Terminator, m_symbology));
    m_symbology.clear();
  }
  return out;
}

std::vector<ScanResult> HidPosDecoder::poll(std::int64_t nowMs) {
  std::vector<ScanResult> out;
  endOnGap(m_buf, nowMs, out, m_symbology);
  if (!m_buf.active()) m_symbology.clear();
  return out;
}

std::vector<std::vector<std::uint8_t>> HidPosDecoder::encode(std::string_view data, std::string_view symbology) {
  std::vector<std::vector<std::uint8_t>> reports;
  std::size_t pos = 0;
  do {
    std::vector<std::uint8_t> r(kReportSize, 0);
    const std::size_t n = std::min(kMaxData, data.size() - pos);
    r[0] = kReportId;
    r[1] = static_cast<std::uint8_t>(n);
    for (std::size_t i = 0; i < 3 && i < symbology.size(); ++i) r[2 + i] = static_cast<std::uint8_t>(symbology[i]);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(pos), n, r.begin() + 5);
    pos += n;
    r[kReportSize - 1] = pos < data.size() ? 0x01 : 0x00;
    reports.push_back(std::move(r));
  } while (pos < data.size());
  return reports;
}

std::vector<ScanResult> LineDecoder::feed(std::span<const std::uint8_t> bytes, std::int64_t atMs) {
  std::vector<ScanResult> out;
  endOnGap(m_buf, atMs, out);
  std::size_t runStart = 0;
  const auto flushRun = [&](std::size_t end) {
    if (end > runStart)
      m_buf.append(std::string_view(reinterpret_cast<const char*>(bytes.data() + runStart), end - runStart), atMs);
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::uint8_t b = bytes[i];
    if (b >= 0x20 || b == '\t') continue;
    flushRun(i);
    runStart = i + 1;
    if (b == '\r' || b == '\n')
      push(out, m_buf.finish(ScannedText::End::Terminator));  // CRLF: 2nd is empty
    else
      m_buf.markGarbled("0x" + hex2(b), atMs);
  }
  flushRun(bytes.size());
  return out;
}

std::vector<ScanResult> LineDecoder::poll(std::int64_t nowMs) {
  std::vector<ScanResult> out;
  endOnGap(m_buf, nowMs, out);
  return out;
}

bool reportDescriptorUsesPage(std::span<const std::uint8_t> descriptor, std::uint16_t usagePage) {
  std::size_t i = 0;
  while (i < descriptor.size()) {
    const std::uint8_t prefix = descriptor[i];
    if (prefix == 0xFE) {  // long item: bDataSize, bLongItemTag, data
      if (i + 1 >= descriptor.size()) return false;
      i += 3 + descriptor[i + 1];
      continue;
    }
    const std::size_t size = (prefix & 0x03) == 3 ? 4 : (prefix & 0x03);
    if (i + 1 + size > descriptor.size()) return false;
    if ((prefix & 0xFC) == 0x04 && size > 0) {  // Usage Page (global), little-endian data
      std::uint32_t v = 0;
      for (std::size_t k = 0; k < size; ++k) v |= static_cast<std::uint32_t>(descriptor[i + 1 + k]) << (8 * k);
      if (v == usagePage) return true;
    }
    i += 1 + size;
  }
  return false;
}

}  // namespace vd::reader::scanner
