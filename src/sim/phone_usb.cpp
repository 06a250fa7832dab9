// vitaledesk-sim phone usb-capture: a USB QR scanner typing the phone's token, as usbmon pcap.
#include "sim/phone_usb.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/messages.hpp"
#include "reader/scanner/code_source.hpp"
#include "reader/scanner/hid_decoders.hpp"
#include "sim/phone_kit.hpp"

namespace vd::sim {
namespace {

namespace sc = reader::scanner;

void le(std::vector<std::uint8_t>& b, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// One pcap record holding a 64-byte usbmon header (pcap/usb.h, pcap_usb_header_mmapped) + data.
void urbRecord(std::vector<std::uint8_t>& out, std::uint64_t id, char event, bool bulk, std::uint32_t urbLen,
               const std::vector<std::uint8_t>& data, std::int64_t usec) {
  std::vector<std::uint8_t> h;
  le(h, id, 8);
  h.push_back(static_cast<std::uint8_t>(event));
  h.push_back(bulk ? 3 : 1);  // transfer type: bulk or interrupt
  h.push_back(0x81);          // endpoint 1 IN
  h.push_back(static_cast<std::uint8_t>(kScannerDevnum));
  le(h, kScannerBus, 2);
  h.push_back('-');                     // no setup packet
  h.push_back(data.empty() ? '<' : 0);  // data present flag
  le(h, static_cast<std::uint64_t>(usec / 1000000), 8);
  le(h, static_cast<std::uint64_t>(usec % 1000000), 4);
  le(h, static_cast<std::uint32_t>(event == 'S' ? -115 : 0), 4);  // -EINPROGRESS while submitted
  le(h, urbLen, 4);
  le(h, data.size(), 4);
  le(h, 0, 8);             // setup / iso
  le(h, bulk ? 0 : 1, 4);  // interval (ms), as bInterval
  le(h, 0, 4);             // start frame
  le(h, 0, 4);             // transfer flags
  le(h, 0, 4);             // iso descriptors
  h.insert(h.end(), data.begin(), data.end());
  le(out, static_cast<std::uint64_t>(usec / 1000000), 4);
  le(out, static_cast<std::uint64_t>(usec % 1000000), 4);
  le(out, h.size(), 4);
  le(out, h.size(), 4);
  out.insert(out.end(), h.begin(), h.end());
}

std::string hex(const std::vector<std::uint8_t>& b) {
  std::string s;
  char x[4];
  for (auto v : b) {
    std::snprintf(x, sizeof x, "%02X", v);
    s += x;
  }
  return s;
}

std::vector<std::uint8_t> descriptors(const UsbScannerSim& sim) {
  const std::uint8_t packet = sim.hidPos || sim.cdc ? 64 : 8;
  std::vector<std::uint8_t> d{0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40};
  le(d, sim.vendor, 2);
  le(d, sim.product, 2);
  d.insert(d.end(), {0x00, 0x01, 0x01, 0x02, 0x00, 0x01});
  if (sim.cdc) {  // the CDC-ACM data interface alone (class 0x0A): bulk IN 0x81, bulk OUT 0x02
    d.insert(d.end(), {0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32});
    d.insert(d.end(), {0x09, 0x04, 0x00, 0x00, 0x02, 0x0A, 0x00, 0x00, 0x00});
    d.insert(d.end(), {0x07, 0x05, 0x81, 0x02, packet, 0x00, 0x00});
    d.insert(d.end(), {0x07, 0x05, 0x02, 0x02, packet, 0x00, 0x00});
    return d;
  }
  d.insert(d.end(), {0x09, 0x02, 0x22, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32});  // configuration, 34 bytes
  d.insert(d.end(), {0x09, 0x04, 0x00, 0x00, 0x01, 0x03, static_cast<std::uint8_t>(sim.hidPos ? 0 : 1),
                     static_cast<std::uint8_t>(sim.hidPos ? 0 : 1), 0x00});  // HID, boot keyboard or not
  d.insert(d.end(),
           {0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, static_cast<std::uint8_t>(sim.hidPos ? 0x2F : 0x3F), 0x00});
  d.insert(d.end(), {0x07, 0x05, 0x81, 0x03, packet, 0x00, 0x01});  // interrupt IN 0x81, 1 ms
  return d;
}

std::int64_t nowUsec() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void usage(std::ostream& o) {
  o << "Usage: vitaledesk-sim phone usb-capture (--kit NAME --trust-dir DIR | --text TEXT) --out FILE.pcap\n"
       "         [--layout fr|us] [--device-out FILE.umockdev] [--vidpid 1209:0001] [--hid-pos | --cdc]\n\n"
       "Write the usbmon capture (pcap, DLT_USB_LINUX_MMAPPED) of a USB QR scanner reading the\n"
       "phone's QR code: in keyboard mode it types the token then Enter with the layout configured\n"
       "in the scanner (default us); --hid-pos sends HID POS Scanned Data Reports instead, --cdc\n"
       "the text and CR on the bulk IN endpoint of a CDC-ACM data interface.\n"
       "--device-out writes the umockdev description of the scanner; replay with\n"
       "  umockdev-run -d FILE.umockdev -p "
    << kScannerSysfsPath
    << "=FILE.pcap -- vitaledesk-cli scan --usb\n"
       "--text types TEXT instead of a kit's token (tests). Prints the text typed.\n";
}

}  // namespace

core::Result<std::vector<std::uint8_t>> usbCapture(std::string_view text, const UsbScannerSim& sim) {
  std::vector<std::vector<std::uint8_t>> reports;
  if (sim.cdc) {
    const std::string line = std::string(text) + "\r";
    for (std::size_t i = 0; i < line.size(); i += 64)
      reports.emplace_back(line.begin() + static_cast<std::ptrdiff_t>(i),
                           line.begin() + static_cast<std::ptrdiff_t>(std::min(line.size(), i + 64)));
  } else if (sim.hidPos) {
    reports = sc::HidPosDecoder::encode(text);
  } else {
    for (std::size_t i = 0; i <= text.size(); ++i) {
      // UTF-8: one character is a lead byte and its continuation bytes.
      std::size_t len = 1;
      while (i < text.size() && i + len < text.size() && (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80)
        ++len;
      const std::string_view ch = i < text.size() ? text.substr(i, len) : std::string_view("\n");
      const auto stroke = sc::strokeFor(sim.layout, ch);
      if (!stroke)
        return core::fail(core::Errc::InvalidArgument,
                          {"character at position " + std::to_string(i) + " not typable with layout " +
                           std::string(sc::layoutId(sim.layout))});
      reports.push_back({stroke->modifiers, 0, stroke->usage, 0, 0, 0, 0, 0});
      reports.push_back(std::vector<std::uint8_t>(8, 0));
      i += len - 1;
    }
  }
  std::vector<std::uint8_t> out;
  le(out, 0xa1b2c3d4, 4);  // pcap magic, microseconds
  le(out, 2, 2);
  le(out, 4, 2);
  le(out, 0, 4);
  le(out, 0, 4);
  le(out, 65535, 4);
  le(out, 220, 4);  // LINKTYPE_USB_LINUX_MMAPPED
  std::int64_t t = nowUsec();
  std::uint64_t id = 0xffff880000001000ull;
  const std::uint32_t urbLen = sim.hidPos || sim.cdc ? 64 : 8;
  for (const auto& r : reports) {
    urbRecord(out, id, 'S', sim.cdc, urbLen, {}, t);
    urbRecord(out, id, 'C', sim.cdc, static_cast<std::uint32_t>(r.size()), r, t + 1000);
    t += 1000;
    id += 0x100;
  }
  return out;
}

std::string umockdevDescription(const UsbScannerSim& sim) {
  const std::string desc = hex(descriptors(sim));
  char vid[8], pid[8], node[32];
  std::snprintf(vid, sizeof vid, "%04x", sim.vendor);
  std::snprintf(pid, sizeof pid, "%04x", sim.product);
  std::snprintf(node, sizeof node, "bus/usb/%03d/%03d", kScannerBus, kScannerDevnum);
  std::string s;
  s += "P: " + std::string(kScannerSysfsPath) + "\n";
  s += "N: " + std::string(node) + "=" + desc + "\n";
  s += "E: DEVNAME=/dev/" + std::string(node) + "\n";
  s += "E: DEVTYPE=usb_device\nE: SUBSYSTEM=usb\n";
  s += "E: BUSNUM=" + std::string(node).substr(8, 3) + "\nE: DEVNUM=" + std::string(node).substr(12, 3) + "\n";
  s += "A: busnum=" + std::to_string(kScannerBus) + "\nA: devnum=" + std::to_string(kScannerDevnum) + "\n";
  s += "A: speed=12\nA: bConfigurationValue=1\n";
  s += "A: idVendor=" + std::string(vid) + "\nA: idProduct=" + std::string(pid) + "\n";
  s += "H: descriptors=" + desc + "\n";
  return s;
}

int phoneUsbCaptureCommand(const std::vector<std::string>& args) {
  std::string kit, dir, text, out, deviceOut;
  bool haveText = false;
  UsbScannerSim sim;
  bool ok = true;
  for (std::size_t i = 0; ok && i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help") {
      usage(std::cout);
      return 0;
    }
    if (a == "--hid-pos" || a == "--cdc") {
      (a == "--cdc" ? sim.cdc : sim.hidPos) = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      ok = false;
      break;
    }
    const std::string& v = args[++i];
    if (a == "--kit")
      kit = v;
    else if (a == "--trust-dir")
      dir = v;
    else if (a == "--text")
      text = v, haveText = true;
    else if (a == "--out")
      out = v;
    else if (a == "--device-out")
      deviceOut = v;
    else if (a == "--layout") {
      const auto l = sc::parseLayout(v);
      if (l)
        sim.layout = *l;
      else {
        std::cerr << "vitaledesk-sim: "
                  << core::describeLine(core::makeError(core::Errc::ScannerLayoutUnknown, {v}), core::Lang::En) << '\n';
        return 2;
      }
    } else if (a == "--vidpid") {
      const auto vp = sc::parseVidPid(v);
      if (!vp || !vp->product)
        ok = false;
      else
        sim.vendor = vp->vendor, sim.product = *vp->product;
    } else
      ok = false;
  }
  if (!ok || out.empty() || haveText == !kit.empty() || (!kit.empty() && dir.empty()) || (sim.cdc && sim.hidPos)) {
    usage(std::cerr);
    return 2;
  }
  if (!haveText) {
    auto qr = phoneQr(dir, kit, nowUsec() / 1000000);
    if (!qr) {
      std::cerr << "vitaledesk-sim: " << core::describeLine(qr.error(), core::Lang::En) << '\n';
      return qr.error().code == core::Errc::InvalidArgument ? 2 : 3;
    }
    text = std::move(*qr);
  }
  auto pcap = usbCapture(text, sim);
  if (!pcap) {
    std::cerr << "vitaledesk-sim: " << core::describeLine(pcap.error(), core::Lang::En) << '\n';
    return 2;
  }
  const auto write = [](const std::string& path, const char* data, std::size_t n) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(data, static_cast<std::streamsize>(n));
    return static_cast<bool>(f.flush());
  };
  if (!write(out, reinterpret_cast<const char*>(pcap->data()), pcap->size())) {
    std::cerr << "vitaledesk-sim: cannot write " << out << '\n';
    return 3;
  }
  if (!deviceOut.empty()) {
    const std::string d = umockdevDescription(sim);
    if (!write(deviceOut, d.data(), d.size())) {
      std::cerr << "vitaledesk-sim: cannot write " << deviceOut << '\n';
      return 3;
    }
  }
  std::cout << text << '\n';
  return 0;
}

}  // namespace vd::sim
