// libFuzzer target: every parser of carte Vitale bytes (status words, BER-TLV, directory,
// the profile's data files). The first byte picks the parser, the rest is card input.
#include <cstddef>
#include <cstdint>
#include <span>

#include "reader/card/apdu.hpp"
#include "reader/card/tlv.hpp"
#include "reader/card/vitale_profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> in(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      auto r = vd::reader::parseResponse(in);
      if (r.ok() && r->data.size() + 2 != in.size()) __builtin_trap();
      break;
    }
    case 1: {
      auto t = vd::reader::parseTlvs(in);
      if (t.ok()) {
        for (const auto& tlv : *t)
          if (tlv.value.size() > in.size()) __builtin_trap();
      }
      break;
    }
    case 2: {
      auto d = vd::reader::parseDirectory(in);
      if (d.ok() && d->size() * 4 != in.size()) __builtin_trap();
      break;
    }
    case 3: {
      auto p = vd::reader::parsePersons(in);
      // What parses must re-encode and parse to the same persons count.
      if (p.ok() && vd::reader::parsePersons(vd::reader::encodePersons(*p))->size() != p->size()) __builtin_trap();
      break;
    }
    case 4:
      (void)vd::reader::parseCardInfo(in);
      break;
    default:
      (void)vd::reader::parseSignatureFile(in);
      (void)vd::reader::isVitaleAtr(in);
      break;
  }
  return 0;
}
