#include "app/reader_hub.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "app/card_use_case.hpp"
#include "app/local_time.hpp"
#include "app/nfc_use_case.hpp"
#include "app/reader_hub_camera.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/token.hpp"
#include "reader/card/vitale_card_reader.hpp"
#include "reader/image/qr_reader.hpp"
#include "reader/pcsc/atr.hpp"
#include "reader/pcsc/pcsc_monitor.hpp"
#include "reader/scanner/code_source.hpp"

namespace vd::app {

namespace {

/// "card NAME: …" / "nfc NAME: …" in the log (reader names and ids only, never patient data).
std::string logPrefix(Source source) { return source == Source::NfcReader ? "nfc " : "card "; }

}  // namespace

struct ReaderHub::TokenState {
  std::optional<crypto::TrustStore> trust;
  std::string trustStamp;  ///< trustFolderStamp() of the loaded material
  std::string lastCameraText;  ///< the last code the camera gave (seen again: not a new presentation)
  std::optional<reader::apcv::ReplayCache> replay;
};

namespace {

/// Names, sizes and modification times of the trust folder's files (and of issuers/): changes
/// when the folder is updated, so a desk left running picks up new revocation lists.
std::string trustFolderStamp(const std::filesystem::path& dir) {
  std::vector<std::string> entries;
  for (const auto& folder : {dir, dir / "issuers"}) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code e2;
      if (!it->is_regular_file(e2)) continue;
      const auto size = it->file_size(e2);
      const auto time = it->last_write_time(e2).time_since_epoch().count();
      entries.push_back(it->path().string() + ":" + std::to_string(size) + ":" + std::to_string(time));
    }
  }
  std::sort(entries.begin(), entries.end());
  std::string stamp;
  for (const auto& e : entries) stamp += e + "\n";
  return stamp;
}

}  // namespace

struct ReaderHub::Monitor {
  reader::PcscMonitor monitor;
  std::mutex mutex;     ///< guards `present` (the card worker writes, rereadCard reads)
  std::string present;  ///< the reader holding a card, empty when none
};

struct ReaderHub::Scanner {
  std::shared_ptr<reader::scanner::CodeSource> source;
};

namespace {
constexpr unsigned kPollMs = 500;
}

ReaderHub::ReaderHub(ReaderHubConfig config, EventSink& sink, const core::Clock& clock)
    : m_config(std::move(config)), m_sink(sink), m_clock(clock), m_tokens(std::make_unique<TokenState>()) {
  if (m_config.watchPcsc) {
    m_monitor = std::make_unique<Monitor>();
    m_pcscThread = std::thread([this] { pcscLoop(); });
  } else {
    for (Source src : {Source::CardReader, Source::NfcReader})
      m_sink.post(SourceChanged{src, SourceState::Unavailable, "", std::nullopt});
  }
  if (m_config.watchUsbScanners || m_config.codeSource) startUsbScanners();
  openCamera();  // reader_hub_camera.cpp
}

void ReaderHub::startUsbScanners() {
  namespace sc = reader::scanner;
  sc::UsbScannerConfig config;
  for (const std::string& id : m_config.scannerIds)
    if (auto v = sc::parseVidPid(id)) config.devices.push_back(*v);
  config.layout = sc::parseLayout(m_config.scannerLayout).value_or(sc::KeyboardLayout::Us);
  m_scanner = std::make_unique<Scanner>();
  if (m_config.codeSource) m_scanner->source = m_config.codeSource;
  else m_scanner->source = std::make_shared<sc::UsbScannerSource>(config);
  sc::CodeHandlers handlers;
  handlers.onCode = [this](const std::string& device, const sc::ScannedText& code) {
    m_sink.post(SourceChanged{Source::UsbScanner, SourceState::Present, device, std::nullopt});
    presentToken(code.text, CredentialOrigin::QrScanner);
  };
  handlers.onError = [this](const std::string& device, const core::Error& e) {
    const bool absent = e.code == core::Errc::ScannerAbsent;
    m_sink.post(SourceChanged{Source::UsbScanner, absent ? SourceState::Unavailable : SourceState::Error, device, e});
  };
  if (auto started = m_scanner->source->start(handlers); !started) {
    m_sink.post(SourceChanged{Source::UsbScanner, SourceState::Unavailable, "", started.error()});
    m_scanner.reset();
    return;
  }
  m_sink.post(SourceChanged{Source::UsbScanner, SourceState::Waiting, "usb", std::nullopt});
}

ReaderHub::~ReaderHub() {
  m_camera->close();  // joins: no camera text or state after this
  if (m_scanner) m_scanner->source->stop();  // joins: no handler runs after this
  m_stop = true;
  if (m_monitor) m_monitor->monitor.cancel();
  if (m_pcscThread.joinable()) m_pcscThread.join();
}

core::Date ReaderHub::today() const { return deskToday(m_clock); }

void ReaderHub::presentToken(std::string text, CredentialOrigin origin) {
  m_tokenWorker.post([this, text = std::move(text), origin] { verifyToken(text, origin); });
}

