#pragma once
/// \file
/// A simulated carte Vitale (docs/formats/vitale-card.md) and the test kit of cards built
/// from fictitious identities. Test material only: the issuer key comes from
/// `vitaledesk-sim pki init`, card keys are generated at start-up.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "crypto/keys.hpp"
#include "reader/card/vitale_profile.hpp"
#include "sim/vpcd.hpp"

namespace vd::sim {

/// The AMO attachment (régime, caisse, centre) of every simulated insured: on the cards
/// (EF 2002 tag C2), in the phone tokens and in the insurer simulator's rights answers.
inline constexpr const char* kAmoRegime = "01";
inline constexpr const char* kAmoCaisse = "751";
inline constexpr const char* kAmoCentre = "0001";

struct KitInfo {
  std::string name;
  std::string expected;  ///< expected verdict: verified, refused, read_not_verified
  std::string summary;
};

/// The kit of test cards, in a stable order.
const std::vector<KitInfo>& cardKits();
/// The serial (lower-case hex) of the kit card that `pki init` puts on the opposition list.
std::string oppositionSerialHex();
/// The persons on kit card `name` (empty for an unknown kit): the insurer simulator answers
/// rights look-ups from them.
std::vector<reader::Beneficiary> kitPersons(const std::string& name);

/// Answers APDUs like the card would: SELECT by AID and by FID, READ BINARY (6B00 past the
/// end, 6Cxx on a too-long Le), INTERNAL AUTHENTICATE (T=0: 61xx then GET RESPONSE).
class VirtualCard {
 public:
  /// Builds kit `name` signed with `issuer`. Errors: InvalidArgument {name} for an unknown kit.
  static core::Result<VirtualCard> fromKit(const std::string& name, const crypto::PrivateKey& issuer);

  std::vector<std::uint8_t> atr() const;
  void reset();
  std::vector<std::uint8_t> process(std::span<const std::uint8_t> apdu);

 private:
  VirtualCard(crypto::PrivateKey cardKey) : m_cardKey(std::move(cardKey)) {}
  std::map<std::uint16_t, std::vector<std::uint8_t>> m_files;
  crypto::PrivateKey m_cardKey;  ///< the key answering INTERNAL AUTHENTICATE
  bool m_appSelected = false;
  std::optional<std::uint16_t> m_current;
  std::vector<std::uint8_t> m_pending;
};

/// `card` as vpcd sees it, owned (runVpcd on a thread: the desk's test kit through pcscd).
std::unique_ptr<VpcdCard> onVpcd(VirtualCard card);

/// Runs the vpcd protocol against host:port until killed: reconnects every 200 ms when the
/// connection is refused or closed (pcscd restarted). Returns only on a fatal socket error.
int runVpcdCard(VirtualCard& card, const std::string& host, int port);

}  // namespace vd::sim
