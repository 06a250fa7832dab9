// vitaledesk-cli token verify: the ApCV token (QR text) through the same verifier as the desk.
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/token_check.hpp"

namespace vd::cli {
namespace {

int tokenVerify(Invocation& inv) {
  int code = kOk;
  const auto check = loadTokenCheck(inv, code);
  if (!check) return code;
  if (inv.has("image") == !inv.positional.empty()) {
    *inv.err << inv.tr("Donnez soit le texte du QR code, soit --image FICHIER.\n",
                       "Give either the QR text or --image FILE.\n");
    return kUsage;
  }
  nlohmann::json j;
  std::string text;
  if (inv.has("image")) {
    auto fromImage = tokenTextFromImage(inv, *inv.value("image"), j, code);
    if (!fromImage) {
      if (!j.is_null()) *inv.out << j.dump(2) << '\n';
      return code;
    }
    text = std::move(*fromImage);
  } else {
    text = inv.positional[0];
  }
  code = checkTokenText(inv, *check, text, j);
  if (!j.is_null()) *inv.out << j.dump(2) << '\n';
  return code;
}

}  // namespace

std::vector<Command> tokenCommands() {
  return {Command{{"token", "verify"},
                  "<QR-TEXT> | --image FILE",
                  0,
                  1,
                  "Verify an appli carte Vitale token (QR text): signatures, validity, revocation, replay; JSON.",
                  {{"trust", "DIR", "trust directory (issuers/, revocation lists); default $VITALEDESK_TRUST_DIR"},
                   {"prefix", "P", "expected prefix (default VD2:)"},
                   {"image", "FILE", "read the QR code from a PNG image instead of the text"},
                   {"at", "ISO-TIME", "verify as of this UTC time (YYYY-MM-DD[THH:MM:SS[Z]]) instead of now"},
                   {"envelope-only", "", "check prefix, Base45, zlib, COSE and signatures; print the raw claims"},
                   {"replay-cache", "FILE",
                    "token ids already seen (default $XDG_STATE_HOME/vitaledesk/apcv-replay.txt)"},
                   patientOutOptions()[0], patientOutOptions()[1]},
                  tokenVerify}};
}

}  // namespace vd::cli
