#include "reader/card/apdu.hpp"

namespace vd::reader {

core::Result<Response> parseResponse(std::span<const std::uint8_t> raw) {
  if (raw.size() < 2)
    return core::fail(core::Errc::CardStatusWord,
                      {core::frEn("trop courte", "too short"), core::frEn("réponse", "response")}, "response");
  if (raw.size() > 258)
    return core::fail(core::Errc::CardStatusWord,
                      {core::frEn("trop longue", "too long"), core::frEn("réponse", "response")}, "response");
  Response r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = static_cast<std::uint16_t>((raw[raw.size() - 2] << 8) | raw[raw.size() - 1]);
  return r;
}

std::vector<std::uint8_t> makeApdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2,
                                   std::span<const std::uint8_t> data, int le) {
  std::vector<std::uint8_t> apdu{cla, ins, p1, p2};
  if (!data.empty()) {
    apdu.push_back(static_cast<std::uint8_t>(data.size()));
    apdu.insert(apdu.end(), data.begin(), data.end());
  }
  if (le >= 0) apdu.push_back(static_cast<std::uint8_t>(le & 0xFF));
  return apdu;
}

core::Result<Response> transmitT0(ApduChannel& channel, std::span<const std::uint8_t> command) {
  std::vector<std::uint8_t> cmd(command.begin(), command.end());
  auto r = channel.transmit(cmd);
  if (!r) return r;
  std::vector<std::uint8_t> collected;
  for (int round = 0; round < 16; ++round) {
    Response& resp = r.value();
    if (resp.sw1() == 0x6C && cmd.size() <= 5) {
      // Wrong Le: resend with the length the card asks for (case 1/2 commands only: a
      // command with data has no Le byte to fix under T=0).
      if (cmd.size() == 4) cmd.push_back(resp.sw2());
      else cmd.back() = resp.sw2();
      r = channel.transmit(cmd);
    } else if (resp.sw1() == 0x61) {
      collected.insert(collected.end(), resp.data.begin(), resp.data.end());
      const std::uint8_t getResponse[] = {0x00, 0xC0, 0x00, 0x00, resp.sw2()};
      r = channel.transmit(getResponse);
    } else {
      if (!collected.empty()) resp.data.insert(resp.data.begin(), collected.begin(), collected.end());
      return r;
    }
    if (!r) return r;
  }
  return core::fail(core::Errc::CardStatusWord, {core::frEn("boucle", "loop"), "T=0"}, "t0");
}

}  // namespace vd::reader
