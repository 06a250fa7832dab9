// libFuzzer target: what the desk parses from the insurer network (receipts, ARL answers and
// contents, rights, revocation lists, error bodies) — hostile bytes from the network. A
// parsed value re-encodes to a document that parses back to the same value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billing/transport/insurer_wire.hpp"

namespace wire = vd::billing::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto r = wire::parseReceipt(text); r.ok()) {
    auto again = wire::parseReceipt(wire::encodeReceipt(*r));
    if (!again.ok() || again->lotId != r->lotId || again->arlPem != r->arlPem) __builtin_trap();
  }
  if (auto arl = wire::parseArlContent(text); arl.ok()) {
    auto again = wire::parseArlContent(wire::encodeArlContent(*arl, "2026-01-01T00:00:00Z"));
    if (!again.ok() || again->entries.size() != arl->entries.size()) __builtin_trap();
  }
  (void)wire::parseArlAnswer(text);
  if (auto rights = wire::parseRights(text); rights.ok()) {
    auto again = wire::parseRights(wire::encodeRights(*rights));
    if (!again.ok() || again->exemptions != rights->exemptions) __builtin_trap();
  }
  (void)wire::parseSignedTrustLists(text);
  (void)wire::parseErrorCode(text);
  // A receipt's ARL goes to the CMS verifier before its content is parsed.
  (void)wire::verifyArl(text, wire::ArlTrust{});
  return 0;
}