void ReaderHub::presentImage(std::filesystem::path file) {
  m_tokenWorker.post([this, file = std::move(file)] {
    m_sink.post(SourceChanged{Source::Camera, SourceState::Busy, file.filename().string(), std::nullopt});
    auto text = reader::image::readQrTextFromFile(file.string());
    if (!text) {
      m_sink.post(ReadFailed{CredentialOrigin::QrImage, text.error()});
      m_sink.post(SourceChanged{Source::Camera, SourceState::Error, file.filename().string(), text.error()});
      return;
    }
    verifyToken(*text, CredentialOrigin::QrImage);
    m_sink.post(SourceChanged{Source::Camera, SourceState::Waiting, "", std::nullopt});
  });
}

bool ReaderHub::loadTokenState(CredentialOrigin origin, std::int64_t now) {
  TokenState& s = *m_tokens;
  // Loaded on first use, and again whenever the folder changed (updated revocation lists).
  const std::string stamp = trustFolderStamp(m_config.apcvTrustDir);
  if (!s.trust || stamp != s.trustStamp) {
    auto trust = crypto::TrustStore::load(m_config.apcvTrustDir);
    if (!trust && !s.trust) {
      m_sink.post(ReadFailed{origin, trust.error()});
      return false;
    }
    if (trust) {
      s.trust.emplace(std::move(*trust));
    } else {
      // An update being copied, or a broken one: the previous material stays in use.
      m_sink.post(LogLine{"trust: updated folder unreadable (" + std::string(core::errcId(trust.error().code)) +
                          "), previous material kept"});
    }
    s.trustStamp = stamp;
  }
  if (!s.replay) {
    if (m_config.replayCache.empty()) {
      s.replay.emplace();
    } else {
      auto cache = reader::apcv::ReplayCache::open(m_config.replayCache, now);
      if (!cache) {
        m_sink.post(ReadFailed{origin, cache.error()});
        return false;
      }
      s.replay.emplace(std::move(*cache));
    }
  }
  return true;
}

void ReaderHub::presentNfcPhone(std::shared_ptr<reader::ApduChannel> channel, std::string device) {
  m_tokenWorker.post([this, channel = std::move(channel), device = std::move(device)] {
    m_sink.post(SourceChanged{Source::NfcReader, SourceState::Busy, device, std::nullopt});
    const std::int64_t now = m_clock.now();
    if (!loadTokenState(CredentialOrigin::Nfc, now)) return;
    const core::FixedClock at(now);
    auto read = reader::apcv::NfcSession(*m_tokens->trust, at, *m_tokens->replay).read(*channel);
    if (!read) return readFailed(Source::NfcReader, CredentialOrigin::Nfc, device, read.error());
    CredentialView view = viewOfToken(read->credential, CredentialOrigin::Nfc, now);
    view.device = device;
    view.trustAgeDays = m_tokens->trust->ageInDays(today());
    presented(Source::NfcReader, SourceState::Waiting, std::move(view));
  });
}

void ReaderHub::verifyToken(const std::string& text, CredentialOrigin origin) {
  const std::int64_t now = m_clock.now();
  if (!loadTokenState(origin, now)) return;
  TokenState& s = *m_tokens;
  if (origin == CredentialOrigin::QrCamera) {
    // A phone held in view is decoded again after a glare or a refocus: the same code is the
    // same presentation, not a replay to refuse over the patient being billed.
    if (text == s.lastCameraText) {
      m_sink.post(LogLine{"token camera: same code seen again, ignored"});
      return;
    }
    s.lastCameraText = text;
  }
  const core::FixedClock at(now);
  const auto cred = reader::apcv::TokenVerifier(*s.trust, at, *s.replay).verify(text);
  CredentialView view = viewOfToken(cred, origin, now);
  view.trustAgeDays = s.trust->ageInDays(today());
  m_sink.post(LogLine{"token " + std::string(originId(origin)) + ": " +
                      std::string(credentialVerdictId(view.verdict))});
  m_sink.post(CredentialPresented{std::move(view)});
}

void ReaderHub::insertCard(std::shared_ptr<reader::ApduChannel> channel, std::string device) {
  m_tokenWorker.post([this, channel = std::move(channel), device = std::move(device)] {
    m_sink.post(SourceChanged{Source::CardReader, SourceState::Busy, device, std::nullopt});
    auto trust = reader::CardTrust::load(m_config.cardTrustDir.string());
    if (!trust) return readFailed(Source::CardReader, CredentialOrigin::Card, device, trust.error());
    const core::Date at = today();
    auto cred = reader::VitaleCardReader(*trust, at).read(*channel);
    if (!cred) return readFailed(Source::CardReader, CredentialOrigin::Card, device, cred.error());
    presented(Source::CardReader, SourceState::Present, viewOfCard(*cred, device, at, m_clock.now()));
  });
}

