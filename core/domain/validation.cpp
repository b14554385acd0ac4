#include "domain/validation.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

/// A value as it appears in a message: quoted, control bytes escaped, long values cut.
std::string quoted(std::string_view value) {
  std::string out = "'";
  std::size_t n = 0;
  for (unsigned char c : value) {
    if (++n > 80) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

/// Well-formed UTF-8 (no overlong two-byte forms, nothing above U+10FFFF's lead bytes).
bool isValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (c < 0x80) {
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if ((c >> 4) == 0xe) {
      n = 2;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += n;
  }
  return true;
}

bool isNameChar(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c == '-';
}

/// 1..maxLength characters of [A-Za-z0-9._-], and not "." or "..": safe as a file name.
void validateFileSafeName(std::string_view value, const std::string& field, std::size_t maxLength,
                          std::string_view what) {
  if (value.empty())
    throw ValidationError(fmt::format("{}: {} must not be empty", field, what), field);
  if (value.size() > maxLength) {
    throw ValidationError(fmt::format("{}: {} {} is {} characters long (at most {})", field, what,
                                      quoted(value), value.size(), maxLength),
                          field);
  }
  for (unsigned char c : value) {
    if (!isNameChar(c)) {
      throw ValidationError(
          fmt::format("{}: {} {} contains {} (allowed: letters, digits, '.', '_', '-')", field,
                      what, quoted(value),
                      c == ' ' ? std::string("a space")
                               : quoted(std::string_view(reinterpret_cast<const char*>(&c), 1))),
          field);
    }
  }
  if (value == "." || value == "..") {
    throw ValidationError(fmt::format("{}: {} must not be '.' or '..'", field, what), field);
  }
}

}  // namespace

void validateText(std::string_view value, const std::string& field, std::size_t maxLength) {
  if (value.size() > maxLength) {
    throw ValidationError(
        fmt::format("{}: {} characters (at most {})", field, value.size(), maxLength), field);
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      throw ValidationError(
          fmt::format("{}: {} contains a control character", field, quoted(value)), field);
    }
  }
  if (!isValidUtf8(value)) {
    throw ValidationError(fmt::format("{}: not valid UTF-8", field), field);
  }
}

void validateAreaName(std::string_view name) {
  validateFileSafeName(name, "name", 64, "area name");
}

void validatePlatformId(std::string_view id) {
  const std::string field = "id";
  if (id.empty() || id.size() > 64 || !std::islower(static_cast<unsigned char>(id[0])) ||
      !std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::islower(c) || std::isdigit(c) || c == '_';
      })) {
    throw ValidationError(
        fmt::format("{}: platform id {} must be 1-64 characters of [a-z0-9_] starting with a "
                    "letter (e.g. cisco_ios)",
                    field, quoted(id)),
        field);
  }
}

void validateDeviceName(std::string_view name) {
  validateFileSafeName(name, "name", 64, "device name");
}

void validateTokenName(std::string_view name) {
  validateFileSafeName(name, "name", 64, "token name");
}

void validateCredentialsRef(std::string_view ref) {
  if (!ref.empty()) validateFileSafeName(ref, "credentials", 64, "credentials reference");
}

bool isIpv4(std::string_view text) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t start = i;
    int value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > 255) return false;
      ++i;
    }
    std::size_t len = i - start;
    if (len == 0 || len > 3 || (len > 1 && text[start] == '0')) return false;
    ++parts;
    if (i == text.size()) break;
    if (text[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

bool isIpv6(std::string_view text) {
  if (text.empty() || text.size() > 45 || text.find(':') == std::string_view::npos) return false;
  std::string copy(text);
  unsigned char buf[16];
  return inet_pton(AF_INET6, copy.c_str(), buf) == 1;
}

bool isDnsName(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return false;
  std::string_view last;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view label = text.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (unsigned char c : label) {
      if (!std::isalnum(c) && c != '-') return false;
    }
    last = label;
    start = end + 1;
  }
  // An all-numeric top label is a mistyped IPv4 address, not a host name.
  return !std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c); });
}

