#pragma once
// What 'show version' and the inventory commands report: model, OS release, serial numbers,
// all derived from the device name.

#include <chrono>
#include <string>

#include <netspine/sim/device.hpp>

namespace netspine::sim {

struct DeviceFacts {
  std::string model;                      // "WS-C3750X-48P-S", "mx480", "DCS-7050SX3-48YC8"
  std::string osVersion;                  // "15.2(4)E10", "20.4R3.8", "4.27.3F"
  std::string serial;                     // chassis serial number
  std::string mac;                        // "2899.3a12.3456"
  std::chrono::seconds uptimeAtStart{0};  // how long it had been up when the simulator started
};

DeviceFacts deviceFacts(const DeviceProfile& profile);

}  // namespace netspine::sim
