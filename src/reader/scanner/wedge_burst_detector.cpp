#include "reader/scanner/wedge_burst_detector.hpp"

namespace vd::reader::scanner {

void WedgeBurstDetector::release(WedgeOutput& out) {
  if (m_overlong) {
    out.error = core::makeError(core::Errc::ScannerCodeTooLong, {std::to_string(m_options.maxLength)});
  } else {
    for (auto& k : m_held) out.passThrough.push_back(std::move(k));
  }
  m_held.clear();
  m_heldChars = 0;
  m_overlong = false;
}

WedgeOutput WedgeBurstDetector::onKey(WedgeKey key, std::int64_t atMs) {
  WedgeOutput out;
  const bool inBurst = !m_held.empty() && atMs - m_last <= m_options.maxGapMs;
  if (!inBurst && !m_held.empty()) release(out);  // the pause ended the previous run
  m_last = atMs;
  switch (key.kind) {
    case WedgeKey::Kind::Char:
      ++m_heldChars;
      if (m_heldChars > m_options.maxLength) {
        m_overlong = true;  // keep timing the burst, but stop storing it
        return out;
      }
      m_held.push_back(std::move(key));
      return out;
    case WedgeKey::Kind::Enter:
      if (inBurst && !m_overlong && m_heldChars >= m_options.minLength) {
        std::string code;
        for (const auto& k : m_held) code += k.text;
        out.code = std::move(code);
        m_held.clear();
        m_heldChars = 0;
        return out;
      }
      if (inBurst && m_overlong) {  // the scanner's own Enter: dropped with its burst
        release(out);
        return out;
      }
      if (!m_held.empty()) release(out);
      out.passThrough.push_back(std::move(key));
      return out;
    case WedgeKey::Kind::Other:
      if (!m_held.empty()) release(out);
      out.passThrough.push_back(std::move(key));
      return out;
  }
  return out;
}

WedgeOutput WedgeBurstDetector::onTick(std::int64_t nowMs) {
  WedgeOutput out;
  if ((m_held.empty() && !m_overlong) || nowMs - m_last <= m_options.maxGapMs) return out;
  if (!m_options.requireEnter && !m_overlong && m_heldChars >= m_options.minLength) {
    std::string code;
    for (const auto& k : m_held) code += k.text;
    out.code = std::move(code);
    m_held.clear();
    m_heldChars = 0;
    return out;
  }
  release(out);
  return out;
}

}  // namespace vd::reader::scanner
