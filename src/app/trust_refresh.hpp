#pragma once
/// \file
/// Keeps the desk's trust lists current from the insurer (GET /v1/apcv/revocations,
/// billing::fetchRevocations, docs/formats/insurer-api.md "Signed trust lists"). The insurer
/// sends ONE COSE_Sign1 document (crypto/trust_list.hpp) carrying the revoked app instances,
/// the cards in opposition, the revoked issuer kids, the material's day and a sequence number.
/// Before anything is written the document must verify against the ApCV trust folder's
/// trust-list-signer.pem (itself inside its validity, key usage digitalSignature) and carry a
/// sequence above the installed one (the same sequence only with the same bytes): an unsigned,
/// badly signed, truncated or older document is refused whole with a typed error and the
/// previous lists stay in use.
///
/// Installing is one atomic step: the document's own bytes become APCV/trust-lists.cose through
/// replaceFileWhole (temporary file, fsync, rename, fsync of the folder); the ReaderHub picks the
/// change up at the next token (it watches the folder). The card reader reads its opposition
/// list from its own folder (CardTrust::load): opposition.txt there is then rewritten as a copy
/// derived from the installed document, after it (a crash in between leaves the cards' copy one
/// list behind until the next refresh, which installs the same document again and rewrites it).
///
/// DeskNetwork runs it at start and every kTrustRefreshEvery (kTrustRefreshRetry after a
/// failure) on its own thread; `vitaledesk-cli trust refresh` runs it once.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "billing/transport/curl_transport.hpp"
#include "core/result.hpp"

namespace vd::app {

inline constexpr std::chrono::hours kTrustRefreshEvery{6};
inline constexpr std::chrono::minutes kTrustRefreshRetry{15};

struct TrustRefreshed {
  bool apcv = false;  ///< the ApCV folder was updated
  bool card = false;  ///< the card folder was updated (it exists)
  std::size_t appInstances = 0, cardSerials = 0, revokedIssuers = 0;
  std::uint64_t sequence = 0;                   ///< of the installed document
  std::optional<std::uint64_t> previousSequence;  ///< of the document it replaced
};

/// Verifies `list.document` and installs it (see above) at `now` (Unix seconds, the signer
/// certificate's validity). Errors: TrustListSignerMissing, TrustListSignerInvalid, those of
/// crypto::verifyTrustLists (TrustListUnsigned, TrustListMalformed, TrustListUnknownSigner,
/// TrustListSignatureInvalid), TrustListRollback {offered, installed}; FileUnreadable {file,
/// write}. Nothing is written on any error but the last.
core::Result<TrustRefreshed> applyRevocations(const billing::RevocationList& list,
                                              const std::filesystem::path& apcvTrustDir,
                                              const std::filesystem::path& cardTrustDir, std::int64_t now);

}  // namespace vd::app
