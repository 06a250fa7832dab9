// The vpcd side of a virtual card: 2-byte big-endian length + payload; a 1-byte payload is
// a control code (00 power off, 01 power on, 02 reset, 04 send the ATR), anything longer is a
// command APDU answered with the response APDU (docs/formats/vitale-card.md).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <thread>

#include "sim/virtual_card.hpp"
#include "sim/vpcd.hpp"

namespace vd::sim {
namespace {

constexpr int kStopPollMs = 50;  // how late a stop request is seen while vpcd is silent

bool stopRequested(const VpcdStop* stop) { return stop != nullptr && stop->requested(); }

bool recvAll(int fd, std::uint8_t* buf, std::size_t n, const VpcdStop* stop) {
  std::size_t got = 0;
  while (got < n) {
    // vpcd writes length and payload separately with Nagle on: ack at once (Linux resets
    // TCP_QUICKACK after each use), else every APDU waits ~40 ms for the delayed ACK.
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    if (stop != nullptr) {
      // Wait in short steps so that a stop request from another thread is seen.
      pollfd p{fd, POLLIN, 0};
      const int ready = poll(&p, 1, kStopPollMs);
      if (stopRequested(stop)) return false;
      if (ready < 0 && errno != EINTR) return false;
      if (ready <= 0) continue;
    }
    const ssize_t r = recv(fd, buf + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

bool sendFrame(int fd, const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> frame{static_cast<std::uint8_t>(payload.size() >> 8),
                                  static_cast<std::uint8_t>(payload.size())};
  frame.insert(frame.end(), payload.begin(), payload.end());
  return send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(frame.size());
}

// The simulated carte Vitale as vpcd sees it (borrowed, or owned).
class VirtualCardOnVpcd final : public VpcdCard {
 public:
  explicit VirtualCardOnVpcd(VirtualCard& card) : m_card(&card) {}
  explicit VirtualCardOnVpcd(VirtualCard&& card) : m_owned(std::move(card)), m_card(&*m_owned) {}
  VirtualCardOnVpcd(const VirtualCardOnVpcd&) = delete;
  VirtualCardOnVpcd& operator=(const VirtualCardOnVpcd&) = delete;
  std::vector<std::uint8_t> atr() const override { return m_card->atr(); }
  void reset() override { m_card->reset(); }
  std::optional<std::vector<std::uint8_t>> process(std::span<const std::uint8_t> apdu) override {
    return m_card->process(apdu);
  }

 private:
  std::optional<VirtualCard> m_owned;
  VirtualCard* m_card;
};

void serve(int fd, VpcdCard& card, const VpcdStop* stop) {
  std::vector<std::uint8_t> buf;
  for (;;) {
    std::uint8_t len[2];
    if (!recvAll(fd, len, 2, stop)) return;
    const std::size_t n = static_cast<std::size_t>((len[0] << 8) | len[1]);
    buf.resize(n);
    if (n > 0 && !recvAll(fd, buf.data(), n, stop)) return;
    if (n == 1) {
      if (buf[0] == 0x04) {
        if (!sendFrame(fd, card.atr())) return;
      } else {
        card.reset();  // power off, power on, reset
      }
    } else if (n > 1) {
      auto response = card.process(buf);
      if (!response || !sendFrame(fd, *response)) return;
    }
  }
}

}  // namespace

std::unique_ptr<VpcdCard> onVpcd(VirtualCard card) {
  return std::make_unique<VirtualCardOnVpcd>(std::move(card));
}

int runVpcdCard(VirtualCard& card, const std::string& host, int port) {
  VirtualCardOnVpcd onVpcd(card);
  return runVpcd(onVpcd, host, port);
}

int runVpcd(VpcdCard& card, const std::string& host, int port, const std::string& what) {
  VpcdOptions options;
  options.what = what;
  return runVpcd(card, host, port, options);
}

int runVpcd(VpcdCard& card, const std::string& host, int port, const VpcdOptions& options) {
  const std::string& what = options.what;
  const VpcdStop* stop = options.stop;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    if (options.log) std::cerr << "vitaledesk-sim: bad host " << host << '\n';
    return 2;
  }
  bool announced = false;
  while (!stopRequested(stop)) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 3;
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (options.log)
        std::cerr << "vitaledesk-sim: " << what << " inserted (connected to " << host << ':' << port << ")\n";
      announced = false;
      if (options.onConnection) options.onConnection(true);
      card.reset();
      serve(fd, card, stop);
      close(fd);
      if (options.onConnection) options.onConnection(false);
      if (card.finished() || stopRequested(stop)) {
        if (options.log) std::cerr << "vitaledesk-sim: " << what << " removed\n";
        return 0;
      }
      if (!options.reconnect) return 0;
      if (options.log) std::cerr << "vitaledesk-sim: connection closed, reconnecting\n";
    } else {
      close(fd);
      if (!options.reconnect) return 4;
      if (!announced && options.log) std::cerr << "vitaledesk-sim: waiting for pcscd on " << host << ':' << port << '\n';
      announced = true;
    }
    // 200 ms before reconnecting, in steps that see a stop request.
    for (int i = 0; i < 200 / kStopPollMs && !stopRequested(stop); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(kStopPollMs));
  }
  return 0;
}

}  // namespace vd::sim
