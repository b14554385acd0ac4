#pragma once

// Internal to the inventory readers: the device fields every format shares (CSV columns, JSON and
// YAML keys, NetBox names), and how their text becomes a DeviceInput.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "application/inventory_document.hpp"
#include "infra/problem_list.hpp"

namespace netspine::infra {

enum class DeviceField {
  Name,
  Address,
  Platform,
  Area,
  Status,
  Role,
  Serial,
  OsVersion,
  Tags,
  Credentials,
  SshPort,
  SnmpPort
};

/// A column or key that names a device field; `rank` orders the names of one field (0 is the
/// field's own name): when a record gives several, the lowest rank wins.
struct DeviceKey {
  DeviceField field;
  int rank = 0;
};

/// A column or key name as people write it, made comparable: lower case, runs of anything but
/// letters and digits as one '_': "Primary IP" -> "primary_ip", "Serial number" -> "serial_number".
std::string normalizeKey(std::string_view key);

/// The field a normalised name stands for ("site" -> area, rank 1), if any.
std::optional<DeviceKey> findDeviceKey(std::string_view normalizedKey);

/// The fields' own names, in documentation order: name, address, platform, area, ...
std::span<const std::string_view> deviceFieldNames();
/// The fields' own names and every alias (normalised), for suggestions.
std::span<const std::string_view> deviceKeyNames();
std::string_view nameOf(DeviceField field);
/// name, address, platform and area.
bool isRequired(DeviceField field);

/// "Cisco IOS", "cisco-ios" -> "cisco_ios".
std::string normalizePlatform(std::string_view text);
/// "10.0.0.1/24" -> "10.0.0.1" (NetBox writes primary IPs with their prefix length); anything
/// else is left for the importer to judge.
std::string stripPrefixLength(std::string_view address);
/// "core, edge;lab" -> {"core", "edge", "lab"}.
std::vector<std::string> splitTags(std::string_view text);

/// One device being read: fields arrive as text (a CSV cell, a YAML scalar) or, for tags, as a
/// list; build() applies the conversions every format shares.
class DeviceRecord {
 public:
  explicit DeviceRecord(app::SourceRef at) : at_(std::move(at)) {}

  /// Surrounding white space is dropped; empty text means the field is not given.
  void set(DeviceKey key, std::string_view text, int line);
  void setTags(DeviceKey key, std::vector<std::string> tags, int line);
  /// Reports unknown statuses and ports that are not integers.
  app::Located<app::DeviceInput> build(ProblemList& problems) const;

 private:
  struct Value {
    int rank = -1;  // -1: not given
    std::string text;
    std::optional<std::vector<std::string>> list;
    int line = 0;
  };
  bool accepts(DeviceKey key) const;
  app::SourceRef at_;
  std::array<Value, 12> values_;
};

}  // namespace netspine::infra
