#include "app/resources.hpp"

#include <cstdlib>
#include <system_error>

namespace vd::app {
namespace {
bool looksLikeResources(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "tariffs" / "acts.csv", ec);
}
}  // namespace

std::optional<std::filesystem::path> resourcesDir() {
  if (const char* env = std::getenv("VITALEDESK_RESOURCES"); env != nullptr && *env != '\0') {
    // An explicit setting that is wrong is an error, not a reason to pick another copy.
    if (looksLikeResources(env)) return std::filesystem::path(env);
    return std::nullopt;
  }
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "vitaledesk";
    if (looksLikeResources(installed)) return installed;
  }
#ifdef VD_SOURCE_RESOURCES_DIR
  if (looksLikeResources(VD_SOURCE_RESOURCES_DIR)) return std::filesystem::path(VD_SOURCE_RESOURCES_DIR);
#endif
  return std::nullopt;
}

}  // namespace vd::app
