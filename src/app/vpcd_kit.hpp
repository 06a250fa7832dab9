#pragma once
/// \file
/// The demo's test kit through the real PC/SC stack (issue #7, item 5): when a pcscd with
/// vsmartcard's vpcd readers is reachable, a kit card is served to vpcd from a thread of the
/// desk (connected = inserted in "Virtual PCD 00 00") and a kit phone on the second slot
/// ("… 00 01", contactless ATR), so the desk's own PC/SC worker (ReaderHub with watchPcsc)
/// reads them exactly as real ones; otherwise the demo uses its in-process source.
///
///  - detectVpcd: VD_VPCD_PORT, else the vpcd entries of /etc/reader.conf.d (vpcd_conf.hpp),
///    then pcscd asked for the two readers;
///  - VpcdKit: one runVpcd thread per slot, stopped by a stop flag (never killed);
///  - DemoDevices: decides which path the test kit takes (the desk asks at start-up, on its
///    worker; again after a failure).
/// Every call is blocking (bounded, ≤ ~2 s): run them on a worker, never on the UI thread.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/vpcd_conf.hpp"
#include "core/result.hpp"

namespace vd::sim {
class VpcdCard;
}

namespace vd::app {

inline constexpr const char* kReaderConfDir = "/etc/reader.conf.d";
inline constexpr const char* kVpcdPortEnv = "VD_VPCD_PORT";

struct VpcdSetup {
  std::string host = "127.0.0.1";
  int port = 0;               ///< the contact slot; the phone slot is port + 1
  std::string contactReader;  ///< "Virtual PCD 00 00" (empty: not checked with pcscd, tests)
  std::string phoneReader;    ///< "Virtual PCD 00 01"
};

/// Where vpcd listens: `portEnv` (VD_VPCD_PORT) when set, with the name of the first vpcd
/// entry (default "Virtual PCD"), else the first vpcd entry of the files of `confDir` (sorted,
/// each read up to 64 KiB). Errors: DemoVpcdBadPort {value}, DemoVpcdNotConfigured {dir}.
core::Result<VpcdConfEntry> findVpcdConf(const std::filesystem::path& confDir, const char* portEnv);

/// findVpcdConf, then pcscd must list "NAME nn 00" and "NAME nn 01" with no card in the first.
/// Errors: those of findVpcdConf, PcscNoService, PcscFailed, DemoVpcdNoReader {name},
/// DemoVpcdBusy {reader}.
core::Result<VpcdSetup> detectVpcd(const std::filesystem::path& confDir, const char* portEnv);
/// detectVpcd(kReaderConfDir, getenv(VD_VPCD_PORT)).
core::Result<VpcdSetup> detectVpcd();

/// Kit cards and phones served to vpcd from this process. Not thread-safe: one worker calls it.
class VpcdKit {
 public:
  explicit VpcdKit(VpcdSetup setup);
  ~VpcdKit();  ///< removes the card and lifts the phone (stop flags, joins)
  VpcdKit(const VpcdKit&) = delete;
  VpcdKit& operator=(const VpcdKit&) = delete;

  /// Removes the card there (and waits, ≤ 1.5 s, until pcscd saw it go), then serves `card`
  /// on the contact slot; returns once connected (inserted). Errors: DemoVpcdRefused {port},
  /// DemoVpcdBusy {reader} (another emulator's card, or pcscd still sees the old one).
  core::Result<void> insertCard(std::shared_ptr<sim::VpcdCard> card);
  /// Disconnects the card and waits (≤ 1.5 s) until pcscd saw it go. False: there was none.
  bool removeCard();
  /// insertCard on the phone slot (port + 1): a phone there is lifted first.
  core::Result<void> presentPhone(std::shared_ptr<sim::VpcdCard> phone);
  void liftPhone();

  bool cardInserted() const;
  bool phonePresent() const;
  const VpcdSetup& setup() const { return m_setup; }

 private:
  struct Slot;
  core::Result<void> serve(Slot& slot, std::shared_ptr<sim::VpcdCard> card, int port);
  void stop(Slot& slot, const std::string& reader);
  VpcdSetup m_setup;
  std::unique_ptr<Slot> m_card;
  std::unique_ptr<Slot> m_phone;
};

/// Which path the demo's test kit takes, decided on first use. Worker only (one thread).
class DemoDevices {
 public:
  using Detect = std::function<core::Result<VpcdSetup>()>;
  /// What a test kit action did. `viaPcscd` false: the caller uses the in-process source
  /// (`error`: why pcscd + vpcd is not used). True: done through vpcd on `reader`, unless
  /// `error` (the action failed; the next action detects again).
  struct Use {
    bool viaPcscd = false;
    std::string reader;
    std::optional<core::Error> error;
  };

  /// For a desk whose PC/SC worker watches `cardReader` (its reader filter: one that leaves
  /// the vpcd reader out means in-process). `detect`: detectVpcd(), or a test's.
  explicit DemoDevices(std::string cardReader, Detect detect = [] { return detectVpcd(); });

  /// Decides now (detection on first call) and says which path the test kit takes.
  Use detect();
  Use insertCard(std::shared_ptr<sim::VpcdCard> card);
  /// viaPcscd true: a vpcd card was disconnected (the PC/SC worker clears the patient).
  Use removeCard();
  Use presentPhone(std::shared_ptr<sim::VpcdCard> phone);

 private:
  bool decide(Use& use);  ///< true: vpcd
  std::string m_cardReader;
  Detect m_detect;
  bool m_decided = false;
  std::optional<core::Error> m_why;
  std::unique_ptr<VpcdKit> m_kit;
};

}  // namespace vd::app
