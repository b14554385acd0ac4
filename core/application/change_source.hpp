#pragma once
// What a job that changes devices (push, provision, teardown) applies to each device: the
// `lines` parameter as given, or the `template` parameter rendered per device from its inventory
// fields and the job's other parameters. The core renders; the engine gets the result in the
// device's "change.lines" attribute and never sees a template.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "domain/entities.hpp"

namespace netspine::app {

class ConfigTemplate;

/// Parameters that are the change's own, never template variables.
bool isChangeOption(const std::string& parameter);

class ChangeSource {
 public:
  /// The source in a job's parameters, or nothing when it has neither `lines` nor `template`.
  /// Throws domain::ValidationError (field "param") when it has both, or for a template with a
  /// syntax error ("template line N: ...").
  static std::optional<ChangeSource> of(const std::map<std::string, std::string>& parameters);

  /// The lines for one device. Throws domain::ValidationError naming the device, the template
  /// line and the undefined variable. `areaPath` is the device's area ("emea/ams1").
  std::string linesFor(const domain::Device& device, const std::string& areaPath) const;

  [[nodiscard]] bool isTemplate() const { return template_ != nullptr; }

 private:
  std::string lines_;
  std::shared_ptr<const ConfigTemplate> template_;
  std::map<std::string, std::string> variables_;
};

}  // namespace netspine::app
