#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace netspine::cli {

/// Exit codes of the netspine command, as documented in docs/cli.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // anything else: database unreachable, file unreadable…
  kExitUsage = 2,         // unknown command or option, missing argument, bad number
  kExitValidation = 3,    // a domain rule broken (validation or conflict)
  kExitNotFound = 4,      // the named object does not exist
  kExitWorkerStuck = 75,  // `worker` gave up: engine threads stuck past their grace (EX_TEMPFAIL)
};

/// Runs `netspine ARGS…` (without the program name): results to `out`, errors to `err` as
/// "netspine: error: …". Returns the exit code; never throws.
int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace netspine::cli
