#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/change_context.hpp"
#include "application/store.hpp"

namespace netspine::app {

struct DeviceInput {
  std::string name;
  std::string address;
  std::string platform;
  std::string area;                    // path or unique name
  std::optional<DeviceStatus> status;  // default INVENTORY
  std::string role;
  std::string serial;
  std::string osVersion;  // the software version the device runs; free text
  std::vector<std::string> tags;
  std::string credentialsRef;
  std::optional<int> sshPort;
  std::optional<int> snmpPort;
};

struct DevicePatch {
  std::optional<std::string> name;
  std::optional<std::string> address;
  std::optional<std::string> platform;
  std::optional<std::string> area;
  std::optional<DeviceStatus> status;
  std::optional<std::string> role;
  std::optional<std::string> serial;
  std::optional<std::string> osVersion;
  std::optional<std::vector<std::string>> tags;  // replaces all tags
  std::vector<std::string> addTags;
  std::vector<std::string> removeTags;
  std::optional<std::string> credentialsRef;
  std::optional<std::optional<int>> sshPort;  // engaged empty: back to the default port
  std::optional<std::optional<int>> snmpPort;
  /// The version the caller last saw (the API's If-Match); another one refuses with StaleError.
  std::optional<std::int64_t> ifVersion;
  /// Apply only if the device's status, read inside the update's own transaction, is one of
  /// these; another status refuses with PolicyRefusedError and writes nothing. Not a change of
  /// its own: a patch with only guards is empty.
  std::optional<std::vector<DeviceStatus>> ifStatusIn;
  bool empty() const;
};

/// A device query by names as a user types them; several values in one field mean OR.
struct DeviceQuery {
  std::vector<DeviceStatus> statuses;
  std::vector<std::string> areas;  // paths or unique names; a device in a child area matches too
  std::vector<std::string> platforms;
  std::vector<std::string> tags;
  std::vector<std::string> roles;
  std::string nameContains;
  /// A column, "-" in front for descending: name, address, status, platform, role, serial,
  /// os_version, created_at, updated_at. Empty: name.
  std::string ordering;
  /// Keyset paging (ordering by name only): the devices after this name.
  std::string after;
  std::int64_t limit = 0;
  std::int64_t offset = 0;
};

/// The only writer of devices: every field rule, name uniqueness, platform and area existence
/// and the status transition graph are checked before anything is written.
class DeviceService {
 public:
  explicit DeviceService(Store& store, Clock clock = utcNow)
      : store_(store), clock_(std::move(clock)) {}

  Device create(const DeviceInput& input, const ChangeContext& ctx);
  Device update(std::string_view name, const DevicePatch& patch, const ChangeContext& ctx);
  Device setStatus(std::string_view name, DeviceStatus status, const ChangeContext& ctx);
  /// `ifVersion`: the version the caller last saw; another one refuses with StaleError.
  void remove(std::string_view name, const ChangeContext& ctx,
              std::optional<std::int64_t> ifVersion = std::nullopt);
  Device get(std::string_view name);
  std::vector<Device> list(const DeviceQuery& query);
  std::int64_t count(const DeviceQuery& query);

  Device createIn(UnitOfWork& uow, const DeviceInput& input, const ChangeContext& ctx);
  Device updateIn(UnitOfWork& uow, std::string_view name, const DevicePatch& patch,
                  const ChangeContext& ctx);
  void removeIn(UnitOfWork& uow, std::string_view name, const ChangeContext& ctx,
                std::optional<std::int64_t> ifVersion = std::nullopt);

 private:
  DeviceFilter resolve(UnitOfWork& uow, const DeviceQuery& query);
  Store& store_;
  Clock clock_;
};

}  // namespace netspine::app
