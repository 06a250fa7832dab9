#include "app/desk_settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

#include "billing/transport/curl_transport.hpp"
#include "reader/image/camera_setting.hpp"

namespace vd::app {
namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(path), ec);
}

// "scheme://host[:port][/path]" with an allowed scheme; the reason when not.
std::optional<std::string> urlProblem(const std::string& url, std::initializer_list<std::string_view> schemes) {
  const auto sep = url.find("://");
  if (sep == std::string::npos) return "scheme://host";
  const std::string_view scheme(url.data(), sep);
  bool known = false;
  for (auto s : schemes) known = known || s == scheme;
  if (!known) return "scheme " + std::string(scheme);
  const std::string_view rest = std::string_view(url).substr(sep + 3);
  const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find_first_of(" \t@") != std::string_view::npos) return "host";
  if (const auto colon = host.rfind(':'); colon != std::string_view::npos && host.back() != ']') {
    const std::string_view port = host.substr(colon + 1);
    int n = 0;
    const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc() || p != port.data() + port.size() || n < 1 || n > 65535) return "port";
  }
  return std::nullopt;
}

}  // namespace

std::string_view profileName(Profile p) {
  switch (p) {
    case Profile::Gp:
      return "gp";
    case Profile::Pharmacy:
      return "pharmacy";
    case Profile::Reception:
      return "reception";
  }
  return "gp";
}

std::optional<Profile> parseProfile(std::string_view text) {
  for (auto p : {Profile::Gp, Profile::Pharmacy, Profile::Reception})
    if (profileName(p) == text) return p;
  return std::nullopt;
}

std::optional<std::pair<std::uint16_t, std::uint16_t>> parseUsbId(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto hex = [](std::string_view s) -> std::optional<std::uint16_t> {
    if (s.empty() || s.size() > 4) return std::nullopt;
    std::uint16_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
  };
  auto vid = hex(text.substr(0, colon));
  auto pid = hex(text.substr(colon + 1));
  if (!vid || !pid) return std::nullopt;
  return std::make_pair(*vid, *pid);
}

void applySigning(PractitionerProfile& practitioner, const DeskSettings& settings) {
  if (settings.signingKind == "key_file" && !settings.signingKeyFile.empty()) {
    practitioner.signing.kind = SigningConfig::Kind::KeyFile;
    practitioner.signing.keyFile = settings.signingKeyFile;
  } else if (settings.signingKind == "pkcs11" && !settings.pkcs11Uri.empty()) {
    practitioner.signing.kind = SigningConfig::Kind::Pkcs11;
    practitioner.signing.pkcs11.modulePath = settings.pkcs11Module;
    practitioner.signing.pkcs11.keyUri = settings.pkcs11Uri;
  }
}

std::vector<SettingsProblem> validateSettings(const DeskSettings& s) {
  std::vector<SettingsProblem> out;
  auto add = [&](const char* key, core::Errc code, std::vector<std::string> args) {
    out.push_back({key, core::makeError(code, std::move(args), key)});
  };
  for (std::size_t from = 0; from < s.scannerIds.size();) {
    const std::size_t comma = std::min(s.scannerIds.find(',', from), s.scannerIds.size());
    const std::string one = s.scannerIds.substr(from, comma - from);
    if (!parseUsbId(one)) add("/Scanner/VidPid", core::Errc::SettingsScannerId, {one});
    from = comma + 1;
  }
  if (s.scannerLayout != "fr" && s.scannerLayout != "us")
    add("/Scanner/Layout", core::Errc::SettingsChoice, {"/Scanner/Layout", s.scannerLayout});
  if (auto camera = reader::image::parseCameraSetting(s.camera); !camera)
    out.push_back({"/Camera/Device", camera.error()});
  if (!s.serverUrl.empty())
    if (auto why = urlProblem(s.serverUrl, {"https"}))
      add("/Server/Url", core::Errc::SettingsUrl, {"/Server/Url", *why});
  if (!s.proxy.empty())
    if (auto why = urlProblem(s.proxy, {"http", "https", "socks5", "socks5h"}))
      add("/Server/Proxy", core::Errc::SettingsUrl, {"/Server/Proxy", *why});
  if (!s.tlsDir.empty() && !exists(s.tlsDir))
    add("/Server/TlsDir", core::Errc::SettingsFileMissing, {"/Server/TlsDir", s.tlsDir});
  if (auto pinned = billing::checkPinnedPublicKey(s.tlsPinnedKey); !pinned)
    out.push_back({"/Server/PinnedKey", pinned.error()});
  if (s.tlsClientKey.rfind("pkcs11:", 0) == 0) {
    if (s.tlsClientKey.size() <= 7 || s.tlsClientKey.find("pin-value") != std::string::npos)
      add("/Server/TlsKey", core::Errc::SettingsPkcs11Uri, {"pkcs11:"});
    const std::string module = s.tlsPkcs11Module.empty() ? kDefaultPkcs11Module : s.tlsPkcs11Module;
    if (!exists(module)) add("/Server/Pkcs11Module", core::Errc::SettingsFileMissing, {"/Server/Pkcs11Module", module});
  } else if (!s.tlsClientKey.empty() && !exists(s.tlsClientKey)) {
    add("/Server/TlsKey", core::Errc::SettingsFileMissing, {"/Server/TlsKey", s.tlsClientKey});
  }
  if (!s.tlsClientCert.empty() && !exists(s.tlsClientCert))
    add("/Server/TlsCert", core::Errc::SettingsFileMissing, {"/Server/TlsCert", s.tlsClientCert});
  // The key's folder must exist (a disk not mounted): it is never created (data_key.hpp).
  if (!s.dataKeyFile.empty()) {
    const auto folder = std::filesystem::path(s.dataKeyFile).parent_path();
    std::error_code ec;
    if (folder.empty() || !std::filesystem::is_directory(folder, ec))
      add("/Outbox/DataKeyFile", core::Errc::SettingsFileMissing, {"/Outbox/DataKeyFile", folder.string()});
  }
  if (!s.practitionerFile.empty() && !exists(s.practitionerFile))
    add("/Practitioner/File", core::Errc::SettingsFileMissing, {"/Practitioner/File", s.practitionerFile});
  if (s.signingKind == "key_file") {
    if (!s.signingKeyFile.empty() && !exists(s.signingKeyFile))
      add("/Signing/KeyFile", core::Errc::SettingsFileMissing, {"/Signing/KeyFile", s.signingKeyFile});
  } else if (s.signingKind == "pkcs11") {
    if (s.pkcs11Module.empty() || !exists(s.pkcs11Module))
      add("/Signing/Pkcs11Module", core::Errc::SettingsFileMissing, {"/Signing/Pkcs11Module", s.pkcs11Module});
    if (s.pkcs11Uri.rfind("pkcs11:", 0) != 0 || s.pkcs11Uri.size() <= 7)
      add("/Signing/Pkcs11Uri", core::Errc::SettingsPkcs11Uri, {"pkcs11:"});
  } else {
    add("/Signing/Kind", core::Errc::SettingsChoice, {"/Signing/Kind", s.signingKind});
  }
  if (!core::parseLang(s.language) || (s.language != "fr" && s.language != "en"))
    add("/Desk/Language", core::Errc::SettingsChoice, {"/Desk/Language", s.language});
  return out;
}

}  // namespace vd::app
