// A factory that throws.
#include "test_plugins.hpp"

namespace {
struct Exploding : netspine::test_plugins::TestOsPlatform {
  Exploding() { throw std::runtime_error("constructor exploded"); }
};
}  // namespace

NETSPINE_PLUGIN(Exploding, netspine::test_plugins::platformManifest())
