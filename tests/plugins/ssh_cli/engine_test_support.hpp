#pragma once
// What the ssh_cli engine's tests share: a RunContext that records the results, the built-in
// platforms by the simulator's OS kind, and a target for a simulated device.

#include <netspine/plugin/engine.hpp>
#include <netspine/sim/device.hpp>
#include <netspine/sim/test_device.hpp>

#include <arista_eos_platform.hpp>
#include <atomic>
#include <chrono>
#include <cisco_ios_platform.hpp>
#include <juniper_junos_platform.hpp>
#include <mutex>
#include <vector>

namespace netspine::plugins::ssh_cli::test_support {

class RecordingContext : public plugin::RunContext {
 public:
  void report(plugin::DeviceResult result) override {
    std::lock_guard lock(mutex_);
    results.push_back(std::move(result));
  }
  void log(const std::string&, plugin::LogLevel, const std::string&) override {}
  [[nodiscard]] bool cancelled() const override { return cancel; }

  std::atomic<bool> cancel{false};
  std::vector<plugin::DeviceResult> results;

 private:
  std::mutex mutex_;
};

inline const plugin::Platform& platformFor(sim::OsKind os) {
  static const platforms::cisco_ios::CiscoIosPlatform ios;
  static const platforms::juniper_junos::JuniperJunosPlatform junos;
  static const platforms::arista_eos::AristaEosPlatform eos;
  switch (os) {
    case sim::OsKind::CiscoIos:
      return ios;
    case sim::OsKind::JuniperJunos:
      return junos;
    case sim::OsKind::AristaEos:
      return eos;
  }
  return ios;
}

// The target of a simulated device: its address, port, platform and login (credential set
// "main"), with short connect and login limits so that a fault ends in seconds, never minutes.
inline plugin::DeviceTarget simulatedTarget(const sim::TestDevice& device,
                                            std::chrono::seconds commandLimit,
                                            std::chrono::seconds totalLimit) {
  plugin::DeviceTarget t;
  t.id = 7;
  t.name = device.profile().name;
  t.address = device.address();
  t.port = device.port();
  t.platformId = sim::platformId(device.profile().os);
  t.platform = &platformFor(device.profile().os);
  plugin::Credentials c;
  c.name = "main";
  c.username = device.username();
  c.password = plugin::Secret(device.password());
  c.enableSecret = plugin::Secret(device.enableSecret());
  t.credentials = {c};
  t.timeouts.connect = std::chrono::seconds(2);
  t.timeouts.authentication = std::chrono::seconds(2);
  t.timeouts.command = commandLimit;
  t.timeouts.total = totalLimit;
  return t;
}

}  // namespace netspine::plugins::ssh_cli::test_support
