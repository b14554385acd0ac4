#pragma once
// The engine interface: an operation run against one device or a batch of devices.
//
// An engine does IO (an SSH session, an SNMP get, an ICMP sweep) and returns, per device, a
// result with an error category. It never opens the database and never decides whether it may
// run against a device: the core has decided that before the request is made.

#include <netspine/plugin/platform.hpp>
#include <netspine/plugin/secret.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netspine::plugin {

// Why a device's result is what it is. Names (toString) are stable: they are stored and shown.
enum class ErrorCategory {
  Ok,
  Unreachable,       // no route, refused, reset before the protocol started
  Timeout,           // a connect, command or device timeout expired
  AuthFailed,        // every credential set was refused
  HostKeyMismatch,   // the device's host key is not the pinned one; nothing was sent
  ProtocolError,     // the peer broke the protocol (bad banner, garbage, unexpected close)
  CommandError,      // the device's CLI reported an error for a command
  IncompleteOutput,  // output cut short (a truncated configuration)
  PolicySkipped,     // not run: the device's status does not allow the operation
  PluginError,       // the plugin failed (threw, bad request, internal error)
  Cancelled,         // the run was cancelled before or while this device ran
};

inline constexpr ErrorCategory kAllErrorCategories[] = {
    ErrorCategory::Ok,           ErrorCategory::Unreachable,      ErrorCategory::Timeout,
    ErrorCategory::AuthFailed,   ErrorCategory::HostKeyMismatch,  ErrorCategory::ProtocolError,
    ErrorCategory::CommandError, ErrorCategory::IncompleteOutput, ErrorCategory::PolicySkipped,
    ErrorCategory::PluginError,  ErrorCategory::Cancelled};

inline const char* toString(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::Ok:
      return "ok";
    case ErrorCategory::Unreachable:
      return "unreachable";
    case ErrorCategory::Timeout:
      return "timeout";
    case ErrorCategory::AuthFailed:
      return "auth_failed";
    case ErrorCategory::HostKeyMismatch:
      return "host_key_mismatch";
    case ErrorCategory::ProtocolError:
      return "protocol_error";
    case ErrorCategory::CommandError:
      return "command_error";
    case ErrorCategory::IncompleteOutput:
      return "incomplete_output";
    case ErrorCategory::PolicySkipped:
      return "policy_skipped";
    case ErrorCategory::PluginError:
      return "plugin_error";
    case ErrorCategory::Cancelled:
      return "cancelled";
  }
  return "plugin_error";
}

inline std::optional<ErrorCategory> parseErrorCategory(std::string_view text) {
  for (auto category : kAllErrorCategories) {
    if (text == toString(category)) return category;
  }
  return std::nullopt;
}

enum class LogLevel { Debug, Info, Warning, Error };

inline const char* toString(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Error:
      return "error";
  }
  return "info";
}

struct LogLine {
  std::chrono::system_clock::time_point time;
  LogLevel level = LogLevel::Info;
  std::string message;  // never contains a secret
};

// Limits for one device; the core fills them from the config, per device overridable.
struct Timeouts {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds authentication{10'000};
  std::chrono::milliseconds command{60'000};
  std::chrono::milliseconds total{300'000};  // the device is released at this point, whatever runs
};

// One device, as an engine sees it: facts from the inventory, never a database handle.
struct DeviceTarget {
  std::int64_t id = 0;
  std::string name;
  std::string address;     // management address (IPv4, IPv6 or DNS name)
  std::uint16_t port = 0;  // 0: the operation's default port
  std::string platformId;
  const Platform* platform = nullptr;    // the platform plugin for platformId, if one is loaded
  std::vector<Credentials> credentials;  // tried in order
  Timeouts timeouts;
  // Everything else the operation may use: area, role, serial, tags, and per-device options
  // (e.g. "ssh.kex": "diffie-hellman-group14-sha1", "ssh.host_key": "<pinned key>").
  std::map<std::string, std::string> attributes;
};

// One device's outcome.
struct DeviceResult {
  std::int64_t deviceId = 0;
  std::string device;
  ErrorCategory category = ErrorCategory::Ok;
  std::string message;  // what happened, for a person; empty when ok
  std::vector<LogLine> log;
  // Small named values: "latency_us", "os_version", ... An engine that runs several checks per
  // device (reachability) reports each as "check.<name>" = "up" or "down", with
  // "check.<name>.latency_us" and "check.<name>.error": the core keeps a runtime status per
  // device and check, logs when one changes, and never retries such a result (it is an answer).
  // Discovered facts are "fact.<field>" (platform, os_version, serial, hostname): the core
  // applies them to the inventory of a device whose status allows discovery.
  std::map<std::string, std::string> data;
  std::string artifact;  // one large payload, e.g. a configuration; empty if none
  std::chrono::milliseconds duration{0};
  int attempts = 1;
};

// Parameters of a run, validated by the engine before anything is queued.
using Parameters = std::map<std::string, std::string>;

struct EngineRequest {
  std::string operation;
  Parameters parameters;
  std::vector<DeviceTarget> devices;
  unsigned concurrency = 0;  // at most this many devices at once; 0: the engine decides
};

// What RunContext::keep did with a configuration.
struct KeptConfig {
  bool ok = true;        // stored, or there is nowhere to store it (revision empty)
  std::string revision;  // the archive's revision (a Git commit id) that holds it; empty: none
  std::string problem;   // why it could not be stored (ok is false)
};

// What the host gives an engine while it runs: results stream out as devices finish, and the
// engine polls cancelled() between steps. Thread-safe: an engine may call it from many threads.
class RunContext {
 public:
  virtual ~RunContext() = default;
  virtual void report(DeviceResult result) = 0;  // exactly once per device of the request
  virtual void log(const std::string& device, LogLevel level, const std::string& message) = 0;
  [[nodiscard]] virtual bool cancelled() const = 0;

  // Since 1.2 (a plugin that calls these needs a 1.2 host, which the handshake guarantees).
  //
  // The automation gate, asked by an engine that changes devices right before its first command
  // to `device`: the device's status is read again, and when it no longer allows the operation
  // the answer is why ("status FAILED allows no push"); then nothing may be sent and the device
  // is reported as PolicySkipped. Nothing: go on. The default is for hosts without an inventory
  // (tests).
  [[nodiscard]] virtual std::optional<std::string> refusal(const DeviceTarget& device) {
    (void)device;
    return std::nullopt;
  }
  // Stores `config` (assembled as a backup's artifact) as the device's newest configuration
  // revision now, before the engine changes the device; `why` goes into the commit message
  // ("before push"). Blocks until it is stored. When it fails (ok is false) the engine must not
  // change the device. The default is for hosts without an archive: nothing stored, ok.
  virtual KeptConfig keep(const DeviceTarget& device, const std::string& config,
                          const std::string& why) {
    (void)device;
    (void)config;
    (void)why;
    return {};
  }
};

// One or more operations. run() returns when every device of the request has been reported;
// a device the engine could not run is reported with a category, never left out.
class Engine : public Plugin {
 public:
  Engine* asEngine() override { return this; }

  // The problem with these parameters for this operation, or nothing when they are valid.
  [[nodiscard]] virtual std::optional<std::string> validate(const std::string& operation,
                                                            const Parameters& parameters) const = 0;

  virtual void run(const EngineRequest& request, RunContext& context) = 0;
};

}  // namespace netspine::plugin
