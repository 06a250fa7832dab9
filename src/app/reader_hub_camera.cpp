// ReaderHub's camera (docs/camera.md): started, stopped and retried on the camera's own worker;
// texts go to the token worker as QrCamera; a demo stream (showToCamera) plays once, then the
// configured camera comes back.
#include "app/reader_hub_camera.hpp"

#include <string>
#include <utility>
#include <vector>

namespace vd::app {

void ReaderHub::openCamera() {
  m_camera = std::make_unique<Camera>();
  m_camera->retry = [this](std::uint64_t generation) {
    m_camera->post([this, generation] {
      if (generation == m_camera->generation) startCamera(m_config.camera, "", false);
    });
  };
  m_camera->post([this] { startCamera(m_config.camera, "", false); });
}

void ReaderHub::startCamera(const reader::image::CameraSpec& spec, const std::string& label, bool playback) {
  Camera& c = *m_camera;
  if (auto old = c.take()) old->stop();
  const std::uint64_t generation = ++c.generation;
  c.playback = playback;
  if (spec.kind == reader::image::CameraSpec::Kind::Off) {
    m_sink.post(SourceChanged{Source::Camera, SourceState::Unavailable, "", std::nullopt});
    return;
  }
  reader::image::CameraHandlers handlers;
  handlers.onText = [this](const std::string& text) { presentToken(text, CredentialOrigin::QrCamera); };
  handlers.onError = [this, generation](const core::Error& e) {
    m_camera->post([this, generation, e] { cameraEnded(generation, e); });
  };
  // GStreamer's words met while starting are held back: a retry meeting the same problem again
  // must not add them to the log every few seconds. Once started, they go to the log at once.
  struct StartLog {
    std::mutex mutex;
    bool started = false;
    std::vector<std::string> held;
  };
  auto startLog = std::make_shared<StartLog>();
  handlers.onLog = [this, startLog](const std::string& line) {
    const std::lock_guard lock(startLog->mutex);
    if (startLog->started)
      m_sink.post(LogLine{line});
    else
      startLog->held.push_back(line);
  };
  auto started = reader::image::CameraSource::start(spec, std::move(handlers));
  std::vector<std::string> held;
  {
    const std::lock_guard lock(startLog->mutex);
    startLog->started = true;
    held.swap(startLog->held);
  }
  if (!started) {
    const core::Error& e = started.error();
    if (playback) {  // a test stream that cannot play: say why, then back to the camera
      for (auto& line : held) m_sink.post(LogLine{std::move(line)});
      m_sink.post(LogLine{"camera: " + std::string(core::errcId(e.code))});
      m_sink.post(ReadFailed{CredentialOrigin::QrCamera, e});
      startCamera(m_config.camera, "", false);
      return;
    }
    cameraProblem(generation, e, label, std::move(held));
    return;
  }
  for (auto& line : held) m_sink.post(LogLine{std::move(line)});
  const std::string shown = label.empty() ? (*started)->camera().name : label;
  {
    const std::lock_guard lock(c.mutex);
    c.source = std::move(*started);
  }
  c.shown.reset();
  m_sink.post(LogLine{"camera: started " + shown});
  m_sink.post(SourceChanged{Source::Camera, SourceState::Waiting, shown, std::nullopt});
}

void ReaderHub::cameraEnded(std::uint64_t generation, const core::Error& error) {
  Camera& c = *m_camera;
  if (generation != c.generation) return;  // about a source already replaced
  if (auto s = c.take()) s->stop();
  if (c.playback) {
    m_sink.post(LogLine{"camera: " + std::string(core::errcId(error.code))});
    if (error.code != core::Errc::CameraLost) m_sink.post(ReadFailed{CredentialOrigin::QrCamera, error});
    startCamera(m_config.camera, "", false);  // the test stream is over: the configured camera again
    return;
  }
  cameraProblem(generation, error, "", {});
}

void ReaderHub::cameraProblem(std::uint64_t generation, const core::Error& error, const std::string& label,
                              std::vector<std::string> details) {
  Camera& c = *m_camera;
  // Reported once: the retries that meet the same problem stay quiet (no log line every 5 s).
  if (c.shown != error.code) {
    c.shown = error.code;
    for (auto& line : details) m_sink.post(LogLine{std::move(line)});
    m_sink.post(LogLine{"camera: " + std::string(core::errcId(error.code))});
    const bool none = error.code == core::Errc::CameraNone;
    m_sink.post(SourceChanged{Source::Camera, none ? SourceState::Unavailable : SourceState::Error, label, error});
  }
  if (m_config.cameraRetryMs > 0 && error.code != core::Errc::CameraSetting)
    c.scheduleRetry(generation, m_config.cameraRetryMs);
}

void ReaderHub::showToCamera(std::string sourceDescription, std::string label) {
  m_camera->post([this, description = std::move(sourceDescription), label = std::move(label)] {
    startCamera(reader::image::CameraSpec{reader::image::CameraSpec::Kind::Pipeline, description}, label, true);
  });
}

}  // namespace vd::app
