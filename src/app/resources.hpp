#pragma once
/// \file
/// Where VitaleDesk finds its shipped data (tariff tables, translations, demo trust
/// material): $VITALEDESK_RESOURCES, else <prefix>/share/vitaledesk next to the installed
/// binary, else the source tree's resources/ for a build-tree run.

#include <filesystem>
#include <optional>

namespace vd::app {

/// The resources directory, or nullopt when none of the candidates holds tariffs/acts.csv
/// (or when $VITALEDESK_RESOURCES is set to a directory that does not).
std::optional<std::filesystem::path> resourcesDir();

}  // namespace vd::app
