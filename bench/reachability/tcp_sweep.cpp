// netspine_tcp_sweep: TCP connects to every "ADDRESS PORT" line of a file with the probe library
// the reachability engine uses, and one summary line:
//   targets=N ok=N refused=N timeout=N other=N elapsed_s=S
// Usage: netspine_tcp_sweep --file TARGETS [--timeout-ms N] [--retries N] [--max-in-flight N]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "probes/tcp_probe.hpp"

namespace {

int usage(const char* why) {
  std::cerr << "netspine_tcp_sweep: " << why
            << "\nusage: netspine_tcp_sweep --file TARGETS [--timeout-ms N] [--retries N] "
               "[--max-in-flight N]\n  TARGETS: one 'ADDRESS PORT' a line ('#' comments)\n";
  return 2;
}

bool number(const char* text, long min, long max, long& out) {
  char* end = nullptr;
  out = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && out >= min && out <= max;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace netspine::reach;
  std::string file;
  TcpOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage(("missing value after " + arg).c_str());
    const char* value = argv[++i];
    long n = 0;
    if (arg == "--file") {
      file = value;
    } else if (arg == "--timeout-ms" && number(value, 1, 3600000, n)) {
      options.timeout = std::chrono::milliseconds(n);
    } else if (arg == "--retries" && number(value, 0, 100, n)) {
      options.retries = static_cast<int>(n);
    } else if (arg == "--max-in-flight" && number(value, 0, 10000000, n)) {
      options.maxInFlight = static_cast<std::size_t>(n);
    } else {
      return usage(("bad option or value: " + arg + " " + value).c_str());
    }
  }
  if (file.empty()) return usage("--file is required");

  std::ifstream in(file);
  if (!in) return usage(("cannot read " + file).c_str());
  std::vector<ProbeTarget> targets;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string address;
    long port = -1;
    if (!(fields >> address >> port) || port < 0 || port > 65535) {
      std::cerr << file << ":" << number << ": expected 'ADDRESS PORT': " << line << "\n";
      return 2;
    }
    targets.push_back({address, static_cast<std::uint16_t>(port)});
  }

  const auto start = std::chrono::steady_clock::now();
  const auto results = tcpConnect(targets, options);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  std::size_t ok = 0, refused = 0, timeout = 0, other = 0;
  for (const auto& r : results) {
    using netspine::plugin::ErrorCategory;
    if (r.category == ErrorCategory::Ok) {
      ++ok;
    } else if (r.category == ErrorCategory::Unreachable &&
               r.error.rfind("connection refused", 0) == 0) {
      ++refused;
    } else if (r.category == ErrorCategory::Timeout) {
      ++timeout;
    } else {
      if (other++ < 5) std::cerr << r.error << "\n";  // a few, to see what went wrong
    }
  }
  std::printf("targets=%zu ok=%zu refused=%zu timeout=%zu other=%zu elapsed_s=%.3f\n",
              targets.size(), ok, refused, timeout, other, elapsed.count());
  return 0;
}
