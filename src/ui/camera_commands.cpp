// The camera commands of the main window (docs/camera.md), kept out of main_frame.cpp: the
// Test kit's "Show a test phone to the camera" renders the phone kit's token as a camera would
// see it and plays it through the hub's camera path (GStreamer file pipeline → frame decoder →
// repeat rule → token worker), so the demo walks the real camera code.
#include <wx/intl.h>

#include "app/camera_demo.hpp"
#include "app/demo_mode.hpp"
#include "app/reader_hub.hpp"
#include "app/local_time.hpp"
#include "ui/main_frame.hpp"
#include "ui/shortcuts.hpp"

namespace vd::ui {

void MainFrame::bindCameraCommands() {
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent& e) {
        const auto kits = app::DemoMode::phoneKits();
        const auto i = static_cast<std::size_t>(e.GetId() - kCmdDemoCameraFirst);
        if (i < kits.size()) showDemoPhoneToCamera(kits[i]);
      },
      kCmdDemoCameraFirst, kCmdDemoCameraFirst + 99);
}

void MainFrame::showDemoPhoneToCamera(const std::string& kit) {
  if (!m_demo || !m_hub) return;
  // The phone signs its token and the frame is drawn and written: on the desk worker (as
  // presentDemoPhone), then the hub's camera worker plays it.
  using Stream = core::Result<std::string>;
  m_ctx.runThen<Stream>(
      this,
      [demo = m_demo, kit, dir = m_ctx.paths.dataDir] {
        return app::demoCameraStream(*demo, kit, app::SystemClock().now(), dir);
      },
      [this, kit](Stream stream) {
        if (!stream) return setStatus(wxString::FromUTF8(core::describeLine(stream.error(), m_ctx.lang)));
        m_hub->showToCamera(*stream, wxString::Format(_("Test kit camera: %s"), wxString::FromUTF8(kit)).utf8_string());
        setStatus(_("Test kit: a phone is held in front of the camera for 2 seconds."));
      });
}

}  // namespace vd::ui
