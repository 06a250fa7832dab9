#pragma once
// Private to vd_crypto: the OpenSSL side of keys.hpp, and RAII owners of OpenSSL objects.
// Never included from a public header or from outside src/crypto.

#include <memory>
#include <string>
#include <vector>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto/keys.hpp"

namespace vd::crypto::detail {

template <auto Fn>
struct Deleter {
  template <class T>
  void operator()(T* p) const noexcept {
    Fn(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

/// The first queued OpenSSL error as text (and the queue cleared), for error arguments.
std::string opensslError();

KeyType keyTypeOf(const EVP_PKEY* key);

}  // namespace vd::crypto::detail

namespace vd::crypto {

struct PublicKey::Impl {
  detail::PkeyPtr key;
  std::vector<std::uint8_t> certificateDer;
};

struct PrivateKey::Impl {
  detail::PkeyPtr key;
};

}  // namespace vd::crypto
