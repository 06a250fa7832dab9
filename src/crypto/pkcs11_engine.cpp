// OpenSSL's ENGINE API is deprecated in OpenSSL 3 but is the only PKCS#11 route on Debian 12
// (see cms.cpp); confined to the files that need it.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "crypto/pkcs11_engine.hpp"

#include <openssl/engine.h>
#include <openssl/err.h>

#include <mutex>

namespace vd::crypto {

core::Result<void> configurePkcs11Engine(const std::string& modulePath, const std::string& pin) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
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

}  // namespace vd::crypto
