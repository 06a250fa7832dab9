#include "crypto/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <climits>
#include <cstdlib>

namespace vd::crypto {

Sha256Digest sha256(std::span<const std::uint8_t> data) {
  Sha256Digest out{};
  unsigned int len = 0;
  // EVP_Digest cannot fail for SHA-256 with a valid buffer short of memory exhaustion.
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw std::bad_alloc();
  }
  return out;
}

Sha256Digest sha256(std::string_view text) {
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view text) {
  Sha256Digest out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
           text.size(), out.data(), &len) == nullptr || len != out.size()) {
    // Only a broken OpenSSL gets here; an all-zero pseudonym would merge every patient's caps.
    std::abort();
  }
  return out;
}

core::Result<std::vector<std::uint8_t>> randomBytes(std::size_t n) {
  std::vector<std::uint8_t> out(n);
  if (n > INT_MAX || RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    return core::fail(core::Errc::Internal, {"RAND_bytes"});
  }
  return out;
}

std::string toHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

}  // namespace vd::crypto
