#include "app/event_sink.hpp"

namespace vd::app {

std::string_view sourceId(Source s) {
  switch (s) {
    case Source::CardReader: return "card_reader";
    case Source::NfcReader: return "nfc_reader";
    case Source::UsbScanner: return "usb_scanner";
    case Source::Camera: return "camera";
    case Source::Network: return "network";
  }
  return "unknown";
}

std::string_view sourceStateId(SourceState s) {
  switch (s) {
    case SourceState::Unavailable: return "unavailable";
    case SourceState::Waiting: return "waiting";
    case SourceState::Busy: return "busy";
    case SourceState::Present: return "ready";
    case SourceState::Error: return "error";
  }
  return "unknown";
}

}  // namespace vd::app
