#include "netspine/sim/inventory_file.hpp"

#include <fstream>
#include <stdexcept>

namespace netspine::sim {
namespace {

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void writeInventoryCsv(std::ostream& out, const std::vector<ServedDevice>& devices,
                       const InventoryOptions& options) {
  out << "name,address,platform,status,area,ssh_port,credentials,tags\n";
  for (const auto& device : devices) {
    const auto& profile = device.state->profile();
    std::string tags = "sim";
    for (Fault fault : profile.faults) tags += std::string(";fault:") + toString(fault);
    out << csvField(device.name) << ',' << csvField(device.address) << ',' << platformId(profile.os)
        << ',' << csvField(options.status) << ',' << csvField(options.area) << ',' << device.port
        << ',' << csvField(options.credentials) << ',' << csvField(tags) << '\n';
  }
}

void writeInventoryCsv(const std::string& path, const std::vector<ServedDevice>& devices,
                       const InventoryOptions& options) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  writeInventoryCsv(out, devices, options);
  out.flush();
  if (!out) throw std::runtime_error("cannot write the inventory file " + path);
}

}  // namespace netspine::sim
