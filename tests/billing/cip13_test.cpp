// CIP13 check digit and the care-line text parser (hostile input, bounds, errors naming the line).
#include "billing/tariff/cip13.hpp"

#include <string>

#include <gtest/gtest.h>

#include "billing/tariff/care_line.hpp"

using vd::billing::careLineFromFields;
using vd::billing::CareLineFields;
using vd::billing::CareLineKind;
using vd::billing::Cip13;
using vd::billing::parseCareLine;
using vd::core::Errc;
using vd::core::Money;

namespace {

TEST(Cip13, CheckDigitOfKnownEan13Codes) {
  EXPECT_EQ(Cip13::checkDigit("400638133393"), 1);  // the GS1 / Wikipedia EAN-13 example
  EXPECT_EQ(Cip13::checkDigit("590123412345"), 7);
  EXPECT_EQ(Cip13::checkDigit("340093595583"), 8);
  EXPECT_EQ(Cip13::checkDigit("340093000000"), 7);
  EXPECT_EQ(Cip13::checkDigit("000000000000"), 0);
}

TEST(Cip13, CheckDigitRejectsShortOrNonDigitInput) {
  EXPECT_EQ(Cip13::checkDigit(""), -1);
  EXPECT_EQ(Cip13::checkDigit("34009359558"), -1);
  EXPECT_EQ(Cip13::checkDigit("34009359558X"), -1);
  EXPECT_EQ(Cip13::checkDigit(std::string_view("3400935\0"
                                               "5583",
                                               12)),
            -1);
}

TEST(Cip13, ParsesAValidMedicineCode) {
  auto c = Cip13::parse("3400935955838");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->digits(), "3400935955838");
  EXPECT_TRUE(Cip13::parse("3400930000007").ok());
}

TEST(Cip13, WrongCheckDigitSaysWhichDigitWasExpected) {
  auto c = Cip13::parse("3400935955830");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::Cip13CheckDigit);
  EXPECT_EQ(c.error().args, (std::vector<std::string>{"8", "0"}));
}

TEST(Cip13, FormatAndPrefixErrors) {
  for (const char* bad : {"", "340093595583", "34009359558388", "34009359558 8", "340093595583a", " 3400935955838"}) {
    SCOPED_TRACE(bad);
    auto c = Cip13::parse(bad);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, Errc::Cip13Format);
  }
  auto ean = Cip13::parse("4006381333931");  // valid EAN-13, not a medicine
  ASSERT_FALSE(ean.ok());
  EXPECT_EQ(ean.error().code, Errc::Cip13Prefix);
}

TEST(CareLineText, Acts) {
  auto g = parseCareLine("G", 1);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->kind, CareLineKind::Act);
  EXPECT_EQ(g->code, "G");
  EXPECT_EQ(g->quantity, 1);
  EXPECT_FALSE(g->aldRelated);

  auto two = parseCareLine("  vg : 2 \r\n", 1);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->code, "VG");
  EXPECT_EQ(two->quantity, 2);

  auto ald = parseCareLine("G:ald", 1);
  ASSERT_TRUE(ald.ok());
  EXPECT_TRUE(ald->aldRelated);
  EXPECT_EQ(ald->quantity, 1);
}

TEST(CareLineText, Medicines) {
  auto m = parseCareLine("CIP:3400935955838:12.50:2:65", 3);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind, CareLineKind::Medicine);
  EXPECT_EQ(m->cip->digits(), "3400935955838");
  EXPECT_EQ(m->unitPrice, Money::cents(1250));
  EXPECT_EQ(m->quantity, 2);
  EXPECT_EQ(m->medicineClass, "MED.65");

  auto noClass = parseCareLine("cip:3400935955838:12,5:1:ALD", 1);
  ASSERT_TRUE(noClass.ok());
  EXPECT_EQ(noClass->medicineClass, "");
  EXPECT_EQ(noClass->unitPrice, Money::cents(1250));
  EXPECT_TRUE(noClass->aldRelated);
  EXPECT_FALSE(noClass->specificMedicine);

  // The SPEC and ALD flags, in either order.
  for (const char* text : {"CIP:3400935955838:12.50:2:65:SPEC:ALD", "CIP:3400935955838:12.50:2:65:ald:spec"}) {
    auto both = parseCareLine(text, 1);
    ASSERT_TRUE(both.ok()) << text;
    EXPECT_TRUE(both->specificMedicine) << text;
    EXPECT_TRUE(both->aldRelated) << text;
    EXPECT_EQ(both->medicineClass, "MED.65") << text;
  }
}

