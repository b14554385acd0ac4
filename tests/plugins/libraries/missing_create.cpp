// A plugin whose handshake and manifest are fine but that exports no factory.
#include "test_plugins.hpp"

TEST_PLUGIN_HANDSHAKE(netspine::plugin::kApiMajor, netspine::plugin::kApiMinor,
                      NETSPINE_PLUGIN_ABI_TAG)

NETSPINE_PLUGIN_EXPORT const netspine::plugin::Manifest* netspine_plugin_manifest() {
  static const netspine::plugin::Manifest manifest = netspine::test_plugins::platformManifest();
  return &manifest;
}
