// libFuzzer target: `fse verify` (billing::verifySignedFse), past the signature. Byte 0 picks:
//  even — the rest is the CONTENT of a care sheet, signed here (CMS, attached) with a TEST-ONLY
//         practitioner key of a CA this harness makes and trusts, then verified as the CLI does:
//         so the canonical-form check, the JSON parser and the validator see fuzzed content
//         behind a valid signature and chain;
//  odd  — the rest is a signed file as read from disk (PEM CMS), hostile from the first byte.
// Invariants: a verified sheet chains to the harness CA and its canonical form is exactly the
// signed content (what was signed is what is shown).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/fse/fse.hpp"
#include "billing/fse/fse_signing.hpp"
#include "crypto/cms.hpp"
#include "crypto/test_pki.hpp"

namespace {

struct Harness {
  std::vector<vd::crypto::X509Cert> anchors;
  std::optional<vd::billing::CmsFseSigner> signer;
  Harness() {
    const auto dir = std::filesystem::temp_directory_path() / ("vd-fuzz-fse-" + std::to_string(::getpid()));
    auto files = vd::crypto::issueTestCertificate(dir, "practitioner", "TEST ONLY fuzz practitioner").value();
    anchors.push_back(vd::crypto::X509Cert::fromPemFile(files.caCertificate).value());
    signer.emplace(vd::crypto::SigningKey::fromPemFile(files.key).value(),
                   vd::crypto::X509Cert::fromPemFile(files.certificate).value());
    std::filesystem::remove_all(dir);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness h;
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    auto pem = h.signer->sign(rest);
    if (!pem.ok()) return 0;
    auto verified = vd::billing::verifySignedFse(*pem, h.anchors);
    if (std::getenv("VD_FUZZ_TRACE") != nullptr)
      std::fprintf(stderr, "fse_verify: %s\n", verified.ok() ? "verified" : vd::core::errcId(verified.error().code).data());
    if (verified.ok()) {
      if (!verified->chainVerified) __builtin_trap();
      if (vd::billing::toCanonicalJson(verified->fse) != rest) __builtin_trap();
    }
  } else {
    auto verified = vd::billing::verifySignedFse(rest, h.anchors);
    if (verified.ok()) (void)vd::billing::toCanonicalJson(verified->fse);
  }
  return 0;
}
