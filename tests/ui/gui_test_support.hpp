#pragma once
// Shared by the GUI test programs (label gui, run through tests/ui/with_display.sh): the wx
// environment for GoogleTest (in the language of $VD_SCREENSHOT_LANG), bounded event pumping
// and screenshots as test artifacts.
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

#include "core/messages.hpp"
#include "ui/translations.hpp"

namespace vd::test {

/// The language of the desk under test and of its screenshots: $VD_SCREENSHOT_LANG "fr" or
/// "en" (default English: one run in CI). tools/update-screenshots.sh runs the GUI tests once
/// per language, for the French and the English user guide.
inline core::Lang guiLang() {
  const char* env = std::getenv("VD_SCREENSHOT_LANG");
  return env != nullptr && std::string(env) == "fr" ? core::Lang::Fr : core::Lang::En;
}
inline const char* guiLangId() { return guiLang() == core::Lang::Fr ? "fr" : "en"; }

/// Starts wx, loads the catalog of guiLang() (ui::initTranslations, which also makes LC_CTYPE
/// UTF-8 under LANG=C) and the desktop locale as the desk does (ui::useDesktopLocale), then
/// runs `afterInit`. Set `DeskContext::lang` to guiLang() so no screen mixes languages.
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
    const bool loaded = ui::initTranslations(guiLangId());
    ASSERT_TRUE(loaded || guiLang() == core::Lang::En) << "vitaledesk.mo not found in the build tree";
    ui::useDesktopLocale(guiLang());
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
inline void pumpFor(int ms) { pumpFor(std::chrono::milliseconds(ms)); }

/// Where screenshots go: $VD_SCREENSHOT_DIR, else the build tree's tests/screenshots.
inline std::filesystem::path screenshotDir() {
  if (const char* env = std::getenv("VD_SCREENSHOT_DIR"); env && *env) return env;
#if defined(VD_SCREENSHOT_DIR)
  return VD_SCREENSHOT_DIR;
#elif defined(VD_DEFAULT_SCREENSHOT_DIR)
  return VD_DEFAULT_SCREENSHOT_DIR;
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
