#pragma once
// The fixed show outputs of each OS: version, inventory / chassis hardware, clock, banners.

#include <string>

#include "simulated_device.hpp"

namespace netspine::sim {

std::string showVersion(const SimulatedDevice& device);
// IOS/EOS 'show inventory', Junos 'show chassis hardware'.
std::string showInventory(const SimulatedDevice& device);
std::string showClock(const SimulatedDevice& device);
// IOS/EOS 'show ip interface brief', Junos 'show interfaces terse', from the running config.
std::string showInterfaces(const SimulatedDevice& device);
// Printed when the shell opens, before the first prompt.
std::string shellBanner(const SimulatedDevice& device);

}  // namespace netspine::sim
