#pragma once
/// \file
/// The outbox view: one row per care sheet with its reference, state, the deadline that
/// matters now (overdue rows highlighted), attempts and the last error in words; a filter by
/// state; retry / hold / release / export of the selected sheet (Ctrl+R, Ctrl+H, Ctrl+L,
/// Ctrl+E); the counts for the status bar and, when the desktop has a tray, a tray icon.
///
/// The presenter is app/outbox_view.hpp. Every register access (list, stats, state changes,
/// the CSV file) runs on the desk's worker through `DeskContext::runThen`; the panel reloads
/// when told (`reload()`: the frame calls it on the dispatcher's outbox events), after each of
/// its own actions, and every kRefreshSeconds. No patient data is shown or logged here.
///
/// UI thread only. Window name "outbox"; children "outbox-list", "outbox-filter",
/// "outbox-retry", "outbox-hold", "outbox-release", "outbox-export", "outbox-message".

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <wx/event.h>
#include <wx/panel.h>
#include <wx/timer.h>

#include "app/outbox_view.hpp"
#include "billing/outbox/dispatcher.hpp"

class wxButton;
class wxChoice;
class wxDataViewListCtrl;
class wxStaticText;
class wxTaskBarIcon;

namespace vd::ui {

struct DeskContext;
class DeadlineListStore;

/// Sent (propagating to the frame) after each reload; the counts are in `OutboxPanel::counts()`.
wxDECLARE_EVENT(EVT_OUTBOX_COUNTS, wxCommandEvent);

class OutboxPanel : public wxPanel {
 public:
  static constexpr int kRefreshSeconds = 30;

  /// `ctx` must outlive the panel. `withTrayIcon`: show the counts in a tray icon when the
  /// desktop has a system tray (wxTaskBarIcon::IsAvailable()).
  OutboxPanel(wxWindow* parent, DeskContext& ctx, bool withTrayIcon = true);
  ~OutboxPanel() override;

  /// Reads the register again (on the worker) and shows it.
  void reload();
  /// An event of the dispatcher (billing/outbox/dispatcher.hpp), forwarded by the frame on
  /// the UI thread: the counts are shown at once, Offline / Held / Failed say why in the
  /// message line, and the rows are reloaded.
  void dispatchEvent(const billing::DispatchEvent& event);
  void retrySelected();
  void holdSelected();
  void releaseSelected();
  /// Asks for a file name, then writes the rows shown as CSV.
  void exportSelected();
  /// Writes the rows shown as CSV to `file` (on the worker).
  void exportTo(const std::filesystem::path& file);
  /// nullopt: every state.
  void setFilter(std::optional<billing::OutboxState> state);
  /// Selects the row of `ref` ("RPPS/NUMBER"); false when it is not shown.
  bool select(const std::string& ref);

  const app::OutboxCounts& counts() const { return m_counts; }
  const std::vector<app::OutboxRow>& rows() const { return m_rows; }
  /// Reloads completed since the panel was created (tests wait on it).
  int reloads() const { return m_reloads; }
  /// Actions (retry, hold, release, export) running on the worker.
  bool busy() const { return m_pending > 0; }
  /// "1 waiting · 0 overdue" in the desk's language, for the status bar.
  wxString countsText() const;

 private:
  struct Snapshot;
  using Action = std::function<core::Result<void>(billing::Outbox&)>;
  void run(const wxString& what, Action action);
  void apply(const Snapshot& snapshot);
  void render();
  std::optional<std::string> selectedRef() const;
  void updateTray();

  DeskContext& m_ctx;
  wxChoice* m_filter = nullptr;
  wxDataViewListCtrl* m_list = nullptr;
  DeadlineListStore* m_store = nullptr;  // owned by the list (ref-counted model)
  wxStaticText* m_message = nullptr;
  wxTimer m_timer;
  wxTaskBarIcon* m_tray = nullptr;
  std::vector<billing::OutboxItem> m_items;
  std::vector<app::OutboxRow> m_rows;
  std::optional<billing::OutboxState> m_state;
  app::OutboxCounts m_counts;
  int m_reloads = 0;
  int m_pending = 0;
};

}  // namespace vd::ui
