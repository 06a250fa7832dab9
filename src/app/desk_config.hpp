#pragma once
/// \file
/// The files the desk works with (no wx): from the settings (desk_settings.hpp) in normal
/// use, from the TEST-ONLY material in the demo mode (demo_mode.hpp).

#include <filesystem>
#include <string>

namespace vd::app {

struct DeskPaths {
  std::filesystem::path dataDir;           ///< $XDG_DATA_HOME/vitaledesk (or the demo folder)
  std::filesystem::path registerFile;      ///< FSE register + outbox (SQLite)
  std::filesystem::path practitionerFile;  ///< practitioner.json (docs/formats/fse.md)
  std::filesystem::path cardTrustDir;      ///< issuer*.pub.pem + opposition.txt
  std::filesystem::path apcvTrustDir;      ///< ApCV trust directory
  std::filesystem::path replayCache;       ///< ApCV token ids already seen
  std::filesystem::path tlsDir;            ///< client certificates for the insurer network
  std::string serverUrl;                   ///< insurer network base URL (empty: none configured)
  /// TLS overrides of the tlsDir files (app::DeskSettings, docs/formats/insurer-api.md "Trust"):
  /// client key (PEM path or pkcs11: URI), its certificate and module, the pinned server key.
  std::string tlsClientKey, tlsClientCert, tlsPkcs11Module, tlsPinnedKey;
};

/// $XDG_DATA_HOME/vitaledesk, else ~/.local/share/vitaledesk.
std::filesystem::path defaultDataDir();

}  // namespace vd::app
