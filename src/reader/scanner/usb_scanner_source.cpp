// USB QR scanners through libusb (the only file of VitaleDesk that includes libusb.h).
// Under umockdev (tests) control transfers and libusb_kernel_driver_active fail: both are
// treated as optional here (RECIPES "USB QR scanner without USB").
#include <atomic>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>
#include <variant>

#include <libusb.h>

#include "reader/scanner/code_source.hpp"

namespace vd::reader::scanner {
namespace {

std::int64_t monotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string hex4(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v & 0xFFFFu);
  return b;
}

constexpr std::uint8_t kClassHid = 0x03;
constexpr std::uint8_t kClassCdcData = 0x0A;
constexpr std::uint16_t kUsagePagePos = 0x8C;

using Decoder = std::variant<HidKeyboardDecoder, HidPosDecoder, LineDecoder>;

// The interface chosen on a device, once opened and claimed.
struct Claimed {
  libusb_device_handle* handle = nullptr;
  int interface = -1;
  bool detached = false;
  std::uint8_t endpoint = 0;
  std::uint16_t packetSize = 0;
  bool bulk = false;
  std::string id;
};

// An IN endpoint of the wanted transfer type on the interface's first alternate setting.
const libusb_endpoint_descriptor* inEndpoint(const libusb_interface_descriptor& alt, int transferType) {
  for (int e = 0; e < alt.bNumEndpoints; ++e) {
    const auto& ep = alt.endpoint[e];
    if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0 && (ep.bmAttributes & 0x03) == transferType) return &ep;
  }
  return nullptr;
}

std::string deviceId(libusb_device* dev, const libusb_device_descriptor& d) {
  std::string id =
      "usb:" + hex4(d.idVendor) + ":" + hex4(d.idProduct) + "@" + std::to_string(libusb_get_bus_number(dev));
  std::uint8_t ports[8];
  const int n = libusb_get_port_numbers(dev, ports, sizeof ports);
  for (int i = 0; i < n; ++i) id += (i == 0 ? "-" : ".") + std::to_string(ports[i]);
  return id;
}

int LIBUSB_CALL onHotplug(libusb_context*, libusb_device*, libusb_hotplug_event, void* user) {
  static_cast<std::atomic<bool>*>(user)->store(true);  // no I/O in the callback: the worker rescans
  return 0;
}

}  // namespace

const std::vector<VidPid>& knownScanners() {
  // Vendors whose scanners ship in keyboard / HID POS / CDC modes (filtered further by interface
  // class), and pid.codes' test PID used by the simulator and tests. Keep in sync with
  // installer/udev/60-vitaledesk-scanners.rules and docs/scanners.md.
  static const std::vector<VidPid> k{
      {0x0c2e, std::nullopt},  // Honeywell (Metrologic)
      {0x05e0, std::nullopt},  // Zebra (Symbol Technologies)
      {0x05f9, std::nullopt},  // Datalogic (PSC)
      {0x1eab, std::nullopt},  // Newland
      {0x1209, 0x0001},        // pid.codes test PID (vitaledesk-sim phone usb-capture)
  };
  return k;
}

struct UsbScannerSource::Impl {
  UsbScannerConfig config;
  CodeHandlers handlers;
  libusb_context* ctx = nullptr;
  bool hotplug = false;
  libusb_hotplug_callback_handle hotplugHandle{};
  std::atomic<bool> stopping{false};
  std::atomic<bool> rescan{false};
  std::thread worker;
  std::set<std::string> reported;  // devices whose open/claim failure was already reported

  const std::vector<VidPid>& wanted() const { return config.devices.empty() ? knownScanners() : config.devices; }

  void error(const std::string& id, core::Error e) {
    if (handlers.onError) handlers.onError(id, e);
  }

  void reportOnce(const std::string& id, core::Error e) {
    if (reported.insert(id).second) error(id, std::move(e));
  }

  std::string wantedText() const {
    std::string s;
    for (const auto& v : wanted())
      s += (s.empty() ? "" : ", ") + hex4(v.vendor) + ":" + (v.product ? hex4(*v.product) : "*");
    return s;
  }

  bool isPos(const Claimed& c, const libusb_interface_descriptor& alt) {
    if (config.hidMode != HidMode::Auto) return config.hidMode == HidMode::Pos;
    if (alt.bInterfaceSubClass == 1 && alt.bInterfaceProtocol == 1) return false;  // boot keyboard
    std::uint8_t desc[1024];
    const int n = libusb_control_transfer(
        c.handle, static_cast<std::uint8_t>(LIBUSB_ENDPOINT_IN) | static_cast<std::uint8_t>(LIBUSB_RECIPIENT_INTERFACE),
        LIBUSB_REQUEST_GET_DESCRIPTOR, 0x22 << 8, static_cast<std::uint16_t>(c.interface), desc, sizeof desc, 200);
    if (n > 0)
      return reportDescriptorUsesPage(std::span<const std::uint8_t>(desc, static_cast<std::size_t>(n)), kUsagePagePos);
    return c.packetSize >= HidPosDecoder::kReportSize;  // descriptor unreadable: the report size tells
  }

