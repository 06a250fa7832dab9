// The insurer API's bytes (docs/formats/insurer-api.md) on hand-built fixtures, and the
// simulator's ledger file (reload, cut last line, corrupt line).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "billing/transport/insurer_wire.hpp"
#include "sim/server/insurer_ledger.hpp"

namespace vd::billing::wire {
namespace {

using core::Errc;

TEST(InsurerWire, References) {
  EXPECT_EQ(parseRef("10099999996/12"), (FseRef{"10099999996", 12}));
  for (const char* bad : {"", "/1", "1/", "1/0", "1/-2", "1/2x", "10099999996", "1/99999999999999999999",
                          "123456789012345678901234567890123/1"})
    EXPECT_FALSE(parseRef(bad).has_value()) << bad;
}

TEST(InsurerWire, LotRequestRoundTripAndRefusals) {
  const Lot lot{"L1", "key", "CPAM-751", {ClaimedFse{FseRef{"10099999996", 3}, "k3", "PEM"}}};
  auto parsed = parseLotRequest(encodeLotRequest(lot));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->lotId, "L1");
  EXPECT_EQ(parsed->destination, "CPAM-751");
  ASSERT_EQ(parsed->members.size(), 1u);
  EXPECT_EQ(parsed->members[0].ref, (FseRef{"10099999996", 3}));
  EXPECT_EQ(parsed->members[0].signedFse, "PEM");
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "body"},
      {R"({"lotId":"L1","destination":"D","members":[]})", "members"},
      {R"({"lotId":1,"destination":"D","members":[]})", "lotId"},
      {R"({"lotId":"L1","members":[]})", "destination"},
      {R"({"lotId":"L1","destination":"D","members":[{"ref":"1/1","idempotencyKey":"k"}]})", "members[0].fse"},
      {R"({"lotId":"L1","destination":"D","members":[{"ref":"x","idempotencyKey":"k","fse":"p"}]})",
       "members[0].ref"},
      {R"({"lotId":"L1","destination":"D","members":[7]})", "members[0]"},
  };
  for (const auto& [body, field] : cases) {
    auto r = parseLotRequest(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, Errc::TransportMalformedAnswer);
    EXPECT_EQ(r.error().args.at(0), field) << body;
  }
  EXPECT_FALSE(parseLotRequest(R"({"lotId":")" + std::string(200, 'x') + R"(","destination":"D","members":[]})").ok());
}

TEST(InsurerWire, ReceiptsAndArls) {
  ReceiptBody r{"L1", "2026-11-23T10:00:00Z", 2, true, std::string("PEM"), std::nullopt};
  auto back = parseReceipt(encodeReceipt(r));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->duplicate);
  EXPECT_EQ(back->arlPem, std::optional<std::string>("PEM"));
  for (const char* bad : {"", "null", R"({"lotId":"L1"})", R"({"lotId":"L1","receivedAt":"t","members":-1,"duplicate":false})",
                          R"({"lotId":"L1","receivedAt":"t","members":1,"duplicate":"no"})",
                          R"({"lotId":"L1","receivedAt":"t","members":1,"duplicate":false,"arl":5})"})
    EXPECT_FALSE(parseReceipt(bad).ok()) << bad;

  const Arl arl{"L1", {ArlEntry{FseRef{"1", 1}, true, {}}, ArlEntry{FseRef{"1", 2}, false, "signature_invalid"}}};
  auto content = parseArlContent(encodeArlContent(arl, "2026-11-23T10:00:00Z"));
  ASSERT_TRUE(content.ok());
  ASSERT_EQ(content->entries.size(), 2u);
  EXPECT_EQ(content->entries[1].reasonCode, "signature_invalid");
  EXPECT_FALSE(parseArlContent(R"({"format":"vd-arl/2","lotId":"L1","issuedAt":"t","entries":[]})").ok());
  EXPECT_FALSE(parseArlContent(R"({"format":"vd-arl/1","lotId":"L1","issuedAt":"t","entries":[{"ref":"1/1","status":"maybe"}]})").ok());
  EXPECT_FALSE(parseArlContent(R"({"format":"vd-arl/1","lotId":"L1","issuedAt":"t","entries":[{"ref":"1/1","status":"rejected"}]})").ok());
  auto notCms = verifyArl("not a CMS", ArlTrust{});
  ASSERT_FALSE(notCms.ok());
  EXPECT_EQ(notCms.error().code, Errc::TransportArlSignature);
}

