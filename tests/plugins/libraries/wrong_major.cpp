// Built for the next major plugin-API version.
#include "test_plugins.hpp"

TEST_PLUGIN_HANDSHAKE(netspine::plugin::kApiMajor + 1, 0, NETSPINE_PLUGIN_ABI_TAG)
TEST_PLUGIN_EXPORTS_AFTER_HANDSHAKE(netspine::test_plugins::TestOsPlatform,
                                    netspine::test_plugins::platformManifest())
