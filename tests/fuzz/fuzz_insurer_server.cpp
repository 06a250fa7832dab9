// libFuzzer target: what the insurer simulator parses from a desk (lot requests, rights
// requests). A parsed lot re-encodes to a request that parses back to the same members.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billing/transport/insurer_wire.hpp"

namespace wire = vd::billing::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto lot = wire::parseLotRequest(text); lot.ok()) {
    vd::billing::Lot again{lot->lotId, "key", lot->destination, {}};
    for (const auto& m : lot->members) again.members.push_back({m.ref, m.idempotencyKey, m.signedFse});
    auto back = wire::parseLotRequest(wire::encodeLotRequest(again));
    if (!back.ok() || back->members.size() != lot->members.size() || back->members[0].ref != lot->members[0].ref)
      __builtin_trap();
  }
  (void)wire::parseRightsRequest(text);
  (void)wire::parseRef(text);
  return 0;
}
