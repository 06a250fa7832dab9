// The demo test kit's way to pcscd + vpcd without pcscd: the reader.conf parser, where the
// port comes from (VD_VPCD_PORT, reader.conf.d), and the vpcd client on a thread stopped by
// its flag — against a real listening socket of the test playing vpcd (frames on loopback).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/demo_mode.hpp"
#include "app/vpcd_kit.hpp"
#include "app/local_time.hpp"
#include "reader/pcsc/atr.hpp"
#include "sim/vpcd.hpp"

namespace vd::app {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kDebianVpcd =
    "# vpcd\nFRIENDLYNAME \"Virtual PCD\"\nDEVICENAME   /dev/null:0x8C7B\n"
    "LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    0x8C7B\n";

TEST(VpcdConf, DebianEntryGivesPort35963) {
  const auto entries = parseVpcdConf(kDebianVpcd);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].friendlyName, "Virtual PCD");
  EXPECT_EQ(entries[0].port, 35963);
}

TEST(VpcdConf, OnlyVpcdEntriesThatListenAreKept) {
  const std::string text =
      "FRIENDLYNAME \"GemPCTwin serial\"\nDEVICENAME /dev/ttyS0\nLIBPATH /usr/lib/pcsc/drivers/serial/libccidtwin.so\n"
      "FRIENDLYNAME \"Reverse\"\nDEVICENAME vicc.example:35963\nLIBPATH /usr/lib/libifdvpcd.so\nCHANNELID 0x8C7B\n"
      "FRIENDLYNAME Decimal\r\nLIBPATH /x/libifdvpcd.so\r\nDEVICENAME /dev/null:40000\r\n"
      "  # a comment\nFRIENDLYNAME \"By channel\"\nLIBPATH /x/libifdvpcd.so\nCHANNELID 0x9C40\n"
      "FRIENDLYNAME \"Bad port\"\nLIBPATH /x/libifdvpcd.so\nDEVICENAME /dev/null:65535\nCHANNELID 0x8C7B\n";
  const auto entries = parseVpcdConf(text);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].friendlyName, "Decimal");
  EXPECT_EQ(entries[0].port, 40000);
  EXPECT_EQ(entries[1].friendlyName, "By channel");
  EXPECT_EQ(entries[1].port, 0x9C40);
}

TEST(VpcdConf, BoundedOnHostileInput) {
  std::string many;
  for (int i = 0; i < 40; ++i) many += "FRIENDLYNAME n\nLIBPATH libifdvpcd.so\nCHANNELID 100\n";
  EXPECT_EQ(parseVpcdConf(many).size(), 16u);
  const auto longName = parseVpcdConf("FRIENDLYNAME \"" + std::string(5000, 'A') + "\nLIBPATH libifdvpcd.so\nCHANNELID 9\n");
  ASSERT_EQ(longName.size(), 1u);
  EXPECT_EQ(longName[0].friendlyName.size(), 128u);
  EXPECT_TRUE(parseVpcdConf(std::string_view("\0\0\n\"", 4)).empty());
  EXPECT_TRUE(parseVpcdConf("DEVICENAME /dev/null:\nLIBPATH\nFRIENDLYNAME").empty());
}

TEST(VpcdConf, Ports) {
  EXPECT_EQ(parseVpcdPort("35963"), 35963);
  EXPECT_EQ(parseVpcdPort(" 0x8c7b "), 35963);
  EXPECT_EQ(parseVpcdPort("65534"), 65534);
  for (const char* bad : {"", "0", "65535", "0x", "-1", "12a", "999999999999", "0xFFFFFFFFF", "3 5"})
    EXPECT_FALSE(parseVpcdPort(bad)) << bad;
}

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/vd-vpcd-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
  fs::path path;
};

TEST(VpcdConf, FoundInReaderConfDirOrGivenByTheEnvironment) {
  TempDir dir;
  auto none = findVpcdConf(dir.path, nullptr);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, core::Errc::DemoVpcdNotConfigured);
  dir.write("libccidtwin", "#DEVICENAME /dev/ttySn\n");
  dir.write("vpcd", kDebianVpcd);
  auto found = findVpcdConf(dir.path, "");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->port, 35963);
  auto env = findVpcdConf(dir.path, "41000");  // a private pcscd's port (tests)
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->port, 41000);
  EXPECT_EQ(env->friendlyName, "Virtual PCD");
  auto bad = findVpcdConf(dir.path, "vpcd");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::Errc::DemoVpcdBadPort);
  EXPECT_EQ(findVpcdConf(dir.path / "missing", "35963")->friendlyName, "Virtual PCD");
}

