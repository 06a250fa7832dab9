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

}  // namespace vd::app
