#pragma once
// The running configuration a device boots with, generated from its name and size, so 1,000
// devices need no stored text until one of them is changed.

#include <netspine/sim/device.hpp>

#include "config_tree.hpp"

namespace netspine::sim {

// About 20 MB of configuration, for Fault::HugeConfig.
inline constexpr std::size_t kHugeConfigBytes = 20u * 1024 * 1024;

// Same profile name, OS and size -> the same tree. Includes every kind of secret a platform
// plugin must mask. With Fault::HugeConfig the size is about kHugeConfigBytes.
ConfigTree generateConfig(const DeviceProfile& profile);

}  // namespace netspine::sim
