#pragma once
/// \file
/// Use case "read the carte Vitale in a reader" shared by the GUI and the CLI: PC/SC context,
/// reader choice, wait for a card, ATR check, one transaction around the reading, verdict.

#include <optional>
#include <string>

#include "core/date.hpp"
#include "core/result.hpp"
#include "reader/card/vitale_card_reader.hpp"

namespace vd::app {

struct CardReadRequest {
  std::optional<std::string> reader;  ///< exact name or a unique substring; default: first with a card
  std::string trustDir;               ///< issuer keys + opposition list (CardTrust::load)
  core::Date at = core::Date::fromDayNumber(0);  ///< date of care (rights are checked at this date)
  unsigned waitMs = 2000;             ///< how long to wait for a card
};

struct CardReadResult {
  std::string reader;
  reader::CardCredential credential;
  double elapsedMs = 0;  ///< connect to verdict
};

/// Errors: CardTrustMissing, KeyUnreadable, PcscNoService, PcscNoReader, PcscNoCard,
/// CardNotVitale, CardRemoved, CardMute, PcscFailed and the card parsers' errors.
core::Result<CardReadResult> readVitaleCard(const CardReadRequest& request);

/// True for errors of the environment (no service, reader or card; card removed): exit 3.
bool isDeviceError(const core::Error& e);

}  // namespace vd::app
