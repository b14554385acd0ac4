#include "ssh_cli_engine.hpp"

#include <libssh/libssh.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <exception>
#include <thread>
#include <vector>

namespace netspine::plugins::ssh_cli {

using namespace netspine::plugin;

namespace {

constexpr unsigned kMaxThreads = 64;

std::optional<std::size_t> parseSize(const std::string& text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}

}  // namespace

Manifest manifest() {
  return {.id = "ssh_cli",
          .version = "1.0.0",
          .kind = PluginKind::Engine,
          .description =
              "SSH CLI sessions driven by the platform plugins: configuration backup, and "
              "configuration changes (push, provision, teardown) through the platform's "
              "candidate, verified and committed with an automatic rollback",
          .provides = {"backup", "push", "provision", "teardown"},
          .minHostVersion = "0.1.0"};
}

std::optional<std::string> validateBackup(const Parameters& parameters) {
  for (const auto& [key, value] : parameters) {
    if (key == "secret_mode") {
      if (!parseSecretMode(value)) {
        return "secret_mode: expected mask, keep or remove, not '" + value + "'";
      }
    } else if (key == "max_config_bytes") {
      if (!parseSize(value)) return "max_config_bytes: expected a positive whole number of bytes";
    } else {
      return "unknown parameter '" + key + "' (backup takes secret_mode, max_config_bytes)";
    }
  }
  return std::nullopt;
}

BackupOptions backupOptions(const Parameters& parameters) {
  BackupOptions options;
  if (auto it = parameters.find("secret_mode"); it != parameters.end()) {
    options.secretMode = parseSecretMode(it->second).value_or(SecretMode::Mask);
  }
  if (auto it = parameters.find("max_config_bytes"); it != parameters.end()) {
    options.maxConfigBytes = parseSize(it->second).value_or(options.maxConfigBytes);
  }
  return options;
}

bool isChangeOperation(const std::string& operation) {
  return operation == "push" || operation == "provision" || operation == "teardown";
}

namespace {

std::optional<bool> parseBool(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

std::optional<int> parseMinutes(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 60) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::string> validateChange(const std::string& operation,
                                          const Parameters& parameters) {
  const bool templated = parameters.contains("template");
  const bool teardown = operation == "teardown";
  for (const auto& [key, value] : parameters) {
    if (key == "dry_run" || key == "save") {
      if (!parseBool(value)) return key + ": expected true or false, not '" + value + "'";
    } else if (key == "confirm_minutes") {
      if (!parseMinutes(value)) {
        return "confirm_minutes: expected a whole number of minutes from 1 to 60, not '" + value +
               "'";
      }
    } else if (key == "secret_mode") {
      if (!parseSecretMode(value)) {
        return "secret_mode: expected mask, keep or remove, not '" + value + "'";
      }
    } else if (key == "confirm" && teardown) {
      // checked below
    } else if (key == "lines" || key == "template") {
    } else if (!templated) {
      return "unknown parameter '" + key + "' (" + operation +
             " takes dry_run, confirm_minutes, save, secret_mode, lines, template" +
             (teardown ? ", confirm" : "") + "; other names are template variables)";
    }
  }
  if (teardown) {
    auto it = parameters.find("confirm");
    if (it == parameters.end() || it->second != "yes") {
      return "teardown needs confirm=yes: it shuts the device's interfaces and removes its "
             "configuration";
    }
  } else if (parameters.contains("lines") == templated) {
    return operation + " needs exactly one of lines and template";
  }
  return std::nullopt;
}

ChangeOptions changeOptions(const std::string& operation, const Parameters& parameters) {
  ChangeOptions options;
  options.operation = operation;
  const auto get = [&](const char* key) -> const std::string* {
    auto it = parameters.find(key);
    return it == parameters.end() ? nullptr : &it->second;
  };
  if (auto* v = get("dry_run")) options.dryRun = parseBool(*v).value_or(false);
  if (auto* v = get("save")) options.save = parseBool(*v).value_or(true);
  if (auto* v = get("confirm_minutes")) options.confirmMinutes = parseMinutes(*v).value_or(2);
  if (auto* v = get("secret_mode"))
    options.secretMode = parseSecretMode(*v).value_or(SecretMode::Mask);
  return options;
}

SshCliEngine::SshCliEngine() {
  // libssh's global state (crypto, threads); reference-counted, so a host or a test that also
  // uses libssh keeps its own. Never finalised: other sessions of the process may still run.
  static const int initialised = ssh_init();
  (void)initialised;
}

std::optional<std::string> SshCliEngine::validate(const std::string& operation,
                                                  const Parameters& parameters) const {
  if (isChangeOperation(operation)) return validateChange(operation, parameters);
  if (operation != "backup") {
    return "unknown operation '" + operation + "' (ssh_cli runs backup, push, provision, teardown)";
  }
  return validateBackup(parameters);
}

void SshCliEngine::run(const EngineRequest& request, RunContext& context) {
  const auto& devices = request.devices;
  const auto reportFailure = [&](const DeviceTarget& device, const std::string& message) {
    DeviceResult result;
    result.deviceId = device.id;
    result.device = device.name;
    result.category = ErrorCategory::PluginError;
    result.message = message;
    context.report(std::move(result));
  };
  std::optional<std::string> problem = validate(request.operation, request.parameters);
  if (problem) {
    for (const auto& device : devices) reportFailure(device, *problem);
    return;
  }
  const BackupOptions options = backupOptions(request.parameters);
  const bool change = isChangeOperation(request.operation);
  const ChangeOptions changing = changeOptions(request.operation, request.parameters);
  const auto runOne = [&](const DeviceTarget& device) {
    // The devices' functions catch everything; report() is the host's and must not stop the
    // others.
    try {
      context.report(change ? changeDevice(device, changing, context)
                            : backupDevice(device, options, context));
    } catch (...) {
    }
  };
  unsigned threads = request.concurrency == 0 ? kMaxThreads : request.concurrency;
  threads = static_cast<unsigned>(std::min<std::size_t>({threads, kMaxThreads, devices.size()}));
  if (threads <= 1) {
    for (const auto& device : devices) runOne(device);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      for (std::size_t at = next++; at < devices.size(); at = next++) runOne(devices[at]);
    });
  }
  for (auto& worker : workers) worker.join();
}

}  // namespace netspine::plugins::ssh_cli
