#pragma once
/// \file
/// Reads a carte Vitale (simulated profile, docs/formats/vitale-card.md) over an
/// `ApduChannel` and decides a verdict. Trust (issuer keys, opposition list) and the date of
/// care are parameters, never globals (eid-mw style). Not thread-safe; one worker per card.

#include <set>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "crypto/keys.hpp"
#include "reader/card/apdu.hpp"
#include "reader/card/vitale_profile.hpp"

namespace vd::reader {

/// Issuer keys and the opposition list (card serials, lower-case hex).
struct CardTrust {
  std::vector<crypto::PublicKey> issuers;
  std::set<std::string> opposition;
  /// Loads DIR/issuer*.pub.pem (at least one) and DIR/opposition.txt (optional, see
  /// parseOppositionList). Each file at most 1 MiB. Errors: CardTrustMissing {dir},
  /// KeyUnreadable, CardTrustInvalid {file name}.
  static core::Result<CardTrust> load(const std::string& dir);
};

/// Parses opposition.txt: one card serial (hex) a line, text after '#' ignored, spaces and CR
/// trimmed, blank lines skipped, serials lower-cased. A serial over 128 characters or not hex:
/// CardTrustInvalid {"opposition.txt"}.
core::Result<std::set<std::string>> parseOppositionList(std::string_view text);

enum class Verdict { Verified, ReadNotVerified, Refused };
std::string_view verdictId(Verdict v);  ///< "verified", "read_not_verified", "refused"

/// A verdict reason in words (FR/EN catalog, cause and action): its Errc::CardReason* error.
/// An id not listed below gives CardReasonOther {id}.
core::Error cardReasonError(std::string_view id);

/// Reasons (stable ids): public_fields_only, unknown_issuer, issuer_signature,
/// internal_authenticate, opposition, rights_expired (cardReasonError puts them in words).
struct CardCredential {
  Verdict verdict = Verdict::Refused;
  std::vector<std::string> reasons;
  std::string serialHex;                  ///< empty for a public-fields-only card
  /// The holder's AMO attachment from EF 2002 (empty when refused or not on the card).
  std::string regime, caisse, centre;
  std::vector<Beneficiary> beneficiaries; ///< empty when refused; public fields only when not verified
  int apduCount = 0;
};

class VitaleCardReader {
 public:
  VitaleCardReader(const CardTrust& trust, core::Date dateOfCare) : m_trust(trust), m_at(dateOfCare) {}
  /// Selects the application, reads the directory and the files, checks the issuer
  /// signature, INTERNAL AUTHENTICATE, the opposition list and the rights at the date.
  /// Errors (no partial data): CardNotVitale, CardStatusWord {sw, step}, CardFileMissing,
  /// CardTlvMalformed, CardDirectoryMalformed, CardProfileInvalid, and the channel's errors
  /// (CardRemoved, CardMute, PcscFailed).
  core::Result<CardCredential> read(ApduChannel& channel) const;

 private:
  const CardTrust& m_trust;
  core::Date m_at;
};

}  // namespace vd::reader
