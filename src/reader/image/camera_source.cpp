#include "reader/image/camera_source.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <mutex>
#include <thread>
#include <utility>

namespace vd::reader::image {

namespace {

constexpr GstClockTime kPullTimeout = 100 * GST_MSECOND;
constexpr GstClockTime kPrerollTimeout = 3 * GST_SECOND;
constexpr const char* kTail = " ! videoconvert ! video/x-raw,format=GRAY8 ! appsink name=vdsink";

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// gst_init once per process; false when GStreamer cannot start (then no camera).
bool gstReady() {
  static const bool ready = [] { return gst_init_check(nullptr, nullptr, nullptr) == TRUE; }();
  return ready;
}

/// Owns one GLib/GStreamer reference.
template <typename T, void (*Free)(T*)>
struct Ref {
  T* p = nullptr;
  Ref() = default;
  explicit Ref(T* q) : p(q) {}
  ~Ref() {
    if (p != nullptr) Free(p);
  }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  T* get() const { return p; }
  explicit operator bool() const { return p != nullptr; }
};
void unrefObject(GstObject* o) {
  gst_object_unref(o);
}
void unrefMessage(GstMessage* m) {
  gst_message_unref(m);
}
void unrefSample(GstSample* s) {
  gst_sample_unref(s);
}
void freeError(GError* e) {
  g_error_free(e);
}
void freeString(gchar* s) {
  g_free(s);
}
using ObjectRef = Ref<GstObject, unrefObject>;
using MessageRef = Ref<GstMessage, unrefMessage>;
using SampleRef = Ref<GstSample, unrefSample>;
using ErrorRef = Ref<GError, freeError>;
using StringRef = Ref<gchar, freeString>;

/// The factory name of the element that posted `msg` ("filesrc", "v4l2src"): stable, unlike
/// instance names ("filesrc3"), and never free text.
std::string factoryOf(GstMessage* msg) {
  GstObject* src = GST_MESSAGE_SRC(msg);
  if (src != nullptr && GST_IS_ELEMENT(src)) {
    if (GstElementFactory* f = gst_element_get_factory(GST_ELEMENT(src)))
      return gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(f));
  }
  return "pipeline";
}

}  // namespace

std::vector<CameraDevice> listCameras() {
  std::vector<CameraDevice> out;
  if (!gstReady()) return out;
  ObjectRef monitor(GST_OBJECT(gst_device_monitor_new()));
  GstDeviceMonitor* m = GST_DEVICE_MONITOR(monitor.get());
  gst_device_monitor_add_filter(m, "Video/Source", nullptr);
  if (gst_device_monitor_start(m) != TRUE) return out;
  GList* devices = gst_device_monitor_get_devices(m);
  for (GList* l = devices; l != nullptr; l = l->next) {
    GstDevice* d = GST_DEVICE(l->data);
    GstStructure* props = gst_device_get_properties(d);
    const gchar* path = props != nullptr ? gst_structure_get_string(props, "device.path") : nullptr;
    if (path != nullptr && parseCameraSetting(path).ok()) {
      StringRef name(gst_device_get_display_name(d));
      out.push_back(CameraDevice{path, name ? name.get() : path});
    }
    if (props != nullptr) gst_structure_free(props);
  }
  g_list_free_full(devices, gst_object_unref);
  gst_device_monitor_stop(m);
  return out;
}

bool RepeatFilter::accept(const std::string& text, std::int64_t nowMs) {
  const bool repeat = m_any && text == m_last && nowMs - m_lastSeenMs < kWindowMs;
  m_last = text;
  m_lastSeenMs = nowMs;
  m_any = true;
  return !repeat;
}

struct CameraSource::Impl {
  CameraHandlers handlers;
  NowMs nowMs;
  CameraDevice camera;
  bool isDevice = false;
  GstElement* pipeline = nullptr;  // owned
  GstElement* sink = nullptr;      // owned (a ref taken with gst_bin_get_by_name)
  GstBus* bus = nullptr;           // owned
  std::unique_ptr<FrameDecoder> decoder;
  RepeatFilter repeats;  // decoder thread only
  std::atomic<bool> stopping{false};
  std::thread puller;
  std::mutex stopMutex;
  bool stopped = false;
  mutable std::mutex mutex;  // stats, ended
  mutable std::condition_variable endedCv;
  bool ended = false;
  CameraStats stats;