TEST(InsurerWire, RightsRevocationsAndErrors) {
  RightsBody rights{"2026-11-23", true, "01", "751", "0001", {"ALD"}, false, std::string("88888888"), true};
  auto back = parseRights(encodeRights(rights));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->exemptions, std::vector<std::string>{"ALD"});
  EXPECT_EQ(back->amcOrganisation, std::optional<std::string>("88888888"));
  EXPECT_FALSE(parseRights(R"({"asOf":"2026-11-23","amoOpen":true})").ok());
  auto request = parseRightsRequest(encodeRightsRequest({"255081416802538", "2026-11-23"}));
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(parseRightsRequest(R"({"nir":"2550814168025380000","date":"2026-11-23"})").ok());
  const std::vector<std::uint8_t> document{0xD2, 0x84, 0x00, 0xFF};
  auto carried = parseSignedTrustLists(encodeSignedTrustLists(document));
  ASSERT_TRUE(carried.ok());
  EXPECT_EQ(*carried, document);
  // The old plain lists carry no signature; a cut answer is not whole JSON.
  EXPECT_EQ(parseSignedTrustLists(encodeRevocations({{"APP-1"}, {"00ff"}})).error().code, Errc::TrustListUnsigned);
  const std::string whole = encodeSignedTrustLists(document);
  EXPECT_EQ(parseSignedTrustLists(whole.substr(0, whole.size() / 2)).error().code, Errc::TrustListMalformed);
  EXPECT_EQ(parseSignedTrustLists(R"({"format":"vd-trust-lists-1","cose_hex":"d2x4"})").error().code,
            Errc::TrustListMalformed);
  EXPECT_EQ(parseErrorCode(encodeError("unknown_lot", "no lot", "lotId")), "unknown_lot");
  EXPECT_EQ(parseErrorCode("<html>"), "unknown");
  // A code carrying anything but an identifier is not echoed into an error (it could be data).
  EXPECT_EQ(parseErrorCode(R"({"error":{"code":"255081416802538 DUPONT"}})"), "unknown");
}

TEST(InsurerLedger, ReloadDropsACutLastLineAndRefusesACorruptOne) {
  namespace fs = std::filesystem;
  const fs::path file = fs::temp_directory_path() / ("vd-ledger-" + std::to_string(::getpid()) + ".jsonl");
  fs::remove(file);
  {
    auto ledger = sim::InsurerLedger::open(file);
    ASSERT_TRUE(ledger.ok());
    sim::LedgerLot lot{"L1", "key-1", "D", 1, 1, {{FseRef{"1", 1}, "k1", true, "", false},
                                                 {FseRef{"1", 2}, "k2", false, "fse_invalid", false}}, "PEM"};
    ASSERT_TRUE(ledger->addLot(lot).ok());
    ASSERT_TRUE(ledger->addDuplicateLot("key-1").ok());
  }
  std::ofstream(file, std::ios::app) << R"({"type":"lot","lotId":"L2")";  // a crash mid-write
  {
    auto ledger = sim::InsurerLedger::open(file);
    ASSERT_TRUE(ledger.ok());
    const auto c = ledger->counts();
    EXPECT_EQ(c.lots, 1u);
    EXPECT_EQ(c.fseAccepted, 1u);
    EXPECT_EQ(c.fseRejected, 1u);
    EXPECT_EQ(c.duplicatesIgnored, 1u);
    ASSERT_NE(ledger->lotByKey("key-1"), nullptr);
    EXPECT_TRUE(ledger->refAccepted(FseRef{"1", 1}));
    EXPECT_FALSE(ledger->refAccepted(FseRef{"1", 2}));
  }
  std::ifstream in(file);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all.back(), '\n');  // the cut line was removed on reopening
  std::ofstream(file, std::ios::app) << "garbage\n";
  auto broken = sim::readLedgerCounts(file);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, Errc::SimLedger);
  fs::remove(file);
}

}  // namespace
}  // namespace vd::billing::wire
