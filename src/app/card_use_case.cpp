#include "app/card_use_case.hpp"

#include <chrono>

#include "reader/pcsc/pcsc_context.hpp"

namespace vd::app {

bool isDeviceError(const core::Error& e) {
  using core::Errc;
  return e.code == Errc::PcscNoService || e.code == Errc::PcscNoReader || e.code == Errc::PcscNoCard ||
         e.code == Errc::CardRemoved || e.code == Errc::CardMute || e.code == Errc::PcscFailed ||
         e.code == Errc::CardTrustMissing;
}

core::Result<CardReadResult> readVitaleCard(const CardReadRequest& request) {
  auto trust = reader::CardTrust::load(request.trustDir);
  if (!trust) return core::fail(trust.error());
  auto ctx = reader::PcscContext::establish();
  if (!ctx) return core::fail(ctx.error());
  auto readers = (*ctx)->listReaders();
  if (!readers) return core::fail(readers.error());

  std::string chosen;
  if (request.reader) {
    for (const std::string& name : *readers) {
      if (name == *request.reader) chosen = name;
      else if (chosen.empty() && name.find(*request.reader) != std::string::npos) chosen = name;
    }
    if (chosen.empty()) return core::fail(core::Errc::PcscNoReader, {" (" + *request.reader + ")"});
  } else {
    for (const std::string& name : *readers) {
      if ((*ctx)->waitForCard(name, 0).ok()) {
        chosen = name;
        break;
      }
    }
    if (chosen.empty()) chosen = readers->front();
  }
  auto waited = (*ctx)->waitForCard(chosen, request.waitMs);
  if (!waited) return core::fail(waited.error());

  const auto start = std::chrono::steady_clock::now();
  auto card = (*ctx)->connect(chosen);
  if (!card) return core::fail(card.error());
  if (!reader::isVitaleAtr((*card)->atr())) return core::fail(core::Errc::CardNotVitale, {"ATR"});
  auto tx = (*card)->beginTransaction();
  if (!tx) return core::fail(tx.error());
  reader::VitaleCardReader vitale(*trust, request.at);
  auto cred = vitale.read(**card);
  (*card)->endTransaction();
  if (!cred) return core::fail(cred.error());
  CardReadResult result{chosen, std::move(cred.value()), 0};
  result.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace vd::app
