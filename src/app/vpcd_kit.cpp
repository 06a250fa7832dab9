#include "app/vpcd_kit.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "reader/pcsc/pcsc_context.hpp"
#include "sim/vpcd.hpp"

namespace vd::app {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxConfBytes = 64 * 1024;
constexpr auto kConnectBudget = std::chrono::milliseconds(2000);
/// pcscd polls vpcd every 400 ms (RECIPES.md): a removal is seen within that, with margin.
constexpr unsigned kEmptyBudgetMs = 1500;
constexpr const char* kDefaultName = "Virtual PCD";

std::vector<VpcdConfEntry> entriesOf(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  std::vector<VpcdConfEntry> entries;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string text(kMaxConfBytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    for (auto& e : parseVpcdConf(text)) entries.push_back(std::move(e));
  }
  return entries;
}

/// Waits (≤ budgetMs) until pcscd shows no card in `reader`. Errors: DemoVpcdBusy {reader},
/// PC/SC errors.
core::Result<void> waitEmpty(const std::string& reader, unsigned budgetMs) {
  auto ctx = reader::PcscContext::establish();
  if (!ctx) return core::fail(ctx.error());
  const auto deadline = Clock::now() + std::chrono::milliseconds(budgetMs);
  unsigned waitMs = 0;
  for (;;) {
    auto states = (*ctx)->readerStates({reader}, waitMs);
    if (!states) return core::fail(states.error());
    if (states->empty() || !states->front().present) return {};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return core::fail(core::Errc::DemoVpcdBusy, {reader});
    waitMs = static_cast<unsigned>(left);
  }
}

}  // namespace

core::Result<VpcdConfEntry> findVpcdConf(const fs::path& confDir, const char* portEnv) {
  const auto entries = entriesOf(confDir);
  if (portEnv != nullptr && *portEnv != '\0') {
    const auto port = parseVpcdPort(portEnv);
    if (!port) return core::fail(core::Errc::DemoVpcdBadPort, {std::string(portEnv).substr(0, 32)});
    return VpcdConfEntry{entries.empty() ? std::string(kDefaultName) : entries.front().friendlyName, *port};
  }
  if (entries.empty()) return core::fail(core::Errc::DemoVpcdNotConfigured, {confDir.string()});
  return entries.front();
}

core::Result<VpcdSetup> detectVpcd(const fs::path& confDir, const char* portEnv) {
  auto entry = findVpcdConf(confDir, portEnv);
  if (!entry) return core::fail(entry.error());
  auto ctx = reader::PcscContext::establish();
  if (!ctx) return core::fail(ctx.error());
  auto readers = (*ctx)->listReaders();
  if (!readers) {
    if (readers.error().code == core::Errc::PcscNoReader)
      return core::fail(core::Errc::DemoVpcdNoReader, {entry->friendlyName});
    return core::fail(readers.error());
  }
  // pcscd names them "NAME nn ss": the first reader nn of that name with its slots 00 and 01.
  const std::string prefix = entry->friendlyName + " ";
  VpcdSetup setup;
  setup.port = entry->port;
  for (const std::string& r : *readers) {
    if (r.size() < prefix.size() + 2 || r.compare(0, prefix.size(), prefix) != 0 || r.compare(r.size() - 3, 3, " 00") != 0)
      continue;
    const std::string phone = r.substr(0, r.size() - 2) + "01";
    if (std::find(readers->begin(), readers->end(), phone) == readers->end()) continue;
    setup.contactReader = r;
    setup.phoneReader = phone;
    break;
  }
  if (setup.contactReader.empty()) return core::fail(core::Errc::DemoVpcdNoReader, {entry->friendlyName});
  auto states = (*ctx)->readerStates({setup.contactReader}, 0);
  if (!states) return core::fail(states.error());
  if (!states->empty() && states->front().present) return core::fail(core::Errc::DemoVpcdBusy, {setup.contactReader});
  return setup;
}

core::Result<VpcdSetup> detectVpcd() { return detectVpcd(kReaderConfDir, std::getenv(kVpcdPortEnv)); }

/// One slot's runVpcd thread: a fresh one per card (a stop flag is not reset).
struct VpcdKit::Slot {
  enum class State { Connecting, Connected, Ended };
  std::shared_ptr<sim::VpcdCard> card;
  sim::VpcdStop stopFlag;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable changed;
  State state = State::Connecting;
};

VpcdKit::VpcdKit(VpcdSetup setup) : m_setup(std::move(setup)) {}

VpcdKit::~VpcdKit() {
  if (m_card) stop(*m_card, "");
  if (m_phone) stop(*m_phone, "");
}

void VpcdKit::stop(Slot& slot, const std::string& reader) {
  slot.stopFlag.request();
  if (slot.thread.joinable()) slot.thread.join();
  // Wait until pcscd saw it go, so that the next card is seen as a new insertion.
  if (!reader.empty()) (void)waitEmpty(reader, kEmptyBudgetMs);
}

