#include "infra/device_targets.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/errors.hpp"

namespace netspine::infra {

app::TargetPreparer targetPreparer(const Config& config, std::shared_ptr<const Secrets> secrets) {
  return [ssh = config.ssh, taskTimeout = config.jobs.taskTimeout, secrets = std::move(secrets)](
             const domain::Device& device, plugin::DeviceTarget& target) {
    if (secrets && !device.credentialsRef.empty()) {
      const auto* set = secrets->find(device.credentialsRef);
      if (!set) {
        const auto names = secrets->names();
        throw domain::ValidationError(
            fmt::format("device '{}': credentials '{}' are not in the secrets file {} (it has: {})",
                        device.name, device.credentialsRef, secrets->path(),
                        names.empty() ? "no sets" : fmt::format("{}", fmt::join(names, ", "))));
      }
      target.credentials = *set;
    }
    auto& t = target.timeouts;
    t.connect = ssh.connectTimeout;
    t.authentication = ssh.authTimeout;
    t.command = ssh.commandTimeout;
    t.total = ssh.deviceTimeout.value_or(taskTimeout);
    target.attributes["ssh.host_key_policy"] = ssh.hostKeyPolicy;
    for (const auto& p : ssh.profiles) {
      const bool matches =
          std::find(p.platforms.begin(), p.platforms.end(), device.platform) != p.platforms.end() ||
          std::find(p.devices.begin(), p.devices.end(), device.name) != p.devices.end();
      if (!matches) continue;
      for (const auto& [k, v] : p.attributes) target.attributes[k] = v;
      if (p.connectTimeout) t.connect = *p.connectTimeout;
      if (p.authTimeout) t.authentication = *p.authTimeout;
      if (p.commandTimeout) t.command = *p.commandTimeout;
      if (p.deviceTimeout) t.total = *p.deviceTimeout;
    }
    // The worker stops the task at task_timeout whatever the engine does: release it first.
    t.total = std::min<std::chrono::milliseconds>(t.total, taskTimeout);
  };
}

}  // namespace netspine::infra
