#include "crypto/aead.hpp"

#include <openssl/evp.h>

#include <memory>

#include "crypto/digest.hpp"

namespace vd::crypto {
namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const auto* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

core::Result<std::vector<std::uint8_t>> aeadSeal(std::span<const std::uint8_t> key,
                                                 std::span<const std::uint8_t> plaintext, std::string_view aad) {
  if (key.size() != kAeadKeySize) return core::fail(core::Errc::Internal, {"aead.key_size"});
  auto nonce = randomBytes(kAeadNonceSize);
  if (!nonce) return core::fail(nonce.error());
  std::vector<std::uint8_t> out(kAeadNonceSize + plaintext.size() + kAeadTagSize);
  std::copy(nonce->begin(), nonce->end(), out.begin());
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int total = 0;
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce->data()) == 1 &&
            (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) == 1);
  ok = ok && EVP_EncryptUpdate(ctx.get(), out.data() + kAeadNonceSize, &len, plaintext.data(),
                               static_cast<int>(plaintext.size())) == 1;
  total = len;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), out.data() + kAeadNonceSize + total, &len) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAeadTagSize),
                                 out.data() + kAeadNonceSize + plaintext.size()) == 1;
  if (!ok) return core::fail(core::Errc::Internal, {"aead.seal"});
  return out;
}

core::Result<std::vector<std::uint8_t>> aeadOpen(std::span<const std::uint8_t> key,
                                                 std::span<const std::uint8_t> sealed, std::string_view aad) {
  if (key.size() != kAeadKeySize) return core::fail(core::Errc::Internal, {"aead.key_size"});
  if (sealed.size() < kAeadNonceSize + kAeadTagSize)
    return core::fail(core::Errc::OutboxDecrypt, {core::frEn("trop court", "too short")});
  const std::size_t n = sealed.size() - kAeadNonceSize - kAeadTagSize;
  std::vector<std::uint8_t> out(n);
  std::vector<std::uint8_t> tag(sealed.end() - kAeadTagSize, sealed.end());
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) == 1 &&
            (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) == 1);
  ok = ok && EVP_DecryptUpdate(ctx.get(), out.data(), &len, sealed.data() + kAeadNonceSize, static_cast<int>(n)) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagSize), tag.data()) == 1;
  ok = ok && EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &len) == 1;
  if (!ok)
    return core::fail(core::Errc::OutboxDecrypt, {core::frEn("authentification refusée", "authentication failed")});
  return out;
}

}  // namespace vd::crypto
