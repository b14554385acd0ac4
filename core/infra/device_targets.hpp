#pragma once
// What the worker adds to a device's target from the config file and the secrets file:
// credentials, SSH timeouts and per-platform or per-device SSH options.

#include <memory>

#include "application/worker.hpp"
#include "infra/config_file.hpp"
#include "infra/secrets_file.hpp"

namespace netspine::infra {

/// The worker's TargetPreparer. A device whose credentials reference names no set of the
/// secrets file fails its task with a message naming the device, the set and the file; without
/// a secrets file, devices get no credentials. `ssh.*` settings set the timeouts (the device
/// timeout never beyond `jobs.task_timeout`) and the attributes, then every matching profile in
/// file order.
app::TargetPreparer targetPreparer(const Config& config, std::shared_ptr<const Secrets> secrets);

}  // namespace netspine::infra
