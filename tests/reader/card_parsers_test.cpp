// Card parsers on hand-built bytes, and the reader over scripted APDU responses: never a reader.
#include <deque>

#include <gtest/gtest.h>

#include "reader/card/apdu.hpp"
#include "reader/card/tlv.hpp"
#include "reader/card/vitale_card_reader.hpp"
#include "reader/card/vitale_profile.hpp"

namespace vd::reader {
namespace {

using Bytes = std::vector<std::uint8_t>;

/// Answers from a script, recording the commands.
class ScriptedChannel : public ApduChannel {
 public:
  std::deque<core::Result<Response>> answers;
  std::vector<Bytes> commands;
  core::Result<Response> transmit(std::span<const std::uint8_t> command) override {
    commands.emplace_back(command.begin(), command.end());
    if (answers.empty()) return core::fail(core::Errc::CardMute);
    auto r = std::move(answers.front());
    answers.pop_front();
    return r;
  }
  void add(Bytes raw) { answers.push_back(parseResponse(raw)); }
};

TEST(CardApdu, StatusWordsAreBoundsChecked) {
  EXPECT_EQ(parseResponse(Bytes{0x90}).error().code, core::Errc::CardStatusWord);
  EXPECT_EQ(parseResponse(Bytes(259, 0)).error().code, core::Errc::CardStatusWord);
  auto r = parseResponse(Bytes{0x01, 0x02, 0x6A, 0x82});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sw, 0x6A82);
  EXPECT_EQ(r->data, (Bytes{0x01, 0x02}));
}

TEST(CardApdu, T0GetResponseIsChainedAndConcatenated) {
  ScriptedChannel ch;
  ch.add({0x61, 0x03});
  ch.add({0xAA, 0xBB, 0x61, 0x01});
  ch.add({0xCC, 0x90, 0x00});
  auto r = transmitT0(ch, Bytes{0x00, 0x88, 0x00, 0x00, 0x01, 0x00, 0x00});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data, (Bytes{0xAA, 0xBB, 0xCC}));
  ASSERT_EQ(ch.commands.size(), 3u);
  EXPECT_EQ(ch.commands[1], (Bytes{0x00, 0xC0, 0x00, 0x00, 0x03}));
  EXPECT_EQ(ch.commands[2], (Bytes{0x00, 0xC0, 0x00, 0x00, 0x01}));
}

TEST(CardApdu, T0WrongLeIsRetriedWithTheCardsLength) {
  ScriptedChannel ch;
  ch.add({0x6C, 0x02});
  ch.add({0x01, 0x02, 0x90, 0x00});
  auto r = transmitT0(ch, Bytes{0x00, 0xB0, 0x00, 0x00, 0x10});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sw, 0x9000);
  EXPECT_EQ(ch.commands[1], (Bytes{0x00, 0xB0, 0x00, 0x00, 0x02}));
}

TEST(CardApdu, T0EndlessGetResponseIsBounded) {
  ScriptedChannel ch;
  for (int i = 0; i < 40; ++i) ch.add({0x61, 0x01});
  EXPECT_EQ(transmitT0(ch, Bytes{0x00, 0x88, 0x00, 0x00}).error().code, core::Errc::CardStatusWord);
}

TEST(CardTlv, NestedShortAndLongFormsAndPadding) {
  Bytes inner;
  appendTlv(inner, 0x80, std::string(200, 'A'));  // 81 C8
  Bytes outer{0x00, 0xFF};
  appendTlv(outer, 0x65, inner);  // 300+ bytes: 82 form
  appendTlv(outer, 0x5F24, std::string("x"));
  auto t = parseTlvs(outer);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].tag, 0x65u);
  ASSERT_NE((*t)[0].find(0x80), nullptr);
  EXPECT_EQ((*t)[0].find(0x80)->value.size(), 200u);
  EXPECT_EQ((*t)[1].tag, 0x5F24u);
}

TEST(CardTlv, MalformedInputIsATypedError) {
  for (const Bytes& b : {Bytes{0x80}, Bytes{0x80, 0x05, 0x01}, Bytes{0x5F}, Bytes{0x5F, 0x80, 0x80, 0x80, 0x01, 0x00},
                         Bytes{0x80, 0x83, 0x00, 0x00, 0x01}, Bytes{0x80, 0x80}, Bytes{0x80, 0x82, 0x01},
                         Bytes{0x65, 0x02, 0x80, 0x05}}) {
    auto t = parseTlvs(b);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code, core::Errc::CardTlvMalformed);
  }
  Bytes deep{0x80, 0x00};
  for (int i = 0; i < 8; ++i) {
    Bytes wrap;
    appendTlv(wrap, 0x65, deep);
    deep = wrap;
  }
  EXPECT_EQ(parseTlvs(deep).error().code, core::Errc::CardTlvMalformed);
}