  ~Impl() {
    if (sink != nullptr) gst_object_unref(sink);
    if (bus != nullptr) gst_object_unref(bus);
    if (pipeline != nullptr) gst_object_unref(pipeline);
  }

  void log(const std::string& line) const {
    if (handlers.onLog) handlers.onLog(line);
  }

  /// The error a bus ERROR message stands for (and its English text to the log).
  core::Error errorOf(GstMessage* msg) const {
    GError* raw = nullptr;
    gchar* debug = nullptr;
    gst_message_parse_error(msg, &raw, &debug);
    ErrorRef err(raw);
    StringRef dbg(debug);
    const std::string element = factoryOf(msg);
    log("camera: " + element + ": " + (err ? err.get()->message : "error"));
    if (isDevice && element == "v4l2src" && err && err.get()->domain == GST_RESOURCE_ERROR) {
      // Opening a path that is not there: no such camera. Failing later: it went away.
      if (err.get()->code == GST_RESOURCE_ERROR_NOT_FOUND)
        return core::makeError(core::Errc::CameraNone, {camera.path});
      if (err.get()->code == GST_RESOURCE_ERROR_READ || err.get()->code == GST_RESOURCE_ERROR_NO_SPACE_LEFT)
        return core::makeError(core::Errc::CameraLost, {camera.path});
    }
    return core::makeError(core::Errc::CameraPipeline, {element});
  }

  void takeSample(GstSample* sample) {
    GstCaps* caps = gst_sample_get_caps(sample);
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    GstVideoInfo info;
    if (caps == nullptr || buffer == nullptr || gst_video_info_from_caps(&info, caps) != TRUE) return;
    GstVideoFrame vf;
    if (gst_video_frame_map(&vf, &info, buffer, GST_MAP_READ) != TRUE) return;
    const Frame frame{static_cast<const std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&vf, 0)), GST_VIDEO_FRAME_WIDTH(&vf),
                      GST_VIDEO_FRAME_HEIGHT(&vf), GST_VIDEO_FRAME_PLANE_STRIDE(&vf, 0)};
    {
      const std::lock_guard lock(mutex);
      ++stats.frames;
      stats.width = frame.width;
      stats.height = frame.height;
      stats.stride = frame.stride;
    }
    (void)decoder->submit(frame);  // copies; only a malformed (huge) frame fails: skipped
    gst_video_frame_unmap(&vf);
  }

  void finish(const core::Error& error) {
    decoder->waitIdle();  // the texts of the frames already taken come first
    if (handlers.onError) handlers.onError(error);
    const std::lock_guard lock(mutex);
    ended = true;
    endedCv.notify_all();
  }

  void pull() {
    GstAppSink* appsink = GST_APP_SINK(sink);
    while (!stopping) {
      SampleRef sample(gst_app_sink_try_pull_sample(appsink, kPullTimeout));
      if (sample) takeSample(sample.get());
      while (
          MessageRef msg{gst_bus_pop_filtered(bus, static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS))}) {
        if (GST_MESSAGE_TYPE(msg.get()) == GST_MESSAGE_ERROR) {
          finish(errorOf(msg.get()));
          return;
        }
      }
      if (!sample && gst_app_sink_is_eos(appsink) == TRUE) {
        log("camera: end of stream");
        finish(core::makeError(core::Errc::CameraLost, {camera.path.empty() ? camera.name : camera.path}));
        return;
      }
    }
  }

  void onDecoded(const std::string& text) {
    const bool report = repeats.accept(text, nowMs());
    {
      const std::lock_guard lock(mutex);
      ++(report ? stats.reported : stats.repeats);
    }
    if (report && handlers.onText) handlers.onText(text);
  }
};

