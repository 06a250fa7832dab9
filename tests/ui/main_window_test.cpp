// GUI tests: a real wx window under Xvfb (label gui). Run through tests/ui/with_display.sh.
#include <gtest/gtest.h>
#include <wx/app.h>
#include <wx/init.h>
#include <wx/menu.h>
#include <wx/statusbr.h>
#include <wx/uiaction.h>
#include <wx/utils.h>
#include <wx/weakref.h>

#include <chrono>

#include "ui/main_frame.hpp"

namespace {

class WxEnvironment : public ::testing::Environment {
 public:
  WxEnvironment(int argc, char** argv) : m_argc(argc), m_argv(argv) {}
  void SetUp() override {
    wxApp::SetInstance(new wxApp);
    m_started = wxEntryStart(m_argc, m_argv);
    ASSERT_TRUE(m_started) << "no display: run under tests/ui/with_display.sh";
    wxTheApp->CallOnInit();
  }
  void TearDown() override {
    if (!m_started) return;  // wxEntryCleanup without a started app crashes
    wxTheApp->OnExit();
    wxEntryCleanup();
  }

 private:
  int m_argc;
  char** m_argv;
  bool m_started = false;
};

// Pumps events until `done` or the time budget runs out; returns done().
template <class F>
bool pumpUntil(F done, std::chrono::milliseconds budget = std::chrono::milliseconds(3000)) {
  const auto end = std::chrono::steady_clock::now() + budget;
  while (!done() && std::chrono::steady_clock::now() < end) {
    wxYield();
    wxMilliSleep(10);
  }
  return done();
}

TEST(MainWindow, OpensWithItsTitleMenusAndStatus) {
  auto* frame = new vd::ui::MainFrame();
  frame->Show();
  ASSERT_TRUE(pumpUntil([&] { return frame->IsShownOnScreen(); }));
  EXPECT_EQ(frame->GetTitle().utf8_string(), "VitaleDesk");
  ASSERT_NE(frame->GetMenuBar(), nullptr);
  EXPECT_EQ(frame->GetMenuBar()->GetMenuCount(), 2u);
  EXPECT_EQ(frame->GetStatusBar()->GetStatusText().utf8_string(), "Prêt");
  frame->Destroy();
  pumpUntil([] { return false; }, std::chrono::milliseconds(50));
}

TEST(MainWindow, CtrlQClosesTheWindow) {
  auto* frame = new vd::ui::MainFrame();
  wxWeakRef<wxFrame> alive(frame);
  frame->Show();
  frame->Raise();
  ASSERT_TRUE(pumpUntil([&] { return frame->IsShownOnScreen(); }));
  frame->SetFocus();
  pumpUntil([] { return false; }, std::chrono::milliseconds(100));
  wxUIActionSimulator sim;
  sim.Char('q', wxMOD_CONTROL);
  EXPECT_TRUE(pumpUntil([&] { return alive.get() == nullptr; })) << "Ctrl+Q did not close the window";
  if (alive) alive->Destroy();
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new WxEnvironment(argc, argv));
  return RUN_ALL_TESTS();
}
