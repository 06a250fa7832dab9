#pragma once
/// \file
/// Keeps the desk's trust lists current from the insurer (GET /v1/apcv/revocations,
/// billing::fetchRevocations, docs/formats/insurer-api.md): the revoked app instances and the
/// material's date in the ApCV trust folder (revoked-app-instances.txt, trust.json) and the
/// cards in opposition in the card trust folder (opposition.txt). Each file is replaced whole
/// (temporary file, fsync, rename), trust.json last; the ReaderHub picks the change up at the
/// next token (it watches the folder) and the card reader at the next card (it loads its trust
/// per read). A list that does not parse as the desk would read it is refused whole: the
/// previous lists stay in use. A folder that does not exist is left alone (not configured).
///
/// DeskNetwork runs it at start and every kTrustRefreshEvery (kTrustRefreshRetry after a
/// failure) on its own thread.

#include <chrono>
#include <cstddef>
#include <filesystem>

#include "billing/transport/curl_transport.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace vd::app {

inline constexpr std::chrono::hours kTrustRefreshEvery{6};
inline constexpr std::chrono::minutes kTrustRefreshRetry{15};

struct TrustRefreshed {
  bool apcv = false;  ///< the ApCV folder was updated (it exists)
  bool card = false;  ///< the card folder was updated (it exists)
  std::size_t appInstances = 0, cardSerials = 0;
};

/// Writes `list` into the folders, dating the ApCV material `today`. Errors:
/// DeskTrustRefreshInvalid {list name} (nothing written), FileUnreadable {file, write}.
core::Result<TrustRefreshed> applyRevocations(const billing::RevocationList& list,
                                              const std::filesystem::path& apcvTrustDir,
                                              const std::filesystem::path& cardTrustDir, core::Date today);

}  // namespace vd::app
