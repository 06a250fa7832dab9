#pragma once
/// \file
/// A live camera as a QR source (docs/camera.md). A GStreamer pipeline
///
///     <source> ! videoconvert ! video/x-raw,format=GRAY8 ! appsink
///
/// where `<source>` is `v4l2src` on a camera's device (a webcam) or, for tests and the demo, a
/// given source description (`filesrc location=phone.png ! pngdec ! imagefreeze num-buffers=50`).
/// Why GStreamer rather than raw V4L2: webcams deliver MJPEG or YUYV at sizes of their own;
/// v4l2src + videoconvert negotiate and convert to 8-bit luminance for us, GstDeviceMonitor lists
/// the cameras (and can report hotplug, not used yet), and the same appsink path is fed by a
/// file pipeline in tests and in the demo, so they walk the real camera code. Only
/// camera_source.cpp includes GStreamer.
///
/// Threads: one pull thread takes samples from the appsink (100 ms timeouts, so `stop` is
/// bounded) and watches the bus; each sample is mapped with its real row stride
/// (GstVideoFrame: GRAY8 rows are padded to 4 bytes) and submitted to a FrameDecoder, which
/// decodes on its own worker and drops old frames under load.
///
/// Repeats: a phone held in front of the camera is seen in every frame, and an ApCV token is
/// single-use (the replay cache refuses it the second time): a decoded text equal to the last
/// reported one is NOT reported again while it keeps being seen; it is reported again once it
/// has been out of sight for `RepeatFilter::kWindowMs` (see RepeatFilter).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "reader/image/camera_setting.hpp"
#include "reader/image/frame_decoder.hpp"

namespace vd::reader::image {

struct CameraDevice {
  std::string path;  ///< /dev/videoN
  std::string name;  ///< the camera's display name ("HD Webcam C270")
};

/// The video sources GstDeviceMonitor sees ("Video/Source") that have a device path (V4L2), in
/// its order. Empty when there is none or GStreamer cannot start. Blocks briefly (probing): call
/// it on a worker.
std::vector<CameraDevice> listCameras();

/// The repeat rule: `accept` is true when `text` differs from the last accepted text, or when
/// that text was last SEEN (accepted or not) `kWindowMs` or more before `nowMs`. Every sighting
/// refreshes the time, so a phone held still is reported once, and reported again after being
/// away for 3 s (the desk then shows the replay refusal, which is right for a reused token).
class RepeatFilter {
 public:
  static constexpr std::int64_t kWindowMs = 3000;
  bool accept(const std::string& text, std::int64_t nowMs);

 private:
  std::string m_last;
  std::int64_t m_lastSeenMs = 0;
  bool m_any = false;
};

struct CameraHandlers {
  /// A decoded text, after the repeat rule; called on the decoder's worker thread.
  std::function<void(const std::string& text)> onText;
  /// The stream is over: CameraPipeline (element factory name), CameraLost (end of stream,
  /// device unplugged) or CameraNone. Called at most once, on the pull thread, after the texts
  /// of the frames already taken. The source must still be stopped (not from this handler).
  std::function<void(const core::Error& error)> onError;
  /// GStreamer's own diagnostic, in English (no patient data), for the log view. Optional.
  std::function<void(const std::string& line)> onLog;
};

struct CameraStats {
  std::uint64_t frames = 0;               ///< samples taken from the appsink
  int width = 0, height = 0, stride = 0;  ///< of the last frame
  FrameDecoder::Counts decoder;
  std::uint64_t reported = 0;  ///< texts passed to onText
  std::uint64_t repeats = 0;   ///< texts held back by the repeat rule
};

class CameraSource {
 public:
  using NowMs = std::function<std::int64_t()>;  ///< milliseconds of a monotonic clock

  /// Builds the pipeline, sets it PLAYING and waits (≤ 3 s) for it to preroll, then starts the
  /// pull thread. Auto picks listCameras().front(). Errors: CameraNone (Off, Auto without a
  /// camera, a device path that does not exist), CameraPipeline (a description that does not
  /// parse: the missing element or "parse"; a state change refused: the failing element).
  static core::Result<std::unique_ptr<CameraSource>> start(const CameraSpec& spec, CameraHandlers handlers,
                                                           FrameDecoder::Decode decode = FrameDecoder::defaultDecode(),
                                                           NowMs nowMs = {});
  ~CameraSource();  ///< stop()
  CameraSource(const CameraSource&) = delete;
  CameraSource& operator=(const CameraSource&) = delete;

  /// Joins the pull thread (≤ ~100 ms), sets the pipeline to NULL (releases the device), stops
  /// the decoder. Idempotent; not from a handler. No handler runs after it returns.
  void stop();

  /// The camera used: device path and name; for a Pipeline spec, path "" and name "pipeline".
  const CameraDevice& camera() const;
  CameraStats stats() const;
  /// Blocks until onError was called (the stream ended) or `timeoutMs` passed; true if ended.
  bool waitEnded(int timeoutMs) const;

  struct Impl;

 private:
  explicit CameraSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace vd::reader::image
