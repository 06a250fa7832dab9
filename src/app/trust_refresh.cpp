#include "app/trust_refresh.hpp"

#include <string>

#include "app/atomic_file.hpp"

#include "crypto/trust_store.hpp"
#include "reader/card/vitale_card_reader.hpp"

namespace vd::app {
namespace {

namespace fs = std::filesystem;

/// One entry a line; an entry the list's own parser would read differently (a '#', a line
/// break, spaces around it) makes the whole list invalid.
bool oneEntryPerLine(const std::vector<std::string>& entries, std::string& text) {
  for (const auto& e : entries) {
    if (e.empty()) return false;
    for (const char c : e)
      if (static_cast<unsigned char>(c) <= 0x20 || c == '#' || c == 0x7F) return false;
    text += e;
    text += '\n';
  }
  return true;
}

}  // namespace

core::Result<TrustRefreshed> applyRevocations(const billing::RevocationList& list, const fs::path& apcvTrustDir,
                                              const fs::path& cardTrustDir, core::Date today) {
  const std::string header = "# From the insurer's revocation service on " + today.iso() + "\n";
  std::string apps = header;
  if (!oneEntryPerLine(list.appInstances, apps) || !crypto::parseRevocationList(apps))
    return core::fail(core::Errc::DeskTrustRefreshInvalid, {"revoked-app-instances.txt"});
  std::string cards = header;
  if (!oneEntryPerLine(list.cardSerials, cards) || !reader::parseOppositionList(cards))
    return core::fail(core::Errc::DeskTrustRefreshInvalid, {"opposition.txt"});
  TrustRefreshed done;
  std::error_code ec;
  if (fs::is_directory(cardTrustDir, ec)) {
    if (auto w = replaceFileWhole(cardTrustDir / "opposition.txt", cards, 0644); !w) return core::fail(w.error());
    done.card = true;
    done.cardSerials = list.cardSerials.size();
  }
  if (fs::is_directory(apcvTrustDir / "issuers", ec)) {
    if (auto w = replaceFileWhole(apcvTrustDir / "revoked-app-instances.txt", apps, 0644); !w) return core::fail(w.error());
    // Dated last: the age shown at the desk is that of lists actually in place.
    if (auto w = replaceFileWhole(apcvTrustDir / "trust.json", "{\n  \"issued_at\": \"" + today.iso() + "\"\n}\n", 0644); !w)
      return core::fail(w.error());
    done.apcv = true;
    done.appInstances = list.appInstances.size();
  }
  return done;
}

}  // namespace vd::app
