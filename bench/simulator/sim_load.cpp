// Load for netspine-sim: N concurrent SSH sessions, each logs in, disables paging and fetches the
// running configuration, as netspine's config backup does. Reports the simulator's own cost
// (RSS, CPU time per session, read from /proc/PID) and the session throughput.
//
//   sim_load INVENTORY.csv SIM_PID [SESSIONS] [PASSWORD]

#include <libssh/libssh.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim_inventory.hpp"

namespace {

using Target = netspine::bench::SimTarget;

std::vector<Target> readInventory(const std::string& path) {
  return netspine::bench::readSimInventory(path, /*withFaults=*/false);
}

// The simulator's resident memory (kB) and CPU time (seconds, user + system).
long rssKb(pid_t pid, const char* field = "VmRSS:") {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field)) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}
double cpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // fields 3..13
  unsigned long user = 0, system = 0;
  fields >> user >> system;
  return static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

bool readUntil(ssh_channel channel, std::string& out, const std::string& marker) {
  char buffer[65536];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (out.find(marker) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    const int n = ssh_channel_read_timeout(channel, buffer, sizeof buffer, 0, 1000);
    if (n < 0 || (n == 0 && ssh_channel_is_eof(channel))) return false;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: sim_load INVENTORY.csv SIM_PID [SESSIONS] [PASSWORD]\n");
    return 2;
  }
  const auto targets = readInventory(argv[1]);
  const pid_t sim = static_cast<pid_t>(std::stol(argv[2]));
  const std::size_t sessions = argc > 3 ? std::stoul(argv[3]) : 500;
  const std::string password = argc > 4 ? argv[4] : "admin";
  if (targets.empty()) {
    std::fprintf(stderr, "sim_load: no fault-free device in %s\n", argv[1]);
    return 2;
  }
  ssh_init();

  std::atomic<int> ok{0};
  std::atomic<std::size_t> bytes{0};
  long rssOpen = 0;
  double cpuOpen = 0;
  // Everyone logs in and fetches; all sessions are open at the barrier, where memory is read.
  std::barrier fetched(static_cast<std::ptrdiff_t>(sessions), [&]() noexcept {
    rssOpen = rssKb(sim);
    cpuOpen = cpuSeconds(sim);
  });
  const long rssBefore = rssKb(sim);
  const double cpuBefore = cpuSeconds(sim);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  threads.reserve(sessions);
  for (std::size_t i = 0; i < sessions; ++i) {
    threads.emplace_back([&, i] {
      const Target& t = targets[i % targets.size()];
      const bool junos = t.platform == "juniper_junos";
      ssh_session s = ssh_new();
      const int no = 0;
      const long timeout = 120;
      ssh_options_set(s, SSH_OPTIONS_HOST, t.address.c_str());
      ssh_options_set(s, SSH_OPTIONS_PORT, &t.port);
      ssh_options_set(s, SSH_OPTIONS_USER, "admin");
      ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
      ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
      ssh_channel c = nullptr;
      bool good = false;
      std::string out;
      if (ssh_connect(s) == SSH_OK &&
          ssh_userauth_password(s, nullptr, password.c_str()) == SSH_AUTH_SUCCESS &&
          (c = ssh_channel_new(s)) && ssh_channel_open_session(c) == SSH_OK &&
          ssh_channel_request_pty_size(c, "vt100", 200, 24) == SSH_OK &&
          ssh_channel_request_shell(c) == SSH_OK) {
        const std::string prompt = junos ? "admin@" + t.name + ">" : t.name + "#";
        const std::string paging = junos ? "set cli screen-length 0\n" : "terminal length 0\n";
        const std::string fetch = junos ? "show configuration\n" : "show running-config\n";
        good = readUntil(c, out, prompt);
        out.clear();
        if (good) ssh_channel_write(c, paging.data(), static_cast<uint32_t>(paging.size()));
        good = good && readUntil(c, out, prompt);
        out.clear();
        if (good) ssh_channel_write(c, fetch.data(), static_cast<uint32_t>(fetch.size()));
        good = good && readUntil(c, out, prompt);  // the prompt after the whole configuration
      }
      bytes += out.size();
      if (good) ok++;
      fetched.arrive_and_wait();
      if (c) {
        ssh_channel_close(c);
        ssh_channel_free(c);
      }
      ssh_disconnect(s);
      ssh_free(s);
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpuAfter = cpuSeconds(sim);
  std::printf(
      "sessions=%zu ok=%d seconds=%.2f sessions_per_second=%.1f config_bytes=%zu\n"
      "sim_rss_before_kb=%ld sim_rss_open_kb=%ld sim_rss_peak_kb=%ld\n"
      "sim_cpu_seconds=%.2f sim_cpu_ms_per_session=%.2f sim_cpu_to_all_open=%.2f\n",
      sessions, ok.load(), seconds, static_cast<double>(sessions) / seconds, bytes.load(),
      rssBefore, rssOpen, rssKb(sim, "VmHWM:"), cpuAfter - cpuBefore,
      1000.0 * (cpuAfter - cpuBefore) / static_cast<double>(sessions), cpuOpen - cpuBefore);
  return ok.load() == static_cast<int>(sessions) ? 0 : 1;
}
