#include "core/dated_table.hpp"

#include <gtest/gtest.h>

#include "core/messages.hpp"

using namespace vd::core;

namespace {

constexpr const char* kHeader = "key,kind,value,unit,effective_from,effective_to,label_fr,label_en,source\n";

Date d(const char* iso) { return *Date::parseIso(iso); }

TEST(DatedTable, LooksUpByDateOnBothSidesOfAChange) {
  const std::string text = std::string("# comment\n") + kHeader +
                           "G,act,26.50,EUR,2023-12-21,2024-12-21,Consultation,Consultation,test\n"
                           "G,act,30.00,EUR,2024-12-22,,Consultation,Consultation,test\n"
                           "PF.cap_day,parameter,4,count,2005-01-01,,Plafond,Cap,test\n";
  auto t = DatedTable::parse(text, "t.csv");
  ASSERT_TRUE(t.ok()) << describeLine(t.error(), Lang::En);
  EXPECT_EQ(t->find("G", d("2024-12-21"))->money().cents(), 2650);
  EXPECT_EQ(t->find("G", d("2024-12-22"))->money().cents(), 3000);
  EXPECT_EQ(t->find("G", d("2099-01-01"))->money().cents(), 3000);
  EXPECT_EQ(t->find("PF.cap_day", d("2025-01-01"))->count(), 4);
  auto before = t->find("G", d("2023-12-20"));
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, Errc::TariffNotInForce);
  EXPECT_EQ(before.error().args.at(2), "2023-12-21");
  EXPECT_EQ(t->find("XYZ", d("2024-01-01")).error().code, Errc::TariffUnknownCode);
  EXPECT_EQ(t->history("G").size(), 2u);
  EXPECT_EQ(t->rowCount(), 3u);
}

struct BadCase {
  const char* body;
  Errc code;
  const char* where;
};

TEST(DatedTable, ValidationErrorsNameFileAndLine) {
  const BadCase cases[] = {
      {"G,act,30.00,EUR,2024-12-22,,a,b\n", Errc::TableColumns, "f.csv:2"},
      {"G,act,30.0,EUR,2024-12-22,,a,b,s\n", Errc::TableValue, "f.csv:2"},
      {"G,act,30,EUR,2024-12-22,,a,b,s\n", Errc::TableValue, "f.csv:2"},
      {"G,act,4.5,count,2024-12-22,,a,b,s\n", Errc::TableValue, "f.csv:2"},
      {"G,act,101.00,percent,2024-12-22,,a,b,s\n", Errc::TableValue, "f.csv:2"},
      {"G,act,30.00,USD,2024-12-22,,a,b,s\n", Errc::TableUnit, "f.csv:2"},
      {"G,act,30.00,EUR,2024-13-22,,a,b,s\n", Errc::TableDate, "f.csv:2"},
      {"G,act,30.00,EUR,2024-12-22,2024-12-01,a,b,s\n", Errc::TablePeriod, "f.csv:2"},
      {"G,act,30.00,EUR,2024-12-22,,a,b,\n", Errc::TableField, "f.csv:2"},
      {",act,30.00,EUR,2024-12-22,,a,b,s\n", Errc::TableField, "f.csv:2"},
      {"G,act,26.50,EUR,2023-12-21,,a,b,s\n\nG,act,30.00,EUR,2024-12-22,,a,b,s\n", Errc::TableOverlap, "f.csv:4"},
      {"G,act,26.50,EUR,2023-12-21,2024-12-22,a,b,s\nG,act,30.00,EUR,2024-12-22,,a,b,s\n", Errc::TableOverlap,
       "f.csv:3"},
  };
  for (const auto& c : cases) {
    auto t = DatedTable::parse(std::string(kHeader) + c.body, "f.csv");
    ASSERT_FALSE(t.ok()) << c.body;
    EXPECT_EQ(t.error().code, c.code) << c.body << describeLine(t.error(), Lang::En);
    EXPECT_EQ(t.error().where, c.where) << c.body;
  }
  EXPECT_EQ(DatedTable::parse("key,value\nG,1.00\n", "h.csv").error().code, Errc::TableHeader);
  EXPECT_EQ(DatedTable::parse("# nothing\n", "e.csv").error().code, Errc::TableHeader);
  EXPECT_EQ(DatedTable::parse(kHeader, "e.csv").error().code, Errc::TableEmpty);
}

TEST(DatedTable, ColumnsMayComeInAnyOrderAndCrlfIsAccepted) {
  auto t = DatedTable::parse("source,value,key,unit,effective_to,effective_from\r\ns,1.00,X,EUR,,2020-01-01\r\n", "c.csv");
  ASSERT_TRUE(t.ok()) << describeLine(t.error(), Lang::En);
  EXPECT_EQ(t->find("X", d("2021-01-01"))->money().cents(), 100);
}

}  // namespace
