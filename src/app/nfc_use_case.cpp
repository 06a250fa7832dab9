#include "app/nfc_use_case.hpp"

#include <chrono>

#include "app/card_use_case.hpp"
#include "app/local_time.hpp"
#include "reader/pcsc/atr.hpp"
#include "reader/pcsc/pcsc_context.hpp"

namespace vd::app {
namespace {

using core::Errc;
using Clock = std::chrono::steady_clock;

bool contactlessAtr(const std::vector<std::uint8_t>& atr) {
  auto parsed = reader::parseAtr(atr);
  return parsed && parsed->contactless;
}

// The reader a phone is on, waiting up to waitMs for one. A reader holding a contact card
// (e.g. a carte Vitale) cannot receive a phone and is skipped; when every candidate is so
// occupied, there is no contactless reader to wait on.
core::Result<std::string> choosePhoneReader(reader::PcscContext& ctx, const std::vector<std::string>& candidates,
                                            const NfcReadRequest& request) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(request.waitMs);
  auto states = ctx.readerStates(candidates, 0);
  for (;;) {
    if (!states) return core::fail(states.error());
    std::string waitingOn;
    for (const reader::ReaderState& s : *states) {
      if (s.present && contactlessAtr(s.atr)) return s.reader;
      if (!s.present) waitingOn += (waitingOn.empty() ? "" : ", ") + s.reader;
    }
    if (waitingOn.empty())
      return core::fail(Errc::NfcNoContactlessReader, {request.reader ? " (" + *request.reader + ")" : ""});
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return core::fail(Errc::NfcNoPhone, {waitingOn});
    states = ctx.readerStates(candidates, static_cast<unsigned>(left));
  }
}

}  // namespace

bool isNfcDeviceError(const core::Error& e) {
  return isDeviceError(e) || e.code == Errc::NfcNoContactlessReader || e.code == Errc::NfcNoPhone ||
         e.code == Errc::NfcPhoneLifted || e.code == Errc::TrustStoreMissing || e.code == Errc::TrustStoreInvalid ||
         e.code == Errc::ReplayCacheUnwritable;
}

core::Result<NfcReadResult> readPhoneNfc(const NfcReadRequest& request) {
  const core::FixedClock fixedClock(request.at.value_or(0));
  const core::Clock& clock = request.at ? static_cast<const core::Clock&>(fixedClock) : systemClock();
  auto trust = crypto::TrustStore::load(request.trustDir);
  if (!trust) return core::fail(trust.error());
  auto replay = reader::apcv::ReplayCache::open(request.replayCache, clock.now());
  if (!replay) return core::fail(replay.error());

  auto ctx = reader::PcscContext::establish();
  if (!ctx) return core::fail(ctx.error());
  auto readers = (*ctx)->listReaders();
  if (!readers) return core::fail(readers.error());
  std::vector<std::string> candidates;
  if (request.reader) {
    std::string chosen;
    for (const std::string& name : *readers) {
      if (name == *request.reader) chosen = name;
      else if (chosen.empty() && name.find(*request.reader) != std::string::npos) chosen = name;
    }
    if (chosen.empty()) return core::fail(Errc::PcscNoReader, {" (" + *request.reader + ")"});
    candidates.push_back(chosen);
  } else {
    candidates = *readers;
  }
  auto chosen = choosePhoneReader(**ctx, candidates, request);
  if (!chosen) return core::fail(chosen.error());

  const auto start = Clock::now();
  auto phone = (*ctx)->connect(*chosen);
  if (!phone) {
    const Errc c = phone.error().code;
    return core::fail(c == Errc::PcscNoCard || c == Errc::CardRemoved ? core::makeError(Errc::NfcPhoneLifted)
                                                                      : phone.error());
  }
  if (!contactlessAtr((*phone)->atr())) return core::fail(Errc::NfcNoContactlessReader, {" (" + *chosen + ")"});
  if (auto tx = (*phone)->beginTransaction(); !tx) {
    return core::fail(tx.error().code == Errc::CardRemoved ? core::makeError(Errc::NfcPhoneLifted) : tx.error());
  }
  reader::apcv::NfcSession session(*trust, clock, *replay);
  auto reading = session.read(**phone);
  (*phone)->endTransaction();
  if (!reading) return core::fail(reading.error());
  const double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return NfcReadResult{*chosen, std::move(*reading), std::move(*trust), elapsed};
}

}  // namespace vd::app
