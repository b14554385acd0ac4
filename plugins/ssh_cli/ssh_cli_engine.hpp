#pragma once
// The SSH CLI engine: operations "backup", "push", "provision" and "teardown" over an interactive
// SSH shell, driven by the device's platform plugin (prompts, commands, secrets). One libssh
// session per device, never shared.

#include <netspine/plugin/engine.hpp>
#include <netspine/plugin/manifest.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace netspine::plugins::ssh_cli {

plugin::Manifest manifest();

// The parameters of "backup", validated.
struct BackupOptions {
  plugin::SecretMode secretMode = plugin::SecretMode::Mask;
  std::size_t maxConfigBytes = 64u << 20;  // a larger output is incomplete_output
};

// The problem with `parameters` for "backup", or nothing when they are valid.
std::optional<std::string> validateBackup(const plugin::Parameters& parameters);
// The options `parameters` give (call validateBackup first: bad values take the defaults).
BackupOptions backupOptions(const plugin::Parameters& parameters);

// One device's backup, start to end; never throws. `context` is only asked cancelled().
plugin::DeviceResult backupDevice(const plugin::DeviceTarget& device, const BackupOptions& options,
                                  const plugin::RunContext& context);

// The parameters of "push", "provision" and "teardown", validated.
struct ChangeOptions {
  std::string operation;  // push, provision or teardown
  bool dryRun = false;
  int confirmMinutes = 2;  // commit confirmed / commit timer
  bool save = true;        // configuration.save after success
  plugin::SecretMode secretMode = plugin::SecretMode::Mask;
  std::size_t maxConfigBytes = 64u << 20;
};

// True for push, provision and teardown.
bool isChangeOperation(const std::string& operation);
// The problem with `parameters` for a change operation, or nothing when they are valid.
std::optional<std::string> validateChange(const std::string& operation,
                                          const plugin::Parameters& parameters);
// The options `parameters` give (call validateChange first: bad values take the defaults).
ChangeOptions changeOptions(const std::string& operation, const plugin::Parameters& parameters);

// One device's change, start to end; never throws. The lines come from the device attribute
// "change.lines" (teardown: the platform's teardownLines first). `context` is asked refusal()
// before the first command and keep() with the configuration before the change.
plugin::DeviceResult changeDevice(const plugin::DeviceTarget& device, const ChangeOptions& options,
                                  plugin::RunContext& context);

class SshCliEngine : public plugin::Engine {
 public:
  SshCliEngine();

  [[nodiscard]] std::optional<std::string> validate(
      const std::string& operation, const plugin::Parameters& parameters) const override;
  // Devices run concurrently (request.concurrency, 0: all, at most 64 threads), each reported
  // exactly once.
  void run(const plugin::EngineRequest& request, plugin::RunContext& context) override;
};

}  // namespace netspine::plugins::ssh_cli
