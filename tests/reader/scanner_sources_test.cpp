// The scanner sources' worker threads on real parts: a serial scanner on a pseudo-terminal
// (codes, source id, clean stop) and the libusb source with no matching device (absent,
// clean stop). The USB reading itself is tested under umockdev (integration/scanner_umockdev.sh).
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "reader/scanner/code_source.hpp"

namespace vd::reader::scanner {
namespace {

struct Events {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> codes;
  std::vector<core::Errc> errors;
  std::string id;

  CodeHandlers handlers() {
    return {[this](const std::string& sourceId, const ScannedText& c) {
              std::lock_guard l(m);
              id = sourceId;
              codes.push_back(c.text);
              cv.notify_all();
            },
            [this](const std::string&, const core::Error& e) {
              std::lock_guard l(m);
              errors.push_back(e.code);
              cv.notify_all();
            }};
  }
  bool waitFor(std::size_t nCodes, std::size_t nErrors) {
    std::unique_lock l(m);
    return cv.wait_for(l, std::chrono::seconds(5), [&] { return codes.size() >= nCodes && errors.size() >= nErrors; });
  }
};

TEST(SerialScannerSource, ReadsCodesFromAPtyAndStops) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  const std::string slave = ptsname(master);
  Events ev;
  SerialScannerConfig config;
  config.path = slave;
  config.baud = 115200;
  SerialScannerSource source(config);
  ASSERT_TRUE(source.start(ev.handlers()).ok());
  const std::string data = "VD1:ABC\r\nVD1:DEF\rVD1:G";  // the last one ends by silence
  ASSERT_EQ(write(master, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ASSERT_TRUE(ev.waitFor(3, 0));
  const auto before = std::chrono::steady_clock::now();
  source.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
  EXPECT_EQ(ev.codes, (std::vector<std::string>{"VD1:ABC", "VD1:DEF", "VD1:G"}));
  EXPECT_EQ(ev.id, "serial:" + slave);
  close(master);
}

TEST(SerialScannerSource, OpenFailuresAreErrorsOfStart) {
  SerialScannerSource missing(SerialScannerConfig{"/nonexistent/ttyACM9", 9600, {}, 50});
  auto r = missing.start({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::ScannerSerialOpen);
  SerialScannerSource notTty(SerialScannerConfig{"/dev/null", 9600, {}, 50});
  r = notTty.start({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::ScannerSerialOpen);
  SerialScannerSource badSpeed(SerialScannerConfig{"/dev/null", 12345, {}, 50});
  r = badSpeed.start({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::InvalidArgument);
}

TEST(UsbScannerSource, NoMatchingDeviceIsReportedOnceAndStopIsPrompt) {
  UsbScannerConfig config;
  config.devices = {VidPid{0x1209, 0xFFFE}};  // pid.codes: not allocated to any product
  config.rescanMs = 100;
  UsbScannerSource source(config);
  Events ev;
  const auto started = source.start(ev.handlers());
  if (!started.ok()) {  // no usbfs at all in this sandbox: libusb_init itself fails
    EXPECT_EQ(started.error().code, core::Errc::ScannerUsbFailed);
    GTEST_SKIP() << "libusb_init failed here";
  }
  ASSERT_TRUE(ev.waitFor(0, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(350));  // several rescans: still one report
  const auto before = std::chrono::steady_clock::now();
  source.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
  EXPECT_EQ(ev.errors, std::vector<core::Errc>{core::Errc::ScannerAbsent});
}

}  // namespace
}  // namespace vd::reader::scanner
