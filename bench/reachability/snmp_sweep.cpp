// netspine_snmp_sweep: one SNMP GET of the four system objects from every address of a file
// (one a line) in one snmpGet batch; prints one summary line, for snmp_bench.sh to set beside
// a loop of net-snmp's snmpget.
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "probes/snmp_probe.hpp"

namespace {

int usage() {
  std::cerr << "usage: netspine_snmp_sweep --file ADDRS --port P (--community C | --v3 "
               "user:auth:priv) [--timeout-ms N] [--retries N] [--max-in-flight N] [--verbose]\n";
  return 2;
}

bool number(const char* text, long& value) {
  const std::string_view s(text);
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  return error == std::errc() && end == s.data() + s.size() && value >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace netspine::reach;
  using netspine::plugin::Secret;
  std::string file;
  SnmpCredentials credentials;
  SnmpOptions options;
  long port = 161;
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
    } else if (arg == "--community") {
      credentials.community = Secret(next);
    } else if (arg == "--v3") {
      // user:auth:priv, SHA and AES.
      const std::string spec = next;
      const auto a = spec.find(':');
      const auto b = a == std::string::npos ? a : spec.find(':', a + 1);
      if (b == std::string::npos) return usage();
      credentials.version = SnmpCredentials::Version::V3;
      credentials.user = spec.substr(0, a);
      credentials.authPassword = Secret(spec.substr(a + 1, b - a - 1));
      credentials.privPassword = Secret(spec.substr(b + 1));
    } else if (!number(next, value)) {
      return usage();
    } else if (arg == "--port") {
      if (value == 0 || value > 65535) return usage();
      port = value;
    } else if (arg == "--timeout-ms") {
      options.timeout = std::chrono::milliseconds(value);
    } else if (arg == "--retries") {
      options.retries = static_cast<int>(value);
    } else if (arg == "--max-in-flight") {
      options.maxInFlight = static_cast<std::size_t>(value);
    } else {
      return usage();
    }
  }
  if (file.empty()) return usage();
  if (const auto problem = checkCredentials(credentials); !problem.empty()) {
    std::cerr << "netspine_snmp_sweep: " << problem << "\n";
    return 2;
  }
  std::ifstream in(file);
  if (!in) {
    std::cerr << "netspine_snmp_sweep: cannot read " << file << ": " << std::strerror(errno)
              << "\n";
    return 2;
  }
  std::vector<SnmpTarget> targets;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) targets.push_back({{line, static_cast<std::uint16_t>(port)}, credentials});
  }
  const auto start = std::chrono::steady_clock::now();
  const auto results = snmpGet(targets, options);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t ok = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].category == netspine::plugin::ErrorCategory::Ok &&
        results[i].data.size() == options.oids.size()) {
      ++ok;
    } else if (verbose) {
      std::cerr << targets[i].target.address << ": " << results[i].error << "\n";
    }
  }
  std::printf("targets %zu ok %zu failed %zu elapsed %.3f s\n", results.size(), ok,
              results.size() - ok, elapsed);
  return ok == results.size() ? 0 : 1;
}
