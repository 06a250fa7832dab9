#pragma once
/// \file
/// Reader and card events from pcscd (SCardGetStatusChange over every reader plus the PnP
/// pseudo reader). Survives a pcscd stop/restart: the context is re-established with a
/// doubling backoff (100 ms to 2 s) and the readers are re-announced. One worker owns it and
/// calls poll() in a loop; poll() blocks at most `timeoutMs`.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace vd::reader {

struct ReaderEvent {
  enum class Kind { ReaderAdded, ReaderRemoved, CardInserted, CardRemoved, ServiceLost, ServiceBack };
  Kind kind = Kind::ReaderAdded;
  std::string reader;
  std::vector<std::uint8_t> atr;  ///< CardInserted only
};
std::string_view readerEventId(ReaderEvent::Kind kind);  ///< "reader_added", "card_inserted", …

class PcscMonitor {
 public:
  PcscMonitor();
  ~PcscMonitor();
  PcscMonitor(const PcscMonitor&) = delete;
  PcscMonitor& operator=(const PcscMonitor&) = delete;

  /// Waits up to timeoutMs for changes; returns the events seen (possibly none).
  std::vector<ReaderEvent> poll(unsigned timeoutMs);
  /// Makes a poll() blocked in SCardGetStatusChange return at once (SCardCancel); may be
  /// called from another thread (e.g. on shutdown).
  void cancel();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace vd::reader
