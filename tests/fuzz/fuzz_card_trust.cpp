// libFuzzer target: the card trust folder's files (CardTrust::load): opposition.txt and the
// issuer public keys (PEM). Copied onto the desk by an administrator: a truncated or hostile
// file must be refused, never crash the desk.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "reader/card/vitale_card_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto list = vd::reader::parseOppositionList(text)) {
    for (const std::string& serial : *list) {
      if (serial.empty() || serial.size() > 128) __builtin_trap();
      for (char c : serial)  // lower-case hex, as cred.serialHex
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) __builtin_trap();
    }
  }
  if (auto key = vd::crypto::PublicKey::fromPem(text)) (void)key->kid();
  return 0;
}
