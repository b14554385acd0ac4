#pragma once
// What the ssh_cli engine's tests share: a RunContext that records the results, and the built-in
// platforms by the simulator's OS kind.

#include <netspine/plugin/engine.hpp>
#include <netspine/sim/device.hpp>

#include <arista_eos_platform.hpp>
#include <atomic>
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

}  // namespace netspine::plugins::ssh_cli::test_support
