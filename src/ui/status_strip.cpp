#include "ui/status_strip.hpp"

#include <wx/intl.h>
#include <wx/sizer.h>

namespace vd::ui {
namespace {

wxColour colourOf(app::SourceState s) {
  switch (s) {
    case app::SourceState::Unavailable: return wxColour(0xDD, 0xDD, 0xDD);
    case app::SourceState::Waiting: return wxColour(0xD6, 0xE9, 0xFF);
    case app::SourceState::Busy: return wxColour(0xFF, 0xF1, 0xB8);
    case app::SourceState::Present: return wxColour(0xC8, 0xF0, 0xC8);
    case app::SourceState::Error: return wxColour(0xFF, 0xC8, 0xC8);
  }
  return *wxLIGHT_GREY;
}

}  // namespace

wxString StatusStrip::sourceLabel(app::Source source) {
  switch (source) {
    case app::Source::CardReader: return _("Card reader");
    case app::Source::NfcReader: return _("NFC reader");
    case app::Source::UsbScanner: return _("USB scanner");
    case app::Source::Camera: return _("Camera / image");
    case app::Source::Network: return _("Network / outbox");
  }
  return {};
}

wxString StatusStrip::stateLabel(app::SourceState state) {
  switch (state) {
    case app::SourceState::Unavailable: return _("unavailable");
    case app::SourceState::Waiting: return _("waiting");
    case app::SourceState::Busy: return _("busy");
    case app::SourceState::Present: return _("ready");
    case app::SourceState::Error: return _("error");
  }
  return {};
}

StatusStrip::StatusStrip(wxWindow* parent, core::Lang lang) : wxPanel(parent, wxID_ANY), m_lang(lang) {
  SetName("status-strip");
  auto* sizer = new wxBoxSizer(wxHORIZONTAL);
  for (int i = 0; i < app::kSourceCount; ++i) {
    const auto source = static_cast<app::Source>(i);
    auto* label = new wxStaticText(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                                   wxALIGN_CENTRE_HORIZONTAL | wxST_NO_AUTORESIZE | wxBORDER_SIMPLE);
    label->SetName(wxString::FromUTF8("source-" + std::string(app::sourceId(source))));
    m_labels[static_cast<std::size_t>(i)] = label;
    m_states[static_cast<std::size_t>(i)] = app::SourceState::Unavailable;
    sizer->Add(label, 1, wxEXPAND | wxALL, 2);
    refresh(source);
  }
  SetSizer(sizer);
}

void StatusStrip::setState(const app::SourceChanged& change) {
  const std::size_t i = index(change.source);
  m_states[i] = change.state;
  if (!change.device.empty() || change.state == app::SourceState::Unavailable)
    m_devices[i] = wxString::FromUTF8(change.device);
  m_errors[i] = change.error ? wxString::FromUTF8(core::describeLine(*change.error, m_lang)) : wxString();
  refresh(change.source);
}

void StatusStrip::setNote(app::Source source, const wxString& note) {
  m_notes[index(source)] = note;
  refresh(source);
}

void StatusStrip::refresh(app::Source source) {
  const std::size_t i = index(source);
  wxStaticText* label = m_labels[i];
  // TRANSLATORS: source and state in the status strip; French puts a space before the colon.
  wxString text = wxString::Format(_("%s: %s"), sourceLabel(source), stateLabel(m_states[i]));
  if (!m_notes[i].empty()) text += " (" + m_notes[i] + ")";
  label->SetLabel(text);
  label->SetBackgroundColour(colourOf(m_states[i]));
  wxString tip = sourceLabel(source) + "\n" + _("State:") + " " + stateLabel(m_states[i]);
  if (!m_devices[i].empty()) tip += "\n" + _("Device:") + " " + m_devices[i];
  if (!m_errors[i].empty()) tip += "\n" + m_errors[i];
  if (!m_notes[i].empty()) tip += "\n" + m_notes[i];
  label->SetToolTip(tip);
  label->Refresh();
}

}  // namespace vd::ui
