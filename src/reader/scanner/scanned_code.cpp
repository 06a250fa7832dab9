#include "reader/scanner/scanned_code.hpp"

namespace vd::reader::scanner {

void CodeBuffer::append(std::string_view text, std::int64_t atMs) {
  m_active = true;
  m_last = atMs;
  if (m_text.size() + text.size() > m_limits.maxLength) {
    m_overlong = true;
    return;
  }
  m_text += text;
}

void CodeBuffer::markGarbled(std::string detail, std::int64_t atMs) {
  m_active = true;
  m_last = atMs;
  if (m_garbled.empty()) m_garbled = std::move(detail);
}

std::optional<ScanResult> CodeBuffer::finish(ScannedText::End end, std::string symbology) {
  std::optional<ScanResult> out;
  if (m_overlong) {
    out = core::fail(core::Errc::ScannerCodeTooLong, {std::to_string(m_limits.maxLength)});
  } else if (!m_garbled.empty()) {
    out = core::fail(core::Errc::ScannerGarbled, {m_garbled});
  } else if (!m_text.empty()) {
    ScannedText t;
    t.text = std::move(m_text);
    t.strokes = std::move(m_strokes);
    t.symbology = std::move(symbology);
    t.end = end;
    out = std::move(t);
  }
  m_text.clear();
  m_strokes.clear();
  m_garbled.clear();
  m_overlong = false;
  m_active = false;
  return out;
}

}  // namespace vd::reader::scanner
