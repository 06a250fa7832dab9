#pragma once
/// \file
/// `CodeSource`: the port through which the desk receives scanned codes (STYLE practice 4).
/// Adapters: `UsbScannerSource` (libusb: HID boot keyboard, HID POS, CDC-ACM data interface)
/// and `SerialScannerSource` (a tty through termios). Each owns one worker thread and its
/// device; handlers are called ON THAT WORKER THREAD (the GUI must CallAfter to its own
/// thread). `stop()` joins the worker; no handler runs after it returns.
///
/// Errors reported through `onError`: bad reads (ScannerGarbled, ScannerCodeTooLong: the desk
/// asks for a new scan) and device problems (ScannerAbsent — once, while waiting for a device —,
/// ScannerAccessDenied, ScannerUsbFailed, ScannerDisconnected). A source keeps running after
/// them: it waits for the device to come (back) and reads again.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "reader/scanner/hid_decoders.hpp"

namespace vd::reader::scanner {

struct CodeHandlers {
  /// A code; `sourceId` names the device ("usb:1209:0001@1-1", "serial:/dev/ttyACM0").
  std::function<void(const std::string& sourceId, const ScannedText& code)> onCode;
  std::function<void(const std::string& sourceId, const core::Error& error)> onError;
};

class CodeSource {
 public:
  virtual ~CodeSource() = default;
  /// Starts the worker. Returns the errors found before it could start (libusb unavailable,
  /// serial port that cannot be opened); otherwise later problems go to `onError`.
  virtual core::Result<void> start(CodeHandlers handlers) = 0;
  /// Stops and joins the worker (bounded by the read timeout, ~50 ms). Idempotent.
  virtual void stop() = 0;
};

/// A USB vendor:product pair; `product` unset matches every product of the vendor.
struct VidPid {
  std::uint16_t vendor = 0;
  std::optional<std::uint16_t> product;
  bool matches(std::uint16_t v, std::uint16_t p) const { return v == vendor && (!product || *product == p); }
};

/// "1209:0001" (hex) or "0c2e:*"; nullopt when malformed.
std::optional<VidPid> parseVidPid(std::string_view text);
/// The scanners recognised by default (docs/scanners.md, installer/udev/60-vitaledesk-scanners.rules).
const std::vector<VidPid>& knownScanners();

/// How an HID interface is decoded. Auto: boot-keyboard interfaces (subclass 1, protocol 1)
/// are keyboards; otherwise the report descriptor decides (usage page 0x8C = HID POS) when it
/// can be read, else the endpoint size (≥ 64 bytes = HID POS, smaller = keyboard).
enum class HidMode : std::uint8_t { Auto, Keyboard, Pos };

struct UsbScannerConfig {
  std::vector<VidPid> devices;                 ///< empty: knownScanners()
  KeyboardLayout layout = KeyboardLayout::Us;  ///< the layout configured IN the scanner
  HidMode hidMode = HidMode::Auto;
  DecoderLimits limits;
  unsigned readTimeoutMs = 50;  ///< one interrupt/bulk IN wait (stop latency)
  unsigned rescanMs = 1000;     ///< device rescan period without hotplug support
};

/// libusb adapter. Claims the first matching interface (HID class 3, or CDC data class 0x0A),
/// detaching the kernel driver when possible (re-attached on release), reads its IN endpoint
/// on the worker. Hotplug where libusb has it, else a periodic rescan.
class UsbScannerSource final : public CodeSource {
 public:
  explicit UsbScannerSource(UsbScannerConfig config);
  ~UsbScannerSource() override;
  UsbScannerSource(const UsbScannerSource&) = delete;
  UsbScannerSource& operator=(const UsbScannerSource&) = delete;
  core::Result<void> start(CodeHandlers handlers) override;
  void stop() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

struct SerialScannerConfig {
  std::string path;  ///< "/dev/ttyACM0", "/dev/ttyUSB0", a pty
  unsigned baud = 9600;
  DecoderLimits limits;
  unsigned readTimeoutMs = 50;
};

/// termios adapter: raw mode, 8N1, the given speed; codes end with CR/LF or the end gap.
class SerialScannerSource final : public CodeSource {
 public:
  explicit SerialScannerSource(SerialScannerConfig config);
  ~SerialScannerSource() override;
  SerialScannerSource(const SerialScannerSource&) = delete;
  SerialScannerSource& operator=(const SerialScannerSource&) = delete;
  /// Opens and configures the port now: ScannerSerialOpen on failure, InvalidArgument for an
  /// unsupported speed.
  core::Result<void> start(CodeHandlers handlers) override;
  void stop() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace vd::reader::scanner
