#include "app/camera_demo.hpp"

#include "sim/qr_png.hpp"

namespace vd::app {

core::Result<std::string> demoCameraStream(DemoMode& demo, std::string_view kit, std::int64_t now,
                                           const std::filesystem::path& dir, int frames) {
  auto text = demo.phoneToken(kit, now);
  if (!text) return core::fail(text.error());
  // A phone held about 30 cm away: a 300-pixel code, turned by 6°, a little soft and noisy.
  auto frame = sim::cameraFrame(*text, 300, 640, 480, sim::Degradation{6, 0.6, 3, 7});
  if (!frame) return core::fail(frame.error());
  const std::filesystem::path file = dir / ("camera-" + std::string(kit) + ".png");
  const std::string location = file.string();
  // The path goes inside a quoted property of a pipeline description.
  if (location.find_first_of("\"\\") != std::string::npos) return core::fail(core::Errc::InvalidArgument, {"path"});
  if (auto written = sim::writeGreyPng(*frame, file); !written) return core::fail(written.error());
  return "filesrc location=\"" + location + "\" ! pngdec ! imagefreeze num-buffers=" + std::to_string(frames);
}

}  // namespace vd::app
