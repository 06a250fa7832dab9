// libFuzzer target: a whole carte Vitale session (VitaleCardReader::read) over an APDU channel
// whose answers the fuzzer corrupts. The genuine answers come from the simulator's card
// (sim::VirtualCard, signed by an issuer key this harness makes and trusts), so the session gets
// past the issuer signature and INTERNAL AUTHENTICATE unless the fuzzer changes them; the fuzz
// input says which answers to replace, overwrite, truncate, or where the card is pulled out.
//
// Input: byte 0 picks the kit; then records of 3 bytes + data:
//   [answer index] [op] [n] n bytes      op % 4: 0 replace the answer by the n bytes,
//                                        1 overwrite from offset bytes[0] with bytes[1..],
//                                        2 truncate the answer to n bytes, 3 card removed.
// Invariant: a session that ends VERIFIED shows exactly the identities and rights of the
// genuine card (tampered answers may be refused or not verified, never verified as someone
// else); a refused one shows no beneficiary.
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "reader/card/vitale_card_reader.hpp"
#include "sim/virtual_card.hpp"

namespace {

using vd::reader::Beneficiary;

struct Mutation {
  std::uint8_t op = 0;
  std::vector<std::uint8_t> bytes;
};

class FuzzedChannel : public vd::reader::ApduChannel {
 public:
  FuzzedChannel(vd::sim::VirtualCard& card, std::map<int, Mutation> mutations)
      : m_card(card), m_mutations(std::move(mutations)) {}
  vd::core::Result<vd::reader::Response> transmit(std::span<const std::uint8_t> command) override {
    std::vector<std::uint8_t> answer = m_card.process(command);
    const auto it = m_mutations.find(m_index++);
    if (it != m_mutations.end()) {
      const Mutation& m = it->second;
      switch (m.op % 4) {
        case 0:
          answer = m.bytes;
          break;
        case 1:
          if (!m.bytes.empty())
            for (std::size_t i = 1; i < m.bytes.size() && m.bytes[0] + i - 1 < answer.size(); ++i)
              answer[m.bytes[0] + i - 1] = m.bytes[i];
          break;
        case 2:
          if (m.bytes.size() < answer.size()) answer.resize(m.bytes.size());
          break;
        default:
          return vd::core::fail(vd::core::Errc::CardRemoved);
      }
    }
    return vd::reader::parseResponse(answer);
  }

 private:
  vd::sim::VirtualCard& m_card;
  std::map<int, Mutation> m_mutations;
  int m_index = 0;
};

// What a verified read shows, compared field by field.
std::string shown(const vd::reader::CardCredential& c) {
  std::string s = c.serialHex + '|' + c.regime + c.caisse + c.centre;
  for (const Beneficiary& b : c.beneficiaries) {
    s += '|' + b.nir + ',' + b.lastName + ',' + b.firstName + ',' + b.birthDate + ',' + std::to_string(b.birthRank) +
         ',' + b.qualite + ',' + b.insOid + ',' + std::to_string(b.amoRights.size()) + ',' +
         std::to_string(b.exemptions.size()) + ',' + (b.c2s ? "c2s" : "") + ',' + (b.amc ? "amc" : "");
  }
  return s;
}

struct Harness {
  vd::crypto::PrivateKey issuer = vd::crypto::PrivateKey::generate(vd::crypto::KeyType::EcP256).value();
  vd::reader::CardTrust trust;
  vd::core::Date at = *vd::core::Date::fromYmd(2026, 11, 23);
  std::vector<vd::sim::VirtualCard> cards;
  std::vector<std::string> genuine;  ///< what the unmutated session shows, per kit ("" if not verified)
  Harness() {
    trust.issuers.push_back(issuer.publicKey());
    trust.opposition.insert(vd::sim::oppositionSerialHex());
    for (const auto& kit : vd::sim::cardKits()) {
      cards.push_back(vd::sim::VirtualCard::fromKit(kit.name, issuer).value());
      FuzzedChannel ch(cards.back(), {});
      auto cred = vd::reader::VitaleCardReader(trust, at).read(ch);
      genuine.push_back(cred.ok() && cred->verdict == vd::reader::Verdict::Verified ? shown(*cred) : std::string());
    }
    // The harness must reach past the signatures: the genuine kit card "family" (index 0) verifies.
    if (genuine.empty() || genuine.front().empty()) __builtin_trap();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness h;
  if (size == 0) return 0;
  const std::size_t kit = data[0] % h.cards.size();
  std::map<int, Mutation> mutations;
  for (std::size_t i = 1; i + 3 <= size;) {
    const int index = data[i] % 32;
    Mutation m{data[i + 1], {}};
    const std::size_t n = std::min<std::size_t>(data[i + 2], size - i - 3);
    m.bytes.assign(data + i + 3, data + i + 3 + n);
    mutations[index] = std::move(m);
    i += 3 + n;
  }
  vd::sim::VirtualCard& card = h.cards[kit];
  card.reset();
  FuzzedChannel ch(card, std::move(mutations));
  auto cred = vd::reader::VitaleCardReader(h.trust, h.at).read(ch);
  if (!cred.ok()) return 0;
  if (cred->verdict == vd::reader::Verdict::Refused && !cred->beneficiaries.empty()) __builtin_trap();
  if (cred->verdict == vd::reader::Verdict::Verified && shown(*cred) != h.genuine[kit]) __builtin_trap();
  return 0;
}
