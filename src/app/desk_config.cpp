#include "app/desk_config.hpp"

#include <cstdlib>

namespace vd::app {

std::filesystem::path defaultDataDir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  const std::filesystem::path base = xdg != nullptr && *xdg != '\0' ? std::filesystem::path(xdg)
                                     : std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share";
  return base / "vitaledesk";
}

std::filesystem::path defaultReplayCache() {
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  const std::filesystem::path base = state != nullptr && *state != '\0' ? std::filesystem::path(state)
                                     : std::filesystem::path(home != nullptr ? home : ".") / ".local" / "state";
  std::error_code ec;
  std::filesystem::create_directories(base / "vitaledesk", ec);
  std::filesystem::permissions(base / "vitaledesk", std::filesystem::perms::owner_all, ec);
  const auto file = base / "vitaledesk" / "apcv-replay.txt";
  const auto former = defaultDataDir() / "apcv-replay.txt";
  if (!std::filesystem::exists(file, ec) && std::filesystem::exists(former, ec)) std::filesystem::rename(former, file, ec);
  return file;
}

}  // namespace vd::app
