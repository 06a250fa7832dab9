#include "app/vpcd_conf.hpp"

#include <cstddef>

namespace vd::app {
namespace {

constexpr std::size_t kMaxEntries = 16;
constexpr std::size_t kMaxName = 128;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

/// A value: the text between double quotes, else the first word.
std::string_view valueOf(std::string_view rest) {
  rest = trim(rest);
  if (!rest.empty() && rest.front() == '"') {
    rest.remove_prefix(1);
    const auto end = rest.find('"');
    return end == std::string_view::npos ? rest : rest.substr(0, end);
  }
  std::size_t n = 0;
  while (n < rest.size() && !isSpace(rest[n])) ++n;
  return rest.substr(0, n);
}

struct Pending {
  std::string name;
  bool hasDevice = false;
  std::optional<int> devicePort;  ///< DEVICENAME /dev/null:PORT (vpcd listens)
  std::optional<int> channelPort;
  bool vpcd = false;
  bool started = false;
};

void finish(Pending& p, std::vector<VpcdConfEntry>& out) {
  if (p.started && p.vpcd && out.size() < kMaxEntries) {
    // With a DEVICENAME vpcd ignores CHANNELID (pcscd calls IFDHCreateChannelByName).
    const std::optional<int> port = p.hasDevice ? p.devicePort : p.channelPort;
    if (port) out.push_back({p.name, *port});
  }
  p = Pending{};
}

}  // namespace

std::optional<int> parseVpcdPort(std::string_view text) {
  text = trim(text);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty() || text.size() > 8) return std::nullopt;
  long value = 0;
  for (char c : text) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return std::nullopt;
    value = value * base + digit;  // at most 8 digits: no overflow
  }
  if (value < 1 || value > 65534) return std::nullopt;
  return static_cast<int>(value);
}

std::vector<VpcdConfEntry> parseVpcdConf(std::string_view text) {
  std::vector<VpcdConfEntry> out;
  Pending p;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (line.empty() || line.front() == '#') continue;
    std::size_t k = 0;
    while (k < line.size() && !isSpace(line[k])) ++k;
    const std::string_view key = line.substr(0, k);
    const std::string_view value = valueOf(line.substr(k));
    if (key == "FRIENDLYNAME") {
      finish(p, out);
      p.started = true;
      p.name = std::string(value.substr(0, kMaxName));
    } else if (key == "LIBPATH") {
      p.vpcd = value.find("libifdvpcd") != std::string_view::npos;
    } else if (key == "DEVICENAME") {
      // /dev/null:PORT: vpcd listens on PORT; anything else (host:port): vpcd connects out.
      constexpr std::string_view listen = "/dev/null:";
      p.hasDevice = true;
      p.devicePort.reset();
      if (value.substr(0, listen.size()) == listen) p.devicePort = parseVpcdPort(value.substr(listen.size()));
    } else if (key == "CHANNELID") {
      p.channelPort = parseVpcdPort(value);
    }
  }
  finish(p, out);
  return out;
}

}  // namespace vd::app
