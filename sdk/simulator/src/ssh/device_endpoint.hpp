#pragma once
// Internal to the SSH half: one served device as the listener and the sessions see it.

#include <atomic>
#include <cstdint>
#include <memory>

#include "netspine/sim/device.hpp"
#include "netspine/sim/device_spec.hpp"

namespace netspine::sim {

// Counters every thread updates; SshServer::stats() reads them.
struct ServerCounters {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> openSessions{0};
  std::atomic<std::uint64_t> logins{0};
};

struct DeviceEndpoint {
  DeviceSpec spec;  // port: the bound one
  std::shared_ptr<DeviceState> state;
  int listenFd = -1;                  // -1 with Fault::ConnectionRefused
  std::atomic<unsigned> sessions{0};  // connections handed to an event loop and not yet ended

  [[nodiscard]] bool has(Fault fault) const { return spec.profile.faults.contains(fault); }
};

}  // namespace netspine::sim
