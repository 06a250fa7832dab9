#pragma once
/// \file
/// Prepares OpenSSL's shared "pkcs11" engine (libp11, libengine-pkcs11-openssl) for a library
/// that loads token keys by itself through the engine — libcurl's `CURLOPT_SSLENGINE
/// "pkcs11"` for mutual TLS with the client key in the token. The engine is process-wide:
/// libcurl's ENGINE_by_id("pkcs11") returns the one configured here.

#include <string>

#include "core/result.hpp"

namespace vd::crypto {

/// Sets the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so) and, when not empty, the
/// PIN of the shared engine, and initialises it. The PIN is not kept by VitaleDesk (libp11
/// holds it for the token session). Errors: SignerTokenUnavailable {module}.
core::Result<void> configurePkcs11Engine(const std::string& modulePath, const std::string& pin);

}  // namespace vd::crypto
