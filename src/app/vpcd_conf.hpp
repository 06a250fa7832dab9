#pragma once
/// \file
/// Where pcscd's vpcd driver (vsmartcard-vpcd) listens, read from its reader.conf entries
/// (RECIPES.md, "PC/SC with virtual cards"): `DEVICENAME /dev/null:0x8C7B` → port 35963 for
/// reader "FRIENDLYNAME 00 00", port + 1 for "… 00 01". Pure parsing of untrusted bytes,
/// bounds-checked (fuzz_vpcd_conf); the desk's test kit uses it (app/vpcd_kit.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vd::app {

struct VpcdConfEntry {
  std::string friendlyName;  ///< FRIENDLYNAME (pcscd names the readers "NAME 00 00", "NAME 00 01")
  int port = 0;              ///< the TCP port of the first slot; the second is port + 1
};

/// The vpcd entries (LIBPATH …libifdvpcd…) of one reader.conf file, in order. An entry starts
/// at FRIENDLYNAME; its port is DEVICENAME's `/dev/null:PORT` (hex 0x… or decimal), else
/// CHANNELID; an entry where vpcd connects out (DEVICENAME host:port) or with a port outside
/// 1–65534 is left out. At most 16 entries; names cut at 128 bytes.
std::vector<VpcdConfEntry> parseVpcdConf(std::string_view text);

/// A port as written by the user (VD_VPCD_PORT) or in DEVICENAME: decimal or 0x-hex, 1–65534
/// (the second slot is port + 1). nullopt otherwise.
std::optional<int> parseVpcdPort(std::string_view text);

}  // namespace vd::app
