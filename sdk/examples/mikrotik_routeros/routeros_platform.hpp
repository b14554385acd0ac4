#pragma once
// MikroTik RouterOS 7: prompts, backup (a terse export), secrets and facts.

#include <netspine/plugin/declarative_platform.hpp>
#include <netspine/plugin/manifest.hpp>

namespace example::mikrotik_routeros {

namespace plugin = netspine::plugin;

plugin::Manifest manifest();
plugin::PlatformSpec platformSpec();

class RouterOsPlatform : public plugin::DeclarativePlatform {
 public:
  RouterOsPlatform() : DeclarativePlatform(platformSpec()) {}

 protected:
  // An export has no closing line: it must start with its header, hold statements only, and
  // not stop inside a quoted value.
  [[nodiscard]] std::optional<std::string> checkComplete(std::string_view config) const override;
  // Version, model, serial and name from /system resource, routerboard and identity.
  [[nodiscard]] plugin::Facts readFacts(std::string_view output) const override;
};

}  // namespace example::mikrotik_routeros
