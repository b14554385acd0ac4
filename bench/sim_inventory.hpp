#pragma once
// The inventory CSV netspine-sim writes (name,address,platform,status,area,ssh_port,credentials,
// tags), read by the load generators of bench/.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace netspine::bench {

struct SimTarget {
  std::string name, address, platform;
  unsigned port = 22;
  std::string tags;
};

/// Every device of the file; `withFaults` false leaves out those tagged "fault:…".
inline std::vector<SimTarget> readSimInventory(const std::string& path, bool withFaults = true) {
  std::ifstream in(path);
  std::vector<SimTarget> targets;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    if (f.size() < 6) continue;
    SimTarget t{f[0], f[1], f[2], static_cast<unsigned>(std::stoul(f[5])),
                f.size() > 7 ? f[7] : ""};
    if (!withFaults && t.tags.find("fault:") != std::string::npos) continue;
    targets.push_back(std::move(t));
  }
  return targets;
}

}  // namespace netspine::bench
