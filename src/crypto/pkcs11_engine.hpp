#pragma once
/// \file
/// Prepares OpenSSL's shared "pkcs11" engine (libp11, libengine-pkcs11-openssl) for a library
/// that loads token keys by itself through the engine — libcurl's `CURLOPT_SSLENGINE
/// "pkcs11"` for mutual TLS with the client key in the token. The engine is process-wide:
/// libcurl's ENGINE_by_id("pkcs11") returns the one configured here. Thread safety: both
/// functions serialise on one mutex; call them before handing the engine to libcurl.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vd::crypto {

/// Sets the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so) and, when not empty, the
/// PIN of the shared engine, and initialises it. The PIN is not kept by VitaleDesk (libp11
/// holds it for the token session). Errors: SignerTokenUnavailable {module}.
core::Result<void> configurePkcs11Engine(const std::string& modulePath, const std::string& pin);

/// Opens the private key named by the RFC 7512 `uri` through the engine configured above, so
/// that a wrong PIN or a missing key is said before any connection (libcurl would only report
/// "unable to set private key"). The key is released at once; the token session stays open.
/// Errors: TlsTokenPinRefused {token}, TlsTokenKeyNotFound {token}; the PIN is in neither.
core::Result<void> checkPkcs11Key(const std::string& uri);

/// The `token=` attribute of a pkcs11: URI, percent-decoding left as is ("" when absent):
/// what an error may name (a label, never a PIN).
std::string pkcs11TokenLabel(std::string_view uri);

}  // namespace vd::crypto