TEST(CareLineText, ErrorsNameTheLineAndTheField) {
  struct Bad {
    std::string text;
    Errc code;
    std::string field;
  };
  const std::vector<Bad> cases{
      {"", Errc::CareLineSyntax, "code"},
      {"   ", Errc::CareLineSyntax, "code"},
      {"G:0", Errc::CareLineSyntax, "quantity"},
      {"G:100", Errc::CareLineSyntax, "quantity"},
      {"G:-1", Errc::CareLineSyntax, "quantity"},
      {"G:2:3", Errc::CareLineSyntax, "count"},
      {"G:SPEC", Errc::CareLineSyntax, "flag"},
      {"CIP:3400935955838:12.50:2:65:SPEC:SPEC", Errc::CareLineSyntax, "count"},
      {"G+MEG", Errc::CareLineSyntax, "code"},
      {"ABCDEFGHI", Errc::CareLineSyntax, "code"},
      {"CIP:3400935955838:12.50", Errc::CareLineSyntax, "count"},
      {"CIP:3400935955838:0:1:65", Errc::CareLineSyntax, "price"},
      {"CIP:3400935955838:-3:1:65", Errc::CareLineSyntax, "price"},
      {"CIP:3400935955838:12.505:1:65", Errc::CareLineSyntax, "price"},
      {"CIP:3400935955838:12.50:0:65", Errc::CareLineSyntax, "quantity"},
      {"CIP:3400935955838:12.50:1:40", Errc::CareLineSyntax, "rate"},
      {"CIP:3400935955838:12.50:1:65:ALD:X", Errc::CareLineSyntax, "count"},
      {"G:::::::", Errc::CareLineSyntax, "count"},
      {std::string(200, 'G'), Errc::CareLineSyntax, "length"},
      {"CIP:3400935955830:12.50:2:65", Errc::Cip13CheckDigit, ""},
      {"CIP:34009359558:12.50:2:65", Errc::Cip13Format, ""},
  };
  for (const Bad& b : cases) {
    SCOPED_TRACE(b.text);
    auto r = parseCareLine(b.text, 7);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, b.code);
    EXPECT_EQ(r.error().where, "line 7");
    if (!b.field.empty()) {
      EXPECT_EQ(r.error().args, std::vector<std::string>{b.field});
    }
  }
}

// The desk's form goes to the typed line without text: the same line as the text form, and a
// ':' typed inside a field is a wrong field, never a new field (no "G:2" code meaning two acts).
TEST(CareLineFields, SameRulesAsTheTextWithoutText) {
  CareLineFields act;
  act.code = " g ";
  act.quantity = "2";
  act.ald = true;
  auto a = careLineFromFields(act, 1);
  ASSERT_TRUE(a.ok());
  auto t = parseCareLine("G:2:ALD", 1);
  EXPECT_EQ(a->code, t->code);
  EXPECT_EQ(a->quantity, t->quantity);
  EXPECT_EQ(a->aldRelated, t->aldRelated);
  CareLineFields med;
  med.kind = CareLineKind::Medicine;
  med.code = "3400935955838";
  med.unitPrice = "12,5";
  med.quantity = "2";
  med.rate = "65";
  med.specific = true;
  auto m = careLineFromFields(med, 1);
  ASSERT_TRUE(m.ok());
  auto mt = parseCareLine("CIP:3400935955838:12,5:2:65:SPEC", 1);
  EXPECT_EQ(m->cip->digits(), mt->cip->digits());
  EXPECT_EQ(m->unitPrice, mt->unitPrice);
  EXPECT_EQ(m->medicineClass, mt->medicineClass);
  EXPECT_EQ(m->specificMedicine, mt->specificMedicine);

  struct Bad {
    CareLineFields f;
    const char* field;
  };
  CareLineFields injected = act;
  injected.code = "G:2";
  CareLineFields specAct = act;
  specAct.specific = true;
  CareLineFields noPrice = med;
  noPrice.unitPrice = "";
  CareLineFields badRate = med;
  badRate.rate = "65:ALD";
  CareLineFields zero = act;
  zero.quantity = "0";
  for (const Bad& b : {Bad{injected, "code"}, Bad{specAct, "flag"}, Bad{noPrice, "price"}, Bad{badRate, "rate"},
                       Bad{zero, "quantity"}}) {
    SCOPED_TRACE(b.field);
    auto r = careLineFromFields(b.f, 4);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::CareLineSyntax);
    EXPECT_EQ(r.error().args, std::vector<std::string>{b.field});
    EXPECT_EQ(r.error().where, "line 4");
  }
}

}  // namespace
