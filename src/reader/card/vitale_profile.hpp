#pragma once
/// \file
/// The simulated carte Vitale profile (docs/formats/vitale-card.md): constants, the
/// directory file, the data files' BER-TLV content and the byte string the issuer signs.
/// Pure functions over bytes (hostile input), shared by the reader and the simulator.
///
/// French words kept: bénéficiaire (a person covered by the card), qualité (the person's
/// relation to the insured: 00 assuré, 01 conjoint, 06 enfant…), AMO (mandatory insurance),
/// AMC (complementary insurance), C2S (complémentaire santé solidaire), ALD (long-term illness).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace vd::reader {

inline constexpr std::array<std::uint8_t, 11> kVitaleAid = {0xD2, 0x50, 0x00, 0x00, 0x02, 0x56,
                                                            0x49, 0x54, 0x41, 0x4C, 0x45};
inline constexpr std::uint16_t kFidDirectory = 0x2001;
inline constexpr std::uint16_t kFidCard = 0x2002;       ///< tag 61: serial, card public key
inline constexpr std::uint16_t kFidSignature = 0x2003;  ///< tag 9E: issuer COSE_Sign1
inline constexpr std::uint16_t kFidPersons = 0x2004;    ///< tags 65: bénéficiaires
inline constexpr std::size_t kMaxFileSize = 4096;
inline constexpr std::size_t kMaxDirectoryEntries = 16;
inline constexpr std::size_t kChallengeSize = 16;

/// True for a Vitale 2 ATR: 3B 75 13 00 00 xx 09 EA 90 00 (the byte after 3B 75 13 00 00 is
/// any 4x; matched as a prefix pattern, not a fixed list).
bool isVitaleAtr(std::span<const std::uint8_t> atr);

struct DirectoryEntry {
  std::uint16_t fid = 0;
  std::uint16_t size = 0;
};
/// EF 2001: 4-byte records FID(2) size(2), big-endian, 1 to 16 records, sizes ≤ 4096, no
/// duplicate FID. Errors: CardDirectoryMalformed {reason}.
core::Result<std::vector<DirectoryEntry>> parseDirectory(std::span<const std::uint8_t> bytes);

struct Period {
  core::Date from = core::Date::fromDayNumber(0);
  core::Date to = core::Date::fromDayNumber(0);
  bool covers(core::Date d) const { return !(d < from) && !(to < d); }
};

struct Exemption {
  std::string kind;  ///< "ALD" or "MAT" (maternity)
  Period period;
};

struct Amc {
  std::string organisation;
  std::string contract;
  bool tiersPayant = false;
  Period period;
};

struct Beneficiary {
  std::string nir;        ///< 15 characters, key included (checked with core::Nir)
  std::string lastName;
  std::string firstName;
  std::string birthDate;  ///< YYYYMMDD, possibly lunar (core::BirthDate)
  int birthRank = 1;
  std::string qualite;    ///< two digits
  std::string insOid;
  std::vector<Period> amoRights;
  std::vector<Exemption> exemptions;
  std::optional<Period> c2s;
  std::optional<Amc> amc;
};

struct CardInfo {
  std::vector<std::uint8_t> serial;     ///< 8 bytes
  std::vector<std::uint8_t> publicKey;  ///< DER SubjectPublicKeyInfo (P-256)
  /// The holder's AMO attachment (tag C2, optional): régime (2 digits), caisse (3), centre (4);
  /// all empty when the card does not carry it.
  std::string regime, caisse, centre;
};

/// EF 2004. Errors: CardTlvMalformed, CardProfileInvalid {field}.
core::Result<std::vector<Beneficiary>> parsePersons(std::span<const std::uint8_t> bytes);
/// EF 2002. Errors: CardTlvMalformed, CardProfileInvalid {field}.
core::Result<CardInfo> parseCardInfo(std::span<const std::uint8_t> bytes);
/// EF 2003: the COSE_Sign1 bytes inside tag 9E. Errors: CardTlvMalformed, CardProfileInvalid.
core::Result<std::vector<std::uint8_t>> parseSignatureFile(std::span<const std::uint8_t> bytes);

/// Encoders (simulator, tests).
std::vector<std::uint8_t> encodePersons(const std::vector<Beneficiary>& persons);
std::vector<std::uint8_t> encodeCardInfo(const CardInfo& info);
std::vector<std::uint8_t> encodeDirectory(const std::vector<DirectoryEntry>& entries);

struct CardFile {
  std::uint16_t fid = 0;
  std::vector<std::uint8_t> content;
};
/// What the issuer signs: "VDCARD1" then, for every file but EF 2001 and EF 2003 in
/// directory order, FID(2) length(2) content. The COSE payload is its SHA-256.
std::vector<std::uint8_t> issuerSignedBytes(const std::vector<CardFile>& files);
/// What the card key signs in INTERNAL AUTHENTICATE: "VDIA1" || challenge.
std::vector<std::uint8_t> internalAuthPayload(std::span<const std::uint8_t> challenge);

}  // namespace vd::reader
