// The NFC exchange (docs/formats/apcv-nfc.md) against an in-memory channel: chaining, status
// words, bounds, a phone lifted mid-answer. End-to-end verdicts: tests/reader/nfc_phone_test.cpp.
#include <gtest/gtest.h>

#include <optional>

#include "reader/apcv/nfc_session.hpp"

namespace {

using vd::core::Errc;
namespace apcv = vd::reader::apcv;
using Bytes = std::vector<std::uint8_t>;

/// Answers from a script; nullopt = the card left the field (CardRemoved).
class ScriptedChannel final : public vd::reader::ApduChannel {
 public:
  std::vector<std::optional<Bytes>> answers;
  std::vector<Bytes> commands;
  vd::core::Result<vd::reader::Response> transmit(std::span<const std::uint8_t> command) override {
    commands.emplace_back(command.begin(), command.end());
    if (next >= answers.size()) return vd::core::fail(Errc::CardMute);
    const auto& a = answers[next++];
    if (!a) return vd::core::fail(Errc::CardRemoved);
    return vd::reader::parseResponse(*a);
  }

 private:
  std::size_t next = 0;
};

Bytes chunk(std::size_t n, std::uint8_t fill, std::uint16_t sw) {
  Bytes b(n, fill);
  b.push_back(static_cast<std::uint8_t>(sw >> 8));
  b.push_back(static_cast<std::uint8_t>(sw));
  return b;
}
const Bytes kSelectOk{0x02, 0x90, 0x00};
const Bytes kChallenge(16, 0xC5);

Errc errorOf(ScriptedChannel& ch) {
  auto r = apcv::exchangeNfc(ch, kChallenge);
  return r ? Errc::Internal : r.error().code;
}

}  // namespace

TEST(NfcSession, ReassemblesAChainedAnswerWithTheDocumentedCommands) {
  ScriptedChannel ch;
  ch.answers = {kSelectOk, chunk(256, 0xA1, 0x6100), chunk(256, 0xA2, 0x6110), chunk(16, 0xA3, 0x9000)};
  auto r = apcv::exchangeNfc(ch, kChallenge);
  ASSERT_TRUE(r) << vd::core::errcId(r.error().code);
  EXPECT_EQ(r->token.size(), 528u);
  EXPECT_EQ(r->token[0], 0xA1);
  EXPECT_EQ(r->token[300], 0xA2);
  EXPECT_EQ(r->token.back(), 0xA3);
  EXPECT_EQ(r->apduCount, 4);
  ASSERT_EQ(ch.commands.size(), 4u);
  EXPECT_EQ(ch.commands[0], (Bytes{0x00, 0xA4, 0x04, 0x00, 0x07, 0xF0, 0x56, 0x44, 0x41, 0x50, 0x43, 0x56, 0x00}));
  Bytes getToken{0x80, 0x50, 0x00, 0x00, 0x10};
  getToken.insert(getToken.end(), kChallenge.begin(), kChallenge.end());
  getToken.push_back(0x00);
  EXPECT_EQ(ch.commands[1], getToken);
  EXPECT_EQ(ch.commands[2], (Bytes{0x00, 0xC0, 0x00, 0x00, 0x00}));
  EXPECT_EQ(ch.commands[3], (Bytes{0x00, 0xC0, 0x00, 0x00, 0x10}));
}

TEST(NfcSession, T0StyleEmptyFirstAnswerThenGetResponse) {
  ScriptedChannel ch;
  ch.answers = {kSelectOk, Bytes{0x61, 0x20}, chunk(0x20, 0x55, 0x9000)};
  auto r = apcv::exchangeNfc(ch, kChallenge);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->token, Bytes(0x20, 0x55));
}

TEST(NfcSession, SelectStatusWords) {
  ScriptedChannel absent;
  absent.answers = {Bytes{0x6A, 0x82}};
  EXPECT_EQ(errorOf(absent), Errc::NfcServiceAbsent);
  EXPECT_EQ(absent.commands.size(), 1u);  // nothing sent after a failed SELECT
  ScriptedChannel other;
  other.answers = {Bytes{0x6D, 0x00}};
  EXPECT_EQ(errorOf(other), Errc::NfcAnswerMalformed);
  ScriptedChannel noVersion;
  noVersion.answers = {Bytes{0x90, 0x00}};
  EXPECT_EQ(errorOf(noVersion), Errc::NfcAnswerMalformed);
  ScriptedChannel otherVersion;
  otherVersion.answers = {Bytes{0x03, 0x90, 0x00}};
  EXPECT_EQ(errorOf(otherVersion), Errc::NfcAnswerMalformed);
  ScriptedChannel outdated;  // version 1 only: VD1 tokens, identity not signed by the insurer
  outdated.answers = {Bytes{0x01, 0x90, 0x00}};
  EXPECT_EQ(errorOf(outdated), Errc::ApcvFormatOutdated);
  EXPECT_EQ(outdated.commands.size(), 1u);  // no GET TOKEN
  ScriptedChannel tooLong;
  tooLong.answers = {chunk(9, 0x02, 0x9000)};
  EXPECT_EQ(errorOf(tooLong), Errc::NfcAnswerMalformed);
  ScriptedChannel versions;  // several versions, 02 among them: accepted
  versions.answers = {Bytes{0x01, 0x02, 0x90, 0x00}, chunk(8, 0x11, 0x9000)};
  EXPECT_TRUE(apcv::exchangeNfc(versions, kChallenge));
}

