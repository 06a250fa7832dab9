// The camera source on REAL GStreamer pipelines (videotestsrc, filesrc ! pngdec ! imagefreeze,
// v4l2src on a missing device): frames, real stride, the repeat rule, errors, stop. No V4L2
// camera exists on the test machines (a VM without kernel modules): a working v4l2src is not
// exercised here (docs/camera.md).
#include "reader/image/camera_source.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "core/messages.hpp"
#include "sim/qr_png.hpp"

using vd::core::Errc;
namespace image = vd::reader::image;
namespace fs = std::filesystem;

namespace {

struct Collected {
  std::mutex mutex;
  std::vector<std::string> texts;
  std::vector<vd::core::Error> errors;
  std::vector<std::string> logs;
  image::CameraHandlers handlers() {
    image::CameraHandlers h;
    h.onText = [this](const std::string& t) {
      const std::lock_guard lock(mutex);
      texts.push_back(t);
    };
    h.onError = [this](const vd::core::Error& e) {
      const std::lock_guard lock(mutex);
      errors.push_back(e);
    };
    h.onLog = [this](const std::string& l) {
      const std::lock_guard lock(mutex);
      logs.push_back(l);
    };
    return h;
  }
};

image::CameraSpec pipeline(std::string description) {
  return image::CameraSpec{image::CameraSpec::Kind::Pipeline, std::move(description)};
}

class CameraSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("vd-camera-test-" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  /// A QR PNG of `text` whose width is not a multiple of 4 (GRAY8 rows are then padded).
  fs::path qrPng(const std::string& text, int* width) {
    for (int size = 150; size < 600; size += 7) {
      auto img = vd::sim::renderQr(text, size);
      if (!img || img->width % 4 == 0) continue;
      const fs::path file = m_dir / "phone.png";
      EXPECT_TRUE(vd::sim::writeGreyPng(*img, file).ok());
      *width = img->width;
      return file;
    }
    ADD_FAILURE() << "no odd-width rendering";
    return {};
  }

  fs::path m_dir;
};

}  // namespace

TEST(CameraSetting, OffAutoAndDevicePaths) {
  EXPECT_EQ(image::parseCameraSetting("")->kind, image::CameraSpec::Kind::Off);
  EXPECT_EQ(image::parseCameraSetting("off")->kind, image::CameraSpec::Kind::Off);
  EXPECT_EQ(image::parseCameraSetting("auto")->kind, image::CameraSpec::Kind::Auto);
  auto dev = image::parseCameraSetting("/dev/v4l/by-id/usb-Logitech_C270-video-index0");
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(dev->kind, image::CameraSpec::Kind::Device);
  EXPECT_EQ(dev->value, "/dev/v4l/by-id/usb-Logitech_C270-video-index0");
  // Anything that could leave the device property or name another element is refused.
  for (const char* bad : {"/dev/", "video0", "/dev/video0 ! filesink location=x", "/dev/../etc/passwd", "/dev/vid\"eo",
                          "AUTO", "/dev/video0\n", "/dev/caméra"}) {
    auto r = image::parseCameraSetting(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::CameraSetting);
  }
  EXPECT_FALSE(image::parseCameraSetting("/dev/" + std::string(251, 'v')).ok());  // 256 bytes
  EXPECT_TRUE(image::parseCameraSetting("/dev/" + std::string(250, 'v')).ok());   // 255 bytes
}

TEST(CameraRepeat, SameTextOnceWhileSeenAgainAfterTheWindow) {
  image::RepeatFilter f;
  EXPECT_TRUE(f.accept("A", 0));
  EXPECT_FALSE(f.accept("A", 1000));
  EXPECT_FALSE(f.accept("A", 3500));                                  // seen at 1000: still in front of the camera
  EXPECT_TRUE(f.accept("A", 3500 + image::RepeatFilter::kWindowMs));  // away 3 s: shown again
  EXPECT_TRUE(f.accept("B", 6600));                                   // another code at once
  EXPECT_TRUE(f.accept("A", 6700));                                   // back to A: different from the last one
}

