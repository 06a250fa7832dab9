#pragma once
/// \file
/// The log view of the desk and the wxLog target that feeds it. Application logs never
/// contain patient data: modules log codes (`core::errcId`), states, counts, reader names and
/// sheet references (practitioner RPPS / invoice number) only — never a NIR, a name or a date
/// of birth (DESIGN §3, HELPERS "Standards"). As a second line of defence every line shown is
/// passed through `scrubLogLine`, which masks any run of 13 or more digits (a NIR with or
/// without its key, a CIP13 tied to a patient's sheet).
///
/// UI thread only: wxLog hands messages logged on workers to the main thread itself
/// (wxLog::FlushThreadMessages on idle). Window name "log"; the text control is "log-text".

#include <string>

#include <wx/log.h>
#include <wx/panel.h>

class wxTextCtrl;

namespace vd::ui {

/// `line` with every run of 13 or more digits (spaces between digits included) replaced by '*'.
std::string scrubLogLine(const std::string& line);

class LogPanel : public wxPanel {
 public:
  /// Keeps at most this many lines (older ones scroll out).
  static constexpr int kMaxLines = 2000;

  /// Installs itself as the active wxLog target (passing errors on to the previous target)
  /// and restores the previous target when destroyed.
  explicit LogPanel(wxWindow* parent);
  ~LogPanel() override;

  /// Adds one line (timestamped, scrubbed).
  void append(const wxString& line);
  /// Number of lines shown.
  int lineCount() const { return m_lines; }
  /// The text shown (tests).
  wxString text() const;

 private:
  class Target;
  wxTextCtrl* m_text = nullptr;
  Target* m_target = nullptr;
  wxLog* m_previous = nullptr;
  int m_lines = 0;
};

}  // namespace vd::ui
