#pragma once
/// \file
/// The bytes of the insurer stand-in API (docs/formats/insurer-api.md), shared by the client
/// (curl_transport) and the simulator's server so both sides cannot drift: encoders and
/// bounded parsers of the lot request, the receipt, the ARL content, the rights look-up, the
/// revocation list and error bodies. Pure functions over text; every parser treats its input
/// as hostile (size and count limits, type checks, no exception) and is fuzzed
/// (tests/fuzz/fuzz_insurer_client.cpp, fuzz_insurer_server.cpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "billing/outbox/lot_transport.hpp"
#include "core/result.hpp"
#include "crypto/cms.hpp"

namespace vd::billing::wire {

inline constexpr std::size_t kMaxRequestBytes = 64u << 20;  ///< a lot request
inline constexpr std::size_t kMaxAnswerBytes = 16u << 20;   ///< a receipt, an ARL, rights
inline constexpr std::size_t kMaxMembers = 10000;           ///< FSE in one lot
inline constexpr std::size_t kMaxIdLength = 128;            ///< lot ids, keys, destinations, codes
inline constexpr std::string_view kArlFormat = "vd-arl/1";

/// Errors of every parser below: TransportMalformedAnswer {what} (a field name, never a value).

/// "RPPS/NUMBER" with a non-empty practitioner of at most 32 characters and a number > 0.
std::optional<FseRef> parseRef(std::string_view text);

// --- POST /v1/lots ----------------------------------------------------------------------
struct LotMemberRequest {
  FseRef ref;
  std::string idempotencyKey;
  std::string signedFse;  ///< PEM CMS (billing/fse/fse_signing)
};
struct LotRequest {
  std::string lotId;
  std::string destination;
  std::vector<LotMemberRequest> members;
};
/// The JSON body (the lot's own key travels in the Idempotency-Key header).
std::string encodeLotRequest(const Lot& lot);
core::Result<LotRequest> parseLotRequest(std::string_view body);

struct ReceiptBody {
  std::string lotId;
  std::string receivedAt;               ///< ISO 8601 UTC
  std::size_t members = 0;
  bool duplicate = false;
  std::optional<std::string> arlPem;    ///< the signed ARL, when ready
  std::optional<int> arlRetryAfter;     ///< seconds, when the ARL is not ready
};
std::string encodeReceipt(const ReceiptBody& receipt);
core::Result<ReceiptBody> parseReceipt(std::string_view body);

// --- The ARL (content of a CMS SignedData by the ARL signer) --------------------------
std::string encodeArlContent(const Arl& arl, std::string_view issuedAt);
core::Result<Arl> parseArlContent(std::string_view json);

/// Who may sign ARLs: a signature chaining to one of `anchors` by the certificate whose
/// subject is `signerSubject`.
struct ArlTrust {
  std::vector<crypto::X509Cert> anchors;
  std::string signerSubject;
};
/// Verifies the PEM CMS and parses its content. Errors: TransportArlSignature {reason} (bad
/// signature, wrong signer), TransportMalformedAnswer (content).
core::Result<Arl> verifyArl(std::string_view pem, const ArlTrust& trust);

/// GET /v1/lots/{id}/arl 200 body: {"lotId", "arl"}. 202 bodies are encodePending().
std::string encodeArlAnswer(std::string_view lotId, std::string_view arlPem);
struct ArlAnswer {
  std::string lotId;
  std::string arlPem;
};
core::Result<ArlAnswer> parseArlAnswer(std::string_view body);
std::string encodePending(int retryAfterSeconds);

// --- POST /v1/rights and GET /v1/apcv/revocations -------------------------------------
struct RightsRequest {
  std::string nir;   ///< syntax only here; the server checks it with core::Nir
  std::string date;  ///< YYYY-MM-DD
};
std::string encodeRightsRequest(const RightsRequest& request);
core::Result<RightsRequest> parseRightsRequest(std::string_view body);

struct RightsBody {
  std::string asOf;
  bool amoOpen = false;
  std::string regime, caisse, centre;
  std::vector<std::string> exemptions;
  bool c2s = false;
  std::optional<std::string> amcOrganisation;
  bool amcTiersPayant = false;
};
std::string encodeRights(const RightsBody& rights);
core::Result<RightsBody> parseRights(std::string_view body);

/// GET /v1/apcv/revocations answers the insurer-signed trust lists (crypto/trust_list.hpp):
/// {"format": "vd-trust-lists-1", "cose_hex": HEX}, HEX the COSE_Sign1 document in lower-case
/// hex. The transport only carries the bytes; the desk verifies them (app/trust_refresh).
inline constexpr std::string_view kTrustListsFormat = "vd-trust-lists-1";
std::string encodeSignedTrustLists(std::span<const std::uint8_t> document);
/// Errors: TrustListMalformed {"truncated"} (not whole JSON: a cut download), TrustListUnsigned
/// {"GET /v1/apcv/revocations"} (JSON without a signed document, e.g. the old plain lists),
/// TrustListMalformed {"cose_hex"} (not hex, too large).
core::Result<std::vector<std::uint8_t>> parseSignedTrustLists(std::string_view body);

/// The plain lists of the old, unsigned format (what an attacker or an old server may serve):
/// kept for the simulator's "unsigned" mode only.
struct RevocationsBody {
  std::vector<std::string> appInstances, cardSerials;
};
std::string encodeRevocations(const RevocationsBody& revocations);

// --- Errors --------------------------------------------------------------------------------
/// {"error": {"code": CODE, "message": TEXT[, "field": FIELD]}}
std::string encodeError(std::string_view code, std::string_view message, std::string_view field = {});
/// The code of an error body; "unknown" when the body is not one.
std::string parseErrorCode(std::string_view body);

}  // namespace vd::billing::wire
