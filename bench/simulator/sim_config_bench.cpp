// How long the simulator takes to produce a device's running configuration: the normal
// generated size and the 20 MB huge_config fault, per platform.
#include <benchmark/benchmark.h>

#include "netspine/sim/device.hpp"

namespace {

using netspine::sim::DeviceProfile;
using netspine::sim::DeviceState;
using netspine::sim::Fault;
using netspine::sim::OsKind;

void runningConfig(benchmark::State& state, OsKind os, bool huge) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    // A new device each time: the first read generates the configuration.
    DeviceProfile profile;
    profile.name = "bench-1";
    profile.os = os;
    if (huge) profile.faults.insert(Fault::HugeConfig);
    auto device = DeviceState::create(profile);
    const auto config = device->runningConfig();
    bytes = config.size();
    benchmark::DoNotOptimize(config.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

BENCHMARK_CAPTURE(runningConfig, ios_400_lines, OsKind::CiscoIos, false);
BENCHMARK_CAPTURE(runningConfig, junos_400_lines, OsKind::JuniperJunos, false);
BENCHMARK_CAPTURE(runningConfig, eos_400_lines, OsKind::AristaEos, false);
BENCHMARK_CAPTURE(runningConfig, ios_huge, OsKind::CiscoIos, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(runningConfig, junos_huge, OsKind::JuniperJunos, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(runningConfig, eos_huge, OsKind::AristaEos, true)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
