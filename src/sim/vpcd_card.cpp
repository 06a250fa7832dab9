// The vpcd side of a virtual card: 2-byte big-endian length + payload; a 1-byte payload is
// a control code (00 power off, 01 power on, 02 reset, 04 send the ATR), anything longer is a
// command APDU answered with the response APDU (docs/formats/vitale-card.md).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "sim/virtual_card.hpp"
#include "sim/vpcd.hpp"

namespace vd::sim {
namespace {

bool recvAll(int fd, std::uint8_t* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    // vpcd writes length and payload separately with Nagle on: ack at once (Linux resets
    // TCP_QUICKACK after each use), else every APDU waits ~40 ms for the delayed ACK.
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
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

// The simulated carte Vitale as vpcd sees it.
class VirtualCardOnVpcd final : public VpcdCard {
 public:
  explicit VirtualCardOnVpcd(VirtualCard& card) : m_card(card) {}
  std::vector<std::uint8_t> atr() const override { return m_card.atr(); }
  void reset() override { m_card.reset(); }
  std::optional<std::vector<std::uint8_t>> process(std::span<const std::uint8_t> apdu) override {
    return m_card.process(apdu);
  }

 private:
  VirtualCard& m_card;
};

void serve(int fd, VpcdCard& card) {
  std::vector<std::uint8_t> buf;
  for (;;) {
    std::uint8_t len[2];
    if (!recvAll(fd, len, 2)) return;
    const std::size_t n = static_cast<std::size_t>((len[0] << 8) | len[1]);
    buf.resize(n);
    if (n > 0 && !recvAll(fd, buf.data(), n)) return;
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

int runVpcdCard(VirtualCard& card, const std::string& host, int port) {
  VirtualCardOnVpcd onVpcd(card);
  return runVpcd(onVpcd, host, port);
}

int runVpcd(VpcdCard& card, const std::string& host, int port, const std::string& what) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    std::cerr << "vitaledesk-sim: bad host " << host << '\n';
    return 2;
  }
  bool announced = false;
  for (;;) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 3;
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::cerr << "vitaledesk-sim: " << what << " inserted (connected to " << host << ':' << port << ")\n";
      announced = false;
      card.reset();
      serve(fd, card);
      if (card.finished()) {
        close(fd);
        std::cerr << "vitaledesk-sim: " << what << " removed\n";
        return 0;
      }
      std::cerr << "vitaledesk-sim: connection closed, reconnecting\n";
    } else if (!announced) {
      std::cerr << "vitaledesk-sim: waiting for pcscd on " << host << ':' << port << '\n';
      announced = true;
    }
    close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace vd::sim
