#include "application/change_source.hpp"

#include <fmt/format.h>

#include "application/config_template.hpp"
#include "domain/errors.hpp"

namespace netspine::app {

bool isChangeOption(const std::string& parameter) {
  static const char* const kOptions[] = {"lines", "template", "dry_run",     "confirm_minutes",
                                         "save",  "confirm",  "secret_mode", "max_config_bytes"};
  for (const char* option : kOptions) {
    if (parameter == option) return true;
  }
  return false;
}

std::optional<ChangeSource> ChangeSource::of(const std::map<std::string, std::string>& parameters) {
  auto lines = parameters.find("lines");
  auto text = parameters.find("template");
  if (lines == parameters.end() && text == parameters.end()) return std::nullopt;
  if (lines != parameters.end() && text != parameters.end()) {
    throw domain::ValidationError("give `lines` or `template`, not both", "param");
  }
  ChangeSource source;
  if (lines != parameters.end()) {
    source.lines_ = lines->second;
    return source;
  }
  try {
    source.template_ = std::make_shared<const ConfigTemplate>(text->second);
  } catch (const domain::ValidationError& e) {
    throw domain::ValidationError(e.what(), "template");
  }
  for (const auto& [name, value] : parameters) {
    if (!isChangeOption(name)) source.variables_.emplace(name, value);
  }
  return source;
}

std::string ChangeSource::linesFor(const domain::Device& device,
                                   const std::string& areaPath) const {
  if (!template_) return lines_;
  const auto slash = areaPath.rfind('/');
  auto values = templateValues(
      device, slash == std::string::npos ? areaPath : areaPath.substr(slash + 1), variables_);
  values["device.area_path"] = areaPath;
  try {
    return template_->render(values);
  } catch (const domain::ValidationError& e) {
    throw domain::ValidationError(fmt::format("device {}: {}", device.name, e.what()), "template");
  }
}

}  // namespace netspine::app
