#include "reader/pcsc/pcsc_context.hpp"

#include <PCSC/winscard.h>

#include <algorithm>
#include <cstdio>

namespace vd::reader {
namespace {

std::string codeHex(LONG rv) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08lX", static_cast<unsigned long>(rv));
  return buf;
}

bool serviceGone(LONG rv) {
  return rv == static_cast<LONG>(SCARD_E_NO_SERVICE) || rv == static_cast<LONG>(SCARD_E_INVALID_HANDLE) ||
         rv == static_cast<LONG>(SCARD_E_SERVICE_STOPPED);
}

bool cardGone(LONG rv) {
  return rv == static_cast<LONG>(SCARD_W_REMOVED_CARD) || rv == static_cast<LONG>(SCARD_E_NOT_TRANSACTED) ||
         rv == static_cast<LONG>(SCARD_E_NO_SMARTCARD) || rv == static_cast<LONG>(SCARD_W_RESET_CARD) ||
         rv == static_cast<LONG>(SCARD_E_READER_UNAVAILABLE);
}

core::Failure mapError(LONG rv, const std::string& reader = {}) {
  if (serviceGone(rv)) return core::fail(core::Errc::PcscNoService);
  if (rv == static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE) || rv == static_cast<LONG>(SCARD_E_UNKNOWN_READER))
    return core::fail(core::Errc::PcscNoReader, {reader.empty() ? "" : " (" + reader + ")"});
  if (cardGone(rv)) return core::fail(core::Errc::CardRemoved);
  if (rv == static_cast<LONG>(SCARD_E_TIMEOUT)) return core::fail(core::Errc::CardMute);
  return core::fail(core::Errc::PcscFailed, {codeHex(rv)});
}

}  // namespace

core::Result<std::unique_ptr<PcscContext>> PcscContext::establish() {
  std::unique_ptr<PcscContext> ctx(new PcscContext());
  auto r = ctx->reestablish();
  if (!r) return core::fail(r.error());
  return ctx;
}

core::Result<void> PcscContext::reestablish() {
  if (m_valid) SCardReleaseContext(static_cast<SCARDCONTEXT>(m_ctx));
  m_valid = false;
  SCARDCONTEXT c = 0;
  const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c);
  if (rv != SCARD_S_SUCCESS) return mapError(rv);
  m_ctx = static_cast<std::intptr_t>(c);
  m_valid = true;
  return {};
}

PcscContext::~PcscContext() {
  if (m_valid) SCardReleaseContext(static_cast<SCARDCONTEXT>(m_ctx));
}

core::Result<std::vector<std::string>> PcscContext::listReaders() {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!m_valid) {
      auto r = reestablish();
      if (!r) return core::fail(r.error());
    }
    DWORD len = 0;
    LONG rv = SCardListReaders(static_cast<SCARDCONTEXT>(m_ctx), nullptr, nullptr, &len);
    std::vector<char> buf;
    if (rv == SCARD_S_SUCCESS) {
      buf.resize(len);
      rv = SCardListReaders(static_cast<SCARDCONTEXT>(m_ctx), nullptr, buf.data(), &len);
    }
    if (serviceGone(rv) && attempt == 0) {
      m_valid = false;  // pcscd restarted: a fresh context, once
      continue;
    }
    if (rv != SCARD_S_SUCCESS) return mapError(rv);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < buf.size() && buf[i] != '\0';) {
      std::string name(&buf[i]);
      i += name.size() + 1;
      names.push_back(std::move(name));
    }
    if (names.empty()) return core::fail(core::Errc::PcscNoReader, {""});
    return names;
  }
  return core::fail(core::Errc::PcscNoService);
}

core::Result<void> PcscContext::waitForCard(const std::string& reader, unsigned timeoutMs) {
  SCARD_READERSTATE state{};
  state.szReader = reader.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  LONG rv = SCardGetStatusChange(static_cast<SCARDCONTEXT>(m_ctx), 0, &state, 1);
  if (rv != SCARD_S_SUCCESS && rv != static_cast<LONG>(SCARD_E_TIMEOUT)) return mapError(rv, reader);
  if ((state.dwEventState & SCARD_STATE_PRESENT) != 0 && (state.dwEventState & SCARD_STATE_MUTE) == 0) return {};
  if ((state.dwEventState & SCARD_STATE_UNKNOWN) != 0) return core::fail(core::Errc::PcscNoReader, {" (" + reader + ")"});
  state.dwCurrentState = state.dwEventState;
  rv = SCardGetStatusChange(static_cast<SCARDCONTEXT>(m_ctx), timeoutMs, &state, 1);
  if (rv == static_cast<LONG>(SCARD_E_TIMEOUT)) return core::fail(core::Errc::PcscNoCard, {reader});
  if (rv != SCARD_S_SUCCESS) return mapError(rv, reader);
  if ((state.dwEventState & SCARD_STATE_PRESENT) != 0) return {};
  return core::fail(core::Errc::PcscNoCard, {reader});
}

