#pragma once
// Configuration templates: a small, strict subset of Jinja2 (docs/templates.md). Strict because
// the output goes to routers: an undefined variable is an error naming it and its line, never
// empty text, and no input (template or values) can crash or hang the renderer.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"

namespace netspine::app {

/// Values a template sees, by dotted name: "device.name", "vlan_id". All values are text.
using TemplateValues = std::map<std::string, std::string, std::less<>>;

/// A parsed template: parse once, render per device (render is const and thread-safe; copies
/// share the parsed form).
class ConfigTemplate {
 public:
  /// Throws domain::ValidationError ("template line N: ...", field "template") for a syntax
  /// error: an unknown tag or filter, an unclosed tag or block, a stray end tag.
  explicit ConfigTemplate(std::string_view text);

  /// The rendered text; every line ends with '\n'. Throws domain::ValidationError ("template
  /// line N: undefined variable 'vlan_id'", field "template") when a value the template needs is
  /// missing, or when rendering would exceed its limits (see docs/templates.md).
  std::string render(const TemplateValues& values) const;

  /// The variables the template reads (outside loops' own names and `loop.*`), sorted and
  /// unique: for docs and errors.
  std::vector<std::string> variables() const;

  struct Parsed;

 private:
  std::shared_ptr<const Parsed> parsed_;
};

/// The values of one device for templates: device.name, device.address, device.platform,
/// device.status ("ACTIVE"), device.role, device.serial, device.os_version, device.area (its
/// name), device.tags (comma-separated), device.ssh_port and device.snmp_port (only when set),
/// plus `parameters` by their own names. A parameter named "device.*" is a ValidationError
/// (field "parameters"): it would hide or fake a device's own value.
TemplateValues templateValues(const domain::Device& device, const std::string& areaName,
                              const std::map<std::string, std::string>& parameters);

}  // namespace netspine::app
