// The engine the job pipeline's tests drive: one operation per automation class (test_read,
// test_discover, test_provision, test_push, test_teardown) plus test_noop, each behaving as its
// parameters say. Built by the tests only; never installed.
//
// Parameters (all optional):
//   delay_ms=N        sleep N ms per device, polling cancellation every 5 ms
//   result=CATEGORY   the result of the devices in `devices` (all when unset); default ok
//   devices=a,b       the devices `result`, `crash` and `hang` apply to
//   message=TEXT      the message of a result that is not ok
//   crash=segv        raise SIGSEGV (the worker process dies)
//   hang=1            never return, ignoring cancellation
//   fail_times=N      with state_dir: the first N calls per device give `result`, then ok
//   state_dir=DIR     where fail_times counts calls (a file per device) and every call appends
//                     a line to DIR/calls (device name and pid), for exactly-once checks
//   log_lines=N       N log lines per device
#include <netspine/plugin/engine.hpp>
#include <netspine/plugin/plugin.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>

namespace {

using namespace netspine::plugin;

const std::set<std::string> kKeys = {
    "delay_ms", "result", "devices", "message", "crash", "hang", "fail_times", "state_dir",
    "log_lines", "artifact", "artifact_dir", "host_key", "down", "checks",
    // changes: the core renders lines or a template into "change.lines"; gate and keep ask the
    // host (RunContext::refusal, RunContext::keep) as a change engine does
    "lines", "template", "dry_run", "gate", "keep"};

std::string param(const Parameters& p, const std::string& key, std::string fallback = {}) {
  auto it = p.find(key);
  return it == p.end() ? fallback : it->second;
}

bool listed(const Parameters& p, const std::string& device) {
  const auto devices = param(p, "devices");
  if (devices.empty()) return true;
  std::stringstream ss(devices);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == device) return true;
  }
  return false;
}

/// Appends a line to DIR/FILE and returns how many lines it had before.
int countAndAppend(const std::string& dir, const std::string& file, const std::string& line) {
  const std::string path = dir + "/" + file;
  int lines = 0;
  {
    std::ifstream in(path);
    std::string l;
    while (std::getline(in, l)) ++lines;
  }
  std::ofstream(path, std::ios::app) << line << "\n";
  return lines;
}

class TestEngine : public Engine {
 public:
  std::optional<std::string> validate(const std::string&, const Parameters& p) const override {
    for (const auto& [key, value] : p) {
      // With a template, other parameters are its variables.
      if (!kKeys.count(key) && !p.count("template")) return "unknown parameter '" + key + "'";
    }
    if (auto r = param(p, "result"); !r.empty() && !parseErrorCategory(r)) {
      return "result: unknown category '" + r + "'";
    }
    return std::nullopt;
  }

