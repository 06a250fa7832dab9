#pragma once
/// \file
/// `vitaledesk-sim pki server DIR`, `vitaledesk-sim server …` and `vitaledesk-sim ledger FILE`
/// (docs/cli.md). Arguments are argv after the command word. Exit codes: 0 ok, 2 usage,
/// 3 environment (TLS files, port, ledger).

#include <string>
#include <vector>

namespace vd::sim {

int pkiServerCommand(const std::vector<std::string>& args);  ///< args after "pki server"
int serverCommand(const std::vector<std::string>& args);
int ledgerCommand(const std::vector<std::string>& args);

}  // namespace vd::sim
