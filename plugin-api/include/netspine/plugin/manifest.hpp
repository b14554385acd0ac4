#pragma once
// What a plugin says about itself: identity, kind, and what it provides.

#include <string>
#include <vector>

namespace netspine::plugin {

enum class PluginKind { Engine, Platform };

inline const char* toString(PluginKind kind) {
  return kind == PluginKind::Engine ? "engine" : "platform";
}

struct Manifest {
  std::string id;       // unique among loaded plugins; a platform plugin's id is the platform id
  std::string version;  // the plugin's own version, e.g. "1.2.0"
  PluginKind kind = PluginKind::Platform;
  std::string description;
  std::vector<std::string> provides;  // platform ids (platform) or operation names (engine)
  std::string minHostVersion;         // lowest netspine version it runs in, e.g. "0.1.0"
};

}  // namespace netspine::plugin
