#pragma once
/// \file
/// The demo mode (README `tools/vd.sh run` on a machine without devices): TEST-ONLY material
/// made on first run in the data folder (card issuer, ApCV issuer and phones, a practitioner
/// with a key file, a separate register), the simulator's kit cards inserted in-process
/// through the real card reader code (an `ApduChannel` over `sim::VirtualCard`) — or served
/// to pcscd's vpcd when present (app/vpcd_kit.hpp) —, and the
/// phone kits' QR texts for the token path. Nothing of the demo is ever production material:
/// its register is its own file and every subject says TEST ONLY.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/desk_config.hpp"
#include "core/result.hpp"
#include "crypto/keys.hpp"
#include "reader/card/apdu.hpp"

namespace vd::sim {
class VpcdCard;
}

namespace vd::app {

struct DemoKit {
  std::string name;
  std::string expected;  ///< verdict the kit is made for: verified, refused, read_not_verified
  std::string summary;   ///< English, one line
};

class DemoMode {
 public:
  /// `dir`/ holds the material (made when missing, reused after): default defaultDataDir()/demo.
  /// Errors: FileUnreadable (folder), key generation and certificate errors.
  static core::Result<std::unique_ptr<DemoMode>> open(const std::filesystem::path& dir, std::int64_t now);

  /// Paths for the desk: demo register, demo practitioner, demo trust folders.
  const DeskPaths& paths() const { return m_paths; }

  static std::vector<DemoKit> cardKits();
  static std::vector<std::string> phoneKits();

  /// A fresh in-process card of `kit` (its own state; one worker uses it).
  /// Errors: InvalidArgument {kit}.
  core::Result<std::shared_ptr<reader::ApduChannel>> insertCard(const std::string& kit) const;
  /// A phone of `kit` in host card emulation on an in-process contactless reader (the
  /// simulator's NfcPhone: SELECT, GET TOKEN signed over the reader's challenge) for
  /// ReaderHub::presentNfcPhone. Errors: InvalidArgument {kit}.
  core::Result<std::shared_ptr<reader::ApduChannel>> nfcPhone(const std::string& kit) const;
  /// The same card and phone for vpcd: served by the test kit through pcscd (vpcd_kit.hpp)
  /// and read by the desk's PC/SC worker. Errors: InvalidArgument {kit}.
  core::Result<std::shared_ptr<sim::VpcdCard>> vpcdCard(const std::string& kit) const;
  core::Result<std::shared_ptr<sim::VpcdCard>> vpcdPhone(const std::string& kit) const;
  /// The QR text a phone of `kit` shows at `now`. The "replayed" kit gives the same token on
  /// each call (the second presentation is the replay). Errors: InvalidArgument {kit}.
  core::Result<std::string> phoneToken(std::string_view kit, std::int64_t now);

 private:
  DemoMode(DeskPaths paths, std::filesystem::path apcvDir, crypto::PrivateKey issuer)
      : m_paths(std::move(paths)), m_apcvDir(std::move(apcvDir)), m_cardIssuer(std::move(issuer)) {}
  DeskPaths m_paths;
  std::filesystem::path m_apcvDir;
  crypto::PrivateKey m_cardIssuer;
  std::string m_replayed;  ///< the "replayed" kit's token, made once
};

}  // namespace vd::app
