#pragma once
/// \file
/// The one event port from the desk's workers to its user interface (DESIGN §3, FileZilla's
/// engine notification): workers (card reader, token sources, outbox dispatcher) call
/// `EventSink::post` from their own thread; the UI implementation (`ui::WxEventSink`) hands the
/// event to the UI thread with `CallAfter` and drops it once its window has been closed.
/// Events carry typed view models and error codes, never display strings, and no patient data
/// except inside a credential (which is shown, never logged).

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "app/credential_view.hpp"
#include "billing/outbox/dispatcher.hpp"
#include "core/error.hpp"

namespace vd::app {

/// The sources shown in the status strip, in display order.
enum class Source { CardReader, NfcReader, UsbScanner, Camera, Network };
inline constexpr int kSourceCount = 5;

enum class SourceState {
  Unavailable,  ///< no driver, service or device (the detail says which)
  Waiting,      ///< ready, nothing presented
  Busy,         ///< reading / verifying / sending
  Present,      ///< a credential is on it (card inserted) / network online and idle
  Error,        ///< the last operation failed (the detail says why)
};

std::string_view sourceId(Source s);            ///< "card_reader", "nfc_reader", …
std::string_view sourceStateId(SourceState s);  ///< "unavailable", "waiting", …

/// A source changed state. `device` is a device name (reader, scanner VID:PID), never patient data.
struct SourceChanged {
  Source source = Source::CardReader;
  SourceState state = SourceState::Unavailable;
  std::string device;
  std::optional<core::Error> error;
};

/// A credential was read (whatever its verdict).
struct CredentialPresented {
  CredentialView view;
};

/// The card was removed (or the presentation ended): the patient must disappear.
struct CredentialCleared {
  CredentialOrigin origin = CredentialOrigin::Card;
};

/// A read failed before any verdict (card removed mid-read, mute card, unreadable image…).
struct ReadFailed {
  CredentialOrigin origin = CredentialOrigin::Card;
  core::Error error;
};

/// The outbox changed: the dispatcher's event (counts by state, lot, error code; no patient
/// data). The outbox view shows it and reloads.
struct OutboxChanged {
  billing::DispatchEvent dispatch;
};

/// The rights of the credential read at `readAt` were looked up online (insurer rights
/// service): merge them with `applyOnlineRights`. `error` set when the look-up failed (the
/// view keeps "offline: from the card/token").
struct RightsRefreshed {
  std::int64_t readAt = 0;  ///< CredentialView::readAt of the credential asked about
  OnlineRights rights;
  std::optional<core::Error> error;
};

/// One line for the log view (English, no patient data).
struct LogLine {
  std::string text;
};

using DeskEvent = std::variant<SourceChanged, CredentialPresented, CredentialCleared, ReadFailed, OutboxChanged,
                               RightsRefreshed, LogLine>;

/// Thread-safe: `post` may be called from any thread, at any time, also after the UI closed.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void post(DeskEvent event) = 0;
};

}  // namespace vd::app
