#pragma once
// The SSH half of netspine-sim: many simulated devices served over real SSH in one process.
//
// Each device listens on its own loopback address or port. A few threads, each running one libssh
// event loop, carry every session: a session costs memory, not a thread. The CLI half
// (device.hpp) turns typed bytes into the device's output; this half carries them and adds the
// transport faults.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "netspine/sim/device.hpp"
#include "netspine/sim/device_spec.hpp"

namespace netspine::sim {

struct SshServerOptions {
  unsigned threads = 2;  // event loops; sessions are spread over them
  // Host keys are cached here (created on first use); empty: generated in memory per process.
  std::filesystem::path stateDir;
  // A client that has not logged in this long after connecting is disconnected.
  std::chrono::seconds loginGraceTime{120};
};

// A device the server serves, as clients reach it.
struct ServedDevice {
  std::string name;
  std::string address;
  std::uint16_t port = 0;  // the bound port (the chosen one when the spec said 0)
  bool listening = true;   // false with Fault::ConnectionRefused
  std::shared_ptr<DeviceState> state;
};

struct SshServerStats {
  std::uint64_t accepted = 0;      // TCP connections accepted, faults included
  std::uint64_t openSessions = 0;  // SSH sessions open now
  std::uint64_t logins = 0;        // successful authentications
};

class SshServer {
 public:
  explicit SshServer(SshServerOptions options = {});
  ~SshServer();  // stops
  SshServer(const SshServer&) = delete;
  SshServer& operator=(const SshServer&) = delete;

  // Creates the device and binds its listener (before start()). Throws std::runtime_error
  // naming the device and address when the address cannot be bound.
  ServedDevice add(const DeviceSpec& spec, Clock clock = {});

  void start();
  // Closes every listener and session and joins the threads; safe to call twice.
  void stop();

  [[nodiscard]] std::vector<ServedDevice> devices() const;
  [[nodiscard]] SshServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netspine::sim