void ReaderHub::removeCard(std::string device) {
  m_tokenWorker.post([this, device = std::move(device)] {
    m_sink.post(LogLine{"card " + device + ": removed"});
    m_sink.post(CredentialCleared{CredentialOrigin::Card});
    m_sink.post(SourceChanged{Source::CardReader, SourceState::Waiting, device, std::nullopt});
  });
}

void ReaderHub::rereadCard() {
  if (!m_monitor) return;
  m_reread = true;
  m_monitor->monitor.cancel();
}

void ReaderHub::readPcscCard(const std::string& name) {
  m_sink.post(SourceChanged{Source::CardReader, SourceState::Busy, name, std::nullopt});
  CardReadRequest request;
  request.reader = name;
  request.trustDir = m_config.cardTrustDir.string();
  request.at = today();
  request.waitMs = 0;
  auto read = readVitaleCard(request);
  if (!read) return readFailed(Source::CardReader, CredentialOrigin::Card, name, read.error());
  presented(Source::CardReader, SourceState::Present,
            viewOfCard(read->credential, name, request.at, m_clock.now()));
}

void ReaderHub::readNfcPhone(const std::string& name) {
  m_sink.post(SourceChanged{Source::NfcReader, SourceState::Busy, name, std::nullopt});
  NfcReadRequest request;
  request.reader = name;
  request.trustDir = m_config.apcvTrustDir;
  request.replayCache = m_config.replayCache;
  request.at = m_clock.now();
  request.waitMs = 0;
  auto read = readPhoneNfc(request);
  if (!read) return readFailed(Source::NfcReader, CredentialOrigin::Nfc, name, read.error());
  CredentialView view = viewOfToken(read->reading.credential, CredentialOrigin::Nfc, m_clock.now());
  view.device = name;
  view.trustAgeDays = read->trust.ageInDays(today());
  presented(Source::NfcReader, SourceState::Waiting, std::move(view));
}

void ReaderHub::readFailed(Source source, CredentialOrigin origin, const std::string& device, const core::Error& error) {
  m_sink.post(LogLine{logPrefix(source) + device + ": " + std::string(core::errcId(error.code))});
  m_sink.post(ReadFailed{origin, error});
  m_sink.post(SourceChanged{source, SourceState::Error, device, error});
}

void ReaderHub::presented(Source source, SourceState after, CredentialView view) {
  const std::string device = view.device;
  m_sink.post(LogLine{logPrefix(source) + device + ": " + std::string(credentialVerdictId(view.verdict))});
  m_sink.post(CredentialPresented{std::move(view)});
  m_sink.post(SourceChanged{source, after, device, std::nullopt});
}

void ReaderHub::pcscLoop() {
  Monitor& m = *m_monitor;
  bool announcedLost = false;
  while (!m_stop) {
    for (const reader::ReaderEvent& e : m.monitor.poll(kPollMs)) {
      if (m_stop) return;
      const bool watched = m_config.cardReader.empty() || e.reader.find(m_config.cardReader) != std::string::npos;
      switch (e.kind) {
        case reader::ReaderEvent::Kind::ServiceLost:
          if (!announcedLost)
            for (Source src : {Source::CardReader, Source::NfcReader})
            m_sink.post(SourceChanged{src, SourceState::Unavailable, "", core::makeError(core::Errc::PcscNoService, {})});
          announcedLost = true;
          break;
        case reader::ReaderEvent::Kind::ServiceBack:
          announcedLost = false;
          m_sink.post(LogLine{"pcsc: service back"});
          break;
        case reader::ReaderEvent::Kind::ReaderAdded:
          if (watched) m_sink.post(SourceChanged{Source::CardReader, SourceState::Waiting, e.reader, std::nullopt});
          // Any PC/SC reader can take a phone (vpcd's second reader, a contactless reader).
          m_sink.post(SourceChanged{Source::NfcReader, SourceState::Waiting, e.reader, std::nullopt});
          break;
        case reader::ReaderEvent::Kind::ReaderRemoved:
          if (watched) m_sink.post(LogLine{"pcsc: reader removed " + e.reader});
          break;
        case reader::ReaderEvent::Kind::CardInserted: {
          auto atr = reader::parseAtr(e.atr);
          // A contactless card is a phone in host card emulation: the NFC path.
          if (atr && atr->contactless) {
            readNfcPhone(e.reader);
            break;
          }
          if (!watched) break;
          {
            std::lock_guard lock(m.mutex);
            m.present = e.reader;
          }
          readPcscCard(e.reader);
          break;
        }
        case reader::ReaderEvent::Kind::CardRemoved: {
          std::lock_guard lock(m.mutex);
          if (m.present != e.reader) break;
          m.present.clear();
          m_sink.post(CredentialCleared{CredentialOrigin::Card});
          m_sink.post(SourceChanged{Source::CardReader, SourceState::Waiting, e.reader, std::nullopt});
          break;
        }
      }
    }
    if (m_reread.exchange(false)) {
      std::string present;
      {
        std::lock_guard lock(m.mutex);
        present = m.present;
      }
      if (!present.empty()) readPcscCard(present);
    }
  }
}

}  // namespace vd::app
