#include "app/credential_view.hpp"

#include <algorithm>

#include "core/birth_date.hpp"

namespace vd::app {
namespace {

constexpr std::int64_t kDay = 86400;

std::string isoDay(std::int64_t unix) {
  return core::Date::fromDayNumber(static_cast<std::int32_t>(unix / kDay)).iso();
}

PeriodView periodView(const reader::Period& p, core::Date at) { return PeriodView{p.from.iso(), p.to.iso(), p.covers(at)}; }

BeneficiaryView cardBeneficiary(const reader::Beneficiary& b, core::Date at) {
  BeneficiaryView v{b.nir, b.lastName, b.firstName, b.birthDate, b.birthRank, b.qualite, b.insOid, {}, {}, {}};
  for (const auto& p : b.amoRights) v.amoRights.push_back(periodView(p, at));
  for (const auto& e : b.exemptions) v.exemptions.push_back({e.kind, periodView(e.period, at)});
  if (b.c2s) v.exemptions.push_back({"C2S", periodView(*b.c2s, at)});
  if (b.amc) v.amc = AmcView{b.amc->organisation, b.amc->contract, b.amc->tiersPayant, periodView(b.amc->period, at)};
  return v;
}

std::string twoDigits(int n) { return n >= 0 && n < 10 ? "0" + std::to_string(n) : std::to_string(n); }

BeneficiaryView tokenBeneficiary(const reader::apcv::Person& p, const reader::apcv::Rights& r) {
  BeneficiaryView v{p.nir, p.birthName, p.firstNames, p.birthDate, p.birthRank, twoDigits(p.qualite), p.insOid, {}, {}, {}};
  for (const auto& e : r.exemptions) v.exemptions.push_back({e, std::nullopt});
  if (r.c2s) v.exemptions.push_back({"C2S", std::nullopt});
  if (!r.amc.empty()) v.amc = AmcView{r.amc, "", false, std::nullopt};
  return v;
}

bool samePerson(const BeneficiaryView& a, const BeneficiaryView& b) {
  return a.nir == b.nir && a.birthDate == b.birthDate && a.birthRank == b.birthRank;
}

// Qualité codes of the card and the token → the FSE's words (docs/formats/fse.md).
std::string qualiteWord(const std::string& code) {
  if (code == "00") return "assure";
  if (code == "01" || code == "02") return "conjoint";
  if (code == "06") return "enfant";
  return "autre";
}

}  // namespace

std::string_view originId(CredentialOrigin o) {
  switch (o) {
    case CredentialOrigin::Card: return "card";
    case CredentialOrigin::QrScanner: return "qr_scanner";
    case CredentialOrigin::QrKeyboard: return "qr_keyboard";
    case CredentialOrigin::QrImage: return "qr_image";
    case CredentialOrigin::Nfc: return "nfc";
    case CredentialOrigin::QrCamera: return "qr_camera";
  }
  return "unknown";
}

std::string_view credentialVerdictId(CredentialVerdict v) {
  switch (v) {
    case CredentialVerdict::Verified: return "verified";
    case CredentialVerdict::ReadNotVerified: return "read_not_verified";
    case CredentialVerdict::Refused: return "refused";
  }
  return "refused";
}

CredentialView viewOfCard(const reader::CardCredential& card, const std::string& reader, core::Date dateOfCare,
                          std::int64_t now) {
  CredentialView v;
  v.origin = CredentialOrigin::Card;
  v.device = reader;
  v.readAt = now;
  v.rightsAsOf = dateOfCare.iso();
  v.verdict = card.verdict == reader::Verdict::Verified          ? CredentialVerdict::Verified
              : card.verdict == reader::Verdict::ReadNotVerified ? CredentialVerdict::ReadNotVerified
                                                                  : CredentialVerdict::Refused;
  for (const auto& r : card.reasons) v.reasons.push_back({r, reader::cardReasonError(r)});
  // Refused: nothing of the card is shown (the reader already returns no beneficiaries).
  if (v.verdict != CredentialVerdict::Refused) {
    // The holder's fund from the card (EF 2002 C2); an online rights answer may refine it.
    v.regime = card.regime;
    v.caisse = card.caisse;
    v.centre = card.centre;
    for (const auto& b : card.beneficiaries) v.beneficiaries.push_back(cardBeneficiary(b, dateOfCare));
    // The insured first.
    std::stable_partition(v.beneficiaries.begin(), v.beneficiaries.end(),
                          [](const BeneficiaryView& b) { return b.qualite == "00"; });
  }
  return v;
}

CredentialView viewOfToken(const reader::apcv::Credential& token, CredentialOrigin origin, std::int64_t now) {
  CredentialView v;
  v.origin = origin;
  v.readAt = now;
  const bool ok = token.verdict == reader::apcv::Verdict::Verified && token.claims.has_value();
  v.verdict = ok ? CredentialVerdict::Verified : CredentialVerdict::Refused;
  for (const auto& e : token.reasons) v.reasons.push_back({std::string(core::errcId(e.code)), e});
  if (!ok) {
    if (v.reasons.empty()) v.reasons.push_back({"refused", std::nullopt});
    return v;  // claims of a refused token are never shown
  }
  const auto& c = *token.claims;
  v.regime = c.rights.regime;
  v.caisse = c.rights.caisse;
  v.centre = c.rights.centre;
  v.rightsAsOf = c.rights.asOf;
  v.beneficiaries.push_back(tokenBeneficiary(c.insured, c.rights));
  for (const auto& p : c.beneficiaries) {
    BeneficiaryView b = tokenBeneficiary(p, c.rights);
    if (!samePerson(b, v.beneficiaries.front())) v.beneficiaries.push_back(std::move(b));
  }
  if (c.delegation) {
    v.delegation = DelegationView{c.delegation->firstNames + " " + c.delegation->birthName,
                                  c.insured.firstNames + " " + c.insured.birthName, isoDay(c.delegation->until)};
  }
  return v;
}

void applyOnlineRights(CredentialView& view, const OnlineRights& rights) {
  if (view.verdict != CredentialVerdict::Verified || view.beneficiaries.empty()) return;
  using Kind = RightsChange::Kind;
  std::vector<RightsChange> changes;
  if (!rights.amoOpen) changes.push_back({Kind::AmoClosed, ""});
  if (!rights.caisse.empty() && (rights.regime != view.regime || rights.caisse != view.caisse ||
                                 rights.centre != view.centre)) {
    if (!view.caisse.empty()) changes.push_back({Kind::FundChanged, ""});
    view.regime = rights.regime;
    view.caisse = rights.caisse;
    view.centre = rights.centre;
  }
  const PeriodView onlyAsOf{rights.asOf, rights.asOf, true};
  BeneficiaryView& insured = view.beneficiaries.front();
  // Exemptions: the online list (with C2S as one of them) replaces the card's/token's.
  std::vector<std::string> online = rights.exemptions;
  if (rights.c2s) online.push_back("C2S");
  auto inForce = [&](const ExemptionView& e) { return !e.period || e.period->coversToday; };
  std::vector<ExemptionView> merged;
  for (const std::string& kind : online) {
    auto old = std::find_if(insured.exemptions.begin(), insured.exemptions.end(),
                            [&](const ExemptionView& e) { return e.kind == kind && inForce(e); });
    if (old != insured.exemptions.end()) {
      merged.push_back(*old);  // the card's period, confirmed
    } else {
      changes.push_back({Kind::ExemptionAdded, kind});
      // The answer gives no period: it is in force at the date asked (the date of care).
      merged.push_back({kind, kind == "MAT" ? std::optional<PeriodView>(onlyAsOf) : std::nullopt});
    }
  }
  for (const ExemptionView& e : insured.exemptions)
    if (inForce(e) && std::find(online.begin(), online.end(), e.kind) == online.end())
      changes.push_back({Kind::ExemptionRemoved, e.kind});
  insured.exemptions = std::move(merged);
  // AMC: the organisation in force online (the card's contract and period kept when it is the same).
  const bool amcBefore = insured.amc && (!insured.amc->period || insured.amc->period->coversToday);
  if (!rights.amcOrganisation) {
    if (amcBefore) changes.push_back({Kind::AmcRemoved, insured.amc->organisation});
    insured.amc.reset();
  } else if (amcBefore && insured.amc->organisation == *rights.amcOrganisation) {
    insured.amc->tiersPayant = rights.amcTiersPayant;
  } else {
    changes.push_back({amcBefore ? Kind::AmcChanged : Kind::AmcAdded, *rights.amcOrganisation});
    insured.amc = AmcView{*rights.amcOrganisation, "", rights.amcTiersPayant, std::nullopt};
  }
  view.amoOpen = rights.amoOpen;
  view.rightsOnline = true;
  view.refreshedAt = rights.at;
  if (!rights.asOf.empty()) view.rightsAsOf = rights.asOf;
  view.onlineChanges = std::move(changes);
}

core::Result<PatientContext> patientContextFor(const CredentialView& view, std::size_t index, core::Date dateOfCare) {
  if (view.verdict != CredentialVerdict::Verified) return core::fail(core::Errc::InvalidArgument, {"verdict"});
  if (index >= view.beneficiaries.size()) return core::fail(core::Errc::InvalidArgument, {"beneficiary"});
  // The insurer's online answer wins over the card/token: closed rights, nothing to bill.
  if (!view.amoOpen) return core::fail(core::Errc::DeskRightsClosed, {view.rightsAsOf});
  auto person = [](const BeneficiaryView& b) {
    return billing::FsePerson{b.nir, b.birthName, b.firstName, b.birthDate, b.birthRank};
  };
  const BeneficiaryView& who = view.beneficiaries[index];
  PatientContext p;
  p.verdict = "verified";
  p.insured = person(view.beneficiaries.front());
  p.beneficiary = billing::FseBeneficiary{person(who), qualiteWord(who.qualite)};
  p.amo = billing::FseAmo{view.regime, view.caisse, view.centre, ""};
  billing::Coverage& c = p.coverage;
  auto birth = core::BirthDate::parse(who.birthDate);
  if (!birth) return core::fail(core::Errc::FseMalformed, {"beneficiary.birth_date"});
  c.birthDate = *birth;
  c.beneficiaryKey = beneficiaryKey(p.beneficiary.person);
  for (const ExemptionView& e : who.exemptions) {
    const bool inForce = !e.period || e.period->coversToday;
    if (!inForce) continue;
    if (e.kind == "C2S") {
      c.c2s = true;
      p.amo.exemption = "c2s";
    } else if (e.kind == "ALD" && p.amo.exemption.empty()) {
      p.amo.exemption = "ald";
    } else if (e.kind == "MAT" && e.period) {
      auto from = core::Date::parseIso(e.period->from);
      auto to = core::Date::parseIso(e.period->to);
      if (from && to && !(dateOfCare < *from) && !(*to < dateOfCare)) {
        c.maternity = billing::DatePeriod{*from, *to};
        p.amo.exemption = "maternite";
      }
    }
  }
  if (who.amc && (!who.amc->period || who.amc->period->coversToday)) {
    p.amc = billing::FseAmc{who.amc->organisation, who.amc->contract, who.amc->tiersPayant};
    c.tiersPayantAmc = who.amc->tiersPayant;
  }
  return p;
}

}  // namespace vd::app
