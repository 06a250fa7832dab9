// Camera-like frames: the simulator's degradations, explicit row stride, the zbar fallback on
// frames ZXing alone misses, and the frame decoder's drop-newest-wins policy.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reader/image/frame.hpp"
#include "reader/image/frame_decoder.hpp"
#include "reader/image/qr_reader.hpp"
#include "sim/image_degrade.hpp"
#include "sim/qr_png.hpp"

using vd::core::Errc;
namespace image = vd::reader::image;
namespace sim = vd::sim;

namespace {

// A fixed Base45-alphabet text as long as a VD2 token (906 characters), so frames are the
// same on every run; the same text as the benchmark's frame set.
const std::string& tokenLikeText() {
  static const std::string text = sim::syntheticQrText(906, 12345);
  return text;
}

image::GreyImage frameOf(int side, double rotate, double blur, double noise = 0, std::uint64_t seed = 1) {
  auto f = sim::cameraFrame(tokenLikeText(), side, 640, 480, {rotate, blur, noise, seed});
  EXPECT_TRUE(f.ok());
  return f.ok() ? *f : image::GreyImage{};
}

// `img` copied into a buffer whose rows are `pad` bytes longer, the padding filled with a
// pattern that would confuse a decoder reading it as pixels.
std::vector<std::uint8_t> padded(const image::GreyImage& img, int pad) {
  const int stride = img.width + pad;
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(stride) * static_cast<std::size_t>(img.height));
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < stride; ++x)
      buf[static_cast<std::size_t>(y * stride + x)] =
          x < img.width ? img.pixels[static_cast<std::size_t>(y * img.width + x)] : static_cast<std::uint8_t>((x + y) % 2 * 255);
  return buf;
}

}  // namespace

TEST(SimDegrade, SameParametersAndSeedSamePixels) {
  const auto a = frameOf(280, 17, 0.7, 12, 99), b = frameOf(280, 17, 0.7, 12, 99), c = frameOf(280, 17, 0.7, 12, 100);
  ASSERT_EQ(a.pixels.size(), 640u * 480u);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_NE(a.pixels, c.pixels);  // only the noise seed differs
}

TEST(SimDegrade, RotateBlurNoiseBasics) {
  const sim::GreyImage src{3, 3, {0, 10, 20, 30, 40, 50, 60, 70, 80}};
  EXPECT_EQ(sim::rotate(src, 0).pixels, src.pixels);
  EXPECT_EQ(sim::rotate(src, 180).pixels, (std::vector<std::uint8_t>{80, 70, 60, 50, 40, 30, 20, 10, 0}));
  const sim::GreyImage flat{4, 4, std::vector<std::uint8_t>(16, 100)};
  EXPECT_EQ(sim::gaussianBlur(flat, 2).pixels, flat.pixels);  // a blur keeps a flat image flat
  sim::GreyImage white{64, 64, std::vector<std::uint8_t>(64 * 64, 255)};
  sim::addNoise(white, 30, 5);
  int below = 0;
  for (auto p : white.pixels) below += p < 255;
  EXPECT_GT(below, 64 * 64 / 3);  // about half the samples are negative (clamped above)
  const auto grown = sim::placeCentered(src, 5, 5);
  EXPECT_EQ(grown.pixels.at(6), 0);     // (1,1) is the source's (0,0)
  EXPECT_EQ(grown.pixels.at(0), 255);   // white border
}

TEST(QrFrames, ExplicitStrideIgnoresRowPadding) {
  const auto img = frameOf(280, 0, 0);  // read by both engines
  const auto buf = padded(img, 37);
  const image::Frame f{buf.data(), img.width, img.height, img.width + 37};
  for (auto engine : {image::QrEngine::ZXing, image::QrEngine::Zbar, image::QrEngine::ZXingThenZbar}) {
    auto r = image::decodeQr(f, engine);
    ASSERT_TRUE(r.ok()) << static_cast<int>(engine);
    EXPECT_EQ(r->text, tokenLikeText());
  }
  EXPECT_EQ(image::copyFrame(f).pixels, img.pixels);
}

TEST(QrFrames, InvalidFramesAndBlankFrames) {
  const std::vector<std::uint8_t> px(100, 255);
  for (const image::Frame& bad : {image::Frame{nullptr, 10, 10, 10}, image::Frame{px.data(), 10, 10, 9},
                                  image::Frame{px.data(), 0, 10, 10}, image::Frame{px.data(), 10, 0, 10},
                                  image::Frame{px.data(), 5000, 1, 5000}}) {
    auto r = image::decodeQr(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::ImageMalformed);
  }
  for (auto engine : {image::QrEngine::ZXing, image::QrEngine::Zbar, image::QrEngine::ZXingThenZbar})
    EXPECT_EQ(image::decodeQr(image::Frame{px.data(), 10, 10, 10}, engine).error().code, Errc::ImageNoCode);
}

