// Serial / CDC-ACM scanner through termios (raw 8N1). Only this file and usb_scanner_source.cpp
// touch devices in reader/scanner.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

#include "reader/scanner/code_source.hpp"

namespace vd::reader::scanner {
namespace {

std::int64_t monotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::optional<speed_t> speedOf(unsigned baud) {
  switch (baud) {
    case 1200:
      return B1200;
    case 2400:
      return B2400;
    case 4800:
      return B4800;
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    case 230400:
      return B230400;
    default:
      return std::nullopt;
  }
}

}  // namespace

struct SerialScannerSource::Impl {
  SerialScannerConfig config;
  CodeHandlers handlers;
  int fd = -1;
  std::atomic<bool> stopping{false};
  std::thread worker;

  std::string sourceId() const { return "serial:" + config.path; }

  void dispatch(std::vector<ScanResult> results) {
    for (auto& r : results) {
      if (r.ok()) {
        if (handlers.onCode) handlers.onCode(sourceId(), *r);
      } else if (handlers.onError) {
        handlers.onError(sourceId(), r.error());
      }
    }
  }

  void run() {
    LineDecoder decoder(config.limits);
    std::uint8_t buf[512];
    while (!stopping.load()) {
      pollfd p{fd, POLLIN, 0};
      const int n = ::poll(&p, 1, static_cast<int>(config.readTimeoutMs));
      if (n < 0 && errno == EINTR) continue;
      if (n > 0 && (p.revents & POLLIN) != 0) {
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got > 0) {
          dispatch(decoder.feed(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(got)), monotonicMs()));
          continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      }
      if (n < 0 || (n > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0 && (p.revents & POLLIN) == 0)) {
        dispatch(decoder.poll(monotonicMs() + static_cast<std::int64_t>(config.limits.endGapMs) + 1));
        if (handlers.onError)
          handlers.onError(sourceId(), core::makeError(core::Errc::ScannerDisconnected, {sourceId()}));
        return;
      }
      dispatch(decoder.poll(monotonicMs()));
    }
  }
};

SerialScannerSource::SerialScannerSource(SerialScannerConfig config) : m_impl(std::make_unique<Impl>()) {
  m_impl->config = std::move(config);
}

SerialScannerSource::~SerialScannerSource() {
  stop();
}

core::Result<void> SerialScannerSource::start(CodeHandlers handlers) {
  Impl& s = *m_impl;
  if (s.worker.joinable()) return {};
  const auto speed = speedOf(s.config.baud);
  if (!speed) return core::fail(core::Errc::InvalidArgument, {"--baud " + std::to_string(s.config.baud)});
  const int fd = ::open(s.config.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return core::fail(core::Errc::ScannerSerialOpen, {s.config.path, core::errnoName(errno)});
  termios t{};
  if (::tcgetattr(fd, &t) != 0) {
    const int e = errno;
    ::close(fd);
    return core::fail(core::Errc::ScannerSerialOpen, {s.config.path, core::errnoName(e)});
  }
  ::cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  ::cfsetispeed(&t, *speed);
  ::cfsetospeed(&t, *speed);
  if (::tcsetattr(fd, TCSANOW, &t) != 0) {
    const int e = errno;
    ::close(fd);
    return core::fail(core::Errc::ScannerSerialOpen, {s.config.path, core::errnoName(e)});
  }
  ::tcflush(fd, TCIFLUSH);  // a half code left from before we opened is not ours to read
  s.fd = fd;
  s.handlers = std::move(handlers);
  s.stopping = false;
  s.worker = std::thread([&s] { s.run(); });
  return {};
}

void SerialScannerSource::stop() {
  Impl& s = *m_impl;
  s.stopping = true;
  if (s.worker.joinable()) s.worker.join();
  if (s.fd >= 0) ::close(s.fd);
  s.fd = -1;
}

}  // namespace vd::reader::scanner
