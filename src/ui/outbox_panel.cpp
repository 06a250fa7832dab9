#include "ui/outbox_panel.hpp"

#include <wx/artprov.h>
#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dataview.h>
#include <wx/filedlg.h>
#include <wx/log.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/taskbar.h>
#include <wx/wrapsizer.h>

#include "app/atomic_file.hpp"
#include "app/local_time.hpp"
#include "ui/desk_context.hpp"
#include "ui/ui_text.hpp"

namespace vd::ui {

wxDEFINE_EVENT(EVT_OUTBOX_COUNTS, wxCommandEvent);

/// The list's model: a plain list store that paints overdue rows red and rows due within one
/// working day orange.
class DeadlineListStore : public wxDataViewListStore {
 public:
  enum Urgency : char { kNone, kSoon, kOverdue };
  std::vector<Urgency> urgency;
  bool GetAttrByRow(unsigned int row, unsigned int, wxDataViewItemAttr& attr) const override {
    if (row >= urgency.size() || urgency[row] == kNone) return false;
    attr.SetColour(urgency[row] == kOverdue ? wxColour(176, 0, 32) : wxColour(0xC2, 0x5E, 0x00));
    attr.SetBold(true);
    return true;
  }
};

struct OutboxPanel::Snapshot {
  bool registerExists = true;
  std::vector<billing::OutboxItem> items;
  billing::OutboxStats stats;
  std::optional<core::Error> error;        // reading the register
  std::optional<core::Error> actionError;  // the action asked
  wxString done;                           // what succeeded, for the message line
};

namespace {

enum Column { kRef, kState, kDeadline, kAttempts, kLastError };

class OutboxTray : public wxTaskBarIcon {};

}  // namespace

OutboxPanel::OutboxPanel(wxWindow* parent, DeskContext& ctx, bool withTrayIcon)
    : wxPanel(parent, wxID_ANY), m_ctx(ctx), m_timer(this) {
  SetName("outbox");
  auto* top = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxWrapSizer(wxHORIZONTAL);  // buttons go to a second row on a narrow page
  bar->Add(new wxStaticText(this, wxID_ANY, _("Show")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
  m_filter = new wxChoice(this, wxID_ANY);
  m_filter->SetName("outbox-filter");
  m_filter->Append(_("All states"));
  for (auto s : billing::allStates()) m_filter->Append(utf8(app::stateLabel(s, m_ctx.lang)));
  m_filter->SetSelection(0);
  bar->Add(m_filter, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 16);
  const std::tuple<const char*, wxString, void (OutboxPanel::*)()> buttons[] = {
      {"outbox-retry", _("&Retry (Ctrl+R)"), &OutboxPanel::retrySelected},
      {"outbox-hold", _("&Hold (Ctrl+H)"), &OutboxPanel::holdSelected},
      {"outbox-release", _("Re&lease (Ctrl+L)"), &OutboxPanel::releaseSelected},
      {"outbox-export", _("&Export... (Ctrl+E)"), &OutboxPanel::exportSelected},
  };
  for (const auto& [name, label, method] : buttons) {
    auto* b = new wxButton(this, wxID_ANY, label);
    b->SetName(name);
    b->Bind(wxEVT_BUTTON, [this, m = method](wxCommandEvent&) { (this->*m)(); });
    bar->Add(b, 0, wxRIGHT | wxBOTTOM, 4);
  }
  top->Add(bar, 0, wxEXPAND | wxALL, 8);

  m_list = new wxDataViewListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxDV_ROW_LINES | wxDV_SINGLE);
  m_list->SetName("outbox-list");
  m_store = new DeadlineListStore;
  m_list->AssociateModel(m_store);
  m_store->DecRef();
  m_list->AppendTextColumn(_("Reference"), wxDATAVIEW_CELL_INERT, 130);
  m_list->AppendTextColumn(_("State"), wxDATAVIEW_CELL_INERT, 180);
  m_list->AppendTextColumn(_("Deadline"), wxDATAVIEW_CELL_INERT, 230);  // "2025-01-20 (bientôt dû)" in bold
  m_list->AppendTextColumn(_("Attempts"), wxDATAVIEW_CELL_INERT, 70);
  m_list->AppendTextColumn(_("Last error"), wxDATAVIEW_CELL_INERT, 400);
  top->Add(m_list, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
  m_message = new wxStaticText(this, wxID_ANY, wxString());
  m_message->SetName("outbox-message");
  top->Add(m_message, 0, wxEXPAND | wxALL, 8);
  SetSizer(top);

  m_filter->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
    const int i = m_filter->GetSelection();
    const auto states = billing::allStates();
    m_state = i >= 1 && static_cast<std::size_t>(i) <= states.size()
                  ? std::optional(states[static_cast<std::size_t>(i - 1)])
                  : std::nullopt;
    render();
  });
  Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
    if (e.GetModifiers() == wxMOD_CONTROL) {
      switch (e.GetKeyCode()) {
        case 'R':
          return retrySelected();
        case 'H':
          return holdSelected();
        case 'L':
          return releaseSelected();
        case 'E':
          return exportSelected();
        default:
          break;
      }
    }
    e.Skip();
  });
  Bind(wxEVT_TIMER, [this](wxTimerEvent&) { reload(); });
  m_timer.Start(kRefreshSeconds * 1000);

  // Without a system tray (a bare X server, some desktops) the icon is simply not created.
  if (withTrayIcon && wxTaskBarIcon::IsAvailable()) m_tray = new OutboxTray;
  reload();
}