/// A card answering every APDU with 90 00.
class EchoCard final : public sim::VpcdCard {
 public:
  std::vector<std::uint8_t> atr() const override { return {0x3B, 0x80, 0x80, 0x01, 0x01}; }
  void reset() override { ++resets; }
  std::optional<std::vector<std::uint8_t>> process(std::span<const std::uint8_t> apdu) override {
    std::vector<std::uint8_t> r(apdu.begin(), apdu.end());
    r.push_back(0x90);
    r.push_back(0x00);
    return r;
  }
  int resets = 0;
};

/// The test's "vpcd": a listening socket on 127.0.0.1 (port chosen by the kernel).
struct FakeVpcd {
  FakeVpcd() {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listener, 4), 0);
    socklen_t len = sizeof addr;
    getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~FakeVpcd() {
    if (client >= 0) close(client);
    if (listener >= 0) close(listener);
  }
  bool accept(int ms = 2000) {
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, ms) != 1) return false;
    client = ::accept(listener, nullptr, nullptr);
    return client >= 0;
  }
  /// One exchange as vpcd does it: length and payload in two writes.
  std::vector<std::uint8_t> exchange(const std::vector<std::uint8_t>& payload) {
    const std::uint8_t len[2] = {static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size())};
    EXPECT_EQ(send(client, len, 2, MSG_NOSIGNAL), 2);
    EXPECT_EQ(send(client, payload.data(), payload.size(), MSG_NOSIGNAL), static_cast<ssize_t>(payload.size()));
    std::uint8_t head[2];
    if (!readAll(head, 2)) return {};
    std::vector<std::uint8_t> answer(static_cast<std::size_t>((head[0] << 8) | head[1]));
    if (!readAll(answer.data(), answer.size())) return {};
    return answer;
  }
  bool readAll(std::uint8_t* buf, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
      pollfd p{client, POLLIN, 0};
      if (poll(&p, 1, 2000) != 1) return false;
      const ssize_t r = recv(client, buf + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<std::size_t>(r);
    }
    return true;
  }
  /// True when the emulator closed its side within `ms` (the card was removed).
  bool closedWithin(int ms) {
    pollfd p{client, POLLIN, 0};
    if (poll(&p, 1, ms) != 1) return false;
    std::uint8_t b;
    return recv(client, &b, 1, 0) == 0;
  }
  int listener = -1;
  int client = -1;
  int port = 0;
};

TEST(VpcdClient, ServesFramesAndStopsPromptlyOnRequest) {
  FakeVpcd vpcd;
  EchoCard card;
  sim::VpcdStop stop;
  sim::VpcdOptions options;
  options.log = false;
  options.stop = &stop;
  int rc = -1;
  std::thread t([&] { rc = sim::runVpcd(card, "127.0.0.1", vpcd.port, options); });
  ASSERT_TRUE(vpcd.accept());
  EXPECT_EQ(vpcd.exchange({0x04}), (std::vector<std::uint8_t>{0x3B, 0x80, 0x80, 0x01, 0x01}));  // the ATR
  EXPECT_EQ(vpcd.exchange({0x00, 0xB0, 0x00, 0x00}), (std::vector<std::uint8_t>{0x00, 0xB0, 0x00, 0x00, 0x90, 0x00}));
  // Idle (vpcd silent), then stopped from this thread: closed and returned at once.
  std::this_thread::sleep_for(milliseconds(120));
  const auto t0 = Clock::now();
  stop.request();
  t.join();
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - t0);
  EXPECT_LT(took.count(), 300) << "stop took " << took.count() << " ms";
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(vpcd.closedWithin(500));
}

TEST(VpcdClient, StopEndsTheReconnectLoopAndRefusalIsReportedWithoutReconnect) {
  int port = 0;
  {
    FakeVpcd gone;  // a port where nothing listens any more
    port = gone.port;
  }
  EchoCard card;
  sim::VpcdStop stop;
  sim::VpcdOptions options;
  options.log = false;
  options.stop = &stop;
  int rc = -1;
  std::thread t([&] { rc = sim::runVpcd(card, "127.0.0.1", port, options); });
  std::this_thread::sleep_for(milliseconds(250));  // refused, waiting to reconnect
  const auto t0 = Clock::now();
  stop.request();
  t.join();
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count(), 300);
  EXPECT_EQ(rc, 0);
  options.stop = nullptr;
  options.reconnect = false;
  EXPECT_EQ(sim::runVpcd(card, "127.0.0.1", port, options), 4);
}

