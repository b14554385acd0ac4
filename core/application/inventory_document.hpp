#pragma once

#include <map>
#include <string>
#include <vector>

#include "application/area_service.hpp"
#include "application/device_service.hpp"
#include "application/vlan_service.hpp"

namespace netspine::app {

/// Where a record came from: "inventory.csv:17".
struct SourceRef {
  std::string file;
  int line = 0;
  std::string where() const { return line > 0 ? file + ":" + std::to_string(line) : file; }
};

/// One input record with its location, and, where the reader knows them, the lines of single
/// fields (JSON and YAML inputs spread a record over many lines).
template <class T>
struct Located {
  T value;
  SourceRef at;
  std::map<std::string, int> fieldLines;
  SourceRef fieldAt(const std::string& field) const {
    auto it = fieldLines.find(field);
    return it == fieldLines.end() ? at : SourceRef{at.file, it->second};
  }
};

/// A whole inventory read from a file, in the order it is written: areas, platforms, devices,
/// VLANs. Readers fill it; InventoryImporter writes it in one transaction.
struct InventoryDocument {
  std::vector<Located<AreaInput>> areas;
  std::vector<Located<Platform>> platforms;
  std::vector<Located<DeviceInput>> devices;
  std::vector<Located<VlanInput>> vlans;
};

}  // namespace netspine::app