  // Opens and claims the first matching interface; nullopt when none can be used.
  std::optional<std::pair<Claimed, Decoder>> findAndClaim() {
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) return std::nullopt;
    std::optional<std::pair<Claimed, Decoder>> found;
    for (ssize_t i = 0; i < n && !found; ++i) {
      libusb_device* dev = list[i];
      libusb_device_descriptor d{};
      if (libusb_get_device_descriptor(dev, &d) != 0) continue;
      bool match = false;
      for (const auto& w : wanted()) match = match || w.matches(d.idVendor, d.idProduct);
      if (!match) continue;
      found = claim(dev, d);
    }
    libusb_free_device_list(list, 1);
    return found;
  }

  std::optional<std::pair<Claimed, Decoder>> claim(libusb_device* dev, const libusb_device_descriptor& d) {
    libusb_config_descriptor* cfg = nullptr;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 && libusb_get_config_descriptor(dev, 0, &cfg) != 0)
      return std::nullopt;
    Claimed c;
    c.id = deviceId(dev, d);
    const libusb_interface_descriptor* chosen = nullptr;
    // HID first (keyboard or POS), then a CDC data interface.
    for (int pass = 0; pass < 2 && chosen == nullptr; ++pass) {
      for (int i = 0; i < cfg->bNumInterfaces && chosen == nullptr; ++i) {
        if (cfg->interface[i].num_altsetting < 1) continue;
        const auto& alt = cfg->interface[i].altsetting[0];
        const bool hid = pass == 0 && alt.bInterfaceClass == kClassHid;
        const bool cdc = pass == 1 && alt.bInterfaceClass == kClassCdcData;
        if (!hid && !cdc) continue;
        const auto* ep = inEndpoint(alt, hid ? LIBUSB_TRANSFER_TYPE_INTERRUPT : LIBUSB_TRANSFER_TYPE_BULK);
        if (ep == nullptr) continue;
        chosen = &alt;
        c.interface = alt.bInterfaceNumber;
        c.endpoint = ep->bEndpointAddress;
        c.packetSize = ep->wMaxPacketSize & 0x7FF;
        c.bulk = cdc;
      }
    }
    if (chosen == nullptr || c.packetSize == 0) {
      libusb_free_config_descriptor(cfg);
      return std::nullopt;
    }
    const libusb_interface_descriptor alt = *chosen;
    libusb_free_config_descriptor(cfg);

    int r = libusb_open(dev, &c.handle);
    if (r == LIBUSB_ERROR_ACCESS) {
      reportOnce(c.id, core::makeError(core::Errc::ScannerAccessDenied, {c.id}));
      return std::nullopt;
    }
    if (r != 0) {
      reportOnce(c.id, core::makeError(core::Errc::ScannerUsbFailed, {std::string(libusb_error_name(r))}, c.id));
      return std::nullopt;
    }
    // Errors here are not fatal: umockdev answers LIBUSB_ERROR_OTHER, some platforms NOT_SUPPORTED.
    if (libusb_kernel_driver_active(c.handle, c.interface) == 1)
      c.detached = libusb_detach_kernel_driver(c.handle, c.interface) == 0;
    r = libusb_claim_interface(c.handle, c.interface);
    if (r != 0) {
      const bool denied = r == LIBUSB_ERROR_ACCESS;
      if (c.detached) libusb_attach_kernel_driver(c.handle, c.interface);
      libusb_close(c.handle);
      reportOnce(c.id, denied
                           ? core::makeError(core::Errc::ScannerAccessDenied, {c.id})
                           : core::makeError(core::Errc::ScannerUsbFailed, {std::string(libusb_error_name(r))}, c.id));
      return std::nullopt;
    }
    reported.erase(c.id);
    if (c.bulk) return std::pair<Claimed, Decoder>{c, LineDecoder(config.limits)};
    if (isPos(c, alt)) return std::pair<Claimed, Decoder>{c, HidPosDecoder(config.limits)};
    return std::pair<Claimed, Decoder>{c, HidKeyboardDecoder(config.layout, config.limits)};
  }

  void release(Claimed& c) {
    libusb_release_interface(c.handle, c.interface);
    if (c.detached) libusb_attach_kernel_driver(c.handle, c.interface);  // give the keyboard back
    libusb_close(c.handle);
    c.handle = nullptr;
  }

  void dispatch(const std::string& id, std::vector<ScanResult> results) {
    for (auto& r : results) {
      if (r.ok()) {
        if (handlers.onCode) handlers.onCode(id, *r);
      } else {
        error(id, r.error());
      }
    }
  }

  void readLoop(Claimed& c, Decoder& decoder) {
    std::vector<std::uint8_t> buf(c.packetSize);
    int stalls = 0;
    while (!stopping.load()) {
      int got = 0;
      const int r = c.bulk ? libusb_bulk_transfer(c.handle, c.endpoint, buf.data(), static_cast<int>(buf.size()), &got,
                                                  config.readTimeoutMs)
                           : libusb_interrupt_transfer(c.handle, c.endpoint, buf.data(), static_cast<int>(buf.size()),
                                                       &got, config.readTimeoutMs);
      const std::int64_t now = monotonicMs();
      if ((r == 0 || r == LIBUSB_ERROR_TIMEOUT) && got > 0) {
        stalls = 0;
        const std::span<const std::uint8_t> data(buf.data(), static_cast<std::size_t>(got));
        dispatch(c.id, std::visit([&](auto& d) { return d.feed(data, now); }, decoder));
        continue;
      }
      if (r == 0 || r == LIBUSB_ERROR_TIMEOUT || r == LIBUSB_ERROR_INTERRUPTED) {
        dispatch(c.id, std::visit([&](auto& d) { return d.poll(now); }, decoder));
        continue;
      }
      if (r == LIBUSB_ERROR_PIPE && ++stalls <= 3) {  // a stalled endpoint: clear it, a few times only
        libusb_clear_halt(c.handle, c.endpoint);
        continue;
      }
      // A code cut by the failure is flushed as it stands (the verifier will judge it).
      dispatch(c.id, std::visit([&](auto& d) { return d.poll(now + config.limits.endGapMs + 1); }, decoder));
      error(c.id, r == LIBUSB_ERROR_NO_DEVICE
                      ? core::makeError(core::Errc::ScannerDisconnected, {c.id})
                      : core::makeError(core::Errc::ScannerUsbFailed, {std::string(libusb_error_name(r))}, c.id));
      return;
    }
  }

  // Waits for a hotplug arrival (or the rescan period), staying responsive to stop().
  void waitForDevices() {
    const std::int64_t until = monotonicMs() + config.rescanMs;
    while (!stopping.load() && !rescan.load() && monotonicMs() < until) {
      if (hotplug) {
        timeval tv{0, static_cast<suseconds_t>(config.readTimeoutMs) * 1000};
        libusb_handle_events_timeout_completed(ctx, &tv, nullptr);
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(config.readTimeoutMs));
      }
    }
    rescan = false;
  }

  void run() {
    bool absentReported = false;
    while (!stopping.load()) {
      if (auto found = findAndClaim()) {
        readLoop(found->first, found->second);
        release(found->first);
        absentReported = true;  // the end of reading was reported (disconnected, failure) or asked for
        waitForDevices();       // no tight reopen loop on a failing device
        continue;
      }
      if (!absentReported) {
        error("usb", core::makeError(core::Errc::ScannerAbsent, {wantedText()}));
        absentReported = true;
      }
      waitForDevices();
    }
  }
};