  void run(const EngineRequest& request, RunContext& context) override {
    const auto& p = request.parameters;
    for (const auto& device : request.devices) {
      const auto start = std::chrono::steady_clock::now();
      const auto stateDir = param(p, "state_dir");
      int calls = 0;
      if (!stateDir.empty()) {
        countAndAppend(stateDir, "calls", device.name + " " + std::to_string(getpid()));
        calls = countAndAppend(stateDir, "device-" + device.name, "call");
      }
      const bool applies = listed(p, device.name);
      for (int i = 0, n = std::stoi(param(p, "log_lines", "0")); i < n; ++i) {
        context.log(device.name, LogLevel::Debug, "line " + std::to_string(i + 1));
      }
      if (applies && param(p, "crash") == "segv") raise(SIGSEGV);
      if (applies && param(p, "hang") == "1") {
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      DeviceResult result;
      result.deviceId = device.id;
      result.device = device.name;
      if (auto lines = device.attributes.find("change.lines"); lines != device.attributes.end()) {
        result.data["change.lines"] = lines->second;
      }
      if (auto dry = p.find("dry_run"); dry != p.end()) result.data["dry_run"] = dry->second;
      if (param(p, "gate") == "1") {
        if (auto refused = context.refusal(device)) {
          result.category = ErrorCategory::PolicySkipped;
          result.message = "skipped: " + *refused;
          context.report(std::move(result));
          continue;
        }
      }
      if (param(p, "keep") == "1") {
        const auto kept = context.keep(device, "kept " + device.name + "\n", "before test");
        result.data["kept"] = kept.ok ? kept.revision : "failed: " + kept.problem;
      }
      const auto delay = std::chrono::milliseconds(std::stoi(param(p, "delay_ms", "0")));
      bool cancelled = false;
      while (std::chrono::steady_clock::now() - start < delay) {
        if (context.cancelled()) {
          cancelled = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      const auto failTimes = std::stoi(param(p, "fail_times", "-1"));
      const bool fails = applies && (failTimes < 0 || calls < failTimes);
      if (cancelled) {
        result.category = ErrorCategory::Cancelled;
        result.message = "stopped: the run was cancelled";
      } else if (fails && !param(p, "result").empty()) {
        result.category = *parseErrorCategory(param(p, "result"));
        result.message = param(p, "message", "as the test asked");
      }
      // A configuration: the text of `artifact` ({device} replaced), or the file
      // artifact_dir/<device> when there is one; returned whatever the category, so that the
      // tests see the core keep a failed task's text out of the archive.
      std::string artifact = param(p, "artifact");
      for (auto at = artifact.find("{device}"); at != std::string::npos;
           at = artifact.find("{device}")) {
        artifact.replace(at, 8, device.name);
      }
      if (const auto dir = param(p, "artifact_dir"); !dir.empty()) {
        std::ifstream in(dir + "/" + device.name);
        if (in) artifact.assign(std::istreambuf_iterator<char>(in), {});
      }
      result.artifact = std::move(artifact);
      // The host key the device "offers", and the one the worker says is pinned.
      if (const auto key = param(p, "host_key"); !key.empty()) {
        result.data["ssh.host_key"] = key;
      }
      if (auto pinned = device.attributes.find("ssh.host_key"); pinned != device.attributes.end()) {
        result.data["pinned_host_key"] = pinned->second;
      }
      result.data["operation"] = request.operation;
      result.data["batch_size"] = std::to_string(request.devices.size());
      result.data["batch_first"] = request.devices.front().name;
      // Checks, as a reachability engine reports them: "check.probe" down for the devices of
      // `down` (comma separated), up for the others.
      if (const auto down = param(p, "down"); !down.empty() || !param(p, "checks").empty()) {
        Parameters list{{"devices", down}};
        const bool isDown = !down.empty() && listed(list, device.name);
        result.data["check.probe"] = isDown ? "down" : "up";
        if (isDown) {
          result.data["check.probe.error"] = "timeout: no reply";
          result.category = ErrorCategory::Timeout;
          result.message = "probe: no reply";
        } else {
          result.data["check.probe.latency_us"] = "250";
        }
      }
      result.data["latency_us"] = "42";
      result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      context.report(std::move(result));
    }
  }
};

Manifest testEngineManifest() {
  Manifest m;
  m.version = "1.0.0";
  m.kind = PluginKind::Engine;
#ifdef TEST_BATCH_ENGINE
  m.id = "test_batch_engine";
  m.description = "the job pipeline's test engine, taking batches of up to 50 devices";
  m.provides = {"test_batch"};
#else
  m.id = "test_engine";
  m.description = "the job pipeline's test engine";
  m.provides = {"test_noop",      "test_read", "test_discover",
                "test_provision", "test_push", "test_teardown"};
#endif
  m.minHostVersion = "0.1.0";
  return m;
}

}  // namespace

NETSPINE_PLUGIN(TestEngine, testEngineManifest())
#ifdef TEST_BATCH_ENGINE
NETSPINE_ENGINE_BATCH(50)
#endif
