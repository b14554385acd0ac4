// The manifest says engine; the factory makes a platform.
#include "test_plugins.hpp"

NETSPINE_PLUGIN(netspine::test_plugins::TestOsPlatform, [] {
  auto m = netspine::test_plugins::engineManifest();
  m.id = "test_mismatch";
  return m;
}())