TEST(NfcSession, BadStatusWordsDuringTheToken) {
  ScriptedChannel refused;
  refused.answers = {kSelectOk, Bytes{0x69, 0x85}};
  auto r = apcv::exchangeNfc(refused, kChallenge);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::NfcAnswerMalformed);
  EXPECT_EQ(r.error().args.at(0), "GET TOKEN 6985");
  ScriptedChannel midway;
  midway.answers = {kSelectOk, chunk(256, 1, 0x6100), chunk(10, 2, 0x6F00)};
  r = apcv::exchangeNfc(midway, kChallenge);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().args.at(0), "GET RESPONSE 6F00");
  ScriptedChannel empty;
  empty.answers = {kSelectOk, Bytes{0x90, 0x00}};
  EXPECT_EQ(errorOf(empty), Errc::NfcAnswerMalformed);
}

TEST(NfcSession, AChunkLongerThanAskedIsRefused) {
  ScriptedChannel ch;
  ch.answers = {kSelectOk, chunk(256, 1, 0x6110), chunk(0x11, 2, 0x9000)};
  auto r = apcv::exchangeNfc(ch, kChallenge);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::NfcAnswerMalformed);
  EXPECT_EQ(r.error().args.at(0), "GET RESPONSE length");
}

TEST(NfcSession, OversizeIsRefusedBeforeFetchingMore) {
  ScriptedChannel ch;
  ch.answers = {kSelectOk};
  for (int i = 0; i < 40; ++i) ch.answers.push_back(chunk(256, static_cast<std::uint8_t>(i), 0x6100));
  auto r = apcv::exchangeNfc(ch, kChallenge);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::NfcAnswerTooLong);
  EXPECT_EQ(r.error().args.at(0), "4096");
  // 16 chunks of 256 = 4096 were accepted; the 17th announced (61 00) is refused unread.
  EXPECT_EQ(ch.commands.size(), 1u + 16u);
  // Exactly 4096 bytes is accepted.
  ScriptedChannel edge;
  edge.answers = {kSelectOk};
  for (int i = 0; i < 15; ++i) edge.answers.push_back(chunk(256, 7, 0x6100));
  edge.answers.push_back(chunk(256, 7, 0x9000));
  auto ok = apcv::exchangeNfc(edge, kChallenge);
  ASSERT_TRUE(ok) << vd::core::errcId(ok.error().code);
  EXPECT_EQ(ok->token.size(), apcv::kMaxNfcToken);
}

TEST(NfcSession, EndlessTinyChunksHitTheChainingLimit) {
  ScriptedChannel ch;
  ch.answers = {kSelectOk};
  for (int i = 0; i < 40; ++i) ch.answers.push_back(chunk(1, 9, 0x6101));
  auto r = apcv::exchangeNfc(ch, kChallenge);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::NfcAnswerMalformed);
  EXPECT_EQ(r.error().args.at(0), "chaining");
  EXPECT_EQ(ch.commands.size(), 2u + static_cast<std::size_t>(apcv::kMaxGetResponse));
}

TEST(NfcSession, PhoneLiftedMidAnswerGivesNoPartialData) {
  ScriptedChannel ch;
  ch.answers = {kSelectOk, chunk(256, 1, 0x6100), std::nullopt};
  EXPECT_EQ(errorOf(ch), Errc::NfcPhoneLifted);
  ScriptedChannel atSelect;
  atSelect.answers = {std::nullopt};
  EXPECT_EQ(errorOf(atSelect), Errc::NfcPhoneLifted);
  ScriptedChannel mute;  // no answer at all is not "lifted"
  mute.answers = {kSelectOk};
  EXPECT_EQ(errorOf(mute), Errc::CardMute);
}

TEST(NfcSession, ChallengeMustBeSixteenBytes) {
  ScriptedChannel ch;
  auto r = apcv::exchangeNfc(ch, Bytes(8, 1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::InvalidArgument);
  EXPECT_TRUE(ch.commands.empty());
}
