#pragma once
/// \file
/// How the desk reaches the insurer network: the configuration of the libcurl mutual-TLS
/// adapter (curl_transport.hpp) of the outbox's `LotTransport` port (outbox/lot_transport.hpp).

#include <chrono>
#include <string>

namespace vd::billing {

/// Where and how to reach the insurer network. Paths, never key material in memory longer than needed.
struct TransportConfig {
  std::string baseUrl;          ///< e.g. https://127.0.0.1:8443
  std::string caFile;           ///< the ONLY trust anchors for the server certificate: the system
                                ///< store (CA path, bundle, SSL_CERT_DIR/SSL_CERT_FILE) is never used
  std::string clientCertFile;   ///< PEM client certificate (mutual TLS)
  std::string clientKey;        ///< PEM key file path, or a pkcs11: URI (then `pkcs11Module` is used)
  std::string pkcs11Module;     ///< e.g. /usr/lib/softhsm/libsofthsm2.so (only for a pkcs11: key)
  std::string pin;              ///< PKCS#11 PIN for this process only; never written anywhere
  std::string pinnedPublicKey;  ///< "sha256//<base64>[;sha256//…]" of the server key; empty = no pin
  std::string proxy;            ///< e.g. http://proxy:3128; empty = none (CURLOPT_PROXY)
  std::string arlTrustFile;     ///< certificate of the key that signs ARLs
  std::chrono::milliseconds connectTimeout{5000};
  std::chrono::milliseconds totalTimeout{30000};
};

}  // namespace vd::billing
