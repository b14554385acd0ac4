// The ssh_cli plugin library: exports SshCliEngine.
#include <netspine/plugin/plugin.hpp>

#include "ssh_cli_engine.hpp"

NETSPINE_PLUGIN(netspine::plugins::ssh_cli::SshCliEngine, netspine::plugins::ssh_cli::manifest())