OutboxPanel::~OutboxPanel() {
  m_timer.Stop();
  if (m_tray) {
    m_tray->RemoveIcon();
    delete m_tray;
  }
}

void OutboxPanel::reload() {
  run(wxString(), nullptr);
}

void OutboxPanel::dispatchEvent(const billing::DispatchEvent& e) {
  const billing::QueueCounts& c = e.counts;
  m_counts = app::OutboxCounts{c.pending + c.sending + c.deferred, c.awaitingArl, c.held + c.rejected + c.quarantined,
                               m_counts.overdue, m_counts.dueSoon};
  using K = billing::DispatchEventKind;
  if (e.kind == K::Offline || e.kind == K::Held || e.kind == K::Failed) {
    const wxString why =
        e.error ? errorText(*e.error, m_ctx.lang) : utf8(app::describeOutboxCode(e.errorCode, m_ctx.lang));
    m_message->SetLabel(
        e.kind == K::Offline ? wxString::Format(_("Network unavailable: the care sheets stay queued. %s"), why) : why);
  } else if (e.kind == K::Online) {
    m_message->SetLabel(_("Network available."));
  }
  updateTray();
  if (e.kind != K::Idle && e.kind != K::Stopped) reload();
}

void OutboxPanel::run(const wxString& what, Action action) {
  ++m_pending;
  const auto registerFile = m_ctx.paths.registerLocation();
  using Out = std::shared_ptr<Snapshot>;
  m_ctx.runThen<Out>(
      this,
      [registerFile, action = std::move(action), what]() -> Out {
        static const app::SystemClock clock;
        auto snap = std::make_shared<Snapshot>();
        std::error_code ec;
        if (!std::filesystem::exists(registerFile.file, ec)) {  // no sheet ever stored on this desk
          snap->registerExists = false;
          return snap;
        }
        auto outbox = billing::Outbox::open(registerFile, clock);
        if (!outbox) {
          snap->error = outbox.error();
          return snap;
        }
        if (action) {
          if (auto r = action(*outbox); !r)
            snap->actionError = r.error();
          else
            snap->done = what;
        }
        auto items = outbox->list();
        auto stats = outbox->stats();
        if (!items)
          snap->error = items.error();
        else if (!stats)
          snap->error = stats.error();
        else {
          snap->items = std::move(*items);
          snap->stats = std::move(*stats);
        }
        return snap;
      },
      [this](Out snap) {
        --m_pending;
        apply(*snap);
      });
}

void OutboxPanel::apply(const Snapshot& s) {
  if (s.error) {
    wxLogWarning("outbox view: register unreadable (%s)", utf8(core::errcId(s.error->code)));
    m_message->SetLabel(errorText(*s.error, m_ctx.lang));
  } else if (s.actionError) {
    m_message->SetLabel(errorText(*s.actionError, m_ctx.lang));
  } else if (s.done.empty() && s.stats.dueWithinOneWorkingDay > 0) {
    // Nothing else to say: the deadline is the message (cause and action, DeskDeadlineSoon).
    m_message->SetLabel(errorText(
        core::makeError(core::Errc::DeskDeadlineSoon, {std::to_string(s.stats.dueWithinOneWorkingDay)}), m_ctx.lang));
  } else {
    m_message->SetLabel(s.done);
  }
  if (!s.error) {
    m_items = s.items;
    m_counts = app::outboxCounts(s.stats);
  }
  ++m_reloads;
  render();
  updateTray();
  wxCommandEvent event(EVT_OUTBOX_COUNTS, GetId());
  event.SetEventObject(this);
  ProcessWindowEvent(event);
}

void OutboxPanel::render() {
  const auto keep = selectedRef();
  m_rows = app::outboxRows(m_items, m_state, m_ctx.lang);
  m_list->DeleteAllItems();
  m_store->urgency.clear();
  for (const auto& r : m_rows) {
    wxVector<wxVariant> values;
    values.push_back(utf8(r.ref));
    values.push_back(utf8(r.stateLabel));
    values.push_back(r.overdue   ? wxString::Format(_("%s (overdue)"), utf8(r.deadline))
                     : r.dueSoon ? wxString::Format(_("%s (due soon)"), utf8(r.deadline))
                                 : utf8(r.deadline));
    values.push_back(wxString::Format("%d", r.attempts));
    values.push_back(utf8(r.lastErrorText));
    m_store->urgency.push_back(r.overdue   ? DeadlineListStore::kOverdue
                               : r.dueSoon ? DeadlineListStore::kSoon
                                           : DeadlineListStore::kNone);
    m_list->AppendItem(values);
  }
  if (keep) select(*keep);
}