TEST(CardDirectory, ParsesAndRejects) {
  auto d = parseDirectory(Bytes{0x20, 0x02, 0x00, 0x10, 0x20, 0x04, 0x01, 0x00});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[1].fid, 0x2004);
  EXPECT_EQ((*d)[1].size, 256);
  for (const Bytes& b : {Bytes{}, Bytes{0x20, 0x02, 0x00}, Bytes{0x20, 0x02, 0x00, 0x00}, Bytes{0x20, 0x02, 0x20, 0x00},
                         Bytes{0x20, 0x02, 0x00, 0x01, 0x20, 0x02, 0x00, 0x01}, Bytes{0x20, 0x01, 0x00, 0x01},
                         Bytes(4 * 17, 0x01)}) {
    EXPECT_EQ(parseDirectory(b).error().code, core::Errc::CardDirectoryMalformed);
  }
}

TEST(CardAtr, Vitale2PatternNotAFixedList) {
  EXPECT_TRUE(isVitaleAtr(Bytes{0x3B, 0x75, 0x13, 0x00, 0x00, 0x45, 0x09, 0xEA, 0x90, 0x00}));
  EXPECT_TRUE(isVitaleAtr(Bytes{0x3B, 0x75, 0x13, 0x00, 0x00, 0x47, 0x09, 0xEA, 0x90, 0x00}));
  EXPECT_FALSE(isVitaleAtr(Bytes{0x3B, 0x75, 0x13, 0x00, 0x00, 0x55, 0x09, 0xEA, 0x90, 0x00}));
  EXPECT_FALSE(isVitaleAtr(Bytes{0x3B, 0x80, 0x80, 0x01, 0x01}));
}

TEST(CardPersons, RejectsABadNirKey) {
  Beneficiary b;
  b.nir = "185057512345600";
  b.lastName = "X";
  b.firstName = "Y";
  b.birthDate = "19850512";
  auto r = parsePersons(encodePersons({b}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::CardProfileInvalid);
  EXPECT_EQ(r.error().args.at(0), "nir");
}

const core::Date kAt = *core::Date::fromYmd(2026, 11, 23);

TEST(CardInfoFile, AmoAttachmentIsOptionalAndStrict) {
  const std::vector<std::uint8_t> serial(8, 0x11), key(65, 0x04);
  auto plain = parseCardInfo(encodeCardInfo(CardInfo{serial, key, {}, {}, {}}));
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->caisse.empty());
  auto withFund = parseCardInfo(encodeCardInfo(CardInfo{serial, key, "01", "751", "0001"}));
  ASSERT_TRUE(withFund.ok());
  EXPECT_EQ(withFund->regime, "01");
  EXPECT_EQ(withFund->caisse, "751");
  EXPECT_EQ(withFund->centre, "0001");
  for (const char* bad : {"0175100", "01751000A", "0175100011"}) {
    auto r = parseCardInfo(encodeCardInfo(CardInfo{serial, key, bad, "", ""}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::Errc::CardProfileInvalid) << bad;
  }
}

TEST(CardReader, NotAVitaleApplication) {
  ScriptedChannel ch;
  ch.add({0x6A, 0x82});
  CardTrust trust;
  auto r = VitaleCardReader(trust, kAt).read(ch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::CardNotVitale);
}

TEST(CardReader, CardRemovedMidReadGivesNoPartialData) {
  ScriptedChannel ch;
  ch.add({0x90, 0x00});  // SELECT AID
  ch.add({0x90, 0x00});  // SELECT 2001
  ch.answers.push_back(core::fail(core::Errc::CardRemoved));
  CardTrust trust;
  auto r = VitaleCardReader(trust, kAt).read(ch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::CardRemoved);
}

TEST(CardReader, MalformedPersonsFileIsATypedError) {
  ScriptedChannel ch;
  ch.add({0x90, 0x00});                          // SELECT AID
  ch.add({0x90, 0x00});                          // SELECT 2001
  ch.add({0x20, 0x04, 0x00, 0x03, 0x90, 0x00});  // directory: 2004, 3 bytes
  ch.add({0x90, 0x00});                          // SELECT 2004
  ch.add({0x65, 0x05, 0x93, 0x90, 0x00});        // value past the end
  CardTrust trust;
  auto r = VitaleCardReader(trust, kAt).read(ch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::CardTlvMalformed);
}

TEST(CardReader, UnexpectedStatusWordIsATypedError) {
  ScriptedChannel ch;
  ch.add({0x90, 0x00});
  ch.add({0x69, 0x82});  // SELECT 2001: security status not satisfied
  CardTrust trust;
  auto r = VitaleCardReader(trust, kAt).read(ch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Errc::CardStatusWord);
}

TEST(CardReader, MuteCardIsATypedError) {
  ScriptedChannel ch;  // no answer at all
  CardTrust trust;
  EXPECT_EQ(VitaleCardReader(trust, kAt).read(ch).error().code, core::Errc::CardMute);
}

}  // namespace
}  // namespace vd::reader
