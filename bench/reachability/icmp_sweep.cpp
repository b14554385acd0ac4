// netspine_icmp_sweep: pings every address of a file (one a line) in one icmpSweep batch and
// prints one summary line, for icmp_bench.sh to set beside fping.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "probes/icmp_sweep.hpp"

namespace {

int usage() {
  std::cerr << "usage: netspine_icmp_sweep --file ADDRS [--timeout-ms N] [--retries N]"
               " [--interval-us N] [--verbose]\n";
  return 2;
}

bool number(const char* text, long& value) {
  const std::string_view s(text);
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  return error == std::errc() && end == s.data() + s.size();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace netspine::reach;
  std::string file;
  IcmpOptions options;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    long value = 0;
    if (arg == "--verbose") {
      verbose = true;
      continue;
    }
    if (i + 1 >= argc) return usage();
    const char* next = argv[++i];
    if (arg == "--file") {
      file = next;
    } else if (!number(next, value)) {
      return usage();
    } else if (arg == "--timeout-ms") {
      options.timeout = std::chrono::milliseconds(value);
    } else if (arg == "--retries") {
      options.retries = static_cast<int>(value);
    } else if (arg == "--interval-us") {
      options.interval = std::chrono::microseconds(value);
    } else {
      return usage();
    }
  }
  if (file.empty()) return usage();
  std::ifstream in(file);
  if (!in) {
    std::cerr << "netspine_icmp_sweep: cannot read " << file << ": " << std::strerror(errno)
              << "\n";
    return 2;
  }
  std::vector<ProbeTarget> targets;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) targets.push_back({line, 0});
  }
  const auto start = std::chrono::steady_clock::now();
  const auto results = icmpSweep(targets, options);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t up = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].category == netspine::plugin::ErrorCategory::Ok) {
      ++up;
    } else if (verbose) {
      std::cerr << targets[i].address << ": " << results[i].error << "\n";
    }
  }
  std::printf("targets %zu up %zu down %zu elapsed %.3f s\n", results.size(), up,
              results.size() - up, elapsed);
  return up == results.size() ? 0 : 1;
}
