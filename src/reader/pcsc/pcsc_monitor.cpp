#include "reader/pcsc/pcsc_monitor.hpp"

#include <PCSC/winscard.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace vd::reader {

struct PcscMonitor::State {
  SCARDCONTEXT ctx = 0;
  std::atomic<bool> valid{false};  ///< read by cancel() from another thread
  bool lost = false;  ///< the service went away (or was never there)
  unsigned backoffMs = 100;
  std::map<std::string, DWORD> readers;  ///< last known event state per reader
};

std::string_view readerEventId(ReaderEvent::Kind kind) {
  switch (kind) {
    case ReaderEvent::Kind::ReaderAdded: return "reader_added";
    case ReaderEvent::Kind::ReaderRemoved: return "reader_removed";
    case ReaderEvent::Kind::CardInserted: return "card_inserted";
    case ReaderEvent::Kind::CardRemoved: return "card_removed";
    case ReaderEvent::Kind::ServiceLost: return "service_lost";
    case ReaderEvent::Kind::ServiceBack: return "service_back";
  }
  return "unknown";
}

PcscMonitor::PcscMonitor() : m_state(std::make_unique<State>()) {}

PcscMonitor::~PcscMonitor() {
  if (m_state->valid) SCardReleaseContext(m_state->ctx);
}

void PcscMonitor::cancel() {
  if (m_state->valid) SCardCancel(m_state->ctx);
}

namespace {

bool serviceGone(LONG rv) {
  return rv == static_cast<LONG>(SCARD_E_NO_SERVICE) || rv == static_cast<LONG>(SCARD_E_INVALID_HANDLE) ||
         rv == static_cast<LONG>(SCARD_E_SERVICE_STOPPED);
}

}  // namespace

std::vector<ReaderEvent> PcscMonitor::poll(unsigned timeoutMs) {
  State& s = *m_state;
  std::vector<ReaderEvent> events;
  auto loseService = [&] {
    if (s.valid) SCardReleaseContext(s.ctx);
    s.valid = false;
    for (const auto& [name, st] : s.readers) {
      if ((st & SCARD_STATE_PRESENT) != 0) events.push_back({ReaderEvent::Kind::CardRemoved, name, {}});
      events.push_back({ReaderEvent::Kind::ReaderRemoved, name, {}});
    }
    s.readers.clear();
    if (!s.lost) events.push_back({ReaderEvent::Kind::ServiceLost, "", {}});
    s.lost = true;
  };
  if (!s.valid) {
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &s.ctx) != SCARD_S_SUCCESS) {
      if (!s.lost) events.push_back({ReaderEvent::Kind::ServiceLost, "", {}});
      s.lost = true;
      // Backoff, never a busy loop: wait the smaller of the backoff and the caller's budget.
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(s.backoffMs, timeoutMs)));
      s.backoffMs = std::min(s.backoffMs * 2, 2000u);
      return events;
    }
    s.valid = true;
    s.backoffMs = 100;
    if (s.lost) events.push_back({ReaderEvent::Kind::ServiceBack, "", {}});
    s.lost = false;
  }
  // Reader list.
  DWORD len = 0;
  LONG rv = SCardListReaders(s.ctx, nullptr, nullptr, &len);
  std::vector<std::string> names;
  if (rv == SCARD_S_SUCCESS) {
    std::vector<char> buf(len);
    rv = SCardListReaders(s.ctx, nullptr, buf.data(), &len);
    for (std::size_t i = 0; rv == SCARD_S_SUCCESS && i < buf.size() && buf[i] != '\0';) {
      names.emplace_back(&buf[i]);
      i += names.back().size() + 1;
    }
  }
  if (serviceGone(rv)) {
    loseService();
    return events;
  }
  for (auto it = s.readers.begin(); it != s.readers.end();) {
    if (std::find(names.begin(), names.end(), it->first) == names.end()) {
      if ((it->second & SCARD_STATE_PRESENT) != 0) events.push_back({ReaderEvent::Kind::CardRemoved, it->first, {}});
      events.push_back({ReaderEvent::Kind::ReaderRemoved, it->first, {}});
      it = s.readers.erase(it);
    } else {
      ++it;
    }
  }
  for (const std::string& n : names) {
    if (s.readers.emplace(n, SCARD_STATE_UNAWARE).second) events.push_back({ReaderEvent::Kind::ReaderAdded, n, {}});
  }
  // Wait for a change on any reader or on the PnP pseudo reader (new readers).
  std::vector<SCARD_READERSTATE> states;
  for (const auto& [name, st] : s.readers) {
    SCARD_READERSTATE r{};
    r.szReader = name.c_str();
    r.dwCurrentState = st & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    states.push_back(r);
  }
  SCARD_READERSTATE pnp{};
  pnp.szReader = "\\\\?PnP?\\Notification";
  pnp.dwCurrentState = static_cast<DWORD>(names.size()) << 16;
  states.push_back(pnp);
  const bool fresh = std::any_of(s.readers.begin(), s.readers.end(),
                                 [](const auto& r) { return r.second == SCARD_STATE_UNAWARE; });
  rv = SCardGetStatusChange(s.ctx, fresh || !events.empty() ? 0 : timeoutMs, states.data(),
                            static_cast<DWORD>(states.size()));
  if (serviceGone(rv)) {
    loseService();
    return events;
  }
  if (rv != SCARD_S_SUCCESS) return events;  // timeout (or a transient error: next poll retries)
  for (std::size_t i = 0; i + 1 < states.size(); ++i) {
    const std::string name = states[i].szReader;
    const DWORD before = s.readers[name];
    const DWORD after = states[i].dwEventState;
    const bool was = (before & SCARD_STATE_PRESENT) != 0;
    const bool is = (after & SCARD_STATE_PRESENT) != 0;
    if (!was && is) {
      events.push_back({ReaderEvent::Kind::CardInserted, name,
                        std::vector<std::uint8_t>(states[i].rgbAtr, states[i].rgbAtr + std::min<DWORD>(states[i].cbAtr, 33))});
    } else if (was && !is) {
      events.push_back({ReaderEvent::Kind::CardRemoved, name, {}});
    }
    s.readers[name] = after & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
  }
  return events;
}

}  // namespace vd::reader
