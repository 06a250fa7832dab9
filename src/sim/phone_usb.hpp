#pragma once
/// \file
/// `vitaledesk-sim phone usb-capture`: what a USB QR scanner sends when it reads the phone's QR
/// code, as a usbmon capture (pcap, link type 220 DLT_USB_LINUX_MMAPPED) and a umockdev device
/// description, so `umockdev-run -d DEV.umockdev -p SYSFS=CAP.pcap -- vitaledesk-cli scan --usb`
/// replays a scanner without USB hardware (docs/scanners.md).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "reader/scanner/keyboard_layout.hpp"

namespace vd::sim {

/// sysfs path, bus and device number of the simulated scanner in the umockdev description.
inline constexpr std::string_view kScannerSysfsPath = "/devices/pci0000:00/0000:00:14.0/usb1/1-1";
inline constexpr int kScannerBus = 1;
inline constexpr int kScannerDevnum = 2;

struct UsbScannerSim {
  std::uint16_t vendor = 0x1209;
  std::uint16_t product = 0x0001;
  bool hidPos = false;  ///< HID POS (64-byte reports) instead of a boot keyboard (8-byte reports)
  bool cdc = false;     ///< CDC-ACM data interface: text + CR on bulk IN 0x81 (64-byte packets)
  reader::scanner::KeyboardLayout layout = reader::scanner::KeyboardLayout::Us;
};

/// The pcap bytes of the scanner sending `text` then Enter (keyboard: key-down report then
/// all-zero key-up report per character; HID POS: Scanned Data Reports; CDC: 64-byte chunks of
/// text + CR). Submit/complete pairs on IN endpoint 0x81 (interrupt, bulk for CDC), 1 ms apart.
/// InvalidArgument when the layout cannot type a character.
core::Result<std::vector<std::uint8_t>> usbCapture(std::string_view text, const UsbScannerSim& sim);

/// The umockdev description (device, configuration, interface, HID, endpoint descriptors).
std::string umockdevDescription(const UsbScannerSim& sim);

/// `vitaledesk-sim phone usb-capture …` (argv after "usb-capture"). Exit 0, 2 usage, 3 environment.
int phoneUsbCaptureCommand(const std::vector<std::string>& args);

}  // namespace vd::sim
