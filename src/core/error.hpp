#pragma once
/// \file
/// Typed errors shared by every module. An `Error` is a value: a code from `Errc`, the
/// arguments its message needs, and where it happened (a file and line, a field name).
/// Arguments and `where` must never carry patient data (NIR, names, dates of birth):
/// errors end up in logs. Turning an error into a sentence is done in one place,
/// `describe()` in messages.hpp, from a French/English catalog.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace vd::core {

/// Every error a user or an operator can meet. Append only: values are stored in
/// audit logs and exit reports. Each code has an entry in the catalog (messages.cpp);
/// a unit test fails when one is missing.
enum class Errc : std::uint16_t {
  // Generic
  Internal = 1,
  InvalidArgument,
  FileUnreadable,
  ResourcesMissing,
  // NIR (numéro d'inscription au répertoire)
  NirLength = 100,
  NirCharacter,
  NirSexDigit,
  NirMonth,
  NirDepartment,
  NirKeyMismatch,
  // Dates and identity
  DateInvalid = 120,
  BirthDateFormat,
  InsOid,
  InsMatricule,
  InsTrait,
  InsInconsistent,
  // Money and rates
  MoneyFormat = 140,
  RateFormat,
  // Dated tables (tariffs, parameters)
  TableHeader = 160,
  TableColumns,
  TableField,
  TableDate,
  TablePeriod,
  TableOverlap,
  TableValue,
  TableUnit,
  TableEmpty,
  TariffUnknownCode = 180,
  TariffNotInForce,
  // Pricing of a care sheet (billing/tariff: CIP13, care-line text, compatibility rules)
  Cip13Format = 200,
  Cip13Prefix,
  Cip13CheckDigit,
  CareLineSyntax,
  PricingEmptySheet,
  PricingLineValue,
  PricingNotBillableAlone,
  PricingMajorationWithoutAct,
  PricingMdWithoutVisit,
  PricingTwoReferenceActs,
  PricingMegAge,
  PricingMedicineClass,
  // Codecs and COSE signatures of hostile input (crypto: Base45, zlib, CBOR, COSE_Sign1, keys)
  Base45Character = 300,
  Base45Length,
  Base45Value,
  ZlibMalformed,
  ZlibTooLarge,
  CborMalformed,
  CborLimit,
  CoseMalformed,
  CoseAlgNotProtected,
  CoseAlgRefused,
  CoseUnknownKid,
  CoseKeyMismatch,
  CoseSignatureMalformed,
  CoseSignatureInvalid,
  CoseSignFailed,
  KeyUnreadable,
  // Signing and signed documents (FSE)
  SignerKeyNotFound = 400,
  SignerTokenUnavailable,
  SignerPinCancelled,
  SignerFailed,
  CertificateUnreadable,
  CmsMalformed,
  CmsSignatureInvalid,
  FseInvalid,
  FseMalformed,
  FseStore,
  // Carte Vitale over PC/SC (reader/card, reader/pcsc)
  CardNotVitale = 500,
  CardStatusWord,
  CardTlvMalformed,
  CardDirectoryMalformed,
  CardFileMissing,
  CardProfileInvalid,
  CardRemoved,
  CardMute,
  CardTrustMissing,
  PcscNoService,
  PcscNoReader,
  PcscNoCard,
  PcscFailed,
  // ApCV token (reader/apcv) and its trust material (crypto/trust_store)
  ApcvPrefix = 600,
  ApcvMalformed,
  ApcvUnknownIssuer,
  ApcvAppCertificateInvalid,
  ApcvAppCertificateExpired,
  ApcvAppRevoked,
  ApcvSignatureInvalid,
  ApcvNotYetValid,
  ApcvExpired,
  ApcvReplay,
  ApcvDelegationTooLong,
  ApcvDelegationExpired,
  ApcvChallengeMismatch,
  TrustStoreMissing,
  TrustStoreInvalid,
  ReplayCacheUnwritable,
  ImageMalformed,
  ImageNoCode,
  // Outbox: queue states, encryption at rest, audit log (billing/outbox)
  OutboxTransitionRefused = 700,
  OutboxNotFound,
  OutboxKeyFile,
  OutboxDecrypt,
  OutboxAuditBroken,
  OutboxRefSyntax,
  // @block 750 outbox dispatcher and durability (billing/outbox) — append below this line
  OutboxDispatcherBusy = 750,
  OutboxDiskFull,
  // @block 800 HTTPS transport and insurer simulator (billing/transport, sim/server) — append below this line
  TransportNetwork = 800,
  TransportTimeout,
  TransportTls,
  TransportServerBusy,
  TransportRequestRefused,
  TransportMalformedAnswer,
  TransportArlSignature,
  TransportConfig,
  RightsUnknownInsured,
  SimServerStart,
  SimLedger,
  // @block 900 USB and serial QR scanners, keyboard wedge (reader/scanner) — append below this line
  ScannerAbsent = 900,
  ScannerAccessDenied,
  ScannerUsbFailed,
  ScannerDisconnected,
  ScannerLayoutUnknown,
  ScannerGarbled,
  ScannerCodeTooLong,
  ScannerSerialOpen,
  ScannerNoCode,
  ScannerLayoutMismatch,
  // @block 950 NFC: the phone in host card emulation (reader/apcv over reader/pcsc) — append below this line
  NfcNoContactlessReader = 950,
  NfcNoPhone,
  NfcPhoneLifted,
  NfcServiceAbsent,
  NfcAnswerMalformed,
  NfcAnswerTooLong,
  // @block 1000 desk settings and demo mode (app, ui) — append below this line
  SettingsScannerId = 1000,
  SettingsUrl,
  SettingsFileMissing,
  SettingsPkcs11Uri,
  SettingsChoice,
  CareSheetNoPatient,
  CareSheetNoPractitioner,
  DeskNetworkOffline,
  DeskOutboxProblem,
  DeskDemoMaterial,
  DeskRightsClosed,
  // @block 1020 desk: lead (card verdict reasons, deadlines, trust age) — append below this line
  CardReasonPublicFieldsOnly = 1020,  ///< card verdict reasons (reader/card cardReasonError)
  CardReasonUnknownIssuer,
  CardReasonIssuerSignature,
  CardReasonInternalAuthenticate,
  CardReasonOpposition,
  CardReasonRightsExpired,
  CardReasonOther,
  DeskDeadlineSoon,
  DeskTrustStale,
  DeskTrustRefreshInvalid,
  // @block 1040 camera (reader/image camera source, GStreamer) — append below this line
  CameraNone = 1040,  ///< no camera found ({0}: "auto" or the device asked for)
  CameraPipeline,     ///< GStreamer failed ({0}: element name)
  CameraLost,         ///< device unplugged / stream ended ({0}: device)
  CameraSetting,      ///< the camera setting is not off, auto or a /dev/ path ({0}: the value)
  // @block 1060 demo through pcscd + vpcd (app/demo) — append below this line
  DemoVpcdNotConfigured = 1060,  ///< no vpcd entry in reader.conf ({0}: folder)
  DemoVpcdBadPort,               ///< VD_VPCD_PORT is not a port ({0}: value)
  DemoVpcdNoReader,              ///< pcscd has no vpcd reader ({0}: reader name)
  DemoVpcdRefused,               ///< nothing listens on the vpcd port ({0}: port)
  DemoVpcdBusy,                  ///< another emulator's card is in the slot ({0}: reader)
  // @block 1080 parsers, CLI and message hygiene — append below this line
  CardTrustInvalid = 1080,  ///< a card trust file too large, unreadable or malformed ({0}: file name)
  FsePatientNotVerified,    ///< `fse new --patient`: the file is not a verified credential ({0}: its verdict)
  CliUnknownCommand,        ///< vitaledesk-cli: no such command ({0}: the words given)
  CliUnknownOption,         ///< no such option ({0}: --name, {1}: the command)
  CliOptionNeedsValue,      ///< ({0}: --name, {1}: the value's syntax)
  CliOptionTakesNoValue,    ///< a flag given "=value" ({0}: --name)
  CliLang,                  ///< --lang is not fr or en ({0}: the value)
  CliArguments,             ///< wrong number of arguments ({0}: the command, {1}: its syntax)
  CliOptionsRequired,       ///< required options missing ({0}: the options, {1}: the command)
  // @block 1100 ApCV credential bound by the insurer (reader/apcv, sim phone) — append below this line
  ApcvFormatOutdated = 1100,      ///< a token of an older format ({0}: its version, e.g. VD1): update the app
  ApcvCredentialSignatureInvalid, ///< the insurer's signature over the holder's data does not hold
  ApcvCredentialNotYetValid,      ///< the insurer-signed credential starts after the presentation time
  ApcvCredentialExpired,          ///< the insurer-signed credential ended before the presentation time
  ApcvDeviceKeyMismatch,          ///< the presenting phone is not the app instance the credential was issued to
  ApcvDigestMismatch,             ///< the phone's presentation is over other insurer-signed bytes
  // @block 1140 issuer certificates, signed trust lists, TLS to the insurer — append below this line
  ApcvIssuerNotYetValid = 1140,  ///< the issuer certificate starts after the presentation ({0}: kid hex, {1}: notBefore day)
  ApcvIssuerExpired,             ///< the issuer certificate ended before the presentation ({0}: kid hex, {1}: notAfter day)
  ApcvIssuerRevoked,             ///< the issuer's kid is in the signed trust lists ({0}: kid hex)
  ApcvIssuerKeyUsage,            ///< the issuer certificate's key usage lacks digitalSignature ({0}: kid hex)
  ApcvIssuerMismatch,            ///< the credential's iss is not the certificate's identifier ({0}: iss, {1}: certificate's)
  TrustListUnsigned,             ///< trust lists that are not a COSE_Sign1 document ({0}: where from)
  TrustListUnknownSigner,        ///< trust lists signed by a key other than the trust-list signer ({0}: kid hex)
  TrustListSignatureInvalid,     ///< the trust-list signature does not hold (altered or forged)
  TrustListMalformed,            ///< signed trust lists cut or malformed ({0}: field or "truncated")
  TrustListRollback,             ///< an older (or same-numbered, different) list ({0}: offered seq, {1}: installed seq)
  TrustListSignerMissing,        ///< no trust-list signer certificate in the trust folder ({0}: folder)
  TrustListSignerInvalid,        ///< the signer certificate is outside its validity or lacks digitalSignature ({0}: kid hex)
  // @block 1180 keys, patient files, replay cache — append below this line
  // @block 1220 generic COSE_Sign1 envelope checker (cli token) — append below this line
  // @block 1260 architecture: Desk, demo plug-in, session, clock — append below this line
  // @block 1280 TLS to the insurer (billing/transport: trust, pinning, PKCS#11 client key) — append below this line
  TlsPinnedKeyMismatch = 1280,
  TlsPinnedKeyInvalid,
  TlsTokenPinRefused,
  TlsTokenPinMissing,
  TlsTokenKeyNotFound,
  // @block 1300 one clock and the local day (core, app)
  TimeZoneUnknown = 1300,  ///< an IANA zone name the tz database lacks ({0}: the name, {1}: the setting or option)
  TimeZoneDatabaseMissing, ///< no tz database (tzdata) on the machine ({0}: the folder looked in)
};

