#pragma once
/// \file
/// COSE_Sign1 (RFC 9052 §4.2) verification and signing: the signed envelope of the ApCV token,
/// as in the EU Digital COVID Certificate. The accepted profile (algorithms, headers, kid
/// rule, limits) is documented in docs/formats/cose.md. Input is hostile: every failure is a
/// typed error, never a crash. OpenSSL types never appear here. Thread-safe (no shared state;
/// the key look-up is called on the calling thread).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "crypto/cbor_value.hpp"
#include "crypto/keys.hpp"

namespace vd::crypto {

/// COSE algorithm identifiers (IANA "COSE Algorithms").
enum class CoseAlg : std::int32_t {
  ES256 = -7,   ///< ECDSA P-256 with SHA-256; signature is r || s, 64 bytes (RFC 9053 §2.1)
  EdDSA = -8,   ///< Ed25519 only (RFC 9053 §2.2); 64-byte signature
  PS256 = -37,  ///< RSASSA-PSS, SHA-256, MGF1 SHA-256, salt 32 bytes (RFC 8230 §2)
};

/// "ES256", "EdDSA", "PS256".
std::string_view coseAlgName(CoseAlg alg);

/// Header labels used by the profile (RFC 9052 §3.1).
inline constexpr std::int64_t kCoseHeaderAlg = 1;
inline constexpr std::int64_t kCoseHeaderCrit = 2;
inline constexpr std::int64_t kCoseHeaderKid = 4;
/// CBOR tag of a COSE_Sign1 message (optional on input, written on output by default).
inline constexpr std::uint64_t kCoseSign1Tag = 18;

/// Limits on a COSE_Sign1 message before any signature work.
struct CoseLimits {
  std::size_t maxMessageBytes = 64 * 1024;  ///< whole message; larger: CborLimit
  std::size_t maxKidBytes = 64;             ///< larger kid: CoseMalformed
  cbor::Limits cbor{};                      ///< applied to the message and to the protected header
};

/// A COSE_Sign1 message split into its parts, headers decoded, signature NOT verified.
struct CoseSign1 {
  std::vector<std::uint8_t> protectedBytes;  ///< the protected header exactly as signed
  cbor::Value protectedHeader;               ///< decoded (an empty map when protectedBytes is empty)
  cbor::Value unprotectedHeader;             ///< always a map
  std::vector<std::uint8_t> payload;
  std::vector<std::uint8_t> signature;
  std::int64_t alg = 0;           ///< label 1 of the protected header
  std::vector<std::uint8_t> kid;  ///< label 4: protected header first, else unprotected
  bool kidProtected = false;      ///< true when the kid came from the protected header
  bool tagged = false;            ///< the message carried CBOR tag 18
};

/// Structural parsing: the 4-element array (tag 18 optional), bstr protected header decoding
/// to a map, unprotected map, bstr payload (a detached nil payload is refused), bstr signature;
/// alg present as an integer in the protected header; kid a bstr, present in one header; no
/// label in both headers; no "crit" header (no extension is understood).
/// Errors: CborLimit, CborMalformed, CoseMalformed {reason}, CoseAlgNotProtected.
core::Result<CoseSign1> parseCoseSign1(std::span<const std::uint8_t> message, const CoseLimits& limits = {});

/// The bytes signed: CBOR ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4).
std::vector<std::uint8_t> coseSigStructure(std::span<const std::uint8_t> protectedBytes,
                                           std::span<const std::uint8_t> payload,
                                           std::span<const std::uint8_t> externalAad = {});

/// Finds the public key for a kid; std::nullopt when the kid is unknown. Called once per
/// verification, on the calling thread.
using CoseKeyLookup = std::function<std::optional<PublicKey>(std::span<const std::uint8_t> kid)>;

struct CoseVerified {
  std::vector<std::uint8_t> payload;
  CoseAlg alg = CoseAlg::ES256;
  std::vector<std::uint8_t> kid;
  bool kidProtected = false;
  PublicKey key;  ///< the key that verified the signature (carries its certificate, if any)
};

/// Checks the signature of a parsed message with `key`: alg in `allowed` (CoseAlgRefused),
/// key family and size match the alg (CoseKeyMismatch: P-256 for ES256, Ed25519 for EdDSA,
/// RSA ≥ 2048 bits for PS256), signature length right for the alg (CoseSignatureMalformed),
/// signature valid over the Sig_structure (CoseSignatureInvalid).
core::Result<void> coseVerifySignature(const CoseSign1& message, const PublicKey& key,
                                       std::span<const CoseAlg> allowed);

/// parseCoseSign1, then: alg allowed (CoseAlgRefused, checked before any key look-up), key
/// found by kid (CoseUnknownKid {kid hex}; a message without kid is CoseMalformed), then
/// coseVerifySignature. Returns the payload only when everything holds.
core::Result<CoseVerified> coseSign1Verify(std::span<const std::uint8_t> message, const CoseKeyLookup& lookup,
                                           std::span<const CoseAlg> allowed, const CoseLimits& limits = {});

/// Builds a COSE_Sign1 (simulator, tests): protected header {1: alg, 4: kid}, empty unprotected
/// header, payload attached, tag 18 unless `tagged` is false. ES256 signatures are converted
/// from OpenSSL's DER to r || s. Errors: CoseKeyMismatch (key family does not fit `alg`),
/// CoseSignFailed {reason}.
core::Result<std::vector<std::uint8_t>> coseSign1Sign(std::span<const std::uint8_t> payload, const PrivateKey& key,
                                                      CoseAlg alg, std::span<const std::uint8_t> kid,
                                                      bool tagged = true);

}  // namespace vd::crypto
