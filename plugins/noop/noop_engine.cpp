// The noop engine: operation "noop" reports every device ok at once and contacts nothing.
// Parameter `sleep_ms` (0–60000) makes each device take that long, honouring cancellation.
#include <netspine/plugin/engine.hpp>
#include <netspine/plugin/plugin.hpp>

#include <charconv>
#include <chrono>
#include <thread>

namespace {

using namespace netspine::plugin;

std::optional<int> sleepOf(const Parameters& parameters) {
  auto it = parameters.find("sleep_ms");
  if (it == parameters.end()) return 0;
  int value = -1;
  const auto& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 60'000) {
    return std::nullopt;
  }
  return value;
}

class NoopEngine : public Engine {
 public:
  std::optional<std::string> validate(const std::string&,
                                      const Parameters& parameters) const override {
    for (const auto& [key, value] : parameters) {
      if (key != "sleep_ms") return "unknown parameter '" + key + "' (noop takes sleep_ms)";
    }
    if (!sleepOf(parameters)) return "sleep_ms: expected a whole number of ms from 0 to 60000";
    return std::nullopt;
  }

  void run(const EngineRequest& request, RunContext& context) override {
    const auto sleep = std::chrono::milliseconds(sleepOf(request.parameters).value_or(0));
    for (const auto& device : request.devices) {
      const auto start = std::chrono::steady_clock::now();
      DeviceResult result;
      result.deviceId = device.id;
      result.device = device.name;
      while (std::chrono::steady_clock::now() - start < sleep) {
        if (context.cancelled()) {
          result.category = ErrorCategory::Cancelled;
          result.message = "cancelled";
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      context.report(std::move(result));
    }
  }
};

Manifest noopManifest() {
  Manifest m;
  m.id = "noop";
  m.version = "1.0.0";
  m.kind = PluginKind::Engine;
  m.description = "touches no device: every device ok (optionally after sleep_ms)";
  m.provides = {"noop"};
  m.minHostVersion = "0.1.0";
  return m;
}

}  // namespace

NETSPINE_PLUGIN(NoopEngine, noopManifest())