CameraSource::CameraSource(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

CameraSource::~CameraSource() {
  if (m_impl) stop();
}

core::Result<std::unique_ptr<CameraSource>> CameraSource::start(const CameraSpec& spec, CameraHandlers handlers,
                                                                FrameDecoder::Decode decode, NowMs nowMs) {
  auto impl = std::make_unique<Impl>();
  impl->handlers = std::move(handlers);
  impl->nowMs = nowMs ? std::move(nowMs) : NowMs(steadyMs);
  if (!gstReady()) return core::fail(core::Errc::CameraPipeline, {"gstreamer"});
  std::string description;
  switch (spec.kind) {
    case CameraSpec::Kind::Off:
      return core::fail(core::Errc::CameraNone, {"off"});
    case CameraSpec::Kind::Auto: {
      const auto cameras = listCameras();
      if (cameras.empty()) return core::fail(core::Errc::CameraNone, {"auto"});
      impl->camera = cameras.front();
      impl->isDevice = true;
      break;
    }
    case CameraSpec::Kind::Device:
      if (!parseCameraSetting(spec.value).ok())
        return core::fail(core::Errc::CameraSetting, {spec.value.substr(0, 64)});
      impl->camera = CameraDevice{spec.value, spec.value};
      impl->isDevice = true;
      break;
    case CameraSpec::Kind::Pipeline:
      impl->camera = CameraDevice{"", "pipeline"};
      description = spec.value;
      break;
  }
  // The device path is set as a property, never pasted into the description.
  if (impl->isDevice) description = "v4l2src name=vdsrc";
  description += kTail;

  GstParseContext* ctx = gst_parse_context_new();
  GError* raw = nullptr;
  GstElement* pipeline = gst_parse_launch_full(description.c_str(), ctx, GST_PARSE_FLAG_FATAL_ERRORS, &raw);
  ErrorRef parseError(raw);
  if (parseError || pipeline == nullptr) {
    std::string what = "parse";
    if (gchar** missing = gst_parse_context_get_missing_elements(ctx)) {
      if (missing[0] != nullptr) what = missing[0];
      g_strfreev(missing);
    }
    gst_parse_context_free(ctx);
    if (pipeline != nullptr) gst_object_unref(pipeline);
    impl->log("camera: " + std::string(parseError ? parseError.get()->message : "no pipeline"));
    return core::fail(core::Errc::CameraPipeline, {what});
  }
  gst_parse_context_free(ctx);
  impl->pipeline = pipeline;
  impl->sink = gst_bin_get_by_name(GST_BIN(pipeline), "vdsink");
  impl->bus = gst_element_get_bus(pipeline);
  if (impl->sink == nullptr || impl->bus == nullptr) return core::fail(core::Errc::CameraPipeline, {"appsink"});
  // One sample waiting at most (the decoder drops old frames too); sync: a file plays at its
  // frame rate, like a camera.
  g_object_set(impl->sink, "max-buffers", 1U, "drop", TRUE, "sync", TRUE, "emit-signals", FALSE, nullptr);
  if (impl->isDevice) {
    ObjectRef src(GST_OBJECT(gst_bin_get_by_name(GST_BIN(pipeline), "vdsrc")));
    g_object_set(src.get(), "device", impl->camera.path.c_str(), nullptr);
  }

  Impl* self = impl.get();
  impl->decoder =
      std::make_unique<FrameDecoder>([self](const std::string& text) { self->onDecoded(text); }, std::move(decode));
  const auto refused = [&]() -> core::Error {
    MessageRef msg(gst_bus_pop_filtered(self->bus, GST_MESSAGE_ERROR));
    core::Error e = msg ? self->errorOf(msg.get()) : core::makeError(core::Errc::CameraPipeline, {"pipeline"});
    gst_element_set_state(self->pipeline, GST_STATE_NULL);
    self->decoder->stop();
    return e;
  };
  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) return core::fail(refused());
  // Errors met while prerolling (a missing file, a format the device refuses) are start errors
  // too (bytes that are not a PNG only end the stream: CameraLost); a live
  // camera answers NO_PREROLL at once, a slow one goes on asynchronously.
  if (gst_element_get_state(pipeline, nullptr, nullptr, kPrerollTimeout) == GST_STATE_CHANGE_FAILURE)
    return core::fail(refused());
  impl->puller = std::thread([self] { self->pull(); });
  return std::unique_ptr<CameraSource>(new CameraSource(std::move(impl)));
}

void CameraSource::stop() {
  Impl& s = *m_impl;
  const std::lock_guard lock(s.stopMutex);
  if (s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  if (s.puller.joinable()) s.puller.join();
  gst_element_set_state(s.pipeline, GST_STATE_NULL);
  s.decoder->stop();
}

const CameraDevice& CameraSource::camera() const {
  return m_impl->camera;
}

CameraStats CameraSource::stats() const {
  CameraStats out;
  {
    const std::lock_guard lock(m_impl->mutex);
    out = m_impl->stats;
  }
  out.decoder = m_impl->decoder->counts();
  return out;
}

bool CameraSource::waitEnded(int timeoutMs) const {
  std::unique_lock lock(m_impl->mutex);
  return m_impl->endedCv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return m_impl->ended; });
}

}  // namespace vd::reader::image
