#pragma once
/// \file
/// The "Test kit" menu of the demo mode: insert each kit card of the simulator (in-process,
/// through the real card reader code), remove it, present each phone kit (its QR text goes
/// through the token path), switch the simulated insurer network off and on. Item ids:
/// kCmdDemoCardFirst + card kit index, kCmdDemoPhoneFirst + phone kit index, kCmdDemoNfcFirst and
/// kCmdDemoCameraFirst + phone kit index (the phone's QR code played through the camera path,
/// docs/camera.md) (shortcuts.hpp).

#include <string>
#include <vector>

#include <wx/menu.h>

#include "app/demo_mode.hpp"

namespace vd::ui {

/// `networkItem` receives the checkable "Network on" item.
wxMenu* buildTestKitMenu(const std::vector<app::DemoKit>& cards, const std::vector<std::string>& phones,
                         wxMenuItem** networkItem);

}  // namespace vd::ui
