#pragma once
/// \file
/// The simulated phone in host card emulation (TEST ONLY, docs/formats/apcv-nfc.md): answers
/// the desk's SELECT and GET TOKEN like the ApCV HCE service, signing a fresh token per
/// challenge with the phone's app-instance key over the insurer-issued credential (kits of `phone qr`), with the PC/SC Part 3
/// contactless ATR. Served through vpcd by `vitaledesk-sim phone nfc`; in-process in tests.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "sim/vpcd.hpp"

namespace vd::sim {

/// `3B 80 80 01 01`: PC/SC Part 3 contactless ATR of an ISO 14443-4 card without historical bytes.
inline constexpr std::uint8_t kPhoneAtr[] = {0x3B, 0x80, 0x80, 0x01, 0x01};

struct NfcPhoneOptions {
  std::filesystem::path materialDir;  ///< `vitaledesk-sim apcv init DIR`
  std::string kit = "valid";
  int liftAfter = -1;                 ///< APDUs answered before the phone is lifted; < 0: never
  bool echoStaleChallenge = false;    ///< sign the previous challenge (a random one first), not the reader's
  bool noService = false;             ///< no ApCV HCE service: SELECT answers 6A82
  std::string forge;                  ///< TEST ONLY: answer forged tokens of this kind (`phone forge`) instead of the kit's
  bool outdated = false;              ///< offer only NFC protocol version 1 (a phone with the old app)
};

class NfcPhone final : public VpcdCard {
 public:
  /// Errors: InvalidArgument {--kit NAME} / {--forge KIND} for an unknown kit or kind.
  static core::Result<NfcPhone> create(NfcPhoneOptions options);

  std::vector<std::uint8_t> atr() const override;
  void reset() override;
  std::optional<std::vector<std::uint8_t>> process(std::span<const std::uint8_t> apdu) override;
  bool finished() const override { return m_lifted; }
  int apdusAnswered() const { return m_answered; }

 private:
  explicit NfcPhone(NfcPhoneOptions options) : m_options(std::move(options)) {}
  std::vector<std::uint8_t> answer(std::span<const std::uint8_t> apdu);
  std::vector<std::uint8_t> getToken(std::span<const std::uint8_t> challenge, std::size_t ne);
  std::vector<std::uint8_t> nextChunk(std::size_t ne);

  NfcPhoneOptions m_options;
  bool m_selected = false;
  bool m_lifted = false;
  int m_answered = 0;
  std::vector<std::uint8_t> m_pending;        ///< token bytes not yet sent
  std::vector<std::uint8_t> m_lastChallenge;  ///< for echoStaleChallenge
  std::vector<std::uint8_t> m_replayedId;     ///< the "replayed" kit's fixed token id
};

/// `vitaledesk-sim phone nfc …` (argv after "nfc"). Exit codes: 0 ok (lifted), 2 usage, 3 environment.
int phoneNfcCommand(const std::vector<std::string>& args);

}  // namespace vd::sim
