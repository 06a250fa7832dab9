#pragma once
/// \file
/// The desk's settings as values (no wx): devices, server, practitioner identity and signing
/// key, language and profile, with their validation. src/ui/settings_dialog edits them and
/// stores them with wxConfig under the keys listed in src/ui/settings_dialog.hpp (and in
/// src/ui/README.md). No patient data here.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/fse_use_case.hpp"
#include "core/error.hpp"
#include "core/messages.hpp"

namespace vd::app {

/// What the desk shows first: the care sheet of acts (GP), the medicines sheet (pharmacy),
/// or the patient panel and the outbox (reception, which does not bill).
enum class Profile { Gp, Pharmacy, Reception };

std::string_view profileName(Profile p);  ///< "gp", "pharmacy", "reception"
std::optional<Profile> parseProfile(std::string_view text);

struct DeskSettings {
  std::string cardReader;  ///< PC/SC reader name for the carte Vitale ("" = the first one)
  std::string nfcReader;   ///< PC/SC reader name of the contactless reader ("" = none)
  std::string scannerIds;  ///< USB scanners "vvvv:pppp[,vvvv:pppp…]" in hexadecimal ("" = keyboard wedge only)
  std::string scannerLayout = "fr";      ///< keyboard layout of a wedge scanner: "fr" or "us"
  std::string camera = "off";            ///< "off", "auto" (first camera found) or a /dev/ path (docs/camera.md)
  std::string serverUrl;                 ///< insurer network endpoint, https://
  std::string tlsDir;                    ///< folder with the client certificate, key and CA bundle ("" = system)
  std::string proxy;                     ///< http(s) proxy URL ("" = none)
  // TLS to the insurer (docs/formats/insurer-api.md "Trust"): only tlsDir/ca.pem is trusted.
  std::string tlsClientKey;              ///< "" = tlsDir/client.key, or a PEM path, or a pkcs11: URI (RFC 7512)
  std::string tlsClientCert;             ///< "" = tlsDir/client.pem
  std::string tlsPkcs11Module;           ///< module of the card holding tlsClientKey ("" = kDefaultPkcs11Module)
  std::string tlsPinnedKey;              ///< "sha256//<base64>[;…]" of the server's public key ("" = no pin)
  std::string practitionerFile;          ///< practitioner identity JSON (docs/formats/fse.md)
  std::string dataKeyFile;               ///< the register's data key ("" = next to the register; docs/outbox.md)
  std::string signingKind = "key_file";  ///< "key_file" or "pkcs11"
  std::string signingKeyFile;            ///< PEM key (key_file)
  std::string pkcs11Module;              ///< PKCS#11 module path (pkcs11)
  std::string pkcs11Uri;                 ///< key URI "pkcs11:…" (pkcs11)
  std::string language = "fr";           ///< "fr" (default) or "en"
  Profile profile = Profile::Gp;

  friend bool operator==(const DeskSettings&, const DeskSettings&) = default;
};

/// The PKCS#11 module used for a pkcs11: TLS key when none is set (OpenSC: most smart cards).
inline constexpr const char* kDefaultPkcs11Module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";

/// One problem, with the settings key it is about (to put the message next to its field).
struct SettingsProblem {
  std::string key;
  core::Error error;
};

/// Every problem at once (empty = valid). Paths are checked for existence; empty optional
/// fields are fine. Errors: SettingsScannerId, SettingsUrl, SettingsFileMissing,
/// SettingsPkcs11Uri, SettingsChoice, CameraSetting.
std::vector<SettingsProblem> validateSettings(const DeskSettings& settings);

/// The signing key of the settings, when set, replaces the `signing` section of the
/// practitioner file (the certificate stays the file's).
void applySigning(PractitionerProfile& practitioner, const DeskSettings& settings);

/// Parses "vvvv:pppp" (hexadecimal, 1 to 4 digits each). nullopt when malformed.
std::optional<std::pair<std::uint16_t, std::uint16_t>> parseUsbId(std::string_view text);

}  // namespace vd::app
