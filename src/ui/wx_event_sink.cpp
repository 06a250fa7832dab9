#include "ui/wx_event_sink.hpp"

#include <wx/app.h>

namespace vd::ui {

WxEventSink::WxEventSink(Handler handler) : m_shared(std::make_shared<Shared>()) {
  m_shared->handler = std::move(handler);
}

WxEventSink::~WxEventSink() { close(); }

void WxEventSink::close() { m_shared->open = false; }

void WxEventSink::post(app::DeskEvent event) {
  if (!m_shared->open || wxTheApp == nullptr) return;
  // The shared state, not `this`, travels with the event: it outlives the sink.
  wxTheApp->CallAfter([shared = m_shared, e = std::move(event)]() mutable {
    if (shared->open) shared->handler(e);
  });
}

}  // namespace vd::ui
