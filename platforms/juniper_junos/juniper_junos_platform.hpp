#pragma once
// Juniper Junos: prompts, session, backup, secrets and candidate configuration with commit.

#include <netspine/plugin/declarative_platform.hpp>
#include <netspine/plugin/manifest.hpp>

namespace netspine::platforms::juniper_junos {

plugin::Manifest manifest();
// The declaration of the OS, as DeclarativePlatform takes it.
plugin::PlatformSpec platformSpec();

class JuniperJunosPlatform : public plugin::DeclarativePlatform {
 public:
  JuniperJunosPlatform() : DeclarativePlatform(platformSpec()) {}

 protected:
  // Braces balance (outside strings and comments) and the last statement is not cut short.
  [[nodiscard]] std::optional<std::string> checkComplete(std::string_view config) const override;
  // Hostname, model and version from "show version"; the chassis serial from "show chassis
  // hardware" when its output follows.
  [[nodiscard]] plugin::Facts readFacts(std::string_view output) const override;
  // "set interfaces X disable" for every interface but the management ones, "delete protocols
  // P" for every routing protocol, "delete routing-instances R" but the management instance.
  [[nodiscard]] std::vector<std::string> teardownFor(std::string_view runningConfig) const override;
};

}  // namespace netspine::platforms::juniper_junos