TEST(VpcdKitTest, InsertIsAConnectionAndRemoveADisconnection) {
  FakeVpcd contact;
  VpcdSetup setup;
  setup.port = contact.port;  // no reader names: pcscd is not asked (this test has none)
  VpcdKit kit(setup);
  auto card = std::make_shared<EchoCard>();
  ASSERT_TRUE(kit.insertCard(card).ok());
  ASSERT_TRUE(contact.accept());
  EXPECT_TRUE(kit.cardInserted());
  EXPECT_EQ(contact.exchange({0x04}).size(), 5u);
  EXPECT_GE(card->resets, 1);
  const auto t0 = Clock::now();
  kit.removeCard();
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count(), 300);
  EXPECT_FALSE(kit.cardInserted());
  EXPECT_TRUE(contact.closedWithin(500));
  // The phone slot is port + 1: nothing listens there in this test.
  auto phone = kit.presentPhone(std::make_shared<EchoCard>());
  ASSERT_FALSE(phone.ok());
  EXPECT_EQ(phone.error().code, core::Errc::DemoVpcdRefused);
  EXPECT_EQ(phone.error().args.at(0), std::to_string(contact.port + 1));
}

TEST(DemoDevicesTest, InProcessWhenVpcdIsAbsentOrNotWatched) {
  DemoDevices absent("", [] { return core::Result<VpcdSetup>(core::fail(core::Errc::PcscNoService)); });
  auto use = absent.detect();
  EXPECT_FALSE(use.viaPcscd);
  use = absent.insertCard(std::make_shared<EchoCard>());
  EXPECT_FALSE(use.viaPcscd);
  ASSERT_TRUE(use.error);
  EXPECT_EQ(use.error->code, core::Errc::PcscNoService);
  EXPECT_FALSE(absent.removeCard().viaPcscd);

  FakeVpcd vpcd;
  VpcdSetup setup;
  setup.port = vpcd.port;
  setup.contactReader = "Virtual PCD 00 00";
  DemoDevices otherReader("OMNIKEY", [&] { return core::Result<VpcdSetup>(setup); });
  use = otherReader.insertCard(std::make_shared<EchoCard>());
  EXPECT_FALSE(use.viaPcscd);  // the desk watches another reader
  EXPECT_FALSE(use.error);
}

TEST(DemoDevicesTest, ThroughVpcdWhenDetectedAndDetectsAgainAfterAFailure) {
  FakeVpcd vpcd;
  int detections = 0;
  VpcdSetup setup;
  setup.port = vpcd.port;
  DemoDevices devices("", [&] {
    ++detections;
    return core::Result<VpcdSetup>(setup);
  });
  auto use = devices.detect();
  EXPECT_TRUE(use.viaPcscd);
  EXPECT_FALSE(devices.removeCard().viaPcscd) << "no card inserted yet";
  use = devices.insertCard(std::make_shared<EchoCard>());
  EXPECT_TRUE(use.viaPcscd);
  EXPECT_FALSE(use.error);
  ASSERT_TRUE(vpcd.accept());
  EXPECT_TRUE(devices.removeCard().viaPcscd);
  EXPECT_TRUE(vpcd.closedWithin(500));
  use = devices.presentPhone(std::make_shared<EchoCard>());  // port + 1: refused
  EXPECT_TRUE(use.viaPcscd);
  ASSERT_TRUE(use.error);
  EXPECT_EQ(use.error->code, core::Errc::DemoVpcdRefused);
  EXPECT_EQ(detections, 1);
  devices.insertCard(std::make_shared<EchoCard>());
  EXPECT_EQ(detections, 2);  // after a failure, the next action detects again
}

TEST(DemoModeVpcd, KitCardsAndPhonesForVpcdCarryTheirAtr) {
  TempDir dir;
  auto demo = DemoMode::open(dir.path / "demo", app::SystemClock().now());
  ASSERT_TRUE(demo.ok()) << core::errcId(demo.error().code);
  auto card = (*demo)->vpcdCard("family");
  ASSERT_TRUE(card.ok());
  auto cardAtr = reader::parseAtr((*card)->atr());
  ASSERT_TRUE(cardAtr.ok());
  EXPECT_FALSE(cardAtr->contactless) << "a contact card: the PC/SC worker reads it as a carte Vitale";
  auto phone = (*demo)->vpcdPhone("valid");
  ASSERT_TRUE(phone.ok());
  auto phoneAtr = reader::parseAtr((*phone)->atr());
  ASSERT_TRUE(phoneAtr.ok());
  EXPECT_TRUE(phoneAtr->contactless) << "a phone: the PC/SC worker takes the NFC path";
  EXPECT_EQ((*demo)->vpcdCard("no-such-kit").error().code, core::Errc::InvalidArgument);
  EXPECT_EQ((*demo)->vpcdPhone("no-such-kit").error().code, core::Errc::InvalidArgument);
}

}  // namespace
}  // namespace vd::app
