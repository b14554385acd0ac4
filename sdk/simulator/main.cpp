// netspine-sim: simulated Cisco IOS, Juniper Junos and Arista EOS devices over real SSH on
// loopback addresses, until SIGINT or SIGTERM. See docs/simulator.md.

#include <signal.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "netspine/sim/device_spec.hpp"
#include "netspine/sim/inventory_file.hpp"
#include "netspine/sim/ssh_server.hpp"

namespace sim = netspine::sim;

namespace {

constexpr const char* kHelp = R"(Usage: netspine-sim [OPTIONS]

Serves simulated network devices over real SSH on loopback addresses until SIGINT or SIGTERM,
and writes an inventory file that 'netspine import' reads.

Devices (a device file, generated devices, or both):
  --devices FILE         YAML device file: per-device platform, address, port, credentials,
                         faults (format: docs/simulator.md)
  --count N              generate N devices (default 3 when no --devices)
  --platforms LIST       platforms of generated devices, in turn
                         (default cisco_ios,juniper_junos,arista_eos)
  --base-address ADDR    first address of generated devices, counted up (default 127.1.0.1)
  --port PORT            port of every generated device (default 2222)
  --base-port PORT       instead: every device on --base-address, ports counted up from PORT
  --username NAME        generated devices' login (default admin)
  --password TEXT        generated devices' password (default admin)
  --enable-secret TEXT   generated devices' enable secret (default enable)
  --config-lines N       size of each generated configuration (default 400)
  --faults LIST          faults of every generated device, e.g. slow_banner,trickle

Output:
  --inventory FILE       the CSV inventory written at start (default netspine-sim-inventory.csv)
  --area NAME            area column of the inventory (default sim; it must exist in netspine)
  --credentials NAME     credentials column of the inventory (default sim)

Server:
  --threads N            event-loop threads carrying the sessions (default 2)
  --state-dir DIR        where the host keys are kept (default netspine-sim-state)
  -h, --help             this help
)";

// The fault names --faults and device files accept, wrapped for the help.
std::string faultNames() {
  std::string out = "\nFaults (--faults, a device file's faults; docs/simulator.md):\n ";
  std::size_t column = 1;
  for (int f = 0; f <= static_cast<int>(sim::kLastFault); ++f) {
    const std::string name = std::string(" ") + sim::toString(static_cast<sim::Fault>(f)) +
                             (f < static_cast<int>(sim::kLastFault) ? "," : "\n");
    if (column + name.size() > 99) {
      out += "\n ";
      column = 1;
    }
    out += name;
    column += name.size();
  }
  return out;
}

struct UsageError {
  std::string message;
};

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    if (end > start) items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

unsigned long number(const std::string& option, const std::string& text, unsigned long max) {
  unsigned long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) {
    throw UsageError{option + ": expected a whole number up to " + std::to_string(max) + ", got '" +
                     text + "'"};
  }
  return value;
}

struct Options {
  std::string devicesFile;
  std::optional<std::size_t> count;
  sim::GeneratedDevices generated;
  std::string inventory = "netspine-sim-inventory.csv";
  sim::InventoryOptions inventoryOptions;
  sim::SshServerOptions server{.threads = 2, .stateDir = "netspine-sim-state"};
};