/// Every `Errc` value is below this bound; the catalog test walks [0, kErrcEnd).
/// tests/check_error_catalog.cmake checks that every enumerator has a catalog entry.
inline constexpr int kErrcEnd = 1320;

struct Error {
  Errc code = Errc::Internal;
  std::vector<std::string> args;  ///< substituted for {0}, {1}, … in the catalog sentences
  std::string where;              ///< e.g. "acts.csv:12", a field name; never patient data
};

/// Build an error: `makeError(Errc::NirKeyMismatch, {"38", "39"})`.
inline Error makeError(Errc code, std::vector<std::string> args = {}, std::string where = {}) {
  return Error{code, std::move(args), std::move(where)};
}

/// An argument worded in French and English, for a phrase inside a catalog sentence:
/// `describe()` substitutes the half in the message's language, so a French sentence never
/// carries an English fragment. Prefer language-neutral arguments (identifiers, numbers, file
/// and field names); use this only for words. Stored as US fr US en (US = 0x1F).
inline std::string frEn(std::string_view fr, std::string_view en) {
  std::string s(1, '\x1F');
  s.append(fr).push_back('\x1F');
  s.append(en);
  return s;
}

/// A system error as a language-neutral argument: its symbolic name ("ENOENT", "EACCES"),
/// never strerror()'s English sentence.
inline std::string errnoName(int err) {
  const char* name = ::strerrorname_np(err);
  return name != nullptr ? std::string(name) : "errno " + std::to_string(err);
}

/// Stable identifier of a code, for JSON output and logs ("nir.key_mismatch").
std::string_view errcId(Errc code);

}  // namespace vd::core
