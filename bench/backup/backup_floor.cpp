// The floor of a configuration backup: per device, bare libssh and nothing else. Connect,
// password authentication, one exec channel running the platform's configuration command,
// read its whole output to EOF, close. CONCURRENCY threads take the inventory's devices in
// turn, as a worker's threads take tasks. No host-key check, no parsing, nothing stored:
// what no backup over SSH can go below. See backup_bench.sh.
//
//   backup_floor INVENTORY.csv [CONCURRENCY] [USERNAME] [PASSWORD]
//
// INVENTORY.csv: netspine-sim's inventory (name,address,platform,status,area,ssh_port,...).
// Prints one line: devices= failures= seconds= devices_per_second= config_bytes=
// and the first few failures on stderr. Exit 0 when every device was fetched, 1 otherwise.

#include <libssh/libssh.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim_inventory.hpp"

namespace {

using Target = netspine::bench::SimTarget;

std::vector<Target> readInventory(const std::string& path) {
  return netspine::bench::readSimInventory(path, /*withFaults=*/true);
}

const char* configCommand(const std::string& platform) {
  return platform == "juniper_junos" ? "show configuration" : "show running-config";
}

/// One device's backup, bare: the bytes of its configuration, or an error text.
bool fetch(const Target& t, const std::string& user, const std::string& password,
           std::size_t& bytes, std::string& error) {
  ssh_session s = ssh_new();
  if (s == nullptr) {
    error = "ssh_new failed";
    return false;
  }
  const int no = 0, yes = 1;
  const long timeout = 60;
  ssh_options_set(s, SSH_OPTIONS_HOST, t.address.c_str());
  ssh_options_set(s, SSH_OPTIONS_PORT, &t.port);
  ssh_options_set(s, SSH_OPTIONS_USER, user.c_str());
  ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);  // no ~/.ssh/config
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
  // Without it, each small request waits for the delayed ACK of the one before (Nagle): about
  // 40 ms a device. The floor is the best bare libssh can do.
  ssh_options_set(s, SSH_OPTIONS_NODELAY, &yes);
  ssh_channel c = nullptr;
  bool good = false;
  if (ssh_connect(s) != SSH_OK) {
    error = std::string("connect: ") + ssh_get_error(s);
  } else if (ssh_userauth_password(s, nullptr, password.c_str()) != SSH_AUTH_SUCCESS) {
    error = std::string("auth: ") + ssh_get_error(s);
  } else if ((c = ssh_channel_new(s)) == nullptr || ssh_channel_open_session(c) != SSH_OK) {
    error = std::string("channel: ") + ssh_get_error(s);
  } else if (ssh_channel_request_exec(c, configCommand(t.platform)) != SSH_OK) {
    error = std::string("exec: ") + ssh_get_error(s);
  } else {
    char buffer[65536];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
    good = true;
    while (true) {
      const int n = ssh_channel_read_timeout(c, buffer, sizeof buffer, 0, 1000);
      if (n == SSH_ERROR) {
        error = std::string("read: ") + ssh_get_error(s);
        good = false;
        break;
      }
      bytes += static_cast<std::size_t>(n > 0 ? n : 0);
      if (n == 0 && ssh_channel_is_eof(c)) break;
      if (std::chrono::steady_clock::now() > deadline) {
        error = "read: timeout";
        good = false;
        break;
      }
    }
    if (good && bytes == 0) {
      error = "empty output";
      good = false;
    }
    if (good) {
      ssh_channel_send_eof(c);
      const int status = ssh_channel_get_exit_status(c);
      if (status != 0) {
        error = "exit status " + std::to_string(status);
        good = false;
      }
    }
  }
  if (c != nullptr) {
    ssh_channel_close(c);
    ssh_channel_free(c);
  }
  ssh_disconnect(s);
  ssh_free(s);
  return good;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: backup_floor INVENTORY.csv [CONCURRENCY] [USERNAME] [PASSWORD]\n");
    return 2;
  }
  const auto targets = readInventory(argv[1]);
  const std::size_t concurrency = argc > 2 ? std::stoul(argv[2]) : 64;
  const std::string user = argc > 3 ? argv[3] : "admin";
  const std::string password = argc > 4 ? argv[4] : "admin";
  if (targets.empty() || concurrency == 0) {
    std::fprintf(stderr, "backup_floor: no device in %s (or CONCURRENCY 0)\n", argv[1]);
    return 2;
  }
  ssh_init();

  std::atomic<std::size_t> next{0}, failures{0}, bytes{0};
  std::mutex errorsMutex;
  std::vector<std::string> errors;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < std::min(concurrency, targets.size()); ++i) {
    pool.emplace_back([&] {
      for (std::size_t k; (k = next++) < targets.size();) {
        std::size_t got = 0;
        std::string error;
        if (!fetch(targets[k], user, password, got, error)) {
          failures++;
          const std::lock_guard lock(errorsMutex);
          if (errors.size() < 10) errors.push_back(targets[k].name + ": " + error);
        }
        bytes += got;
      }
    });
  }
  for (auto& t : pool) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ssh_finalize();
  for (const auto& e : errors) std::fprintf(stderr, "backup_floor: %s\n", e.c_str());
  std::printf("devices=%zu failures=%zu seconds=%.3f devices_per_second=%.1f config_bytes=%zu\n",
              targets.size(), failures.load(), seconds,
              static_cast<double>(targets.size()) / seconds, bytes.load());
  return failures.load() == 0 ? 0 : 1;
}