// Frames of the benchmark's kind that ZXing alone misses and zbar reads (docs/PERFORMANCE.md):
// the reason the fallback was adopted. Noise-free, so independent of any seed.
TEST(QrFrames, ZbarFallbackReadsFramesZXingMisses) {
  struct Case {
    int side;
    double rotate, blur;
  };
  for (const Case c : {Case{330, 0, 0.6}, Case{330, 25, 0}}) {
    SCOPED_TRACE(std::to_string(c.side) + " px, " + std::to_string(c.rotate) + "°, blur " + std::to_string(c.blur));
    const auto img = frameOf(c.side, c.rotate, c.blur);
    EXPECT_EQ(image::decodeQr(image::Frame::of(img), image::QrEngine::ZXing).error().code, Errc::ImageNoCode);
    auto r = image::decodeQr(image::Frame::of(img));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->text, tokenLikeText());
    EXPECT_EQ(r->foundBy, image::QrEngine::Zbar);
    EXPECT_EQ(*image::readQrText(img), tokenLikeText());  // the path of `token verify --image`
  }
}

// Deterministic drop tests: the injected decoder blocks until released, so what is dropped
// depends only on the order of calls, never on timing.
// A gated decode function: it answers the first byte of the frame (which frame this was),
// but only once release() is called.
namespace {
struct GatedDecode {
  std::mutex m;
  std::condition_variable cv;
  bool entered = false, released = false;

  auto fn() {
    return [this](const image::Frame& f) -> vd::core::Result<std::string> {
      std::unique_lock lock(m);
      entered = true;
      cv.notify_all();
      cv.wait(lock, [&] { return released; });
      return std::to_string(f.data[0]);
    };
  }
  /// Returns once a frame is being decoded.
  void waitEntered() {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return entered; });
  }
  void release() {
    {
      const std::lock_guard lock(m);
      released = true;
    }
    cv.notify_all();
  }
};
}  // namespace

TEST(FrameDecoder, DropsAllButTheNewestWhileBusy) {
  GatedDecode gate;
  std::vector<std::string> seen;
  image::FrameDecoder dec([&](const std::string& t) { seen.push_back(t); }, gate.fn());
  std::vector<std::uint8_t> px(4 * 2, 0);
  auto submit = [&](std::uint8_t id) {
    px[0] = id;
    ASSERT_TRUE(dec.submit(image::Frame{px.data(), 3, 2, 4}).ok());
  };
  submit(1);
  gate.waitEntered();  // frame 1 is being decoded
  for (std::uint8_t id = 2; id <= 10; ++id) submit(id);  // 2..9 replaced in turn, 10 waits
  EXPECT_EQ(dec.counts().dropped, 8u);
  gate.release();
  ASSERT_TRUE(dec.waitIdle());
  const auto c = dec.counts();
  EXPECT_EQ(c.submitted, 10u);
  EXPECT_EQ(c.decoded, 2u);
  EXPECT_EQ(c.dropped, 8u);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "10"}));
  dec.stop();
  EXPECT_EQ(dec.submit(image::Frame{px.data(), 3, 2, 4}).error().code, Errc::InvalidArgument);
}

TEST(FrameDecoder, StopFinishesTheBusyFrameAndDropsTheWaitingOne) {
  GatedDecode gate;
  std::vector<std::string> seen;
  image::FrameDecoder dec([&](const std::string& t) { seen.push_back(t); }, gate.fn());
  std::vector<std::uint8_t> px{1};
  ASSERT_TRUE(dec.submit(image::Frame{px.data(), 1, 1, 1}).ok());
  gate.waitEntered();
  px[0] = 2;
  ASSERT_TRUE(dec.submit(image::Frame{px.data(), 1, 1, 1}).ok());  // waits behind frame 1
  std::thread stopper([&] { dec.stop(); });
  while (dec.counts().dropped < 1) std::this_thread::yield();  // stop() has discarded frame 2
  gate.release();
  stopper.join();
  const auto c = dec.counts();
  EXPECT_EQ(c.decoded, 1u);
  EXPECT_EQ(c.dropped, 1u);
  EXPECT_EQ(seen, std::vector<std::string>{"1"});
  EXPECT_FALSE(dec.waitIdle());  // stopped
}

TEST(FrameDecoder, DecodesPaddedCameraFramesWithTheRealReader) {
  std::vector<std::string> seen;
  image::FrameDecoder dec([&](const std::string& t) { seen.push_back(t); });
  const auto qr = frameOf(330, 10, 0, 6, 3);
  const auto blank = image::GreyImage{640, 480, std::vector<std::uint8_t>(640 * 480, 255)};
  for (const auto* img : {&blank, &qr}) {
    const auto buf = padded(*img, 64);
    ASSERT_TRUE(dec.submit(image::Frame{buf.data(), img->width, img->height, img->width + 64}).ok());
    ASSERT_TRUE(dec.waitIdle());  // the buffer may be reused once submit returned; waiting keeps counts exact
  }
  EXPECT_EQ(dec.submit(image::Frame{blank.pixels.data(), 640, 480, 600}).error().code, Errc::ImageMalformed);
  const auto c = dec.counts();
  EXPECT_EQ(c.decoded, 1u);
  EXPECT_EQ(c.missed, 1u);
  EXPECT_EQ(c.dropped, 0u);
  EXPECT_EQ(seen, std::vector<std::string>{tokenLikeText()});
}
