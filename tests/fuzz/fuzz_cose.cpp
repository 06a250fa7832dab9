// libFuzzer target: CBOR decoding and COSE_Sign1 parsing and verification (the ApCV token
// envelope, hostile). The key look-up answers every kid with one of three fixed keys, so that
// the signature paths (ES256 conversion, PSS, Ed25519, length checks) are reached too.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "crypto/cbor_value.hpp"
#include "crypto/cose.hpp"
#include "crypto/keys.hpp"

namespace {

struct Keys {
  vd::crypto::PublicKey ec = vd::crypto::PrivateKey::generate(vd::crypto::KeyType::EcP256)->publicKey();
  vd::crypto::PublicKey ed = vd::crypto::PrivateKey::generate(vd::crypto::KeyType::Ed25519)->publicKey();
  vd::crypto::PublicKey rsa = vd::crypto::PrivateKey::generate(vd::crypto::KeyType::Rsa)->publicKey();
};

const Keys& keys() {
  static const Keys k;
  return k;
}

constexpr vd::crypto::CoseAlg kAll[] = {vd::crypto::CoseAlg::ES256, vd::crypto::CoseAlg::PS256,
                                        vd::crypto::CoseAlg::EdDSA};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  namespace cbor = vd::crypto::cbor;

  // CBOR: whatever decodes re-encodes to bytes that decode and re-encode identically (bytes
  // are compared, not trees: a NaN is not equal to itself).
  auto value = cbor::decode(input);
  if (value.ok()) {
    const auto encoded = cbor::encode(*value);
    auto again = cbor::decode(encoded, cbor::Limits{.maxInputBytes = 1u << 20});
    if (!again.ok() || cbor::encode(*again) != encoded) __builtin_trap();
  }

  const vd::crypto::CoseKeyLookup lookup =
      [](std::span<const std::uint8_t> kid) -> std::optional<vd::crypto::PublicKey> {
    switch (kid[0] % 4) {
      case 0:
        return keys().ec;
      case 1:
        return keys().ed;
      case 2:
        return keys().rsa;
      default:
        return std::nullopt;
    }
  };
  auto verified = vd::crypto::coseSign1Verify(input, lookup, kAll);
  (void)verified.ok();
  return 0;
}
