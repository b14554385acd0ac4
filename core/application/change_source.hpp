#pragma once
// What a job that changes devices (push, provision, teardown) applies to each device: the
// `lines` parameter as given, or the `template` parameter rendered per device from its inventory
// fields and the job's other parameters. The core renders; the engine gets the result in the
// device's "change.lines" attribute and never sees a template.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/entities.hpp"

namespace netspine::plugin {
struct Configuration;
}

namespace netspine::app {

class ConfigTemplate;

/// Parameters that are the change's own, never template variables.
bool isChangeOption(const std::string& parameter);

/// The first line of `lines` that is not a configuration statement, or nothing: a command that
/// leaves or moves between configuration levels (`end`, `exit`, `edit`, `top`, `up`), runs an
/// exec command (`do`, `run`), or begins like one of the session commands the engine sends itself
/// around a change (`configuration`: `commit`, `rollback`, `write memory`, `configure replace`…),
/// abbreviations included. Such a line would bypass the dry run, commit confirmed or the
/// verification. "line 3 'end': …".
std::optional<std::string> sessionCommandIn(std::string_view lines,
                                            const plugin::Configuration& configuration);

class ChangeSource {
 public:
  /// The source in a job's parameters, or nothing when it has neither `lines` nor `template`.
  /// Throws domain::ValidationError (field "param") when it has both, or for a template with a
  /// syntax error ("template line N: ...").
  static std::optional<ChangeSource> of(const std::map<std::string, std::string>& parameters);

  /// The lines for one device. Throws domain::ValidationError naming the device, the template
  /// line and the undefined variable. `areaPath` is the device's area ("emea/ams1"). With the
  /// device's platform's `configuration`, also naming the device and a line that is a session
  /// command (sessionCommandIn).
  std::string linesFor(const domain::Device& device, const std::string& areaPath,
                       const plugin::Configuration* configuration = nullptr) const;

  [[nodiscard]] bool isTemplate() const { return template_ != nullptr; }

 private:
  std::string lines_;
  std::shared_ptr<const ConfigTemplate> template_;
  std::map<std::string, std::string> variables_;
};

}  // namespace netspine::app
