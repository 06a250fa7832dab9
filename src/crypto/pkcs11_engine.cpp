// OpenSSL's ENGINE API is deprecated in OpenSSL 3 but is the only PKCS#11 route on Debian 12
// (see cms.cpp); confined to the files that need it.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "crypto/pkcs11_engine.hpp"

#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <mutex>

namespace vd::crypto {
namespace {

std::mutex& engineMutex() {
  static std::mutex mutex;
  return mutex;
}

/// PKCS#11 return values (PKCS#11 v2.40 §11) that libp11 puts as the reason of its errors
/// when the token refuses the login.
bool isPinRefusal(unsigned long reason) {
  constexpr unsigned long kPinIncorrect = 0xA0, kPinInvalid = 0xA1, kPinLenRange = 0xA2, kPinLocked = 0xA4;
  return reason == kPinIncorrect || reason == kPinInvalid || reason == kPinLenRange || reason == kPinLocked;
}

}  // namespace

core::Result<void> configurePkcs11Engine(const std::string& modulePath, const std::string& pin) {
  std::lock_guard lock(engineMutex());
  ENGINE* e = ENGINE_by_id("pkcs11");
  if (e == nullptr) {
    ERR_clear_error();
    return core::fail(core::Errc::SignerTokenUnavailable, {"libengine-pkcs11-openssl"});
  }
  bool ok = ENGINE_ctrl_cmd_string(e, "MODULE_PATH", modulePath.c_str(), 0) == 1;
  if (ok && !pin.empty()) ok = ENGINE_ctrl_cmd_string(e, "PIN", pin.c_str(), 0) == 1;
  // A functional reference kept for the process lifetime: the engine stays initialised for
  // every later user (libcurl takes its own references).
  if (ok) ok = ENGINE_init(e) == 1;
  ENGINE_free(e);
  if (!ok) {
    ERR_clear_error();
    return core::fail(core::Errc::SignerTokenUnavailable, {modulePath});
  }
  return {};
}

core::Result<void> checkPkcs11Key(const std::string& uri) {
  std::lock_guard lock(engineMutex());
  std::string token = pkcs11TokenLabel(uri);
  if (token.empty()) token = "pkcs11";
  ENGINE* e = ENGINE_by_id("pkcs11");
  if (e == nullptr) {
    ERR_clear_error();
    return core::fail(core::Errc::SignerTokenUnavailable, {"libengine-pkcs11-openssl"});
  }
  ERR_clear_error();
  EVP_PKEY* key = ENGINE_load_private_key(e, uri.c_str(), nullptr, nullptr);
  ENGINE_free(e);
  if (key != nullptr) {
    EVP_PKEY_free(key);
    return {};
  }
  bool pinRefused = false;
  for (unsigned long err = ERR_get_error(); err != 0; err = ERR_get_error())
    pinRefused = pinRefused || isPinRefusal(ERR_GET_REASON(err));
  return core::fail(pinRefused ? core::Errc::TlsTokenPinRefused : core::Errc::TlsTokenKeyNotFound, {token});
}

std::string pkcs11TokenLabel(std::string_view uri) {
  constexpr std::string_view kScheme = "pkcs11:";
  if (uri.substr(0, kScheme.size()) != kScheme) return {};
  std::string_view rest = uri.substr(kScheme.size());
  rest = rest.substr(0, rest.find('?'));  // the query part holds module and pin attributes
  while (!rest.empty()) {
    const auto end = rest.find(';');
    const std::string_view attr = rest.substr(0, end);
    if (attr.substr(0, 6) == "token=") return std::string(attr.substr(6, 64));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return {};
}

}  // namespace vd::crypto
