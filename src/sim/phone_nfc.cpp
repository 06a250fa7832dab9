// vitaledesk-sim phone nfc: the appli carte Vitale in host card emulation, through vpcd.
#include "sim/phone_nfc.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "core/messages.hpp"
#include "crypto/digest.hpp"
#include "reader/apcv/nfc_session.hpp"
#include "sim/phone_kit.hpp"

namespace vd::sim {
namespace {

namespace apcv = reader::apcv;

std::vector<std::uint8_t> sw(std::uint16_t s) {
  return {static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s & 0xFF)};
}

void usage(std::ostream& o) {
  o << "Usage: vitaledesk-sim phone nfc --kit NAME --trust-dir DIR [--port 35964] [--host 127.0.0.1]\n"
       "                                [--lift-after N] [--echo-stale-challenge] [--no-service]\n"
       "                                [--forge KIND] [--outdated]\n\n"
       "Tap a simulated appli carte Vitale (host card emulation, contactless ATR 3B 80 80 01 01) on\n"
       "the vpcd virtual reader listening on HOST:PORT (35964: the second reader 'Virtual PCD 00 01').\n"
       "Each GET TOKEN is answered with a token signed now for the reader's challenge, with the\n"
       "material of 'vitaledesk-sim apcv init DIR' (kits as 'phone qr'; 'replayed' reuses one token id).\n"
       "Runs until killed; reconnects when pcscd restarts.\n\n"
       "  --lift-after N           answer N APDUs, then drop the connection (phone lifted) and exit 0\n"
       "  --echo-stale-challenge   sign the previous challenge instead of the reader's (a replayed answer)\n"
       "  --no-service             a phone without the ApCV service (SELECT answers 6A82)\n"
       "  --outdated               a phone with the old app: offers NFC protocol version 1 only\n"
       "  --forge KIND             TEST ONLY: answer the forged tokens of 'phone forge --kind KIND'\n"
       "                           (signed for the reader's challenge); --kit is then not needed\n";
}

}  // namespace

core::Result<NfcPhone> NfcPhone::create(NfcPhoneOptions options) {
  const auto& kits = phoneKits();
  const auto& kinds = forgeKinds();
  if (!options.forge.empty()) {
    if (std::find(kinds.begin(), kinds.end(), options.forge) == kinds.end())
      return core::fail(core::Errc::InvalidArgument, {"--forge " + options.forge});
  } else if (std::find(kits.begin(), kits.end(), options.kit) == kits.end()) {
    return core::fail(core::Errc::InvalidArgument, {"--kit " + options.kit});
  }
  NfcPhone phone(std::move(options));
  auto id = crypto::randomBytes(16);
  if (!id) return core::fail(id.error());
  phone.m_replayedId = *id;
  return phone;
}

std::vector<std::uint8_t> NfcPhone::atr() const { return {std::begin(kPhoneAtr), std::end(kPhoneAtr)}; }

void NfcPhone::reset() {
  m_selected = false;
  m_pending.clear();
}

std::optional<std::vector<std::uint8_t>> NfcPhone::process(std::span<const std::uint8_t> apdu) {
  if (m_options.liftAfter >= 0 && m_answered >= m_options.liftAfter) {
    m_lifted = true;
    return std::nullopt;
  }
  ++m_answered;
  return answer(apdu);
}

std::vector<std::uint8_t> NfcPhone::answer(std::span<const std::uint8_t> apdu) {
  // Short APDUs only (ISO/IEC 7816-4 cases 1–4): CLA INS P1 P2 [Lc data] [Le].
  if (apdu.size() < 4) return sw(0x6700);
  std::span<const std::uint8_t> data;
  std::size_t ne = 0;
  if (apdu.size() == 5) {
    ne = apdu[4] == 0 ? 256 : apdu[4];
  } else if (apdu.size() > 5) {
    const std::size_t lc = apdu[4];
    if (lc == 0 || (apdu.size() != 5 + lc && apdu.size() != 6 + lc)) return sw(0x6700);
    data = apdu.subspan(5, lc);
    if (apdu.size() == 6 + lc) ne = apdu[5 + lc] == 0 ? 256 : apdu[5 + lc];
  }
  const std::uint8_t cla = apdu[0], ins = apdu[1], p1 = apdu[2];
  if (cla == 0x00 && ins == 0xA4 && p1 == 0x04) {
    m_pending.clear();
    m_selected = !m_options.noService && std::equal(data.begin(), data.end(), apcv::kHceAid.begin(), apcv::kHceAid.end());
    if (!m_selected) return sw(0x6A82);
    if (m_options.outdated) return {apcv::kOutdatedNfcProtocolVersion, 0x90, 0x00};
    return {apcv::kNfcProtocolVersion, 0x90, 0x00};
  }
  if (cla == apcv::kGetTokenCla && ins == apcv::kGetTokenIns) {
    if (!m_selected) return sw(0x6985);
    if (data.size() != apcv::kNfcChallengeSize) return sw(0x6700);
    return getToken(data, ne);
  }
  if (cla == 0x00 && ins == 0xC0) {
    if (m_pending.empty()) return sw(0x6985);
    return nextChunk(ne == 0 ? 256 : ne);
  }
  return sw(0x6D00);
}

