#pragma once

// Internal to the application services: the steps every writer shares.

#include <string>
#include <string_view>

#include "application/area_tree.hpp"
#include "application/change_context.hpp"
#include "application/device_service.hpp"
#include "application/store.hpp"

namespace netspine::app::detail {

/// A change-log entry for one write, to be stored in the writer's transaction.
ChangeEntry makeChange(const Clock& clock, const ChangeContext& ctx, std::string action,
                       std::string objectType, std::string objectId, std::string objectName,
                       std::string before, std::string after);

/// An area named by a field of another object: unknown is a validation error of that field.
const Area& referencedArea(const AreaTree& tree, std::string_view area, const std::string& field);

std::string areaJson(const Area& area, const AreaTree& tree);
std::string platformJson(const Platform& platform);
std::string deviceJson(const Device& device, std::string_view areaPath);
std::string vlanJson(const Vlan& vlan, std::string_view areaPath);

/// A new device from user input with every field rule checked, its area resolved and its
/// platform known; name uniqueness is left to the caller (one row or a whole import).
Device buildDevice(const DeviceInput& input, const AreaTree& tree,
                   const std::vector<Platform>& platforms);

/// Throws a validation error of field "platform", listing the known ones, unless `id` is one.
void requireKnownPlatform(std::string_view id, const std::vector<Platform>& platforms);

}  // namespace netspine::app::detail
