// How fast each platform plugin turns command outputs into a stored backup (drop volatile lines,
// mask secrets, check completeness): the outputs of its own backup commands, produced by the
// device simulator for configurations of several sizes.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "arista_eos_platform.hpp"
#include "cisco_ios_platform.hpp"
#include "juniper_junos_platform.hpp"
#include "netspine/sim/device.hpp"

namespace {

using netspine::plugin::Platform;
using netspine::plugin::SecretMode;
using netspine::sim::OsKind;

std::unique_ptr<Platform> platformFor(OsKind os) {
  switch (os) {
    case OsKind::CiscoIos:
      return std::make_unique<netspine::platforms::cisco_ios::CiscoIosPlatform>();
    case OsKind::JuniperJunos:
      return std::make_unique<netspine::platforms::juniper_junos::JuniperJunosPlatform>();
    case OsKind::AristaEos:
      return std::make_unique<netspine::platforms::arista_eos::AristaEosPlatform>();
  }
  return nullptr;
}

// The outputs of the platform's backup commands, as a simulated device prints them.
std::vector<std::string> backupOutputs(const Platform& platform, OsKind os, std::size_t lines) {
  netspine::sim::DeviceProfile profile;
  profile.name = "bench-1";
  profile.os = os;
  profile.configLines = lines;
  auto device = netspine::sim::DeviceState::create(profile);
  std::vector<std::string> outputs;
  for (const auto& command : platform.spec().backup) {
    outputs.push_back(netspine::sim::runExec(*device, command.command).output);
  }
  return outputs;
}

void assembleBackup(benchmark::State& state, OsKind os) {
  const auto platform = platformFor(os);
  const auto outputs = backupOutputs(*platform, os, static_cast<std::size_t>(state.range(0)));
  std::size_t bytes = 0;
  for (const auto& output : outputs) bytes += output.size();
  for (auto _ : state) {
    auto backup = platform->assembleBackup(outputs, SecretMode::Mask);
    if (backup.incomplete) state.SkipWithError(backup.incomplete->c_str());
    benchmark::DoNotOptimize(backup.config.data());
  }
  state.counters["input_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

BENCHMARK_CAPTURE(assembleBackup, cisco_ios, OsKind::CiscoIos)
    ->Arg(400)
    ->Arg(4000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(assembleBackup, juniper_junos, OsKind::JuniperJunos)
    ->Arg(400)
    ->Arg(4000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(assembleBackup, arista_eos, OsKind::AristaEos)
    ->Arg(400)
    ->Arg(4000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
