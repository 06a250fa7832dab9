#pragma once
/// \file
/// The simulated insurer and phone of the appli carte Vitale (TEST ONLY): a test issuer, app
/// instances and the trust directory a desk needs (`vitaledesk-sim apcv init DIR`), and the QR
/// text of each kit variant (`vitaledesk-sim phone qr --kit NAME --trust-dir DIR`): the
/// simulated insurer signs each phone's credential (holder's data + the phone's public key)
/// with the issuer key, the phone presents it with its own app-instance key. Keys are
/// generated at run time and never committed. Layout of DIR:
///
///   DIR/trust/            what the desk is given (`vitaledesk-cli token verify --trust DIR/trust`)
///     issuers/issuer.pem  the test issuer's self-signed certificate (organizationIdentifier
///                         TEST-ISSUER, digitalSignature); issuers/expired-issuer.pem (expired
///                         yesterday) and issuers/revoked-issuer.pem (its kid in the lists)
///     trust-list-signer.pem  the insurer's trust-list signing certificate
///     trust-lists.cose    the signed lists (lost phone, opposition card, revoked issuer;
///                         sequence = `now`)
///   DIR/keys/             the simulator's secrets (0600): issuer, unknown issuer, the holder's
///                         phone, a lost phone, the delegate's phone

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/keys.hpp"
#include "crypto/trust_list.hpp"
#include "reader/apcv/claims.hpp"

namespace vd::sim {

inline constexpr std::string_view kPhoneAppInstance = "APP-TEST-0001";
inline constexpr std::string_view kLostPhoneAppInstance = "APP-TEST-LOST";
inline constexpr std::string_view kDelegatePhoneAppInstance = "APP-TEST-AIDANT";
inline constexpr std::string_view kKitIssuer = "TEST-ISSUER";

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

/// The simulator's keys of DIR/keys and the issuer certificate's kid.
struct KitKeys {
  crypto::PrivateKey issuer;
  std::vector<std::uint8_t> issuerKid;
  crypto::PrivateKey unknownIssuer, phone, lostPhone, delegatePhone;
  crypto::PrivateKey expiredIssuer;
  std::vector<std::uint8_t> expiredIssuerKid;
  crypto::PrivateKey revokedIssuer;
  std::vector<std::uint8_t> revokedIssuerKid;
};

/// The lists the simulated insurer publishes for DIR's material at `now`: the lost phone, the
/// opposition kit card, the revoked issuer's kid; sequence `now`, dated `now`'s day.
core::Result<crypto::TrustLists> kitTrustLists(const std::filesystem::path& dir, std::int64_t now);
/// Those lists signed with DIR's trust-list signer key (kid of DIR/trust/trust-list-signer.pem).
core::Result<std::vector<std::uint8_t>> signKitTrustLists(const std::filesystem::path& dir,
                                                          const crypto::TrustLists& lists);
/// Errors: FileUnreadable (DIR not initialised, or made before the delegate's phone existed:
/// run `apcv init` again), KeyUnreadable.
core::Result<KitKeys> loadKitKeys(const std::filesystem::path& dir);

/// The credential the simulated insurer issues to the holder's phone `aid` (key `appKey`): the
/// kit's insured and child, rights as of `now`'s day, valid from 30 days before `now` to 335 after.
reader::apcv::InsurerCredential holderCredential(const crypto::PublicKey& appKey, std::string_view aid,
                                                 std::int64_t now);
/// The delegation the insurer issues to the delegate's phone (Sam AIDANT, kDelegatePhoneAppInstance)
/// on behalf of the holder, from a day before `now` to `until`.
reader::apcv::InsurerCredential delegateCredential(const crypto::PublicKey& delegateKey, std::int64_t now,
                                                   std::int64_t until);
/// A presentation at `now` (180 s), token id random unless options.tokenId, challenge from options.
core::Result<reader::apcv::DeviceClaims> kitPresentation(std::int64_t now, const PhoneTokenOptions& options);

/// The attacks of `phone forge --kind` (TEST ONLY, see phone_forge.cpp), in help order.
const std::vector<std::string_view>& forgeKinds();
/// A forged binary token of `kind` made at `now`: what someone holding extracted phone keys can
/// build. Errors: InvalidArgument (unknown kind), those of loadKitKeys.
core::Result<std::vector<std::uint8_t>> forgeToken(const std::filesystem::path& dir, std::string_view kind,
                                                   std::int64_t now, const PhoneTokenOptions& options = {});

/// The system clock in Unix seconds: the `now` the phone commands make their tokens at.
std::int64_t nowUnix();

}  // namespace vd::sim

namespace vd::sim {

/// `vitaledesk-sim apcv …` and `vitaledesk-sim phone …` (argv after the command word).
/// Exit codes: 0 ok, 2 usage, 3 environment.
int apcvCommand(const std::vector<std::string>& args);
int phoneCommand(const std::vector<std::string>& args);
/// `vitaledesk-sim phone forge …` (argv after "forge"). Exit codes: 0 ok, 2 usage, 3 environment.
int phoneForgeCommand(const std::vector<std::string>& args);

}  // namespace vd::sim
