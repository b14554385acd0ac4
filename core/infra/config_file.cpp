#include "infra/config_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <vector>

#include "domain/errors.hpp"
#include "infra/plugin_host.hpp"
#include "infra/yaml_support.hpp"

namespace netspine::infra {
namespace {

namespace fs = std::filesystem;

struct ConfigReader;

/// One key of the file and how its value goes into Config. A new setting is one entry in
/// configKeys() below (and a line in docs/configuration.md).
struct ConfigKey {
  std::string_view name;
  /// `path` is the key's dotted path ("database.url"), for messages.
  std::function<void(const YamlEntry& entry, const std::string& path, ConfigReader& reader)> read;
};

struct ConfigReader {
  Config& config;
  ProblemList& problems;
  fs::path baseDir;  // the config file's folder

  void readSection(const YAML::Node& map, const std::string& prefix,
                   std::span<const ConfigKey> keys) {
    std::vector<std::string_view> names;
    for (const auto& k : keys) names.push_back(k.name);
    for (const auto& e : entriesOf(map, prefix, problems)) {
      auto key = std::find_if(keys.begin(), keys.end(),
                              [&](const ConfigKey& k) { return k.name == e.key; });
      if (key == keys.end()) {
        reportUnknownKey(e, prefix, names, problems);
      } else {
        key->read(e, prefix + e.key, *this);
      }
    }
  }

  /// Relative paths are relative to the config file, not to wherever netspine was started.
  std::string resolve(const std::string& path) const {
    return fs::path(path).is_absolute() ? path : (baseDir / path).lexically_normal().string();
  }
};

/// A string setting.
ConfigKey text(std::string_view name, std::string Config::*member) {
  return {name, [member](const YamlEntry& e, const std::string& path, ConfigReader& r) {
            if (auto value = scalarText(e.value, e.line, path, r.problems))
              r.config.*member = *value;
          }};
}

/// A file or folder setting, resolved against the config file's folder.
ConfigKey pathSetting(std::string_view name, std::string Config::*member) {
  return {name, [member](const YamlEntry& e, const std::string& path, ConfigReader& r) {
            auto value = scalarText(e.value, e.line, path, r.problems);
            if (!value) return;
            if (value->empty()) {
              r.problems.add(e.line, fmt::format("{}: must not be empty", path));
            } else {
              r.config.*member = r.resolve(*value);
            }
          }};
}

/// A group of settings under one key ("database: {url: ...}").
ConfigKey section(std::string_view name, std::vector<ConfigKey> keys) {
  return {name,
          [keys = std::move(keys)](const YamlEntry& e, const std::string& path, ConfigReader& r) {
            if (expectMap(e.value, e.line, path, r.problems)) {
              r.readSection(e.value, path + ".", keys);
            }
          }};
}

/// automation_policy: {<status>: [operations]}; the statuses named replace their defaults.
void readAutomationPolicy(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  if (!expectMap(entry.value, entry.line, path, r.problems)) return;
  std::map<domain::DeviceStatus, int> seen;  // status -> line
  for (const auto& e : entriesOf(entry.value, path + ".", r.problems)) {
    const std::string statusPath = path + "." + e.key;
    domain::DeviceStatus status;
    try {
      status = domain::requireDeviceStatus(e.key, statusPath);
    } catch (const domain::ValidationError& error) {
      r.problems.add(e.line, error.what());
      continue;
    }
    if (auto [it, fresh] = seen.emplace(status, e.line); !fresh) {
      r.problems.add(e.line, fmt::format("{}: status {} is already set at line {}", statusPath,
                                         domain::toString(status), it->second));
      continue;
    }
    std::vector<domain::Operation> ops;  // nothing listed: the status allows nothing
    if (!e.value.IsNull() && !expectList(e.value, e.line, statusPath, r.problems)) continue;
    bool valid = true;
    for (std::size_t i = 0; e.value.IsSequence() && i < e.value.size(); ++i) {
      const YAML::Node item = e.value[i];
      const auto itemPath = fmt::format("{}[{}]", statusPath, i);
      auto name = scalarText(item, lineOf(item), itemPath, r.problems);
      if (!name) {
        valid = false;
        continue;
      }
      std::string lower = *name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (auto op = domain::parseOperation(lower)) {
        ops.push_back(*op);
      } else {
        std::vector<std::string_view> names;
        for (auto o : domain::kAllOperations) names.push_back(domain::toString(o));
        r.problems.add(lineOf(item), fmt::format("{}: unknown operation '{}' (expected one of {})",
                                                 itemPath, *name, joinNames(names)));
        valid = false;
      }
    }
    if (valid) r.config.automationPolicy.set(status, ops);
  }
}

/// plugin_dirs: [path, ...], each resolved against the config file's folder.
void readPluginDirs(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  if (!expectList(entry.value, entry.line, path, r.problems)) return;
  std::vector<std::string> dirs;
  bool valid = true;
  for (std::size_t i = 0; i < entry.value.size(); ++i) {
    const YAML::Node item = entry.value[i];
    const auto itemPath = fmt::format("{}[{}]", path, i);
    auto dir = scalarText(item, lineOf(item), itemPath, r.problems);
    if (!dir || dir->empty()) {  // a list or an object was reported by scalarText
      if (!dir && item.IsNull()) {
        // yaml-cpp places an empty item on the line after its dash: name the key's line.
        r.problems.add(entry.line, fmt::format("{}: expected a folder, got nothing", itemPath));
      } else if (dir) {
        r.problems.add(lineOf(item), fmt::format("{}: must not be empty", itemPath));
      }
      valid = false;
      continue;
    }
    dirs.push_back(r.resolve(*dir));
  }
  if (valid) r.config.pluginDirs = std::move(dirs);
}

const std::vector<ConfigKey>& configKeys() {
  static const std::vector<ConfigKey> keys = {
      pathSetting("data_dir", &Config::dataDir),
      section("database", {text("url", &Config::databaseUrl)}),
      {"automation_policy", readAutomationPolicy},
      {"plugin_dirs", readPluginDirs},
  };
  return keys;
}

}  // namespace

std::string Config::effectiveDatabaseUrl() const {
  return databaseUrl.empty() ? (fs::path(dataDir) / "netspine.db").string() : databaseUrl;
}

std::vector<std::string> Config::effectivePluginDirs() const {
  return pluginDirs ? *pluginDirs : std::vector<std::string>{defaultPluginDir()};
}

Config loadConfig(const std::string& path) {
  const YAML::Node root = parseYaml(readTextFile(path), path);
  Config config;
  config.sourcePath = path;
  ProblemList problems(path);
  ConfigReader reader{config, problems, fs::path(path).parent_path()};
  config.dataDir = reader.resolve(config.dataDir);  // the default is next to the file, too
  if (root.IsMap()) {
    reader.readSection(root, "", configKeys());
  } else if (!root.IsNull()) {
    std::vector<std::string_view> names;
    for (const auto& k : configKeys()) names.push_back(k.name);
    problems.add(std::max(1, lineOf(root)), fmt::format("expected an object with keys {}, got {}",
                                                        joinNames(names), describe(root)));
  }
  if (!problems.empty()) {
    throw domain::ValidationError(fmt::format("{}", fmt::join(problems.messages(), "\n")));
  }
  return config;
}

}  // namespace netspine::infra
