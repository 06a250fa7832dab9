#pragma once
/// \file
/// What the panels of the desk are given (src/ui/README.md): the files, the profile and
/// language, the tariff catalog, the practitioner, and the desk's background worker with
/// `runThen` — work on the worker, result on the UI thread only if the panel still exists.
/// Owned by the MainFrame; outlives every panel. UI thread only (except the worker's jobs).

#include <functional>
#include <memory>
#include <optional>

#include <wx/app.h>
#include <wx/weakref.h>
#include <wx/window.h>

#include "app/desk_config.hpp"
#include "app/desk_settings.hpp"
#include "app/fse_use_case.hpp"
#include "app/task_runner.hpp"
#include "billing/tariff/tariff_catalog.hpp"
#include "core/messages.hpp"

namespace vd::ui {

struct DeskContext {
  app::DeskPaths paths;
  app::DeskSettings settings;
  app::Profile profile = app::Profile::Gp;
  core::Lang lang = core::Lang::Fr;
  bool demo = false;  ///< TEST-ONLY material in use (the title and the status say so)
  std::shared_ptr<const billing::TariffCatalog> catalog;  ///< null when the resources are missing
  std::optional<app::PractitionerProfile> practitioner;   ///< null when not configured
  std::function<void()> onOutboxChanged;                   ///< set by the frame

  /// Runs `work` on the desk's background worker (one thread, in order: SQLite, signing),
  /// then `done(result)` on the UI thread if `owner` still exists.
  template <class R>
  void runThen(wxWindow* owner, std::function<R()> work, std::function<void(R)> done) {
    // The weak reference is created, read and destroyed on the UI thread only: the worker
    // moves it on untouched. The result travels in a shared_ptr (CallAfter copies functors).
    auto token = std::make_shared<wxWeakRef<wxWindow>>(owner);
    worker().post([work = std::move(work), done = std::move(done), token = std::move(token)]() mutable {
      auto result = std::make_shared<R>(work());
      if (wxTheApp == nullptr) return;
      wxTheApp->CallAfter([done = std::move(done), token = std::move(token), result]() mutable {
        if (token->get() != nullptr) done(std::move(*result));
      });
    });
  }

  /// Call after an FSE was stored in the outbox: wakes the dispatcher, reloads the outbox view.
  void outboxChanged() {
    if (onOutboxChanged) onOutboxChanged();
  }

  app::TaskRunner& worker() { return *m_worker; }

 private:
  std::unique_ptr<app::TaskRunner> m_worker = std::make_unique<app::TaskRunner>();
};

}  // namespace vd::ui
