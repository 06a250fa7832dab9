#pragma once
/// \file
/// The card side of vsmartcard's vpcd protocol (RECIPES.md, "PC/SC with virtual cards"): the
/// emulator connects to pcscd's vpcd driver on HOST:PORT — connected is inserted (or a phone
/// tapped), disconnected is removed (or lifted). Frames are a 2-byte big-endian length and a
/// payload; a 1-byte payload is a control code (00 power off, 01 power on, 02 reset, 04 send
/// the ATR), a longer one a command APDU answered with the response APDU. One copy of the
/// wire code for every simulated card (carte Vitale, NFC phone).

#include <cstdint>
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

/// Runs the protocol against host:port: reconnects every 200 ms when the connection is
/// refused or closed (pcscd restarted) until `card.finished()`. `what` names the card in the
/// messages on stderr ("card", "phone"). Returns 0 when finished, 2 for a bad host, 3 on a
/// fatal socket error.
int runVpcd(VpcdCard& card, const std::string& host, int port, const std::string& what = "card");

}  // namespace vd::sim
