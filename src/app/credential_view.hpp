#pragma once
/// \file
/// What the desk shows of a presented credential, whatever its source (carte Vitale, ApCV by QR
/// or NFC): one typed view model built on the worker that verified it, and the billing context
/// (`PatientContext`) of one of its beneficiaries. Data of a refused credential is never put in
/// the view (the beneficiaries list is empty); data of a card read without verification keeps
/// `verdict == ReadNotVerified` and gives no billing context.
///
/// Domain words: AMO (base scheme: régime / caisse / centre), AMC (complementary cover), C2S
/// (complémentaire santé solidaire), ALD (long-term illness exemption), qualité (the
/// beneficiary's relation to the insured), INS (identité nationale de santé).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/fse_use_case.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "core/result.hpp"
#include "reader/apcv/token.hpp"
#include "reader/card/vitale_card_reader.hpp"

namespace vd::app {

/// Where a credential came from.
enum class CredentialOrigin { Card, QrScanner, QrKeyboard, QrImage, Nfc, QrCamera };
/// "card", "qr_scanner", "qr_keyboard", "qr_image", "nfc", "qr_camera"
std::string_view originId(CredentialOrigin o);

enum class CredentialVerdict { Verified, ReadNotVerified, Refused };
std::string_view credentialVerdictId(CredentialVerdict v);  ///< "verified", "read_not_verified", "refused"

/// One reason of a verdict: a stable id (card reasons: public_fields_only, unknown_issuer,
/// issuer_signature, internal_authenticate, opposition, rights_expired; token reasons: the
/// error id) and its error, put in words by core::describe (reader::cardReasonError for cards).
struct Reason {
  std::string id;
  std::optional<core::Error> error;
};

struct PeriodView {
  std::string from, to;  ///< ISO dates; `to` empty for an open period
  bool coversToday = true;
};

struct ExemptionView {
  std::string kind;  ///< "ALD", "MAT", "C2S" or the token's text
  std::optional<PeriodView> period;
};

struct AmcView {
  std::string organisation;
  std::string contract;
  bool tiersPayant = false;
  std::optional<PeriodView> period;
};

struct BeneficiaryView {
  std::string nir;
  std::string birthName, firstName;
  std::string birthDate;  ///< raw YYYYMMDD (may be lunar)
  int birthRank = 1;
  std::string qualite;    ///< two digits ("00" insured, "01" spouse, "06" child…)
  std::string insOid;     ///< empty when the source gives no INS
  std::vector<PeriodView> amoRights;  ///< card: periods; token: empty (see CredentialView::rightsAsOf)
  std::vector<ExemptionView> exemptions;
  std::optional<AmcView> amc;
};

struct DelegationView {
  std::string delegate;  ///< "First LAST" of the person presenting
  std::string holder;    ///< "First LAST" of the holder
  std::string until;     ///< ISO date (UTC)
};

/// The insurer's online rights answer (POST /v1/rights, billing::RightsSnapshot) about the
/// insured person (`beneficiaries[0]`, whose NIR was asked), at `asOf`.
struct OnlineRights {
  std::string asOf;  ///< ISO date asked for (the date of care)
  std::string at;    ///< ISO time of the answer ("YYYY-MM-DD HH:MM UTC")
  bool amoOpen = false;
  std::string regime, caisse, centre;
  std::vector<std::string> exemptions;  ///< in force at `asOf`: "ALD", "MAT"
  bool c2s = false;
  std::optional<std::string> amcOrganisation;
  bool amcTiersPayant = false;
};

/// One point where the online answer differs from the card/token (the online answer wins).
struct RightsChange {
  enum class Kind { AmoClosed, FundChanged, ExemptionAdded, ExemptionRemoved, AmcAdded, AmcRemoved, AmcChanged };
  Kind kind = Kind::AmoClosed;
  std::string what;  ///< exemption kind ("ALD", "MAT", "C2S") or AMC organisation; empty otherwise
};

struct CredentialView {
  CredentialOrigin origin = CredentialOrigin::Card;
  std::string device;  ///< reader name or "demo" (not patient data)
  CredentialVerdict verdict = CredentialVerdict::Refused;
  std::vector<Reason> reasons;  ///< empty when Verified
  std::vector<BeneficiaryView> beneficiaries;  ///< [0] is the insured; empty when Refused
  std::string regime, caisse, centre;  ///< AMO organisation (empty when the source has none)
  std::string rightsAsOf;    ///< ISO date of the rights shown (card: date of care; token: snapshot)
  bool rightsOnline = false; ///< true once refreshed online …
  std::string refreshedAt;   ///< … at this ISO time
  bool amoOpen = true;       ///< false when the insurer reports the AMO rights closed (nothing to bill)
  std::vector<RightsChange> onlineChanges;  ///< what the online answer changed (empty: it agreed)
  std::optional<DelegationView> delegation;
  std::int64_t readAt = 0;   ///< Unix seconds
  /// Tokens (QR, NFC): the age in days of the ApCV trust material that verified it (trust.json
  /// issued_at); nullopt for a card or when the material states no date.
  std::optional<int> trustAgeDays;
};

/// Beyond this age (days) the desk warns that the ApCV trust material (issuer keys, revoked
/// phones and cards) is stale: a phone reported lost since then would still be accepted. A
/// desk policy, not a published rule: revocations of lost phones matter within days.
inline constexpr int kTrustStaleDays = 7;

/// From a card read at `dateOfCare`.
CredentialView viewOfCard(const reader::CardCredential& card, const std::string& reader, core::Date dateOfCare,
                          std::int64_t now);
/// From a verified or refused token.
CredentialView viewOfToken(const reader::apcv::Credential& token, CredentialOrigin origin, std::int64_t now);

/// Merges the online answer into a VERIFIED view (others are left as they are): fund,
/// "AMO rights open" (for every beneficiary: they are covered through the insured), and the
/// exemptions (ALD, MAT, C2S) and AMC of the insured, replacing the card's/token's. A period
/// the card gives for an exemption or AMC still in force is kept; a new one covers `asOf`.
/// Sets rightsOnline/refreshedAt/rightsAsOf and lists the differences in `onlineChanges`.
void applyOnlineRights(CredentialView& view, const OnlineRights& rights);

/// The billing context of beneficiary `index` (0 = insured) of a VERIFIED credential.
/// Errors: InvalidArgument {"verdict"} when not verified, {"beneficiary"} for a bad index,
/// FseMalformed when a field cannot be used (a birth date the billing rules reject),
/// DeskRightsClosed when the insurer reported the AMO rights closed online.
core::Result<PatientContext> patientContextFor(const CredentialView& view, std::size_t index, core::Date dateOfCare);

}  // namespace vd::app
