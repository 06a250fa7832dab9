#pragma once
// Shared by the GUI test programs (label gui, run through tests/ui/with_display.sh): the wx
// environment for GoogleTest, bounded event pumping and screenshots as test artifacts.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include <gtest/gtest.h>
#include <wx/app.h>
#include <wx/image.h>
#include <wx/init.h>
#include <wx/log.h>
#include <wx/utils.h>
#include <wx/window.h>

namespace vd::test {

class WxEnvironment : public ::testing::Environment {
 public:
  WxEnvironment(int argc, char** argv, std::function<void()> afterInit = {})
      : m_argc(argc), m_argv(argv), m_afterInit(std::move(afterInit)) {}
  void SetUp() override {
    wxApp::SetInstance(new wxApp);
    m_started = wxEntryStart(m_argc, m_argv);
    ASSERT_TRUE(m_started) << "no display: run under tests/ui/with_display.sh";
    wxTheApp->CallOnInit();
    wxInitAllImageHandlers();
    delete wxLog::SetActiveTarget(new wxLogStderr);  // no modal log pop-ups in tests
    if (m_afterInit) m_afterInit();
  }
  void TearDown() override {
    if (!m_started) return;  // wxEntryCleanup without a started app crashes
    wxTheApp->OnExit();
    wxEntryCleanup();
  }

 private:
  int m_argc;
  char** m_argv;
  std::function<void()> m_afterInit;
  bool m_started = false;
};

/// Pumps events until `done` or the time budget runs out; returns done().
template <class F>
bool pumpUntil(F done, std::chrono::milliseconds budget = std::chrono::milliseconds(5000)) {
  const auto end = std::chrono::steady_clock::now() + budget;
  while (!done() && std::chrono::steady_clock::now() < end) {
    wxYield();
    wxMilliSleep(10);
  }
  return done();
}

inline void pumpFor(std::chrono::milliseconds d) {
  pumpUntil([] { return false; }, d);
}

/// Where screenshots go: $VD_SCREENSHOT_DIR, else the build tree's tests/screenshots.
inline std::filesystem::path screenshotDir() {
  if (const char* env = std::getenv("VD_SCREENSHOT_DIR"); env && *env) return env;
#ifdef VD_SCREENSHOT_DIR
  return VD_SCREENSHOT_DIR;
#else
  return std::filesystem::temp_directory_path();
#endif
}

/// Saves what `window` shows on screen as a PNG named `name` in screenshotDir() and returns
/// the path, or an empty path when it failed. ImageMagick's `import` grabs the X server's
/// pixels (wxScreenDC under GTK 3 keeps returning its first capture).
inline std::filesystem::path screenshot(wxWindow* window, const std::string& name) {
  window->Refresh();
  window->Update();
  pumpFor(std::chrono::milliseconds(200));
  const wxRect r = window->GetScreenRect();
  const auto dir = screenshotDir();
  std::filesystem::create_directories(dir);
  const auto file = dir / (name + ".png");
  std::filesystem::remove(file);
  const std::string command = "import -silent -window root -crop " + std::to_string(r.width) + "x" +
                              std::to_string(r.height) + "+" + std::to_string(r.x) + "+" + std::to_string(r.y) +
                              " +repage '" + file.string() + "'";
  if (std::system(command.c_str()) != 0 || !std::filesystem::exists(file)) return {};
  return file;
}

}  // namespace vd::test
