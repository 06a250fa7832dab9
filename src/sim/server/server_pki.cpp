// writeServerPki(): the TEST-ONLY TLS material of the insurer simulator and of its clients.
#include <system_error>

#include "crypto/test_pki.hpp"
#include "sim/server/insurer_server.hpp"

namespace vd::sim {

core::Result<void> writeServerPki(const std::filesystem::path& dir) {
  struct Item {
    const char* name;
    const char* commonName;
    crypto::TestCertificateProfile profile;
  };
  const Item items[] = {
      {"server", "VitaleDesk TEST ONLY insurer network server", {"serverAuth", "IP:127.0.0.1,DNS:localhost"}},
      {"client", "VitaleDesk TEST ONLY desk client", {"clientAuth", ""}},
      {"arl-signer", "VitaleDesk TEST ONLY insurer ARL signer", {"", ""}},
  };
  for (const auto& item : items) {
    auto files = crypto::issueTestCertificate(dir, item.name, item.commonName, item.profile);
    if (!files) return core::fail(files.error());
    std::error_code ec;
    std::filesystem::rename(files->key, dir / (std::string(item.name) + ".key"), ec);
    if (ec) return core::fail(core::Errc::FileUnreadable, {dir.string(), ec.message()});
  }
  return {};
}

}  // namespace vd::sim