core::Result<std::vector<ReaderState>> PcscContext::readerStates(const std::vector<std::string>& readers,
                                                                 unsigned waitMs) {
  std::vector<SCARD_READERSTATE> states(readers.size());
  for (std::size_t i = 0; i < readers.size(); ++i) {
    states[i].szReader = readers[i].c_str();
    states[i].dwCurrentState = SCARD_STATE_UNAWARE;
  }
  const auto count = static_cast<DWORD>(states.size());
  LONG rv = SCardGetStatusChange(static_cast<SCARDCONTEXT>(m_ctx), 0, states.data(), count);
  if (rv != SCARD_S_SUCCESS && rv != static_cast<LONG>(SCARD_E_TIMEOUT)) return mapError(rv);
  if (waitMs > 0) {
    for (auto& st : states) st.dwCurrentState = st.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    rv = SCardGetStatusChange(static_cast<SCARDCONTEXT>(m_ctx), waitMs, states.data(), count);
    if (rv != SCARD_S_SUCCESS && rv != static_cast<LONG>(SCARD_E_TIMEOUT)) return mapError(rv);
  }
  std::vector<ReaderState> out;
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const DWORD ev = states[i].dwEventState;
    if ((ev & SCARD_STATE_UNKNOWN) != 0) return core::fail(core::Errc::PcscNoReader, {" (" + readers[i] + ")"});
    ReaderState r{readers[i], (ev & SCARD_STATE_PRESENT) != 0 && (ev & SCARD_STATE_MUTE) == 0, {}};
    if (r.present) r.atr.assign(states[i].rgbAtr, states[i].rgbAtr + std::min<DWORD>(states[i].cbAtr, MAX_ATR_SIZE));
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<std::unique_ptr<PcscCard>> PcscContext::connect(const std::string& reader) {
  std::unique_ptr<PcscCard> card(new PcscCard());
  SCARDHANDLE h = 0;
  DWORD proto = 0;
  LONG rv = SCardConnect(static_cast<SCARDCONTEXT>(m_ctx), reader.c_str(), SCARD_SHARE_SHARED,
                         SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h, &proto);
  if (rv == static_cast<LONG>(SCARD_E_NO_SMARTCARD) || rv == static_cast<LONG>(SCARD_W_REMOVED_CARD))
    return core::fail(core::Errc::PcscNoCard, {reader});
  if (rv != SCARD_S_SUCCESS) return mapError(rv, reader);
  card->m_card = static_cast<std::intptr_t>(h);
  card->m_ctx = m_ctx;
  card->m_reader = reader;
  card->m_protocol = proto;
  BYTE atr[MAX_ATR_SIZE];
  DWORD atrLen = sizeof atr;
  DWORD state = 0, p = 0, nameLen = 0;
  rv = SCardStatus(h, nullptr, &nameLen, &state, &p, atr, &atrLen);
  if (rv != SCARD_S_SUCCESS) return mapError(rv, reader);
  card->m_atr.assign(atr, atr + atrLen);
  return card;
}

void PcscContext::cancel() {
  if (m_valid) SCardCancel(static_cast<SCARDCONTEXT>(m_ctx));
}

PcscCard::~PcscCard() {
  endTransaction();
  SCardDisconnect(static_cast<SCARDHANDLE>(m_card), SCARD_LEAVE_CARD);
}

core::Result<void> PcscCard::beginTransaction() {
  const LONG rv = SCardBeginTransaction(static_cast<SCARDHANDLE>(m_card));
  if (rv != SCARD_S_SUCCESS) return mapError(rv);
  m_inTransaction = true;
  return {};
}

void PcscCard::endTransaction() {
  if (!m_inTransaction) return;
  SCardEndTransaction(static_cast<SCARDHANDLE>(m_card), SCARD_LEAVE_CARD);
  m_inTransaction = false;
}

core::Result<Response> PcscCard::transmit(std::span<const std::uint8_t> command) {
  const SCARD_IO_REQUEST* pci = m_protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
  BYTE resp[258 + 2];
  DWORD respLen = sizeof resp;
  const LONG rv = SCardTransmit(static_cast<SCARDHANDLE>(m_card), pci, command.data(),
                                static_cast<DWORD>(command.size()), nullptr, resp, &respLen);
  if (rv != SCARD_S_SUCCESS) return mapError(rv);
  if (respLen < 2) {
    // vpcd (and some drivers) hand back an empty answer when the card vanished mid-exchange;
    // pcscd notices the removal up to 400 ms later: wait for that, bounded, to tell a pulled
    // card from a mute one.
    SCARD_READERSTATE state{};
    state.szReader = m_reader.c_str();
    state.dwCurrentState = SCARD_STATE_PRESENT;
    const LONG st = SCardGetStatusChange(static_cast<SCARDCONTEXT>(m_ctx), 1000, &state, 1);
    if (st != SCARD_S_SUCCESS || (state.dwEventState & SCARD_STATE_EMPTY) != 0) return core::fail(core::Errc::CardRemoved);
    return core::fail(core::Errc::CardMute);
  }
  return parseResponse(std::span<const std::uint8_t>(resp, respLen));
}

}  // namespace vd::reader
