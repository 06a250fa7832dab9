#pragma once
/// \file
/// The demo's phone in front of the camera (Test kit > "Show a test phone to the camera"): the
/// phone kit's current token drawn as a camera would see it (a QR code on a 640×480 frame,
/// slightly turned, blurred and noisy: sim::cameraFrame) into a PNG in the demo folder, and the
/// GStreamer source description that plays it as a short video for ReaderHub::showToCamera. So
/// the newcomer walks the real camera path: pipeline, stride, frame decoder, repeat rule, token
/// verification. TEST-ONLY material, like the rest of the demo.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "app/demo_mode.hpp"
#include "core/result.hpp"

namespace vd::app {

/// Frames of the demo stream: 2 s at imagefreeze's 25 frames/s.
inline constexpr int kDemoCameraFrames = 50;

/// Writes `dir`/camera-<kit>.png and returns "filesrc location=\"…\" ! pngdec ! imagefreeze
/// num-buffers=N". Errors: those of DemoMode::phoneToken and the rendering, FileUnreadable
/// (write), InvalidArgument (a folder whose path would need quoting in a pipeline).
core::Result<std::string> demoCameraStream(DemoMode& demo, std::string_view kit, std::int64_t now,
                                           const std::filesystem::path& dir, int frames = kDemoCameraFrames);

}  // namespace vd::app
