#include "core/messages.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace vd::core;

namespace {

TEST(Messages, EveryCodeHasAFrenchAndEnglishCauseAndAction) {
  std::set<std::string_view> ids;
  for (int v = 0; v <= static_cast<int>(kLastErrc); ++v) {
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
  // The codes used in the code base all have entries (a gap in the enum is allowed).
  for (Errc code : {Errc::Internal, Errc::InvalidArgument, Errc::FileUnreadable, Errc::ResourcesMissing, Errc::NirLength, Errc::NirCharacter,
                    Errc::NirSexDigit, Errc::NirMonth, Errc::NirDepartment, Errc::NirKeyMismatch, Errc::DateInvalid,
                    Errc::BirthDateFormat, Errc::InsOid, Errc::InsMatricule, Errc::InsTrait, Errc::InsInconsistent,
                    Errc::MoneyFormat, Errc::RateFormat, Errc::TableHeader, Errc::TableColumns, Errc::TableField,
                    Errc::TableDate, Errc::TablePeriod, Errc::TableOverlap, Errc::TableValue, Errc::TableUnit,
                    Errc::TableEmpty, Errc::TariffUnknownCode, Errc::TariffNotInForce, Errc::SignerKeyNotFound,
                    Errc::SignerTokenUnavailable, Errc::SignerPinCancelled, Errc::SignerFailed,
                    Errc::CertificateUnreadable, Errc::CmsMalformed, Errc::CmsSignatureInvalid, Errc::FseInvalid,
                    Errc::FseMalformed, Errc::FseStore, Errc::OutboxTransitionRefused, Errc::OutboxNotFound,
                    Errc::OutboxKeyFile, Errc::OutboxDecrypt, Errc::OutboxAuditBroken, Errc::OutboxRefSyntax,
                    Errc::Cip13Format, Errc::Cip13Prefix, Errc::Cip13CheckDigit,
                    Errc::CareLineSyntax, Errc::PricingEmptySheet, Errc::PricingLineValue,
                    Errc::PricingNotBillableAlone, Errc::PricingMajorationWithoutAct, Errc::PricingMdWithoutVisit,
                    Errc::PricingTwoReferenceActs, Errc::PricingMegAge, Errc::PricingMedicineClass,
                    Errc::Base45Character, Errc::Base45Length, Errc::Base45Value, Errc::ZlibMalformed,
                    Errc::ZlibTooLarge, Errc::CborMalformed, Errc::CborLimit, Errc::CoseMalformed,
                    Errc::CoseAlgNotProtected, Errc::CoseAlgRefused, Errc::CoseUnknownKid, Errc::CoseKeyMismatch,
                    Errc::CoseSignatureMalformed, Errc::CoseSignatureInvalid, Errc::CoseSignFailed,
                    Errc::KeyUnreadable, Errc::CardNotVitale, Errc::CardStatusWord, Errc::CardTlvMalformed, Errc::CardDirectoryMalformed, Errc::CardFileMissing, Errc::CardProfileInvalid, Errc::CardRemoved, Errc::CardMute, Errc::CardTrustMissing, Errc::PcscNoService, Errc::PcscNoReader, Errc::PcscNoCard, Errc::PcscFailed, Errc::ApcvPrefix, Errc::ApcvMalformed, Errc::ApcvUnknownIssuer, Errc::ApcvAppCertificateInvalid, Errc::ApcvAppCertificateExpired, Errc::ApcvAppRevoked, Errc::ApcvSignatureInvalid, Errc::ApcvNotYetValid, Errc::ApcvExpired, Errc::ApcvReplay, Errc::ApcvDelegationTooLong, Errc::ApcvDelegationExpired, Errc::ApcvChallengeMismatch, Errc::TrustStoreMissing, Errc::TrustStoreInvalid, Errc::ReplayCacheUnwritable, Errc::ImageMalformed, Errc::ImageNoCode}) {
    EXPECT_TRUE(hasCatalogEntry(code)) << static_cast<int>(code);
  }
}

TEST(Messages, UnknownCodeFallsBackToInternal) {
  const auto m = describe(makeError(static_cast<Errc>(9999)), Lang::En);
  EXPECT_NE(m.cause.find("9999"), std::string::npos);
}

TEST(Messages, LineCarriesWhere) {
  const auto e = makeError(Errc::TableDate, {"2024-13-01"}, "acts.csv:12");
  EXPECT_EQ(describeLine(e, Lang::En), "acts.csv:12: Invalid date in the table: 2024-13-01. Use the YYYY-MM-DD format.");
  EXPECT_EQ(describeLine(e, Lang::Fr).rfind("acts.csv:12 : Date invalide", 0), 0u);
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
