#pragma once
/// \file
/// Use case "read the appli carte Vitale of a phone tapped on the NFC reader" shared by the
/// GUI and the CLI (docs/formats/apcv-nfc.md): reader choice (a reader holding a card whose
/// ATR is the PC/SC Part 3 contactless one; readers holding a contact card are skipped),
/// wait for the phone without polling, one transaction, the NFC session with a fresh
/// challenge, the token verifier's verdict.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/nfc_session.hpp"

namespace vd::app {

struct NfcReadRequest {
  std::optional<std::string> reader;  ///< exact name or a unique substring; default: the first with a phone
  std::filesystem::path trustDir;     ///< issuers/, revocation lists (crypto::TrustStore::load)
  std::filesystem::path replayCache;  ///< token ids already seen
  std::optional<std::int64_t> at;     ///< verify as of this UTC Unix time; default: the system clock
  unsigned waitMs = 5000;             ///< how long to wait for a phone
};

struct NfcReadResult {
  std::string reader;
  reader::apcv::NfcReading reading;
  crypto::TrustStore trust;  ///< what the token was verified against (for its status line)
  double elapsedMs = 0;      ///< connect to verdict
};

/// Errors: TrustStoreMissing/Invalid, ReplayCacheUnwritable, PcscNoService, PcscNoReader,
/// NfcNoContactlessReader, NfcNoPhone, NfcPhoneLifted, NfcServiceAbsent, NfcAnswerMalformed,
/// NfcAnswerTooLong, CardMute, PcscFailed. A refused token is a result with reasons.
core::Result<NfcReadResult> readPhoneNfc(const NfcReadRequest& request);

/// True for problems of the environment (trust, service, reader, phone absent or lifted):
/// CLI exit 3. The others (service absent, bad answer) refuse what was presented: exit 1.
bool isNfcDeviceError(const core::Error& e);

}  // namespace vd::app
