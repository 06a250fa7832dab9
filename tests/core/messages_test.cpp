#include "core/messages.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <set>

using namespace vd::core;

namespace {

TEST(Messages, EveryCodeHasAFrenchAndEnglishCauseAndAction) {
  std::set<std::string_view> ids;
  for (int v = 0; v < kErrcEnd; ++v) {
    const auto code = static_cast<Errc>(v);
    if (!hasCatalogEntry(code)) continue;
    EXPECT_TRUE(ids.insert(errcId(code)).second) << "duplicate id " << errcId(code);
    for (Lang lang : {Lang::Fr, Lang::En}) {
      const auto m = describe(makeError(code, {"a", "b", "c", "d"}), lang);
      EXPECT_FALSE(m.cause.empty()) << v;
      EXPECT_FALSE(m.action.empty()) << v;
      EXPECT_EQ(m.cause.find("{"), std::string::npos) << v;
    }
  }
  // That every enumerator has an entry is checked from the sources: tests/check_error_catalog.cmake.
}

TEST(Messages, UnknownCodeFallsBackToInternal) {
  const auto m = describe(makeError(static_cast<Errc>(9999)), Lang::En);
  EXPECT_NE(m.cause.find("9999"), std::string::npos);
}

TEST(Messages, LineCarriesWhere) {
  const auto e = makeError(Errc::TableDate, {"2024-13-01"}, "acts.csv:12");
  EXPECT_EQ(describeLine(e, Lang::En), "acts.csv:12: Invalid date in the table: 2024-13-01. Use the YYYY-MM-DD format.");
  EXPECT_EQ(describeLine(e, Lang::Fr).rfind("acts.csv:12 : Date invalide", 0), 0u);
  // A care-sheet line number is worded in the message's language (the field itself stays "line N").
  const auto l = makeError(Errc::TableDate, {"x"}, "line 2");
  EXPECT_EQ(describeLine(l, Lang::Fr).rfind("ligne 2 : ", 0), 0u) << describeLine(l, Lang::Fr);
  EXPECT_EQ(describeLine(l, Lang::En).rfind("line 2: ", 0), 0u);
}

// A frEn() argument shows the half of the sentence's language: no English inside French.
TEST(Messages, BilingualArgumentsFollowTheLanguage) {
  const auto e = makeError(Errc::ZlibMalformed, {frEn("données corrompues", "corrupt data")});
  EXPECT_NE(describe(e, Lang::Fr).cause.find("(données corrompues)"), std::string::npos) << describe(e, Lang::Fr).cause;
  EXPECT_EQ(describe(e, Lang::Fr).cause.find("corrupt"), std::string::npos);
  EXPECT_NE(describe(e, Lang::En).cause.find("(corrupt data)"), std::string::npos) << describe(e, Lang::En).cause;
  EXPECT_EQ(describe(e, Lang::En).cause.find('\x1F'), std::string::npos);
  // Plain arguments are unchanged; errno values are named, not strerror() sentences.
  EXPECT_NE(describe(makeError(Errc::ZlibMalformed, {"x"}), Lang::Fr).cause.find("(x)"), std::string::npos);
  EXPECT_EQ(errnoName(ENOENT), "ENOENT");
}

TEST(Messages, LanguageFromLocale) {
  EXPECT_EQ(langFromLocale("", "", ""), Lang::Fr);
  EXPECT_EQ(langFromLocale("", "", "en_GB.UTF-8"), Lang::En);
  EXPECT_EQ(langFromLocale("fr_FR.UTF-8", "", "en_GB.UTF-8"), Lang::Fr);
  EXPECT_EQ(langFromLocale("", "C", ""), Lang::Fr);
  EXPECT_EQ(parseLang("EN"), Lang::En);
  EXPECT_FALSE(parseLang("de").has_value());
}

}  // namespace
