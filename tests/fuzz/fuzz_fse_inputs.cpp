// libFuzzer target: the input files of `vitaledesk-cli fse new` — the patient credential and
// the practitioner profile (JSON, docs/formats/fse.md). Hand-edited or produced elsewhere:
// anything malformed is FseMalformed naming the field, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/fse_use_case.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto patient = vd::app::patientFromJson(text)) {
    // The cap counters' key is a hash, never the NIR.
    if (patient->coverage.beneficiaryKey.size() != 24) __builtin_trap();
    // What `token verify --patient-out` writes reads back to the same billing context.
    auto again = vd::app::patientFromJson(vd::app::patientToJson(*patient));
    if (!again || again->coverage.beneficiaryKey != patient->coverage.beneficiaryKey ||
        again->amo.exemption != patient->amo.exemption || again->coverage.c2s != patient->coverage.c2s ||
        again->coverage.maternity.has_value() != patient->coverage.maternity.has_value() ||
        again->amc.has_value() != patient->amc.has_value() || again->verdict != patient->verdict)
      __builtin_trap();
  } else if (patient.error().code != vd::core::Errc::FseMalformed) {
    __builtin_trap();
  }
  if (auto p = vd::app::practitionerFromJson(text, "/base")) {
    if (p->signing.certificate.is_relative()) __builtin_trap();  // resolved against the base
  } else if (p.error().code != vd::core::Errc::FseMalformed) {
    __builtin_trap();
  }
  return 0;
}
