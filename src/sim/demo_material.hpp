#pragma once
/// \file
/// TEST-ONLY material of the demo mode and the simulator's `pki` commands, in one place:
/// the carte Vitale issuer (`pki init`), a practitioner with a key file (`pki practitioner`)
/// and the ApCV issuer and phones (`apcv init`). Keys are generated at run time, never
/// committed, and every subject says TEST ONLY. Layout made by `demoMaterialInit(DIR)`:
///
///   DIR/card-pki/      issuer-key.pem (0600), issuer.pub.pem, opposition.txt
///   DIR/apcv/          see phone_kit.hpp (trust/ for the desk, keys/ for the phones)
///   DIR/practitioner/  ca.pem, practitioner.pem, practitioner-key.pem (0600), practitioner.json

#include <cstdint>
#include <filesystem>

#include "core/result.hpp"

namespace vd::sim {

/// `pki init DIR`: a card issuer key, its public key and the opposition list naming the
/// "opposition" kit card. Errors: FileUnreadable {path, reason}, KeyGeneration errors.
core::Result<void> cardPkiInit(const std::filesystem::path& dir);

/// `pki practitioner --out DIR`: a test CA (reused when present), the practitioner's P-256 key
/// and certificate and DIR/practitioner.json (docs/formats/fse.md). Errors: FileUnreadable,
/// SignerFailed.
core::Result<std::filesystem::path> practitionerInit(const std::filesystem::path& dir);

struct DemoMaterial {
  std::filesystem::path cardPki, apcv, practitioner;
  std::filesystem::path cardTrust() const { return cardPki; }
  std::filesystem::path apcvTrust() const { return apcv / "trust"; }
  std::filesystem::path practitionerFile() const { return practitioner / "practitioner.json"; }
};

/// The three above under `dir`, each made only when missing (a second call is cheap and keeps
/// the keys). `now` (Unix seconds) dates the ApCV trust material.
core::Result<DemoMaterial> demoMaterialInit(const std::filesystem::path& dir, std::int64_t now);

}  // namespace vd::sim