void validateAddress(std::string_view address) {
  const std::string field = "address";
  if (address.empty()) throw ValidationError("address: must not be empty", field);
  if (isIpv4(address) || isIpv6(address) || isDnsName(address)) return;
  bool looksV4 = std::all_of(address.begin(), address.end(),
                             [](unsigned char c) { return std::isdigit(c) || c == '.'; });
  if (looksV4) {
    throw ValidationError(
        fmt::format("address: {} is not a valid IPv4 address (four numbers 0-255 without leading "
                    "zeros)",
                    quoted(address)),
        field);
  }
  if (address.find(':') != std::string_view::npos) {
    throw ValidationError(fmt::format("address: {} is not a valid IPv6 address", quoted(address)),
                          field);
  }
  throw ValidationError(
      fmt::format("address: {} is not an IPv4 or IPv6 address or a valid DNS name (labels of "
                  "letters, digits and '-', at most 63 characters each)",
                  quoted(address)),
      field);
}

void validatePort(int port, const std::string& field) {
  if (port < 1 || port > 65535) {
    throw ValidationError(fmt::format("{}: port {} out of range 1-65535", field, port), field);
  }
}

void validateTag(std::string_view tag) {
  const std::string field = "tags";
  if (tag.empty() || tag.size() > 64 || !std::all_of(tag.begin(), tag.end(), [](unsigned char c) {
        return isNameChar(c) || c == ':';
      })) {
    throw ValidationError(
        fmt::format("tags: tag {} must be 1-64 characters of letters, digits, '.', '_', '-', ':'",
                    quoted(tag)),
        field);
  }
}

std::vector<std::string> normalizeTags(std::vector<std::string> tags) {
  for (const auto& t : tags) validateTag(t);
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

void validateVid(int vid) {
  if (vid < 1 || vid > 4094) {
    throw ValidationError(fmt::format("vid: vlan {} out of range 1-4094", vid), "vid");
  }
}

void validateVlanName(std::string_view name) {
  validateFileSafeName(name, "name", 32, "vlan name");
}

void validate(const Area& area) {
  validateAreaName(area.name);
  validateText(area.description, "description", 256);
}

void validate(const Platform& platform) {
  validatePlatformId(platform.id);
  if (platform.name.empty()) throw ValidationError("name: platform name must not be empty", "name");
  validateText(platform.name, "name", 128);
  if (platform.vendor.empty()) {
    throw ValidationError("vendor: platform vendor must not be empty", "vendor");
  }
  validateText(platform.vendor, "vendor", 64);
}

void validate(const Device& device) {
  validateDeviceName(device.name);
  validateAddress(device.address);
  if (device.platform.empty()) throw ValidationError("platform: must not be empty", "platform");
  validateText(device.role, "role", 64);
  validateText(device.serial, "serial", 64);
  validateText(device.osVersion, "os_version", 128);
  for (const auto& t : device.tags) validateTag(t);
  validateCredentialsRef(device.credentialsRef);
  if (device.sshPort) validatePort(*device.sshPort, "ssh_port");
  if (device.snmpPort) validatePort(*device.snmpPort, "snmp_port");
}

void validate(const Vlan& vlan) {
  validateVid(vlan.vid);
  validateVlanName(vlan.name);
  validateText(vlan.description, "description", 256);
}

void checkNoCycle(const Area& area, std::optional<Id> newParent,
                  const std::function<std::optional<Id>(Id)>& parentOf) {
  std::unordered_set<Id> seen;
  for (auto p = newParent; p; p = parentOf(*p)) {
    if (*p == area.id) {
      throw ValidationError(
          fmt::format("parent: area '{}' cannot be moved below itself (that would make a cycle)",
                      area.name),
          "parent");
    }
    if (!seen.insert(*p).second) break;  // an existing cycle in stored data: stop walking
  }
}

}  // namespace netspine::domain