core::Result<void> VpcdKit::serve(Slot& s, std::shared_ptr<sim::VpcdCard> card, int port) {
  s.card = std::move(card);
  sim::VpcdOptions options;
  options.log = false;
  options.reconnect = false;  // pcscd gone: the card is out, the next action detects again
  options.stop = &s.stopFlag;
  options.onConnection = [&s](bool connected) {
    std::lock_guard lock(s.mutex);
    s.state = connected ? Slot::State::Connected : Slot::State::Ended;
    s.changed.notify_all();
  };
  s.thread = std::thread([&s, options, host = m_setup.host, port] {
    (void)sim::runVpcd(*s.card, host, port, options);  // 0 (stopped, closed) or 4 (refused)
    std::lock_guard lock(s.mutex);
    s.state = Slot::State::Ended;
    s.changed.notify_all();
  });
  std::unique_lock lock(s.mutex);
  s.changed.wait_for(lock, kConnectBudget, [&] { return s.state != Slot::State::Connecting; });
  if (s.state == Slot::State::Connected) return {};
  lock.unlock();
  stop(s, "");
  return core::fail(core::Errc::DemoVpcdRefused, {std::to_string(port)});
}

core::Result<void> VpcdKit::insertCard(std::shared_ptr<sim::VpcdCard> card) {
  removeCard();
  if (!m_setup.contactReader.empty())
    if (auto empty = waitEmpty(m_setup.contactReader, kEmptyBudgetMs); !empty) return empty;
  m_card = std::make_unique<Slot>();
  auto served = serve(*m_card, std::move(card), m_setup.port);
  if (!served) m_card.reset();
  return served;
}

bool VpcdKit::removeCard() {
  if (!m_card) return false;
  stop(*m_card, m_setup.contactReader);
  m_card.reset();
  return true;
}

core::Result<void> VpcdKit::presentPhone(std::shared_ptr<sim::VpcdCard> phone) {
  liftPhone();
  if (!m_setup.phoneReader.empty())
    if (auto empty = waitEmpty(m_setup.phoneReader, kEmptyBudgetMs); !empty) return empty;
  m_phone = std::make_unique<Slot>();
  auto served = serve(*m_phone, std::move(phone), m_setup.port + 1);
  if (!served) m_phone.reset();
  return served;
}

void VpcdKit::liftPhone() {
  if (!m_phone) return;
  stop(*m_phone, m_setup.phoneReader);
  m_phone.reset();
}

bool VpcdKit::cardInserted() const {
  if (!m_card) return false;
  std::lock_guard lock(m_card->mutex);
  return m_card->state == Slot::State::Connected;
}

bool VpcdKit::phonePresent() const {
  if (!m_phone) return false;
  std::lock_guard lock(m_phone->mutex);
  return m_phone->state == Slot::State::Connected;
}

DemoDevices::DemoDevices(std::string cardReader, Detect detect)
    : m_cardReader(std::move(cardReader)), m_detect(std::move(detect)) {}

bool DemoDevices::decide(Use& use) {
  if (!m_decided) {
    m_decided = true;
    m_why.reset();
    m_kit.reset();
    auto setup = m_detect();
    if (!setup) m_why = setup.error();
    else if (m_cardReader.empty() || setup->contactReader.find(m_cardReader) != std::string::npos)
      m_kit = std::make_unique<VpcdKit>(std::move(*setup));
    // else: the desk watches another reader; the demo stays in-process.
  }
  use.viaPcscd = m_kit != nullptr;
  use.error = m_why;
  return use.viaPcscd;
}

DemoDevices::Use DemoDevices::insertCard(std::shared_ptr<sim::VpcdCard> card) {
  Use use;
  if (!decide(use)) return use;
  use.reader = m_kit->setup().contactReader;
  if (auto done = m_kit->insertCard(std::move(card)); !done) {
    use.error = done.error();
    m_decided = false;  // pcscd stopped, vpcd gone, another emulator: the next action detects again
  }
  return use;
}

DemoDevices::Use DemoDevices::detect() {
  Use use;
  if (decide(use)) use.reader = m_kit->setup().contactReader;
  return use;
}

DemoDevices::Use DemoDevices::removeCard() {
  Use use;
  if (!m_kit) return use;
  use.reader = m_kit->setup().contactReader;
  use.viaPcscd = m_kit->removeCard();
  return use;
}

DemoDevices::Use DemoDevices::presentPhone(std::shared_ptr<sim::VpcdCard> phone) {
  Use use;
  if (!decide(use)) return use;
  use.reader = m_kit->setup().phoneReader;
  if (auto done = m_kit->presentPhone(std::move(phone)); !done) {
    use.error = done.error();
    m_decided = false;
  }
  return use;
}

}  // namespace vd::app
