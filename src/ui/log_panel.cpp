#include "ui/log_panel.hpp"

#include <cctype>

#include <wx/datetime.h>
#include <wx/sizer.h>
#include <wx/textctrl.h>

namespace vd::ui {

std::string scrubLogLine(const std::string& line) {
  constexpr std::size_t kMinDigits = 13;
  std::string out = line;
  std::size_t i = 0;
  while (i < out.size()) {
    if (!std::isdigit(static_cast<unsigned char>(out[i]))) {
      ++i;
      continue;
    }
    // A run of digits, possibly grouped with single spaces ("2 55 08 14 168 025 38"), with
    // the Corsican department letter between digits ("2A", "2B": NIR 253072A07300443).
    const auto isDigitAt = [&](std::size_t k) { return k < out.size() && std::isdigit(static_cast<unsigned char>(out[k])); };
    const auto corsican = [&](std::size_t k) {
      const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(out[k])));
      return (c == 'A' || c == 'B') && k > 0 && out[k - 1] == '2' &&
             (isDigitAt(k + 1) || (k + 1 < out.size() && out[k + 1] == ' ' && isDigitAt(k + 2)));
    };
    std::size_t end = i, digits = 0, lastDigit = i;
    while (end < out.size()) {
      if (std::isdigit(static_cast<unsigned char>(out[end])) || corsican(end)) {
        ++digits;
        lastDigit = end;
      } else if (!(out[end] == ' ' && end + 1 < out.size() && std::isdigit(static_cast<unsigned char>(out[end + 1])))) {
        break;
      }
      ++end;
    }
    if (digits >= kMinDigits)
      for (std::size_t k = i; k <= lastDigit; ++k) out[k] = out[k] == ' ' ? ' ' : '*';
    i = lastDigit + 1;
  }
  return out;
}

/// Shows every record in the panel; passes errors on to the previous target.
class LogPanel::Target : public wxLog {
 public:
  Target(LogPanel* panel, wxLog* next) : m_panel(panel), m_next(next) {}
  void detach() { m_panel = nullptr; }

 protected:
  void DoLogRecord(wxLogLevel level, const wxString& msg, const wxLogRecordInfo& info) override {
    if (m_panel) {
      const char* tag = level <= wxLOG_Error ? "ERROR " : level == wxLOG_Warning ? "WARN  " : "INFO  ";
      m_panel->append(tag + msg);
    }
    // Errors also reach the previous target (stderr, or the desk's own error display);
    // routine lines stay in the view instead of popping up.
    if (m_next && level <= wxLOG_Error) m_next->LogRecord(level, wxString::FromUTF8(scrubLogLine(msg.utf8_string())), info);
  }

 private:
  LogPanel* m_panel;
  wxLog* m_next;
};

LogPanel::LogPanel(wxWindow* parent) : wxPanel(parent, wxID_ANY) {
  SetName("log");
  m_text = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                          wxTE_MULTILINE | wxTE_READONLY | wxTE_DONTWRAP | wxTE_RICH2);
  m_text->SetName("log-text");
  m_text->SetFont(wxFont(wxFontInfo(9).Family(wxFONTFAMILY_TELETYPE)));
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  sizer->Add(m_text, 1, wxEXPAND | wxALL, 4);
  SetSizer(sizer);
  m_previous = wxLog::GetActiveTarget();
  m_target = new Target(this, m_previous);
  wxLog::SetActiveTarget(m_target);
}

LogPanel::~LogPanel() {
  if (wxLog::GetActiveTarget() == m_target) {
    wxLog::SetActiveTarget(m_previous);
    delete m_target;
  } else {
    // Someone chained after us: stay installed but silent (the chain still passes records on).
    m_target->detach();
  }
}

void LogPanel::append(const wxString& line) {
  const wxString stamped =
      wxDateTime::Now().FormatISOTime() + "  " + wxString::FromUTF8(scrubLogLine(line.utf8_string()));
  if (m_lines >= kMaxLines) {
    const long firstEnd = m_text->XYToPosition(0, 1);
    if (firstEnd > 0) m_text->Remove(0, firstEnd);
    --m_lines;
  }
  m_text->AppendText(stamped + "\n");
  ++m_lines;
}

wxString LogPanel::text() const {
  return m_text->GetValue();
}

}  // namespace vd::ui