std::optional<std::string> OutboxPanel::selectedRef() const {
  const int row = m_list->GetSelectedRow();
  if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_rows.size()) return std::nullopt;
  return m_rows[static_cast<std::size_t>(row)].ref;
}

bool OutboxPanel::select(const std::string& ref) {
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    if (m_rows[i].ref == ref) {
      m_list->SelectRow(static_cast<unsigned>(i));
      return true;
    }
  }
  return false;
}

void OutboxPanel::setFilter(std::optional<billing::OutboxState> state) {
  const auto states = billing::allStates();
  int index = 0;
  for (std::size_t i = 0; state && i < states.size(); ++i)
    if (states[i] == *state) index = static_cast<int>(i) + 1;
  m_filter->SetSelection(index);
  m_state = state;
  render();
}

namespace {
// The action on the selected sheet's reference, parsed on the worker (no patient data in it).
template <class F>
std::function<core::Result<void>(billing::Outbox&)> onRef(std::string ref, F f) {
  return [ref = std::move(ref), f](billing::Outbox& o) -> core::Result<void> {
    auto parsed = billing::FseRef::parse(ref);
    if (!parsed) return core::fail(parsed.error());
    return f(o, *parsed);
  };
}
}  // namespace

void OutboxPanel::retrySelected() {
  auto ref = selectedRef();
  if (!ref) return m_message->SetLabel(_("Select a care sheet first."));
  wxLogMessage("outbox: retry %s", utf8(*ref));
  run(wxString::Format(_("%s will be sent at the next attempt."), utf8(*ref)),
      onRef(*ref, [](billing::Outbox& o, const billing::FseRef& r) { return o.retry(r); }));
}

void OutboxPanel::holdSelected() {
  auto ref = selectedRef();
  if (!ref) return m_message->SetLabel(_("Select a care sheet first."));
  wxLogMessage("outbox: hold %s", utf8(*ref));
  run(wxString::Format(_("%s is held: it will not be sent until released."), utf8(*ref)),
      onRef(*ref, [](billing::Outbox& o, const billing::FseRef& r) { return o.hold(r); }));
}

void OutboxPanel::releaseSelected() {
  auto ref = selectedRef();
  if (!ref) return m_message->SetLabel(_("Select a care sheet first."));
  wxLogMessage("outbox: release %s", utf8(*ref));
  run(wxString::Format(_("%s is released and waits to be sent."), utf8(*ref)),
      onRef(*ref, [](billing::Outbox& o, const billing::FseRef& r) { return o.release(r); }));
}

void OutboxPanel::exportSelected() {
  wxFileDialog dialog(this, _("Export the outbox"), wxString(), "outbox.csv", _("CSV files (*.csv)|*.csv"),
                      wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
  if (dialog.ShowModal() != wxID_OK) return;
  exportTo(std::filesystem::path(dialog.GetPath().utf8_string()));
}

void OutboxPanel::exportTo(const std::filesystem::path& file) {
  ++m_pending;
  const std::string csv = app::outboxCsv(m_rows);
  using Out = std::shared_ptr<bool>;
  m_ctx.runThen<Out>(
      this,
      [file, csv]() -> Out {
        // 0600, whole, never through a link (app::replaceFileWhole).
        return std::make_shared<bool>(app::replaceFileWhole(file, csv, 0600).ok());
      },
      [this, file, n = m_rows.size()](Out ok) {
        --m_pending;
        if (*ok) {
          wxLogMessage("outbox: %lu rows exported", static_cast<unsigned long>(n));
          m_message->SetLabel(
              wxString::Format(_("%lu rows exported to %s."), static_cast<unsigned long>(n), utf8(file.string())));
        } else {
          m_message->SetLabel(
              errorText(core::makeError(core::Errc::FileUnreadable, {file.string(), "write"}), m_ctx.lang));
        }
      });
}

wxString OutboxPanel::countsText() const {
  wxString text = wxString::Format(_("Outbox: %d waiting, %d awaiting ARL, %d overdue"), m_counts.waiting,
                                   m_counts.awaiting, m_counts.overdue);
  if (m_counts.dueSoon > 0) text += wxString::Format(_(", %d due within 1 working day"), m_counts.dueSoon);
  if (m_counts.attention > 0) text += wxString::Format(_(", %d to check"), m_counts.attention);
  return text;
}

void OutboxPanel::updateTray() {
  if (!m_tray) return;
  const wxIcon icon = wxArtProvider::GetIcon(
      m_counts.overdue > 0 || m_counts.dueSoon > 0 || m_counts.attention > 0 ? wxART_WARNING : wxART_INFORMATION, wxART_OTHER, wxSize(22, 22));
  m_tray->SetIcon(icon, "VitaleDesk\n" + countsText());
}

}  // namespace vd::ui
