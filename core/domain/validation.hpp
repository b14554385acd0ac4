#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"

namespace netspine::domain {

// Field rules. Each throws ValidationError naming the field, the value and the rule.

void validateAreaName(std::string_view name);
void validatePlatformId(std::string_view id);
void validateDeviceName(std::string_view name);
/// An API token's label: the rules of a device name.
void validateTokenName(std::string_view name);
/// IPv4 dotted quad, IPv6 (RFC 4291 text forms) or an RFC 1123 DNS name.
void validateAddress(std::string_view address);
void validatePort(int port, const std::string& field);
void validateTag(std::string_view tag);
void validateVid(int vid);
void validateVlanName(std::string_view name);
/// Free text fields (role, serial, os_version, description…): bounded length, no control
/// characters.
void validateText(std::string_view value, const std::string& field, std::size_t maxLength);
/// A credentials reference is a name (as a device name), never a secret.
void validateCredentialsRef(std::string_view ref);

bool isIpv4(std::string_view text);
bool isIpv6(std::string_view text);
bool isDnsName(std::string_view text);

/// Sorted, duplicates removed, each tag validated.
std::vector<std::string> normalizeTags(std::vector<std::string> tags);

// Whole-entity rules (every field above, applied to the entity).
void validate(const Area& area);
void validate(const Platform& platform);
void validate(const Device& device);
void validate(const Vlan& vlan);

}  // namespace netspine::domain

namespace netspine::domain {

/// Refuses a parent change that would put `area` below itself. `parentOf` walks the tree.
void checkNoCycle(const Area& area, std::optional<Id> newParent,
                  const std::function<std::optional<Id>(Id)>& parentOf);

}  // namespace netspine::domain
