#pragma once
/// \file
/// The status strip: one indicator per credential source and one for the network/outbox
/// (app::Source order), each with its state in words and colour, and a tooltip saying what
/// it is, the device and the last error. UI thread only.

#include <array>
#include <string>

#include <wx/panel.h>
#include <wx/stattext.h>

#include "app/event_sink.hpp"
#include "core/messages.hpp"

namespace vd::ui {

class StatusStrip : public wxPanel {
 public:
  StatusStrip(wxWindow* parent, core::Lang lang);

  void setState(const app::SourceChanged& change);
  /// For the network indicator: a free text (e.g. "3 waiting · 2 awaiting ARL").
  void setNote(app::Source source, const wxString& note);

  app::SourceState state(app::Source source) const { return m_states[index(source)]; }
  /// The indicator widget (tests, screenshots); named "source-<id>".
  wxStaticText* indicator(app::Source source) const { return m_labels[index(source)]; }

  static wxString sourceLabel(app::Source source);
  static wxString stateLabel(app::SourceState state);

 private:
  static std::size_t index(app::Source s) { return static_cast<std::size_t>(s); }
  void refresh(app::Source source);
  core::Lang m_lang;
  std::array<wxStaticText*, app::kSourceCount> m_labels{};
  std::array<app::SourceState, app::kSourceCount> m_states{};
  std::array<wxString, app::kSourceCount> m_devices, m_errors, m_notes;
};

}  // namespace vd::ui
