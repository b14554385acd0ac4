#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace netspine::domain {

/// A device's lifecycle status; it decides what automation may touch the device.
enum class DeviceStatus { Inventory, Planned, Staged, Active, Failed, Decommissioning };

inline constexpr DeviceStatus kAllStatuses[] = {
    DeviceStatus::Inventory, DeviceStatus::Planned, DeviceStatus::Staged,
    DeviceStatus::Active,    DeviceStatus::Failed,  DeviceStatus::Decommissioning};

/// Upper-case name: "ACTIVE".
std::string_view toString(DeviceStatus status);
/// Accepts any letter case ("active", "Active", "ACTIVE").
std::optional<DeviceStatus> parseDeviceStatus(std::string_view text);
/// Same as parseDeviceStatus, or a ValidationError on `field` that lists the valid names.
DeviceStatus requireDeviceStatus(std::string_view text, const std::string& field = "status");

/// The statuses a device may move to from `from` (the documented transition graph).
std::span<const DeviceStatus> allowedTransitions(DeviceStatus from);
bool canTransition(DeviceStatus from, DeviceStatus to);
/// Throws ValidationError naming the device and the allowed targets when from -> to is refused.
/// A change to the same status is allowed (a no-op).
void checkTransition(std::string_view device, DeviceStatus from, DeviceStatus to);

}  // namespace netspine::domain
