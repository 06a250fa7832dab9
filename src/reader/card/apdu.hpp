#pragma once
/// \file
/// APDUs (ISO/IEC 7816-4) and the port every card reader speaks through: `ApduChannel`.
/// Production: the PC/SC adapter (reader/pcsc); tests: hand-built fakes; the simulator: an
/// in-process virtual card. Status words come from the card: hostile input.

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace vd::reader {

/// A response APDU split into data and status word (SW1 SW2).
struct Response {
  std::vector<std::uint8_t> data;
  std::uint16_t sw = 0;
  std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
  std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xFF); }
  bool ok() const { return sw == 0x9000; }
};

/// Splits raw response bytes; at least the two status bytes, at most 258 bytes.
/// Errors: CardStatusWord {"short"|"long", "response"}.
core::Result<Response> parseResponse(std::span<const std::uint8_t> raw);

/// Port to one card. Not thread-safe: one worker owns it.
class ApduChannel {
 public:
  virtual ~ApduChannel() = default;
  /// Sends one command APDU and returns the raw response (data + SW, as parsed by
  /// parseResponse). Errors: CardRemoved, CardMute, PcscFailed {reason}.
  virtual core::Result<Response> transmit(std::span<const std::uint8_t> command) = 0;
};

/// T=0 transport rules over a channel: `61xx` → GET RESPONSE with Le=xx (chained), `6Cxx` →
/// the same command again with Le=xx. Bounded (at most 16 follow-ups). The final response is
/// returned whatever its status word; transport errors are passed on.
core::Result<Response> transmitT0(ApduChannel& channel, std::span<const std::uint8_t> command);

/// Builds a case 2/3/4 short APDU: CLA INS P1 P2 [Lc data] [Le].
std::vector<std::uint8_t> makeApdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2,
                                   std::span<const std::uint8_t> data = {}, int le = -1);

}  // namespace vd::reader