UsbScannerSource::UsbScannerSource(UsbScannerConfig config) : m_impl(std::make_unique<Impl>()) {
  m_impl->config = std::move(config);
}

UsbScannerSource::~UsbScannerSource() {
  stop();
}

core::Result<void> UsbScannerSource::start(CodeHandlers handlers) {
  Impl& s = *m_impl;
  if (s.worker.joinable()) return {};
  if (const int r = libusb_init(&s.ctx); r != 0) {
    s.ctx = nullptr;
    return core::fail(core::Errc::ScannerUsbFailed, {std::string(libusb_error_name(r))}, "libusb_init");
  }
  s.handlers = std::move(handlers);
  s.stopping = false;
  s.hotplug =
      libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0 &&
      libusb_hotplug_register_callback(s.ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, LIBUSB_HOTPLUG_NO_FLAGS,
                                       LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                                       onHotplug, &s.rescan, &s.hotplugHandle) == LIBUSB_SUCCESS;
  s.worker = std::thread([&s] { s.run(); });
  return {};
}

void UsbScannerSource::stop() {
  Impl& s = *m_impl;
  s.stopping = true;
  if (s.worker.joinable()) s.worker.join();
  if (s.ctx != nullptr) {
    if (s.hotplug) libusb_hotplug_deregister_callback(s.ctx, s.hotplugHandle);
    libusb_exit(s.ctx);
    s.ctx = nullptr;
  }
}

}  // namespace vd::reader::scanner
