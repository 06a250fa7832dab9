#pragma once
/// \file
/// The files the desk works with (no wx): from the settings (desk_settings.hpp) in normal
/// use, from the TEST-ONLY material in the demo mode (demo_mode.hpp).

#include <filesystem>
#include <string>

#include "billing/outbox/data_key.hpp"

namespace vd::app {

struct DeskPaths {
  std::filesystem::path dataDir;           ///< $XDG_DATA_HOME/vitaledesk (or the demo folder)
  std::filesystem::path registerFile;      ///< FSE register + outbox (SQLite)
  std::filesystem::path dataKeyFile;       ///< its data key; empty: `<registerFile>.key`
  std::filesystem::path practitionerFile;  ///< practitioner.json (docs/formats/fse.md)
  std::filesystem::path cardTrustDir;      ///< issuer*.pub.pem + opposition.txt
  std::filesystem::path apcvTrustDir;      ///< ApCV trust directory
  std::filesystem::path replayCache;       ///< ApCV token ids already seen
  std::filesystem::path tlsDir;            ///< client certificates for the insurer network
  std::string serverUrl;                   ///< insurer network base URL (empty: none configured)
  /// TLS overrides of the tlsDir files (app::DeskSettings, docs/formats/insurer-api.md "Trust"):
  /// client key (PEM path or pkcs11: URI), its certificate and module, the pinned server key.
  std::string tlsClientKey, tlsClientCert, tlsPkcs11Module, tlsPinnedKey;

  billing::RegisterLocation registerLocation() const { return {registerFile, dataKeyFile}; }
};

/// $XDG_DATA_HOME/vitaledesk, else ~/.local/share/vitaledesk.
std::filesystem::path defaultDataDir();

/// THE replay cache of this user, shared by the desk and `vitaledesk-cli` (token verify, scan,
/// nfc read), so one QR code is accepted once on this machine whoever reads it:
/// $XDG_STATE_HOME/vitaledesk/apcv-replay.txt, else ~/.local/state/vitaledesk/apcv-replay.txt
/// (folder created, 0700). The desk's earlier file ($XDG_DATA_HOME/vitaledesk/apcv-replay.txt)
/// is moved there when the new one does not exist yet, so no id it held is forgotten.
std::filesystem::path defaultReplayCache();

}  // namespace vd::app
