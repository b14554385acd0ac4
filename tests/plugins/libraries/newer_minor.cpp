// Built for a newer minor plugin-API version than the host has.
#include "test_plugins.hpp"

TEST_PLUGIN_HANDSHAKE(netspine::plugin::kApiMajor, netspine::plugin::kApiMinor + 1,
                      NETSPINE_PLUGIN_ABI_TAG)
TEST_PLUGIN_EXPORTS_AFTER_HANDSHAKE(netspine::test_plugins::TestOsPlatform,
                                    netspine::test_plugins::platformManifest())
