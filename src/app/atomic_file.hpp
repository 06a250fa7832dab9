#pragma once
/// \file
/// Replaces a file whole: FILE.tmp created here with `mode` (O_EXCL|O_NOFOLLOW: never through a
/// link or a file someone left there), written, fsynced, renamed over FILE, the folder fsynced.
/// A reader sees the old file or the new one, never a part. A symbolic link at FILE is refused
/// (nothing written). The one writer of files holding patient data (0600: patient files, signed
/// care sheets, outbox exports) and of trust lists.

#include <filesystem>
#include <string_view>

#include <sys/types.h>

#include "core/result.hpp"

namespace vd::app {

/// Errors: FileUnreadable {FILE's name, write} (the temporary file is removed).
core::Result<void> replaceFileWhole(const std::filesystem::path& file, std::string_view text, mode_t mode);

}  // namespace vd::app
