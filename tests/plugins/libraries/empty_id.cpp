// A manifest without an id.
#include "test_plugins.hpp"

NETSPINE_PLUGIN(netspine::test_plugins::TestOsPlatform, [] {
  auto m = netspine::test_plugins::platformManifest();
  m.id.clear();
  return m;
}())