Options parse(int argc, char** argv) {
  Options o;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> inlineValue;
    if (const auto eq = name.find('='); name.starts_with("--") && eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "-h" || name == "--help") {
      std::cout << kHelp << faultNames();
      std::exit(0);
    }
    const auto value = [&]() -> std::string {
      if (inlineValue) return *inlineValue;
      if (i + 1 >= args.size()) throw UsageError{name + ": needs a value"};
      return args[++i];
    };
    if (name == "--devices") {
      o.devicesFile = value();
    } else if (name == "--count") {
      o.count = number(name, value(), 60000);
    } else if (name == "--platforms") {
      o.generated.platforms.clear();
      for (const auto& id : splitList(value())) {
        auto os = sim::parseOsKind(id);
        if (!os) {
          throw UsageError{"--platforms: unknown platform '" + id +
                           "' (known: cisco_ios, juniper_junos, arista_eos)"};
        }
        o.generated.platforms.push_back(*os);
      }
      if (o.generated.platforms.empty()) throw UsageError{"--platforms: empty list"};
    } else if (name == "--base-address") {
      o.generated.baseAddress = value();
    } else if (name == "--port") {
      o.generated.port = static_cast<std::uint16_t>(number(name, value(), 65535));
    } else if (name == "--base-port") {
      o.generated.basePort = static_cast<std::uint16_t>(number(name, value(), 65535));
    } else if (name == "--username") {
      o.generated.profile.username = value();
    } else if (name == "--password") {
      o.generated.profile.password = value();
    } else if (name == "--enable-secret") {
      o.generated.profile.enableSecret = value();
    } else if (name == "--config-lines") {
      o.generated.profile.configLines = number(name, value(), 10'000'000);
    } else if (name == "--faults") {
      for (const auto& text : splitList(value())) {
        auto fault = sim::parseFault(text);
        if (!fault) throw UsageError{"--faults: unknown fault '" + text + "'"};
        o.generated.profile.faults.insert(*fault);
      }
    } else if (name == "--inventory") {
      o.inventory = value();
    } else if (name == "--area") {
      o.inventoryOptions.area = value();
    } else if (name == "--credentials") {
      o.inventoryOptions.credentials = value();
    } else if (name == "--threads") {
      o.server.threads = static_cast<unsigned>(number(name, value(), 256));
      if (o.server.threads == 0) throw UsageError{"--threads: at least 1"};
    } else if (name == "--state-dir") {
      o.server.stateDir = value();
    } else {
      throw UsageError{"unknown option '" + name + "' (see netspine-sim --help)"};
    }
  }
  if (!o.count && o.devicesFile.empty()) o.count = 3;
  return o;
}

void printDevices(const std::vector<sim::ServedDevice>& devices) {
  constexpr std::size_t kListed = 20;
  for (std::size_t i = 0; i < devices.size() && i < kListed; ++i) {
    const auto& d = devices[i];
    std::printf("  %-16s %-14s %s port %u%s\n", d.name.c_str(),
                sim::platformId(d.state->profile().os), d.address.c_str(), d.port,
                d.listening ? "" : " (connection_refused: not listening)");
  }
  if (devices.size() > kListed) {
    std::printf("  ... and %zu more (%s to %s, see the inventory file)\n", devices.size() - kListed,
                devices.front().address.c_str(), devices.back().address.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "netspine-sim: error: %s\n", e.message.c_str());
    return 2;
  }

  // SIGINT and SIGTERM are taken by sigwait below, never by a thread at a random point.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    std::vector<sim::DeviceSpec> specs;
    if (!options.devicesFile.empty()) specs = sim::readDeviceFile(options.devicesFile);
    if (options.count) {
      options.generated.count = *options.count;
      for (auto& spec : sim::generateDevices(options.generated)) specs.push_back(std::move(spec));
    }
    sim::SshServer server(options.server);
    for (const auto& spec : specs) server.add(spec);
    server.start();
    const auto devices = server.devices();
    sim::writeInventoryCsv(options.inventory, devices, options.inventoryOptions);
    std::printf("netspine-sim: %zu device%s listening (%u threads), inventory in %s\n",
                devices.size(), devices.size() == 1 ? "" : "s", options.server.threads,
                options.inventory.c_str());
    printDevices(devices);
    std::printf("netspine-sim: ready; SIGINT or SIGTERM stops\n");
    std::fflush(stdout);

    int signal = 0;
    sigwait(&stopSignals, &signal);
    std::printf("netspine-sim: %s, stopping\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
    std::fflush(stdout);
    server.stop();
  } catch (const sim::DeviceFileError& e) {
    std::fprintf(stderr, "netspine-sim: error: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "netspine-sim: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
