#include "netspine/sim/test_device.hpp"

namespace netspine::sim {
namespace {

DeviceProfile defaultProfile(OsKind os) {
  DeviceProfile profile;
  profile.name = "r1";
  profile.os = os;
  return profile;
}

}  // namespace

TestDevice::TestDevice(OsKind os) : TestDevice(defaultProfile(os)) {}

TestDevice::TestDevice(DeviceProfile profile, TransportOptions transport, Clock clock)
    // One event loop is plenty for one test's sessions and keeps the test's threads few.
    : server_(std::make_unique<SshServer>(SshServerOptions{.threads = 1})) {
  DeviceSpec spec;
  spec.profile = std::move(profile);
  spec.address = "127.0.0.1";
  spec.port = 0;
  spec.transport = transport;
  served_ = server_->add(spec, std::move(clock));
  server_->start();
}

TestDevice::~TestDevice() = default;

}  // namespace netspine::sim