TEST_F(CameraSourceTest, FramesWithoutCodeAreMissedAndNothingIsReported) {
  Collected got;
  auto cam = image::CameraSource::start(pipeline("videotestsrc num-buffers=15 pattern=smpte"), got.handlers());
  ASSERT_TRUE(cam.ok()) << vd::core::describeLine(cam.error(), vd::core::Lang::En);
  ASSERT_TRUE((*cam)->waitEnded(20000));
  const auto stats = (*cam)->stats();
  (*cam)->stop();
  EXPECT_GT(stats.frames, 0u);
  EXPECT_GT(stats.decoder.missed, 0u);
  EXPECT_EQ(stats.decoder.decoded, 0u);
  EXPECT_EQ(stats.decoder.missed + stats.decoder.dropped, stats.decoder.submitted);
  EXPECT_TRUE(got.texts.empty());
  ASSERT_EQ(got.errors.size(), 1u);  // the end of the stream
  EXPECT_EQ(got.errors[0].code, Errc::CameraLost);
  EXPECT_EQ((*cam)->camera().name, "pipeline");
}

TEST_F(CameraSourceTest, QrImageHeldInFrontIsReportedOnceWithRealStride) {
  const std::string text = vd::sim::syntheticQrText(180, 7);
  int width = 0;
  const fs::path png = qrPng(text, &width);
  ASSERT_FALSE(png.empty());
  Collected got;
  auto cam = image::CameraSource::start(
      pipeline("filesrc location=\"" + png.string() + "\" ! pngdec ! imagefreeze num-buffers=20"), got.handlers());
  ASSERT_TRUE(cam.ok()) << vd::core::describeLine(cam.error(), vd::core::Lang::En);
  ASSERT_TRUE((*cam)->waitEnded(20000));
  const auto stats = (*cam)->stats();
  (*cam)->stop();
  ASSERT_EQ(got.texts.size(), 1u);  // the repeat rule: once while it stays in view
  EXPECT_EQ(got.texts[0], text);
  EXPECT_GE(stats.decoder.decoded, 2u);  // seen in several frames…
  EXPECT_EQ(stats.reported, 1u);
  EXPECT_EQ(stats.repeats, stats.decoder.decoded - 1);  // …held back after the first
  EXPECT_EQ(stats.width, width);
  EXPECT_EQ(stats.stride, (width + 3) / 4 * 4);  // GRAY8 rows padded to 4 bytes: honoured
  EXPECT_GT(stats.stride, stats.width);
  ASSERT_EQ(got.errors.size(), 1u);
  EXPECT_EQ(got.errors[0].code, Errc::CameraLost);  // texts came before the end
}

TEST_F(CameraSourceTest, MissingFileIsAPipelineErrorNamingTheElement) {
  Collected got;
  auto cam = image::CameraSource::start(
      pipeline("filesrc location=\"" + (m_dir / "absent.png").string() + "\" ! pngdec ! imagefreeze"), got.handlers());
  ASSERT_FALSE(cam.ok());
  EXPECT_EQ(cam.error().code, Errc::CameraPipeline);
  ASSERT_EQ(cam.error().args.size(), 1u);
  EXPECT_EQ(cam.error().args[0], "filesrc");
  const auto fr = vd::core::describe(cam.error(), vd::core::Lang::Fr);
  const auto en = vd::core::describe(cam.error(), vd::core::Lang::En);
  EXPECT_EQ(fr.cause, "Le flux vidéo de la caméra a échoué (élément filesrc).");
  EXPECT_EQ(en.cause, "The camera video stream failed (element filesrc).");
  EXPECT_FALSE(fr.action.empty());
  EXPECT_FALSE(got.logs.empty());  // GStreamer's own words go to the log, not to the sentence
}

TEST_F(CameraSourceTest, NotAPngEndsWithoutAFrame) {
  const fs::path junk = m_dir / "junk.png";
  { std::ofstream(junk) << "this is not a PNG file at all"; }
  Collected got;
  auto cam = image::CameraSource::start(pipeline("filesrc location=\"" + junk.string() + "\" ! pngdec ! imagefreeze"),
                                        got.handlers());
  // pngdec skips bytes that are not a PNG: the stream ends with no frame (camera.lost).
  ASSERT_TRUE(cam.ok()) << vd::core::describeLine(cam.error(), vd::core::Lang::En);
  ASSERT_TRUE((*cam)->waitEnded(10000));
  (*cam)->stop();
  ASSERT_EQ(got.errors.size(), 1u);
  EXPECT_EQ(got.errors[0].code, Errc::CameraLost);
  EXPECT_EQ(got.errors[0].args.at(0), "pipeline");
  EXPECT_EQ((*cam)->stats().frames, 0u);
  EXPECT_TRUE(got.texts.empty());
}

TEST_F(CameraSourceTest, UnknownElementIsNamed) {
  Collected got;
  auto cam = image::CameraSource::start(pipeline("vdnosuchsource num-buffers=1"), got.handlers());
  ASSERT_FALSE(cam.ok());
  EXPECT_EQ(cam.error().code, Errc::CameraPipeline);
  EXPECT_EQ(cam.error().args.at(0), "vdnosuchsource");
}

