#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/device_status.hpp"

namespace netspine::domain {

using Id = std::int64_t;

/// A site or region; areas nest (a tree), and a name is unique among its siblings.
struct Area {
  Id id = 0;
  std::string name;
  std::optional<Id> parentId;
  std::string description;
  bool operator==(const Area&) const = default;
};

/// A device OS family; its id names the platform plugin that speaks to it.
struct Platform {
  std::string id;  // cisco_ios
  std::string name;
  std::string vendor;
  bool operator==(const Platform&) const = default;
};

/// A managed network device.
struct Device {
  Id id = 0;
  std::string name;  // unique, safe as a file name
  std::string address;
  std::string platform;  // Platform::id
  Id areaId = 0;
  DeviceStatus status = DeviceStatus::Inventory;
  std::string role;
  std::string serial;
  std::string osVersion;          // the software version it runs: "15.2(4)M7", free text
  std::vector<std::string> tags;  // sorted, unique
  std::string credentialsRef;     // a name in the secrets file, never a secret
  std::optional<int> sshPort;
  std::optional<int> snmpPort;
  std::int64_t version = 0;  // bumped by every write; the API's ETag
  std::string createdAt;
  std::string updatedAt;
  bool operator==(const Device&) const = default;
};

/// A VLAN of one area.
struct Vlan {
  Id id = 0;
  Id areaId = 0;
  int vid = 0;
  std::string name;
  std::string description;
  bool operator==(const Vlan&) const = default;
};

/// One recorded write: who changed what, with the object before and after as JSON.
struct ChangeEntry {
  Id id = 0;
  std::string time;  // ISO 8601 UTC
  std::string actor;
  std::string action;      // create | update | delete
  std::string objectType;  // area | platform | device | vlan
  std::string objectId;
  std::string objectName;
  std::string before;  // JSON, empty when none
  std::string after;   // JSON, empty when none
  std::string message;
};

}  // namespace netspine::domain
