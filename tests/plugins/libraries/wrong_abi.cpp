// Claims another compiler / standard library ABI.
#include "test_plugins.hpp"

TEST_PLUGIN_HANDSHAKE(netspine::plugin::kApiMajor, netspine::plugin::kApiMinor,
                      "x86_64/msvc/msvcprt/cxx202002")
TEST_PLUGIN_EXPORTS_AFTER_HANDSHAKE(netspine::test_plugins::TestOsPlatform,
                                    netspine::test_plugins::platformManifest())
