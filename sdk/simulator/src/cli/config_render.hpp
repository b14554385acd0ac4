#pragma once
// The configuration texts each OS prints: 'show running-config' with its header and volatile
// lines, 'show startup-config', Junos 'show configuration'; and the TruncatedConfig fault.

#include <string>

#include <netspine/sim/device.hpp>

#include "config_tree.hpp"
#include "device_facts.hpp"
#include "text_util.hpp"

namespace netspine::sim {

struct RenderTimes {
  TimePoint now;       // volatile lines ('! Time:', '! Last configuration change at')
  TimePoint lastSave;  // '! NVRAM config last updated at', startup-config stamps
};

std::string renderRunning(const DeviceProfile& profile, const DeviceFacts& facts,
                          const ConfigTree& tree, const RenderTimes& times);
std::string renderStartup(const DeviceProfile& profile, const DeviceFacts& facts,
                          const ConfigTree& tree, const RenderTimes& times);
// The configuration body only: IOS/EOS sections, Junos braces. For diffs and line lookups.
std::string renderBody(OsKind os, const ConfigTree& tree);

// Cuts a configuration short, inside a section or a brace block (Fault::TruncatedConfig).
std::string truncateConfig(std::string text);

}  // namespace netspine::sim
