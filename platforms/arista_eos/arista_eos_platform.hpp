#pragma once
// Arista EOS: prompts, session, backup, secrets and configuration sessions.

#include <netspine/plugin/declarative_platform.hpp>
#include <netspine/plugin/manifest.hpp>

namespace netspine::platforms::arista_eos {

plugin::Manifest manifest();
// The declaration of the OS, as DeclarativePlatform takes it.
plugin::PlatformSpec platformSpec();

class AristaEosPlatform : public plugin::DeclarativePlatform {
 public:
  AristaEosPlatform() : DeclarativePlatform(platformSpec()) {}

 protected:
  // A complete running configuration ends with "end".
  [[nodiscard]] std::optional<std::string> checkComplete(std::string_view config) const override;
  // Model, serial and version from "show version"; the hostname from "show hostname".
  [[nodiscard]] plugin::Facts readFacts(std::string_view output) const override;
  // Every interface but Management ones shut, routing processes and static routes outside the
  // management VRF removed.
  [[nodiscard]] std::vector<std::string> teardownFor(std::string_view runningConfig) const override;
};

}  // namespace netspine::platforms::arista_eos
