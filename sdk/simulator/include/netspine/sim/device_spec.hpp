#pragma once
// Which devices one netspine-sim process serves, where each listens, and its transport knobs:
// from a device file (YAML), from --count/--platforms, or built by a test.

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "netspine/sim/device.hpp"

namespace netspine::sim {

// How the transport faults behave when a device has them.
struct TransportOptions {
  std::chrono::milliseconds bannerDelay{3000};    // SlowBanner: wait before the SSH identification
  std::size_t trickleBytes = 16;                  // Trickle: bytes per write
  std::chrono::milliseconds trickleInterval{10};  // Trickle: pause between two writes
  std::size_t disconnectAfter = 1024;  // DisconnectMidOutput: outputs this long are cut halfway
  // When set, the only algorithms the device's listener offers (a legacy device: e.g. kex
  // {"diffie-hellman-group14-sha1"}, hostKeys {"ssh-rsa"}, ciphers {"aes128-cbc"}).
  std::vector<std::string> kex;
  std::vector<std::string> hostKeys;
  std::vector<std::string> ciphers;

  [[nodiscard]] bool restrictsAlgorithms() const {
    return !kex.empty() || !hostKeys.empty() || !ciphers.empty();
  }
};

// One simulated device and the loopback endpoint it answers on.
struct DeviceSpec {
  DeviceProfile profile;
  std::string address = "127.0.0.1";  // an IPv4 address in 127.0.0.0/8, or ::1
  std::uint16_t port = 0;             // 0: a free port, chosen when the listener binds
  TransportOptions transport;
};

// A device file that cannot be used: what() is "FILE:LINE: FIELD: problem", one per line.
class DeviceFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a YAML device file (format in docs/simulator.md). Throws DeviceFileError listing every
// problem found.
std::vector<DeviceSpec> readDeviceFile(const std::string& path);

// `count` devices named "<platform-prefix>-NNNN", platforms taken in turn from `platforms`,
// addresses counted up from `baseAddress` (skipping .0 and .255) all on `port`, or all on
// `baseAddress` with ports counted up from `basePort` when that is not 0.
struct GeneratedDevices {
  std::size_t count = 0;
  std::vector<OsKind> platforms{OsKind::CiscoIos, OsKind::JuniperJunos, OsKind::AristaEos};
  std::string baseAddress = "127.1.0.1";
  std::uint16_t port = 2222;
  std::uint16_t basePort = 0;
  std::string namePrefix = "sim";
  DeviceProfile profile;  // the template: credentials, size, faults
};
std::vector<DeviceSpec> generateDevices(const GeneratedDevices& what);

// The IPv4 address `steps` after `address`, skipping host parts .0 and .255; throws
// std::invalid_argument when `address` is not IPv4 or the result leaves 127.0.0.0/8.
std::string nextLoopbackAddress(std::string_view address, std::size_t steps);

}  // namespace netspine::sim
