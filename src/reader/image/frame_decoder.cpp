#include "reader/image/frame_decoder.hpp"

#include <utility>

namespace vd::reader::image {

FrameDecoder::Decode FrameDecoder::defaultDecode() {
  return [](const Frame& f) -> core::Result<std::string> {
    auto r = decodeQr(f);
    if (!r) return core::fail(r.error());
    return std::move(r->text);
  };
}

FrameDecoder::FrameDecoder(Callback onText, Decode decode)
    : m_onText(std::move(onText)), m_decode(std::move(decode)), m_worker([this] { run(); }) {}

FrameDecoder::~FrameDecoder() { stop(); }

core::Result<void> FrameDecoder::submit(const Frame& frame) {
  if (auto ok = checkFrame(frame); !ok) return ok;
  GreyImage copy = copyFrame(frame);  // outside the lock: the worker is never held up by a copy
  {
    const std::lock_guard lock(m_mutex);
    if (m_stopping) return core::fail(core::Errc::InvalidArgument, {"stopped"});
    if (m_pending) ++m_counts.dropped;
    m_pending = std::move(copy);
    ++m_counts.submitted;
  }
  m_wake.notify_one();
  return {};
}

void FrameDecoder::run() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_wake.wait(lock, [this] { return m_stopping || m_pending.has_value(); });
    if (m_stopping) break;
    GreyImage img = std::move(*m_pending);
    m_pending.reset();
    m_busy = true;
    lock.unlock();
    auto text = m_decode(Frame::of(img));
    if (text) m_onText(*text);
    lock.lock();
    m_busy = false;
    ++(text ? m_counts.decoded : m_counts.missed);
    m_idle.notify_all();
  }
  m_idle.notify_all();
}

void FrameDecoder::stop() {
  {
    const std::lock_guard lock(m_mutex);
    if (!m_stopping) {
      m_stopping = true;
      if (m_pending) {
        ++m_counts.dropped;
        m_pending.reset();
      }
    }
  }
  m_wake.notify_one();
  const std::lock_guard join(m_joinMutex);
  if (m_worker.joinable() && m_worker.get_id() != std::this_thread::get_id()) m_worker.join();
}

FrameDecoder::Counts FrameDecoder::counts() const {
  const std::lock_guard lock(m_mutex);
  return m_counts;
}

bool FrameDecoder::waitIdle() {
  std::unique_lock lock(m_mutex);
  m_idle.wait(lock, [this] { return m_stopping || (!m_busy && !m_pending); });
  return !m_stopping;
}

}  // namespace vd::reader::image
