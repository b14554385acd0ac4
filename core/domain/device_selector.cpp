#include "domain/device_selector.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::domain {
namespace {

constexpr std::string_view kKeys = "status, area, platform, role, tag, name";

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == text.npos ? text.npos : end - start));
    if (end == text.npos) break;
    start = end + 1;
  }
  return parts;
}

void addUnique(std::vector<std::string>& values, std::string_view value) {
  if (std::find(values.begin(), values.end(), value) == values.end()) {
    values.emplace_back(value);
  }
}

}  // namespace

DeviceSelector DeviceSelector::parse(std::string_view text) {
  DeviceSelector selector;
  bool any = false;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const auto start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    const auto term = text.substr(start, i - start);
    const auto eq = term.find('=');
    if (eq == term.npos || eq == 0) {
      throw ValidationError(fmt::format("select: '{}' is not key=value (keys: {})", term, kKeys),
                            "select");
    }
    const auto key = term.substr(0, eq);
    const auto values = split(term.substr(eq + 1), ',');
    for (const auto value : values) {
      if (value.empty()) {
        throw ValidationError(fmt::format("select: '{}' has an empty value", term), "select");
      }
      if (key == "status") {
        const auto status = requireDeviceStatus(value, "select");
        if (std::find(selector.statuses.begin(), selector.statuses.end(), status) ==
            selector.statuses.end()) {
          selector.statuses.push_back(status);
        }
      } else if (key == "area") {
        addUnique(selector.areas, value);
      } else if (key == "platform") {
        validatePlatformId(value);
        addUnique(selector.platforms, value);
      } else if (key == "role") {
        addUnique(selector.roles, value);
      } else if (key == "tag") {
        validateTag(value);
        addUnique(selector.tags, value);
      } else if (key == "name") {
        if (values.size() != 1 || !selector.nameContains.empty()) {
          throw ValidationError("select: name takes one value", "select");
        }
        selector.nameContains = std::string(value);
      } else {
        throw ValidationError(fmt::format("select: unknown key '{}' (keys: {})", key, kKeys),
                              "select");
      }
    }
    any = true;
  }
  if (!any) {
    throw ValidationError(fmt::format("select: empty selector (keys: {})", kKeys), "select");
  }
  return selector;
}

std::string DeviceSelector::toString() const {
  std::vector<std::string> terms;
  if (!statuses.empty()) {
    std::vector<std::string> names;
    for (auto s : statuses) {
      std::string name(netspine::domain::toString(s));
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      names.push_back(std::move(name));
    }
    terms.push_back(fmt::format("status={}", fmt::join(names, ",")));
  }
  const auto add = [&](std::string_view key, const std::vector<std::string>& values) {
    if (!values.empty()) terms.push_back(fmt::format("{}={}", key, fmt::join(values, ",")));
  };
  add("area", areas);
  add("platform", platforms);
  add("role", roles);
  add("tag", tags);
  if (!nameContains.empty()) terms.push_back("name=" + nameContains);
  return fmt::format("{}", fmt::join(terms, " "));
}

}  // namespace netspine::domain
