#include "app/trust_refresh.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

#include "app/atomic_file.hpp"
#include "crypto/trust_list.hpp"
#include "crypto/trust_store.hpp"
#include "reader/card/vitale_card_reader.hpp"

namespace vd::app {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> fileBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

core::Result<TrustRefreshed> applyRevocations(const billing::RevocationList& list, const fs::path& apcvTrustDir,
                                              const fs::path& cardTrustDir, std::int64_t now) {
  auto signer = crypto::loadTrustListSigner(apcvTrustDir);
  if (!signer) return core::fail(signer.error());
  if (auto usable = crypto::trustListSignerUsable(*signer, now); !usable) return core::fail(usable.error());
  auto lists = crypto::verifyTrustLists(list.document, *signer, "GET /v1/apcv/revocations");
  if (!lists) return core::fail(lists.error());
  TrustRefreshed done;
  // What is installed now; an unreadable or badly signed file is replaced (recovery), a good
  // one only by a newer sequence, or by the very same document.
  const fs::path target = apcvTrustDir / crypto::kTrustListsFile;
  if (auto installed = crypto::loadSignedTrustLists(apcvTrustDir); installed && *installed) {
    const std::uint64_t have = (*installed)->sequence;
    done.previousSequence = have;
    const bool same = lists->sequence == have && fileBytes(target) == list.document;
    if (lists->sequence < have || (lists->sequence == have && !same))
      return core::fail(core::Errc::TrustListRollback, {std::to_string(lists->sequence), std::to_string(have)});
  }
  std::string cards = "# Derived from " + std::string(crypto::kTrustListsFile) + " (sequence " +
                      std::to_string(lists->sequence) + ", " + lists->issuedAt.iso() + ")\n";
  for (const auto& serial : lists->cardSerials) cards += serial + "\n";
  if (!reader::parseOppositionList(cards)) return core::fail(core::Errc::TrustListMalformed, {"cards"});
  // The one atomic step for the whole set.
  const std::string bytes(list.document.begin(), list.document.end());
  if (auto w = replaceFileWhole(target, bytes, 0644); !w) return core::fail(w.error());
  done.apcv = true;
  done.sequence = lists->sequence;
  done.appInstances = lists->appInstances.size();
  done.revokedIssuers = lists->revokedIssuers.size();
  std::error_code ec;
  if (fs::is_directory(cardTrustDir, ec)) {
    if (auto w = replaceFileWhole(cardTrustDir / "opposition.txt", cards, 0644); !w) return core::fail(w.error());
    done.card = true;
    done.cardSerials = lists->cardSerials.size();
  }
  return done;
}

}  // namespace vd::app
