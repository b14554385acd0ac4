#pragma once
// Cisco IOS and IOS XE: prompts, session, backup, secrets and configuration mode.

#include <netspine/plugin/declarative_platform.hpp>
#include <netspine/plugin/manifest.hpp>

namespace netspine::platforms::cisco_ios {

plugin::Manifest manifest();
// The declaration of the OS, as DeclarativePlatform takes it.
plugin::PlatformSpec platformSpec();

class CiscoIosPlatform : public plugin::DeclarativePlatform {
 public:
  CiscoIosPlatform() : DeclarativePlatform(platformSpec()) {}

 protected:
  // A complete running configuration ends with "end".
  [[nodiscard]] std::optional<std::string> checkComplete(std::string_view config) const override;
  // Version, model and serial from "show version".
  [[nodiscard]] plugin::Facts readFacts(std::string_view output) const override;
  // Every interface but the management one shut, routing processes, static routes outside the
  // management VRF and DHCP pools removed.
  [[nodiscard]] std::vector<std::string> teardownFor(std::string_view runningConfig) const override;
};

}  // namespace netspine::platforms::cisco_ios
