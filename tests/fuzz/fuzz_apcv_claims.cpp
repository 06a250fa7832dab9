// libFuzzer target: the ApCV claims and app-certificate decoders (signed, but still hostile:
// a genuine issuer's bug or a stolen key must not crash the desk), and the round trip: what
// decodes re-encodes to claims that decode to the same values. Also feeds the bytes, as text,
// to the token envelope (prefix, Base45, zlib, COSE) with an empty trust store.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/trust_store.hpp"
#include "reader/apcv/claims.hpp"
#include "reader/apcv/token.hpp"

namespace apcv = vd::reader::apcv;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  auto claims = apcv::decodeClaims(input);
  if (claims.ok()) {
    auto again = apcv::decodeClaims(apcv::encodeClaims(*claims));
    if (!again.ok() || again->insured.nir != claims->insured.nir || again->tokenId != claims->tokenId ||
        again->beneficiaries.size() != claims->beneficiaries.size() ||
        again->delegation.has_value() != claims->delegation.has_value())
      __builtin_trap();
  }
  auto cert = apcv::decodeAppCertificate(input);
  if (cert.ok() && !apcv::decodeAppCertificate(apcv::encodeAppCertificate(*cert)).ok()) __builtin_trap();

  static const vd::crypto::TrustStore empty = vd::crypto::TrustStore::fromKeys({});
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto env = apcv::openEnvelope(text, empty);
  if (env.ok()) __builtin_trap();  // nothing verifies without an issuer
  return 0;
}
