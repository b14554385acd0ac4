#pragma once
// One simulated device served over real SSH in the test's own process, for one test.
//
//   netspine::sim::TestDevice device(netspine::sim::OsKind::CiscoIos);
//   myPlugin.connect(device.address(), device.port(), device.username(), device.password());
//   EXPECT_TRUE(device.state().runningHasLine("hostname r1"));
//
// It listens on a free port of 127.0.0.1 from the constructor to the destructor.

#include <cstdint>
#include <memory>
#include <string>

#include "netspine/sim/device.hpp"
#include "netspine/sim/device_spec.hpp"
#include "netspine/sim/ssh_server.hpp"

namespace netspine::sim {

class TestDevice {
 public:
  // A device of `os` named "r1" with the default credentials (admin/admin, enable "enable").
  explicit TestDevice(OsKind os = OsKind::CiscoIos);
  explicit TestDevice(DeviceProfile profile, TransportOptions transport = {}, Clock clock = {});
  ~TestDevice();
  TestDevice(const TestDevice&) = delete;
  TestDevice& operator=(const TestDevice&) = delete;

  [[nodiscard]] const std::string& address() const { return served_.address; }
  [[nodiscard]] std::uint16_t port() const { return served_.port; }
  [[nodiscard]] const std::string& username() const { return profile().username; }
  [[nodiscard]] const std::string& password() const { return profile().password; }
  [[nodiscard]] const std::string& enableSecret() const { return profile().enableSecret; }
  [[nodiscard]] const DeviceProfile& profile() const { return served_.state->profile(); }
  // The device's configurations, shared with every session to it: read back what a test pushed.
  [[nodiscard]] DeviceState& state() const { return *served_.state; }
  [[nodiscard]] SshServerStats stats() const { return server_->stats(); }

 private:
  std::unique_ptr<SshServer> server_;
  ServedDevice served_;
};

}  // namespace netspine::sim
