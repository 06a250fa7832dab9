#pragma once
/// \file
/// The ApCV phone over NFC (docs/formats/apcv-nfc.md): the phone in host card emulation is an
/// ISO 14443-4 card behind a PC/SC contactless reader. The desk SELECTs the ApCV HCE service
/// by its stand-in AID, sends GET TOKEN with a fresh 16-byte challenge and reassembles the
/// answer (61xx + GET RESPONSE chaining, bounded): a binary token — the QR token's COSE_Sign1
/// without prefix, Base45 or zlib (insurer part included) — whose presentation, signed by the
/// phone, must carry that exact challenge.
///
/// Over the `ApduChannel` port only (no winscard here); the answer is hostile input, parsed
/// with explicit bounds and fuzzed (tests/fuzz/fuzz_nfc_answer).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "crypto/trust_store.hpp"
#include "core/clock.hpp"
#include "reader/apcv/replay_cache.hpp"
#include "reader/apcv/token.hpp"
#include "reader/card/apdu.hpp"

namespace vd::reader::apcv {

/// Stand-in AID of the ApCV HCE service: F0 + "VDAPCV". Category F of ISO/IEC 7816-5
/// (proprietary, not registered), as Android HCE services use; NOT the real ApCV AID.
inline constexpr std::array<std::uint8_t, 7> kHceAid{0xF0, 0x56, 0x44, 0x41, 0x50, 0x43, 0x56};
inline constexpr std::uint8_t kNfcProtocolVersion = 0x02;  ///< in the SELECT answer: VD2 tokens
inline constexpr std::uint8_t kOutdatedNfcProtocolVersion = 0x01;  ///< VD1 tokens: ApcvFormatOutdated
inline constexpr std::uint8_t kGetTokenCla = 0x80;         ///< proprietary class
inline constexpr std::uint8_t kGetTokenIns = 0x50;         ///< GET TOKEN
inline constexpr std::size_t kNfcChallengeSize = 16;
inline constexpr std::size_t kMaxNfcToken = 4096;  ///< bytes of token, all chunks together
inline constexpr int kMaxGetResponse = 16;         ///< GET RESPONSE commands per token at most
inline constexpr std::size_t kMaxSelectAnswer = 8;  ///< version bytes in the SELECT answer

struct NfcAnswer {
  std::vector<std::uint8_t> token;  ///< COSE_Sign1 bytes, not yet verified
  int apduCount = 0;                ///< command APDUs sent
};

/// SELECT, GET TOKEN with `challenge` (16 bytes), GET RESPONSE while the phone answers 61xx.
/// Errors: NfcServiceAbsent (SELECT 6A82), ApcvFormatOutdated {VD1} (the phone offers protocol
/// version 1 only), NfcAnswerMalformed {what} (other status words,
/// version, a chunk longer than asked, no data, too many chunks), NfcAnswerTooLong {4096},
/// NfcPhoneLifted (the channel lost the card), the channel's other errors (CardMute,
/// PcscFailed), InvalidArgument for a challenge of the wrong size. Nothing partial is returned.
core::Result<NfcAnswer> exchangeNfc(ApduChannel& channel, std::span<const std::uint8_t> challenge);

struct NfcReading {
  Credential credential;
  int apduCount = 0;
  std::size_t tokenBytes = 0;
};

/// One tap: a fresh challenge from the CSPRNG, the exchange, then the token verifier with the
/// challenge expected (a token for another challenge: ApcvChallengeMismatch). Not thread-safe.
class NfcSession {
 public:
  NfcSession(const crypto::TrustStore& trust, const core::Clock& clock, ReplayCache& replay, VerifyOptions options = {})
      : m_trust(trust), m_clock(clock), m_replay(replay), m_options(std::move(options)) {}
  /// Errors: those of exchangeNfc; a refused token is a Credential with reasons, not an error.
  core::Result<NfcReading> read(ApduChannel& channel);

 private:
  const crypto::TrustStore& m_trust;
  const core::Clock& m_clock;
  ReplayCache& m_replay;
  VerifyOptions m_options;
};

}  // namespace vd::reader::apcv
