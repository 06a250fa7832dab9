#pragma once
/// \file
/// The simulated phone of the appli carte Vitale (TEST ONLY): a test issuer, app instances and
/// the trust directory a desk needs (`vitaledesk-sim apcv init DIR`), and the QR text of each
/// kit variant (`vitaledesk-sim phone qr --kit NAME --trust-dir DIR`). Keys are generated at
/// run time and never committed. Layout of DIR:
///
///   DIR/trust/            what the desk is given (`vitaledesk-cli token verify --trust DIR/trust`)
///     issuers/issuer.pem  the test issuer's self-signed certificate
///     revoked-app-instances.txt, trust.json
///   DIR/keys/             the simulator's secrets (0600): issuer, unknown issuer, phone, lost phone

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::sim {

inline constexpr std::string_view kPhoneAppInstance = "APP-TEST-0001";
inline constexpr std::string_view kLostPhoneAppInstance = "APP-TEST-LOST";

/// The kit names, in help order.
const std::vector<std::string_view>& phoneKits();

/// Creates DIR (see above). `now` in Unix seconds dates trust.json.
core::Result<void> apcvInit(const std::filesystem::path& dir, std::int64_t now);

/// The QR text of `kit` made at `now` with the material of DIR. Errors: InvalidArgument (an
/// unknown kit), FileUnreadable (DIR not initialised).
core::Result<std::string> phoneQr(const std::filesystem::path& dir, std::string_view kit, std::int64_t now);

/// What the NFC phone (`phone nfc`) varies from one exchange to the next.
struct PhoneTokenOptions {
  std::optional<std::vector<std::uint8_t>> challenge;  ///< put in the "chl" claim
  std::optional<std::vector<std::uint8_t>> tokenId;    ///< fixed cti ("replayed" over NFC); random when absent
};

/// The binary token (COSE_Sign1 bytes, what phoneQr wraps) of `kit` made at `now`. Errors as phoneQr.
core::Result<std::vector<std::uint8_t>> phoneToken(const std::filesystem::path& dir, std::string_view kit,
                                                   std::int64_t now, const PhoneTokenOptions& options = {});

/// The system clock in Unix seconds: the `now` the phone commands make their tokens at.
std::int64_t nowUnix();

}  // namespace vd::sim

namespace vd::sim {

/// `vitaledesk-sim apcv …` and `vitaledesk-sim phone …` (argv after the command word).
/// Exit codes: 0 ok, 2 usage, 3 environment.
int apcvCommand(const std::vector<std::string>& args);
int phoneCommand(const std::vector<std::string>& args);

}  // namespace vd::sim
