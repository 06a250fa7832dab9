#pragma once
/// \file
/// The card side of vsmartcard's vpcd protocol (RECIPES.md, "PC/SC with virtual cards"): the
/// emulator connects to pcscd's vpcd driver on HOST:PORT — connected is inserted (or a phone
/// tapped), disconnected is removed (or lifted). Frames are a 2-byte big-endian length and a
/// payload; a 1-byte payload is a control code (00 power off, 01 power on, 02 reset, 04 send
/// the ATR), a longer one a command APDU answered with the response APDU. One copy of the
/// wire code for every simulated card (carte Vitale, NFC phone).

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vd::sim {

/// What vpcd talks to.
class VpcdCard {
 public:
  virtual ~VpcdCard() = default;
  virtual std::vector<std::uint8_t> atr() const = 0;
  /// Power off, power on, reset, and each new connection.
  virtual void reset() = 0;
  /// The response APDU; nullopt drops the connection at once, unanswered (card pulled,
  /// phone lifted).
  virtual std::optional<std::vector<std::uint8_t>> process(std::span<const std::uint8_t> apdu) = 0;
  /// Asked after a connection ends: true stops runVpcd (instead of reconnecting).
  virtual bool finished() const { return false; }
};

/// A stop request for a runVpcd running on another thread (the desk's test kit): request()
/// makes it close its connection (the card is removed) and return 0 within ~50 ms — it
/// waits for vpcd's frames with poll() and a short timeout. Thread-safe.
class VpcdStop {
 public:
  void request() noexcept { m_stop.store(true); }
  bool requested() const noexcept { return m_stop.load(); }

 private:
  std::atomic<bool> m_stop{false};
};

struct VpcdOptions {
  std::string what = "card";        ///< names the card in the messages ("card", "phone")
  bool log = true;                  ///< messages on stderr (the simulator's commands)
  bool reconnect = true;            ///< false: return after the first connection (or refusal)
  const VpcdStop* stop = nullptr;   ///< null: runs until the card is finished
  /// Called on the running thread when the connection is made (true: inserted) and when it ends (false).
  std::function<void(bool connected)> onConnection;
};

/// Runs the protocol against host:port: reconnects every 200 ms when the connection is
/// refused or closed (pcscd restarted) until `card.finished()` or a stop request. Returns 0
/// when finished or stopped, 2 for a bad host, 3 on a fatal socket error, 4 when the
/// connection was refused and `reconnect` is false.
int runVpcd(VpcdCard& card, const std::string& host, int port, const VpcdOptions& options);
/// The same with the default options; `what` names the card in the messages on stderr.
int runVpcd(VpcdCard& card, const std::string& host, int port, const std::string& what = "card");

}  // namespace vd::sim
