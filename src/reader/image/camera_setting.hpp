#pragma once
/// \file
/// The desk's camera setting (docs/camera.md): off, auto or a device path, parsed into the
/// CameraSpec that reader::image::CameraSource starts. Pure (no GStreamer): fuzzed by
/// tests/fuzz/fuzz_camera_setting. The device path is later set as v4l2src's "device"
/// property, never pasted into a pipeline description; it is still restricted so that a
/// hand-edited configuration cannot smuggle pipeline syntax into logs or messages.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vd::reader::image {

/// What the desk's camera setting names.
struct CameraSpec {
  enum class Kind { Off, Auto, Device, Pipeline };
  Kind kind = Kind::Off;
  /// Device: the device path (/dev/video0, /dev/v4l/by-id/…). Pipeline: a GStreamer source
  /// description (tests and demo only, never from a setting: it could name any element).
  std::string value;
};

/// The setting's text: "" or "off" → Off, "auto" → Auto (the first camera listed), a path
/// under /dev/ (≤ 255 bytes, printable ASCII without spaces, quotes, '!' or "..") → Device.
/// Errors: CameraSetting (the value cut to 64 bytes, bytes outside printable ASCII as '?'). Fuzzed
/// (tests/fuzz/fuzz_camera_setting).
core::Result<CameraSpec> parseCameraSetting(std::string_view text);

}  // namespace vd::reader::image
