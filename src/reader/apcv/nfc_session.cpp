#include "reader/apcv/nfc_session.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "crypto/digest.hpp"

namespace vd::reader::apcv {
namespace {

using core::Errc;

std::string swHex(std::uint16_t sw) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", sw);
  return buf;
}

core::Failure malformed(std::string what) { return core::fail(Errc::NfcAnswerMalformed, {std::move(what)}); }

// One command; a card gone from the field is the phone lifted.
core::Result<Response> send(ApduChannel& channel, std::span<const std::uint8_t> command, int& count) {
  ++count;
  auto r = channel.transmit(command);
  if (!r && r.error().code == Errc::CardRemoved) return core::fail(Errc::NfcPhoneLifted);
  return r;
}

}  // namespace

core::Result<NfcAnswer> exchangeNfc(ApduChannel& channel, std::span<const std::uint8_t> challenge) {
  if (challenge.size() != kNfcChallengeSize) return core::fail(Errc::InvalidArgument, {"challenge.size"}, "nfc");
  NfcAnswer out;
  auto sel = send(channel, makeApdu(0x00, 0xA4, 0x04, 0x00, kHceAid, 0), out.apduCount);
  if (!sel) return core::fail(sel.error());
  if (sel->sw == 0x6A82) return core::fail(Errc::NfcServiceAbsent);
  if (!sel->ok()) return malformed("SELECT " + swHex(sel->sw));
  const auto offers = [&sel](std::uint8_t v) { return std::find(sel->data.begin(), sel->data.end(), v) != sel->data.end(); };
  if (sel->data.empty() || sel->data.size() > kMaxSelectAnswer) return malformed("SELECT version");
  if (!offers(kNfcProtocolVersion)) {
    // A phone that only speaks version 1 sends VD1 tokens, whose identity the insurer never signed.
    if (offers(kOutdatedNfcProtocolVersion)) return core::fail(Errc::ApcvFormatOutdated, {"VD1"});
    return malformed("SELECT version");
  }

  std::vector<std::uint8_t> token;
  std::size_t asked = 256;  // Le = 00
  auto r = send(channel, makeApdu(kGetTokenCla, kGetTokenIns, 0x00, 0x00, challenge, 0), out.apduCount);
  for (int followUps = 0;; ++followUps) {
    if (!r) return core::fail(r.error());
    const char* step = followUps == 0 ? "GET TOKEN " : "GET RESPONSE ";
    if (r->sw != 0x9000 && r->sw1() != 0x61) return malformed(step + swHex(r->sw));
    if (r->data.size() > asked) return malformed(std::string(step) + "length");
    if (token.size() + r->data.size() > kMaxNfcToken) return core::fail(Errc::NfcAnswerTooLong, {std::to_string(kMaxNfcToken)});
    token.insert(token.end(), r->data.begin(), r->data.end());
    if (r->sw == 0x9000) break;
    // 61xx: xx more bytes (00: 256 or more). Refused before fetching when over the limit.
    asked = r->sw2() == 0 ? 256 : r->sw2();
    if (token.size() + asked > kMaxNfcToken) return core::fail(Errc::NfcAnswerTooLong, {std::to_string(kMaxNfcToken)});
    if (followUps == kMaxGetResponse) return malformed("chaining");
    const std::uint8_t getResponse[] = {0x00, 0xC0, 0x00, 0x00, r->sw2()};
    r = send(channel, getResponse, out.apduCount);
  }
  if (token.empty()) return malformed("empty token");
  out.token = std::move(token);
  return out;
}

core::Result<NfcReading> NfcSession::read(ApduChannel& channel) {
  auto challenge = crypto::randomBytes(kNfcChallengeSize);
  if (!challenge) return core::fail(challenge.error());
  auto answer = exchangeNfc(channel, *challenge);
  if (!answer) return core::fail(answer.error());
  VerifyOptions options = m_options;
  options.expectedChallenge = *challenge;
  NfcReading reading;
  reading.credential = TokenVerifier(m_trust, m_clock, m_replay, options).verifyCose(answer->token);
  reading.apduCount = answer->apduCount;
  reading.tokenBytes = answer->token.size();
  return reading;
}

}  // namespace vd::reader::apcv
