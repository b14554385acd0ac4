// Needs a netspine from the future.
#include "test_plugins.hpp"

NETSPINE_PLUGIN(netspine::test_plugins::TestOsPlatform, [] {
  auto m = netspine::test_plugins::platformManifest();
  m.minHostVersion = "99.0.0";
  return m;
}())
