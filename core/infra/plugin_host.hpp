#pragma once

// Loads platform and engine plugins (shared libraries built against plugin-api/) and hands out
// their objects. Every check is made before the library is trusted, in the order a bad file is
// cheapest to refuse: permissions, a shared library at all, the handshake (API version, ABI tag),
// the manifest, the factory, a duplicate id. A refused file is one line naming the file and the
// reason; the host goes on with the others and never lets a plugin's exception escape.

#include <netspine/plugin/engine.hpp>
#include <netspine/plugin/manifest.hpp>
#include <netspine/plugin/platform.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netspine::infra {

/// netspine's own version ("0.1.0"), which a manifest's minHostVersion is compared against.
const char* netspineVersion();

/// `<directory of the running executable>/../lib/netspine/plugins`: the build tree and an
/// installed prefix share this layout.
std::string defaultPluginDir();

/// A library the host would not load, and why (one line, without the file name).
struct PluginRefusal {
  std::string file;
  std::string reason;

  /// "FILE: REASON", the form every message about a refused plugin takes.
  std::string line() const { return file + ": " + reason; }
};

/// A plugin the host loaded: what it says about itself and where it came from.
struct LoadedPlugin {
  plugin::Manifest manifest;  // the host's own copy: valid after the library is unloaded
  std::string file;
  plugin::Handshake handshake{};  // abiTag points to the host's kAbiTag (they are equal)
  unsigned maxBatch = 1;          // devices per request the engine takes (NETSPINE_ENGINE_BATCH)
};

struct LoadReport {
  std::vector<LoadedPlugin> loaded;
  std::vector<PluginRefusal> refused;
};

/// The verdict on one file, from PluginHost::check.
struct CheckResult {
  std::optional<LoadedPlugin> plugin;  // set when the file would load
  std::optional<std::string> refusal;  // the reason it would not; set when plugin is not

  bool ok() const { return plugin.has_value(); }
};

/// The plugins of one process. Not thread-safe while loading; the lookups are const and may be
/// called from many threads once loading is done. Objects handed out keep their library loaded,
/// so they may outlive the host.
class PluginHost {
 public:
  PluginHost();
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  /// Loads every `*.so` of each directory, directories in order, files by name. A plugin id (or
  /// an operation) already loaded is refused: the first one wins. Never throws.
  LoadReport loadDirectories(const std::vector<std::string>& dirs);
  /// Loads one file, with the same checks. Never throws.
  LoadReport loadFile(const std::string& path);

  /// Runs every check load would on `path`, creating and destroying the plugin object once, and
  /// unloads the library again (unless something else holds it). Registers nothing. Never throws.
  /// `checkPermissions` off is for a file about to be copied (the copy gets its own mode).
  static CheckResult check(const std::string& path, bool checkPermissions = true);
  /// Why the host would refuse every plugin in `dir` (missing, unsafe permissions), if it would.
  static std::optional<std::string> checkDirectory(const std::string& dir);

  /// The platform plugin whose id is `platformId`, or null.
  std::shared_ptr<const plugin::Platform> platform(const std::string& platformId) const;
  /// The engine that provides `operation`, or null.
  std::shared_ptr<plugin::Engine> engineFor(const std::string& operation) const;
  /// How many devices the engine of `operation` takes in one request (1 when unknown).
  unsigned maxBatch(const std::string& operation) const;
  /// Every loaded plugin, in load order.
  const std::vector<LoadedPlugin>& plugins() const { return loaded_; }

 private:
  struct Entry {
    LoadedPlugin info;
    std::shared_ptr<plugin::Plugin> object;  // holds the library (see plugin_host.cpp)
    plugin::Platform* platform = nullptr;    // asPlatform(), asked once at load time
  };

  void load(const std::string& path, LoadReport& report);

  std::vector<LoadedPlugin> loaded_;
  std::map<std::string, Entry> byId_;
  std::map<std::string, std::shared_ptr<plugin::Engine>> engines_;  // by operation
  std::map<std::string, std::string> operationOwner_;               // operation -> plugin id
  std::map<std::string, unsigned> maxBatch_;                        // by operation
};

/// Runs an engine as the host must: an exception or a device left unreported becomes that
/// device's plugin_error result, so a faulty engine fails its devices, not the worker. Every
/// device of the request is reported exactly once. Never throws.
void runEngine(plugin::Engine& engine, const plugin::EngineRequest& request,
               plugin::RunContext& context);

/// engine.validate, with an exception turned into the problem it describes.
std::optional<std::string> validateEngine(const plugin::Engine& engine,
                                          const std::string& operation,
                                          const plugin::Parameters& parameters);

}  // namespace netspine::infra
