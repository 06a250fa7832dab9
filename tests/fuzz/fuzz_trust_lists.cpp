// libFuzzer target: the ApCV trust folder's lists. (1) The signed trust lists (trust-lists.cose,
// GET /v1/apcv/revocations) as received, checked against the harness's signer; (2) the same
// bytes as a payload SIGNED by the harness's key (apcv_fuzz_pki.hpp), so fuzzed input gets past
// the signature into decodeTrustLists; (3) the unsigned local files (revoked-app-instances.txt,
// trust.json) of a folder made by hand. A truncated or hostile input must be refused, never crash.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "apcv_fuzz_pki.hpp"
#include "crypto/cose.hpp"
#include "crypto/trust_list.hpp"
#include "crypto/trust_store.hpp"

namespace {

void checkLists(const vd::crypto::TrustLists& l) {
  // What was accepted reads back the same and respects the entry rules.
  auto again = vd::crypto::decodeTrustLists(vd::crypto::encodeTrustLists(l));
  if (!again || again->sequence != l.sequence || again->appInstances != l.appInstances ||
      again->cardSerials != l.cardSerials || again->revokedIssuers != l.revokedIssuers || l.sequence == 0)
    __builtin_trap();
  for (const auto& e : l.appInstances)
    if (e.empty() || e.size() > vd::crypto::kMaxTrustListEntryBytes || e.find_first_of(" #\n") != std::string::npos)
      __builtin_trap();
  for (const auto& k : l.revokedIssuers)
    if (k.size() != vd::crypto::kKidSize) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& pki = vd::fuzz::fuzzPki();
  const auto signer = pki.issuer.publicKey();
  const std::span<const std::uint8_t> bytes(data, size);
  if (auto lists = vd::crypto::verifyTrustLists(bytes, signer, "fuzz")) checkLists(*lists);
  if (size <= 64 * 1024) {
    auto signedDoc = vd::crypto::coseSign1Sign(bytes, pki.issuer, vd::crypto::CoseAlg::ES256, signer.kid());
    if (!signedDoc) __builtin_trap();
    auto lists = vd::crypto::verifyTrustLists(*signedDoc, signer, "fuzz");
    if (lists) {
      checkLists(*lists);
      const auto store = pki.trust.withLists(*lists);
      for (const auto& k : lists->revokedIssuers)
        if (!store.isIssuerRevoked(k)) __builtin_trap();
      // The harness's issuer is refused exactly when the list names its kid.
      const bool named = store.isIssuerRevoked(pki.issuerKid);
      if (store.issuerAt(pki.issuerKid, vd::fuzz::kFuzzNow).ok() == named) __builtin_trap();
    } else if (lists.error().code != vd::core::Errc::TrustListMalformed) {
      __builtin_trap();  // a genuine signature over any bytes can only fail as malformed
    }
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto list = vd::crypto::parseRevocationList(text)) {
    for (const std::string& entry : *list) {
      // Entries are trimmed, comment-free, non-empty and bounded.
      if (entry.empty() || entry.size() > 128 || entry.find('#') != std::string::npos ||
          entry.find('\n') != std::string::npos || entry.front() == ' ' || entry.back() == ' ')
        __builtin_trap();
    }
  }
  if (auto d = vd::crypto::parseIssuedAt(text)) {
    auto again = vd::core::Date::parseIso(d->iso());  // a real calendar date, round trip
    if (!again || *again != *d) __builtin_trap();
  }
  return 0;
}
