#pragma once
/// \file
/// Decodes QR codes from a camera's frames on one worker thread without ever queueing: the
/// camera thread `submit`s frames (copied, stride honoured); while the worker decodes one, a
/// newer frame replaces any frame still waiting, which is DROPPED (counted). So the latency
/// stays one decode at most and memory two frames, whatever the camera's rate.
/// The callback runs on the worker thread, once per decoded frame.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "reader/image/frame.hpp"
#include "reader/image/qr_reader.hpp"

namespace vd::reader::image {

class FrameDecoder {
 public:
  using Callback = std::function<void(const std::string& text)>;
  /// The decoder of one frame (decodeQr by default; tests inject a controllable one).
  using Decode = std::function<core::Result<std::string>(const Frame&)>;

  struct Counts {
    std::uint64_t submitted = 0;  ///< accepted by submit
    std::uint64_t decoded = 0;    ///< a code found (callback called)
    std::uint64_t missed = 0;     ///< decoded without a code
    std::uint64_t dropped = 0;    ///< replaced by a newer frame before the worker took it
  };

  explicit FrameDecoder(Callback onText, Decode decode = defaultDecode());
  ~FrameDecoder();  ///< stop()
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;

  /// Copies the frame for the worker. Never blocks on a decode. Errors: ImageMalformed
  /// ("frame", see checkFrame), InvalidArgument ("stopped").
  core::Result<void> submit(const Frame& frame);

  /// Waits for the frame being decoded (if any), discards a waiting one (counted as dropped),
  /// joins the worker. Idempotent, callable from any thread (from the callback: does not join;
  /// the destructor then does); submit fails afterwards.
  void stop();

  Counts counts() const;

  /// Blocks until the worker is idle with no frame waiting (tests, shutdown); false if stopped.
  bool waitIdle();

  static Decode defaultDecode();

 private:
  void run();

  Callback m_onText;
  Decode m_decode;
  std::mutex m_joinMutex;  // stop() from two threads joins once
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;   // worker: a frame or stop
  std::condition_variable m_idle;   // waitIdle
  std::optional<GreyImage> m_pending;
  bool m_busy = false;
  bool m_stopping = false;
  Counts m_counts;
  std::thread m_worker;
};

}  // namespace vd::reader::image
