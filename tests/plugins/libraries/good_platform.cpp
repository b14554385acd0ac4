// A working platform plugin: test_os.
#include "test_plugins.hpp"

NETSPINE_PLUGIN(netspine::test_plugins::TestOsPlatform, netspine::test_plugins::platformManifest())
