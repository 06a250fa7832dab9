#pragma once
/// \file
/// The wx side of the one event port (`app::EventSink`): `post` may be called from any worker;
/// the event is handed to the UI thread with `wxTheApp->CallAfter` and delivered to the handler
/// only while the sink is open. The owning window calls `close()` in its destructor (UI
/// thread), so a result that arrives for a closed window is dropped, never dereferenced
/// (Poedit's then_on_window).

#include <atomic>
#include <functional>
#include <memory>

#include "app/event_sink.hpp"

namespace vd::ui {

class WxEventSink final : public app::EventSink {
 public:
  using Handler = std::function<void(app::DeskEvent&)>;
  /// `handler` runs on the UI thread only.
  explicit WxEventSink(Handler handler);
  ~WxEventSink() override;
  void post(app::DeskEvent event) override;
  /// UI thread: drop every event not yet delivered and every later one.
  void close();

 private:
  struct Shared {
    std::atomic<bool> open{true};
    Handler handler;
  };
  std::shared_ptr<Shared> m_shared;
};

}  // namespace vd::ui