std::vector<std::uint8_t> NfcPhone::getToken(std::span<const std::uint8_t> challenge, std::size_t ne) {
  PhoneTokenOptions o;
  o.challenge = std::vector<std::uint8_t>(challenge.begin(), challenge.end());
  if (m_options.echoStaleChallenge) {
    if (m_lastChallenge.empty()) {
      auto stale = crypto::randomBytes(apcv::kNfcChallengeSize);
      if (!stale) return sw(0x6F00);
      m_lastChallenge = *stale;
    }
    std::swap(*o.challenge, m_lastChallenge);  // sign the old one, keep this one for next time
  }
  if (m_options.kit == "replayed") o.tokenId = m_replayedId;
  auto token = m_options.forge.empty() ? phoneToken(m_options.materialDir, m_options.kit, nowUnix(), o)
                                       : forgeToken(m_options.materialDir, m_options.forge, nowUnix(), o);
  if (!token) return sw(0x6F00);
  m_pending = std::move(*token);
  return nextChunk(ne == 0 ? 256 : ne);
}

std::vector<std::uint8_t> NfcPhone::nextChunk(std::size_t ne) {
  const std::size_t n = std::min(ne, m_pending.size());
  std::vector<std::uint8_t> out(m_pending.begin(), m_pending.begin() + static_cast<std::ptrdiff_t>(n));
  m_pending.erase(m_pending.begin(), m_pending.begin() + static_cast<std::ptrdiff_t>(n));
  const std::size_t rest = m_pending.size();
  const auto tail = rest == 0 ? sw(0x9000) : sw(static_cast<std::uint16_t>(0x6100 | (rest >= 256 ? 0 : rest)));
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

int phoneNfcCommand(const std::vector<std::string>& args) {
  NfcPhoneOptions o;
  o.kit.clear();
  std::string host = "127.0.0.1";
  int port = 35964;
  bool ok = true;
  for (std::size_t i = 0; ok && i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool hasValue = i + 1 < args.size();
    try {
      if (a == "--help") {
        usage(std::cout);
        return 0;
      } else if (a == "--echo-stale-challenge") {
        o.echoStaleChallenge = true;
      } else if (a == "--no-service") {
        o.noService = true;
      } else if (a == "--outdated") {
        o.outdated = true;
      } else if (!hasValue) {
        ok = false;
      } else if (a == "--kit") {
        o.kit = args[++i];
      } else if (a == "--forge") {
        o.forge = args[++i];
      } else if (a == "--trust-dir") {
        o.materialDir = args[++i];
      } else if (a == "--host") {
        host = args[++i];
      } else if (a == "--port") {
        port = std::stoi(args[++i]);
        ok = port > 0 && port <= 65535;
      } else if (a == "--lift-after") {
        o.liftAfter = std::stoi(args[++i]);
        ok = o.liftAfter >= 0;
      } else {
        ok = false;
      }
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok || (o.kit.empty() && o.forge.empty()) || o.materialDir.empty()) {
    usage(std::cerr);
    return 2;
  }
  auto phone = NfcPhone::create(o);
  if (!phone) {
    std::cerr << "vitaledesk-sim: " << core::describeLine(phone.error(), core::Lang::En) << '\n';
    return 2;
  }
  // Fail now, not at the first tap, when DIR was not initialised.
  if (auto probe = o.forge.empty() ? phoneToken(o.materialDir, o.kit, nowUnix())
                                   : forgeToken(o.materialDir, o.forge, nowUnix());
      !probe) {
    std::cerr << "vitaledesk-sim: " << core::describeLine(probe.error(), core::Lang::En) << '\n';
    return 3;
  }
  return runVpcd(*phone, host, port, "phone");
}

}  // namespace vd::sim
