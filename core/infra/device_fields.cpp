#include "infra/device_fields.hpp"

#include <algorithm>
#include <cctype>

#include "domain/device_status.hpp"
#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::infra {
namespace {

struct FieldNames {
  DeviceField field;
  std::vector<std::string_view> names;  // the field's own name first, then aliases by priority
};

// NetBox's own column names are aliases, so that its device exports (CSV or API) map as is.
const std::vector<FieldNames>& fieldTable() {
  static const std::vector<FieldNames> table = {
      {DeviceField::Name, {"name"}},
      {DeviceField::Address,
       {"address", "mgmt_address", "management_address", "primary_ip", "ip_address", "ip",
        "primary_ip4", "primary_ipv4", "ipv4_address", "primary_ip6", "primary_ipv6",
        "ipv6_address"}},
      {DeviceField::Platform, {"platform"}},
      {DeviceField::Area, {"area", "site", "location"}},
      {DeviceField::Status, {"status"}},
      {DeviceField::Role, {"role", "device_role"}},
      {DeviceField::Serial, {"serial", "serial_number"}},
      {DeviceField::OsVersion, {"os_version", "software_version"}},
      {DeviceField::Tags, {"tags"}},
      {DeviceField::Credentials, {"credentials", "credentials_ref"}},
      {DeviceField::SshPort, {"ssh_port"}},
      {DeviceField::SnmpPort, {"snmp_port"}},
  };
  return table;
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::size_t indexOf(DeviceField field) {
  return static_cast<std::size_t>(field);
}

}  // namespace

std::string normalizeKey(std::string_view key) {
  std::string out;
  bool gap = false;
  for (unsigned char c : key) {
    if (std::isalnum(c)) {
      if (gap && !out.empty()) out += '_';
      out += static_cast<char>(std::tolower(c));
      gap = false;
    } else {
      gap = true;
    }
  }
  return out;
}

std::optional<DeviceKey> findDeviceKey(std::string_view normalizedKey) {
  for (const auto& entry : fieldTable()) {
    auto it = std::find(entry.names.begin(), entry.names.end(), normalizedKey);
    if (it != entry.names.end()) {
      return DeviceKey{entry.field, static_cast<int>(it - entry.names.begin())};
    }
  }
  return std::nullopt;
}

std::span<const std::string_view> deviceFieldNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& entry : fieldTable()) v.push_back(entry.names.front());
    return v;
  }();
  return names;
}

std::span<const std::string_view> deviceKeyNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& entry : fieldTable())
      v.insert(v.end(), entry.names.begin(), entry.names.end());
    return v;
  }();
  return names;
}

std::string_view nameOf(DeviceField field) {
  return fieldTable()[indexOf(field)].names.front();
}

bool isRequired(DeviceField field) {
  return field == DeviceField::Name || field == DeviceField::Address ||
         field == DeviceField::Platform || field == DeviceField::Area;
}

std::string normalizePlatform(std::string_view text) {
  std::string out(trim(text));
  for (char& c : out) {
    c = (c == '-' || c == ' ') ? '_'
                               : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string stripPrefixLength(std::string_view address) {
  const auto slash = address.find('/');
  if (slash != std::string_view::npos) {
    const auto ip = address.substr(0, slash);
    if (domain::isIpv4(ip) || domain::isIpv6(ip)) return std::string(ip);
  }
  return std::string(address);
}

std::vector<std::string> splitTags(std::string_view text) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find_first_of(",;", start), text.size());
    const auto tag = trim(text.substr(start, end - start));
    if (!tag.empty()) tags.emplace_back(tag);
    start = end + 1;
  }
  return tags;
}

bool DeviceRecord::accepts(DeviceKey key) const {
  const auto& current = values_[indexOf(key.field)];
  return current.rank < 0 || key.rank < current.rank;
}

void DeviceRecord::set(DeviceKey key, std::string_view text, int line) {
  text = trim(text);
  if (text.empty() || !accepts(key)) return;
  values_[indexOf(key.field)] = Value{key.rank, std::string(text), std::nullopt, line};
}

void DeviceRecord::setTags(DeviceKey key, std::vector<std::string> tags, int line) {
  std::vector<std::string> kept;
  for (const auto& tag : tags) {
    const auto t = trim(tag);
    if (!t.empty()) kept.emplace_back(t);
  }
  if (kept.empty() || !accepts(key)) return;
  values_[indexOf(key.field)] = Value{key.rank, {}, std::move(kept), line};
}

app::Located<app::DeviceInput> DeviceRecord::build(ProblemList& problems) const {
  app::Located<app::DeviceInput> out;
  out.at = at_;
  auto& d = out.value;
  for (const auto& entry : fieldTable()) {
    const Value& v = values_[indexOf(entry.field)];
    if (v.rank < 0) continue;
    const std::string field(entry.names.front());
    out.fieldLines[field] = v.line;
    switch (entry.field) {
      case DeviceField::Name:
        d.name = v.text;
        break;
      case DeviceField::Address:
        d.address = stripPrefixLength(v.text);
        break;
      case DeviceField::Platform:
        d.platform = normalizePlatform(v.text);
        break;
      case DeviceField::Area:
        d.area = v.text;
        break;
      case DeviceField::Status:
        try {
          d.status = domain::requireDeviceStatus(v.text, field);
        } catch (const domain::ValidationError& e) {
          problems.add(v.line, e.what());
        }
        break;
      case DeviceField::Role:
        d.role = v.text;
        break;
      case DeviceField::Serial:
        d.serial = v.text;
        break;
      case DeviceField::OsVersion:
        d.osVersion = v.text;
        break;
      case DeviceField::Tags:
        d.tags = v.list ? *v.list : splitTags(v.text);
        break;
      case DeviceField::Credentials:
        d.credentialsRef = v.text;
        break;
      case DeviceField::SshPort:
        d.sshPort = parseInteger(v.text, v.line, field, problems);
        break;
      case DeviceField::SnmpPort:
        d.snmpPort = parseInteger(v.text, v.line, field, problems);
        break;
    }
  }
  return out;
}

}  // namespace netspine::infra
