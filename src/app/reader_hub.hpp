#pragma once
/// \file
/// ReaderHub: the desk's credential sources, one worker each, reporting through the one
/// `EventSink` (DESIGN §3–4). Nothing here blocks its caller: every present/insert call queues
/// work and returns.
///
///  - card worker (`watchPcsc`): a PcscMonitor loop; a card inserted in a contact reader is read
///    and verified (`readVitaleCard`), a card removed clears the patient, a phone tapped on a
///    reader (contactless ATR) is read over NFC (`readPhoneNfc`); pcscd absent or
///    stopped → the card reader source is "unavailable" and the loop retries with backoff;
///  - USB scanner worker (`watchUsbScanners`): codes from a claimed scanner go to the token worker;
///  - camera (`camera`, docs/camera.md): a reader::image::CameraSource (GStreamer pipeline, frame
///    decoder, repeat rule); its texts go to the token worker as QrCamera. Started, stopped and
///    restarted on its own worker (a pipeline may take a moment to start), tried again every
///    `cameraRetryMs` while not found or lost; `showToCamera` plays a file pipeline through the
///    same path once (demo), then the configured camera resumes;
///  - token worker: QR texts (USB scanner, keyboard wedge, demo phone), QR image files and
///    in-process cards (demo mode) are verified in order against the ApCV trust store and the
///    replay cache, and against the card trust.
///
/// Stopping (destructor): SCardCancel on the monitor, stop flags, joins; never a killed thread.
/// Thread affinity: construct/destroy on one thread; the other members are thread-safe.

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/event_sink.hpp"
#include "app/task_runner.hpp"
#include "core/clock.hpp"
#include "reader/card/apdu.hpp"
#include "reader/image/camera_source.hpp"

namespace vd::reader::scanner {
class CodeSource;
}

namespace vd::app {

struct ReaderHubConfig {
  std::filesystem::path cardTrustDir;  ///< issuer*.pub.pem + opposition.txt (CardTrust::load)
  std::filesystem::path apcvTrustDir;  ///< ApCV trust directory (crypto::TrustStore::load)
  std::filesystem::path replayCache;   ///< empty: in memory only
  std::string cardReader;              ///< reader name substring to watch; empty: every contact reader
  bool watchPcsc = true;               ///< false: no PC/SC worker (tests, demo without pcscd)
  /// USB QR scanners read directly (libusb: claimed, decoded with the scanner's layout):
  /// "vvvv:pppp" ids, empty = the known scanners (reader/scanner/code_source.hpp).
  bool watchUsbScanners = false;
  std::vector<std::string> scannerIds;
  std::string scannerLayout = "us";  ///< the layout configured IN the scanner: "us" or "fr"
  /// A scanner code source used instead of the libusb one (started with the hub whatever
  /// `watchUsbScanners` says): another adapter, or a test feeding codes. Null: none.
  std::shared_ptr<reader::scanner::CodeSource> codeSource;
  /// The camera: Off (the indicator says unavailable), Auto (the first camera GstDeviceMonitor
  /// lists), a device path (reader::image::parseCameraSetting), or — tests and demo only — a
  /// GStreamer source description. Texts are verified as CredentialOrigin::QrCamera.
  reader::image::CameraSpec camera;
  /// A configured camera that is not found, fails or stops is started again after this delay
  /// (a webcam plugged in or back); 0: never. A test stream (showToCamera) is never retried.
  unsigned cameraRetryMs = 5000;
};

class ReaderHub {
 public:
  /// `sink` and `clock` must outlive the hub. Starts the workers.
  ReaderHub(ReaderHubConfig config, EventSink& sink, const core::Clock& clock);
  ~ReaderHub();
  ReaderHub(const ReaderHub&) = delete;
  ReaderHub& operator=(const ReaderHub&) = delete;

  /// A token text from a USB scanner, the keyboard wedge or a demo phone.
  void presentToken(std::string text, CredentialOrigin origin);
  /// An image file holding a QR code (camera stand-in).
  void presentImage(std::filesystem::path file);
  /// A card inserted in-process (demo mode without pcscd/vpcd): read over `channel` exactly as
  /// a card in a reader. `device` names the virtual reader.
  void insertCard(std::shared_ptr<reader::ApduChannel> channel, std::string device);
  /// A phone held on an in-process contactless reader (demo mode without pcscd/vpcd): the
  /// NFC exchange over `channel` exactly as over a PC/SC reader (fresh challenge, token
  /// verified against it), as origin Nfc. `device` names the virtual reader.
  void presentNfcPhone(std::shared_ptr<reader::ApduChannel> channel, std::string device);
  /// Plays `sourceDescription` (a GStreamer source, e.g. "filesrc location=… ! pngdec !
  /// imagefreeze num-buffers=50") through the camera path once, shown as `label`; when that
  /// stream ends, the configured camera starts again. Returns at once.
  void showToCamera(std::string sourceDescription, std::string label);
  /// The in-process card was removed.
  void removeCard(std::string device);
  /// Reads again the card present in a PC/SC reader (if any).
  void rereadCard();

  const ReaderHubConfig& config() const { return m_config; }

  /// The desk's today by the hub's clock (app::deskToday: the local day in the desk's zone), the
  /// day trust-list ages and card reads are judged on. Any thread.
  core::Date today() const;

 private:
  void pcscLoop();
  void readPcscCard(const std::string& reader);
  void readNfcPhone(const std::string& reader);
  void startUsbScanners();
  void openCamera();  ///< reader_hub_camera.cpp, like the three below
  void startCamera(const reader::image::CameraSpec& spec, const std::string& label, bool playback);
  void cameraEnded(std::uint64_t generation, const core::Error& error);
  void cameraProblem(std::uint64_t generation, const core::Error& error, const std::string& label,
                     std::vector<std::string> details);
  void verifyToken(const std::string& text, CredentialOrigin origin);
  /// A card or phone read: the log line, the event and the source's state (any worker).
  void readFailed(Source source, CredentialOrigin origin, const std::string& device, const core::Error& error);
  void presented(Source source, SourceState after, CredentialView view);
  /// The trust store (loaded on first use, and again when its folder changed) and the replay cache.
  bool loadTokenState(CredentialOrigin origin, std::int64_t now);

  ReaderHubConfig m_config;
  EventSink& m_sink;
  const core::Clock& m_clock;
  struct TokenState;
  std::unique_ptr<TokenState> m_tokens;  ///< trust store + replay cache, token worker only
  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_reread{false};
  struct Monitor;
  std::unique_ptr<Monitor> m_monitor;  ///< PcscMonitor; cancel() from the destructor
  std::thread m_pcscThread;
  struct Scanner;
  std::unique_ptr<Scanner> m_scanner;  ///< stopped (joined) in the destructor
  struct Camera;
  std::unique_ptr<Camera> m_camera;  ///< its worker and source; closed first in the destructor
  TaskRunner m_tokenWorker;            ///< last member: destroyed (joined) first
};

}  // namespace vd::app
