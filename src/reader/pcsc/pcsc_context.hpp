#pragma once
/// \file
/// The PC/SC adapter (pcsc-lite): the only code that sees <PCSC/winscard.h>. A context that
/// re-establishes itself when the service went away (SCARD_E_NO_SERVICE, invalid handle after
/// a pcscd restart), reader listing, waiting for a card with a timeout, and an `ApduChannel`
/// over SCardTransmit bracketed by SCardBeginTransaction/SCardEndTransaction.
/// Not thread-safe: one worker owns a context and its cards.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "reader/card/apdu.hpp"

namespace vd::reader {

class PcscCard;

/// One reader's state as pcscd reports it (readerStates).
struct ReaderState {
  std::string reader;
  bool present = false;           ///< a card (or a phone in HCE) is there and not mute
  std::vector<std::uint8_t> atr;  ///< when present
};

class PcscContext {
 public:
  /// Errors: PcscNoService (pcscd not running), PcscFailed {code}.
  static core::Result<std::unique_ptr<PcscContext>> establish();
  ~PcscContext();
  PcscContext(const PcscContext&) = delete;
  PcscContext& operator=(const PcscContext&) = delete;

  /// Reader names. Re-establishes the context once if the service restarted.
  /// Errors: PcscNoService, PcscNoReader {""}, PcscFailed.
  core::Result<std::vector<std::string>> listReaders();
  /// Waits until a card is present in `reader` (at most timeoutMs).
  /// Errors: PcscNoCard {reader} on timeout, PcscNoReader, PcscNoService, PcscFailed.
  core::Result<void> waitForCard(const std::string& reader, unsigned timeoutMs);
  /// The states of `readers`; with waitMs > 0, first waits (at most waitMs, no polling) until
  /// one of them changes. A timeout is not an error. Errors: PcscNoReader {name} for an
  /// unknown reader, PcscNoService, PcscFailed.
  core::Result<std::vector<ReaderState>> readerStates(const std::vector<std::string>& readers, unsigned waitMs);
  /// Connects (shared, T=0 or T=1). Errors: PcscNoCard, CardRemoved, PcscFailed.
  core::Result<std::unique_ptr<PcscCard>> connect(const std::string& reader);
  /// Unblocks a waitForCard() running on the owning worker (SCardCancel); the only member
  /// that may be called from another thread.
  void cancel();

 private:
  PcscContext() = default;
  core::Result<void> reestablish();
  std::atomic<std::intptr_t> m_ctx{0};
  std::atomic<bool> m_valid{false};
};

/// A connected card. transmit() sends one APDU inside its own transaction when none is open.
class PcscCard final : public ApduChannel {
 public:
  ~PcscCard() override;
  PcscCard(const PcscCard&) = delete;
  PcscCard& operator=(const PcscCard&) = delete;

  const std::vector<std::uint8_t>& atr() const { return m_atr; }
  /// Opens an exclusive transaction for a sequence of APDUs (ended by endTransaction or the
  /// destructor). Errors: CardRemoved, PcscFailed.
  core::Result<void> beginTransaction();
  void endTransaction();
  core::Result<Response> transmit(std::span<const std::uint8_t> command) override;

 private:
  friend class PcscContext;
  PcscCard() = default;
  std::intptr_t m_card = 0;
  std::intptr_t m_ctx = 0;  ///< the owning context (outlives the card)
  std::string m_reader;
  unsigned long m_protocol = 0;
  bool m_inTransaction = false;
  std::vector<std::uint8_t> m_atr;
};

}  // namespace vd::reader
