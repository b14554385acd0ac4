#pragma once
// The inventory file netspine-sim writes for 'netspine import': one CSV row per served device.

#include <ostream>
#include <string>
#include <vector>

#include "netspine/sim/ssh_server.hpp"

namespace netspine::sim {

struct InventoryOptions {
  std::string area = "sim";         // must exist in netspine before the import
  std::string credentials = "sim";  // a credentials reference, never a secret
  std::string status = "active";
};

// Header "name,address,platform,status,area,ssh_port,credentials,tags"; tags are "sim" and one
// "fault:NAME" per fault, so that a test can pick the faulty devices out of the inventory.
void writeInventoryCsv(std::ostream& out, const std::vector<ServedDevice>& devices,
                       const InventoryOptions& options = {});
// Writes the file; throws std::runtime_error naming it when it cannot be written.
void writeInventoryCsv(const std::string& path, const std::vector<ServedDevice>& devices,
                       const InventoryOptions& options = {});

}  // namespace netspine::sim