TEST_F(CameraSourceTest, MissingDeviceIsNoCamera) {
  Collected got;
  auto cam = image::CameraSource::start(image::CameraSpec{image::CameraSpec::Kind::Device, "/dev/video-vd-absent"},
                                        got.handlers());
  ASSERT_FALSE(cam.ok());
  EXPECT_EQ(cam.error().code, Errc::CameraNone);
  EXPECT_EQ(cam.error().args.at(0), "/dev/video-vd-absent");
  EXPECT_EQ(vd::core::describe(cam.error(), vd::core::Lang::Fr).cause, "Aucune caméra trouvée (/dev/video-vd-absent).");
}

TEST_F(CameraSourceTest, OffAndAutoWithoutCamera) {
  Collected got;
  auto off = image::CameraSource::start(image::CameraSpec{}, got.handlers());
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().code, Errc::CameraNone);
  const auto cameras = image::listCameras();
  for (const auto& c : cameras) EXPECT_TRUE(image::parseCameraSetting(c.path).ok()) << c.path;
  auto autoCam = image::CameraSource::start(image::CameraSpec{image::CameraSpec::Kind::Auto, {}}, got.handlers());
  if (cameras.empty()) {
    ASSERT_FALSE(autoCam.ok());
    EXPECT_EQ(autoCam.error().code, Errc::CameraNone);
    EXPECT_EQ(autoCam.error().args.at(0), "auto");
  } else if (autoCam.ok()) {
    EXPECT_EQ((*autoCam)->camera().path, cameras.front().path);
  }
}

TEST_F(CameraSourceTest, StopWhileStreamingReturnsPromptly) {
  Collected got;
  auto cam = image::CameraSource::start(pipeline("videotestsrc is-live=true pattern=ball"), got.handlers());
  ASSERT_TRUE(cam.ok()) << vd::core::describeLine(cam.error(), vd::core::Lang::En);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*cam)->stats().frames < 3 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE((*cam)->stats().frames, 3u);
  const auto t0 = std::chrono::steady_clock::now();
  (*cam)->stop();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 2000);
  EXPECT_FALSE((*cam)->waitEnded(0));  // stopped, not ended: no error reported
  EXPECT_TRUE(got.errors.empty());
  const auto frames = (*cam)->stats().frames;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ((*cam)->stats().frames, frames);  // nothing after stop
  (*cam)->stop();                             // idempotent
}

// The demo's stream (a 640×480 camera-like frame, 50 frames at imagefreeze's 25/s): every
// frame taken reaches the decoder, which keeps up or drops (never queues). The figures are
// printed for docs/camera.md.
TEST_F(CameraSourceTest, CameraLikeStreamAt25FramesPerSecond) {
  const std::string text = vd::sim::syntheticQrText(906, 12345);  // a VD2 token's QR size
  auto frame = vd::sim::cameraFrame(text, 300, 640, 480, vd::sim::Degradation{6, 0.6, 3, 7});
  ASSERT_TRUE(frame.ok());
  const fs::path png = m_dir / "frame.png";
  ASSERT_TRUE(vd::sim::writeGreyPng(*frame, png).ok());
  Collected got;
  const auto t0 = std::chrono::steady_clock::now();
  auto cam = image::CameraSource::start(
      pipeline("filesrc location=\"" + png.string() + "\" ! pngdec ! imagefreeze num-buffers=50"), got.handlers());
  ASSERT_TRUE(cam.ok()) << vd::core::describeLine(cam.error(), vd::core::Lang::En);
  ASSERT_TRUE((*cam)->waitEnded(30000));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto s = (*cam)->stats();
  (*cam)->stop();
  ASSERT_EQ(got.texts.size(), 1u);
  EXPECT_EQ(got.texts[0], text);
  EXPECT_EQ(s.decoder.submitted, s.frames);
  EXPECT_EQ(s.decoder.decoded + s.decoder.missed + s.decoder.dropped, s.decoder.submitted);
  EXPECT_GE(s.frames, 40u);  // appsink keeps one sample: a slow pull could only lose a few
  std::printf("camera stream: %llu frames in %.2f s (%.1f/s), decoded %llu, missed %llu, dropped %llu\n",
              static_cast<unsigned long long>(s.frames), seconds, static_cast<double>(s.frames) / seconds,
              static_cast<unsigned long long>(s.decoder.decoded), static_cast<unsigned long long>(s.decoder.missed),
              static_cast<unsigned long long>(s.decoder.dropped));
}
