#include "infra/config_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "domain/errors.hpp"
#include "domain/validation.hpp"
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

/// A whole number in [min, max] ("jobs.workers: 4").
ConfigKey number(std::string_view name, int min, int max, std::function<void(Config&, int)> set) {
  return {name, [=](const YamlEntry& e, const std::string& path, ConfigReader& r) {
            auto value = integerValue(e.value, e.line, path, r.problems);
            if (!value) return;
            if (*value < min || *value > max) {
              r.problems.add(
                  e.line, fmt::format("{}: must be from {} to {}, got {}", path, min, max, *value));
              return;
            }
            set(r.config, *value);
          }};
}

/// A duration such as 30s, 5m, 1h30m; at least `min`.
ConfigKey duration(std::string_view name, std::chrono::seconds min,
                   std::function<void(Config&, std::chrono::milliseconds)> set) {
  return {name, [=](const YamlEntry& e, const std::string& path, ConfigReader& r) {
            auto value = scalarText(e.value, e.line, path, r.problems);
            if (!value) return;
            try {
              const auto seconds = domain::parseInterval(*value, path);
              if (seconds < min) {
                r.problems.add(e.line, fmt::format("{}: must be at least {}s, got {}", path,
                                                   min.count(), *value));
                return;
              }
              set(r.config, seconds);
            } catch (const domain::ValidationError& error) {
              r.problems.add(e.line, error.what());
            }
          }};
}

/// operations: {<job kind>: <operation class>}: which statuses may run a kind.
void readOperations(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  if (!expectMap(entry.value, entry.line, path, r.problems)) return;
  for (const auto& e : entriesOf(entry.value, path + ".", r.problems)) {
    const std::string kindPath = path + "." + e.key;
    auto name = scalarText(e.value, e.line, kindPath, r.problems);
    if (!name) continue;
    std::string lower = *name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (auto op = domain::parseOperation(lower)) {
      r.config.operations.set(e.key, *op);
    } else {
      std::vector<std::string_view> names;
      for (auto o : domain::kAllOperations) names.push_back(domain::toString(o));
      r.problems.add(e.line, fmt::format("{}: unknown operation class '{}' (expected one of {})",
                                         kindPath, *name, joinNames(names)));
    }
  }
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

/// A domain error's message without its leading "FIELD: " (or "FIELD "), to go after a key path.
std::string reasonOf(const domain::ValidationError& error, std::string_view field) {
  std::string_view message = error.what();
  if (message.starts_with(field) && message.size() > field.size() &&
      (message[field.size()] == ' ' || message.substr(field.size()).starts_with(": "))) {
    message.remove_prefix(field.size() + (message[field.size()] == ' ' ? 1 : 2));
  }
  return std::string(message);
}

/// One schedule as read so far, and the lines its checks need.
struct ScheduleDraft {
  domain::Schedule schedule;
  bool valid = true;
  int nameLine = 0;
  int kindLine = 0;
  int devicesLine = 0;
  int selectLine = 0;
  int cronLine = 0;
  int everyLine = 0;
  int timeZoneLine = 0;
};

constexpr std::string_view kScheduleKeys[] = {"name",       "kind", "devices", "select",
                                              "parameters", "cron", "every",   "timezone"};

/// One key of one schedule into `draft`; every problem is reported and marks the draft invalid.
void readScheduleKey(const YamlEntry& e, const std::string& prefix, ScheduleDraft& draft,
                     ProblemList& problems) {
  const std::string path = prefix + e.key;
  auto& s = draft.schedule;
  const auto problem = [&](int line, std::string message) {
    problems.add(line, fmt::format("{}: {}", path, message));
    draft.valid = false;
  };
  // A scalar's text; nothing at all is reported as "expected WHAT, got nothing".
  const auto text = [&](std::string_view what) -> std::optional<std::string> {
    if (e.value.IsNull()) {
      problem(e.line, fmt::format("expected {}, got nothing", what));
      return std::nullopt;
    }
    auto value = scalarText(e.value, e.line, path, problems);
    if (!value) draft.valid = false;
    return value;
  };
  try {
    if (e.key == "name") {
      draft.nameLine = e.line;
      if (auto name = text("a name")) {
        domain::validateDeviceName(*name);  // a short identifier, by the same rule
        s.name = *name;
      }
    } else if (e.key == "kind") {
      draft.kindLine = e.line;
      if (auto kind = text("an operation such as backup")) {
        if (kind->empty()) return problem(e.line, "must not be empty");
        domain::validateText(*kind, path, 64);
        s.kind = *kind;
      }
    } else if (e.key == "devices") {
      draft.devicesLine = e.line;
      if (e.value.IsNull()) return problem(e.line, "expected a list of device names, got nothing");
      if (!expectList(e.value, e.line, path, problems)) {
        draft.valid = false;
        return;
      }
      if (e.value.size() == 0) return problem(e.line, "must name at least one device");
      std::set<std::string> seen;
      for (std::size_t i = 0; i < e.value.size(); ++i) {
        const YAML::Node item = e.value[i];
        const auto itemPath = fmt::format("{}[{}]", path, i);
        // yaml-cpp places an empty item on the line after its dash: name the key's line.
        const int line = item.IsNull() ? e.line : lineOf(item);
        auto name = scalarText(item, line, itemPath, problems);
        if (!name) {
          if (item.IsNull()) {
            problems.add(line, fmt::format("{}: expected a device name, got nothing", itemPath));
          }
          draft.valid = false;
          continue;
        }
        try {
          domain::validateDeviceName(*name);
        } catch (const domain::ValidationError& error) {
          problems.add(line, fmt::format("{}: {}", itemPath, reasonOf(error, "name")));
          draft.valid = false;
          continue;
        }
        if (!seen.insert(*name).second) {
          problems.add(line, fmt::format("{}: device '{}' is listed twice", itemPath, *name));
          draft.valid = false;
          continue;
        }
        s.devices.push_back(*name);
      }
    } else if (e.key == "select") {
      draft.selectLine = e.line;
      if (auto selector = text("a selector such as 'status=active area=dc1'")) {
        s.selector = domain::DeviceSelector::parse(*selector);
      }
    } else if (e.key == "parameters") {
      if (!expectMap(e.value, e.line, path, problems)) {
        if (!e.value.IsNull()) draft.valid = false;  // nothing: no parameters
        return;
      }
      for (const auto& p : entriesOf(e.value, path + ".", problems)) {
        const auto paramPath = path + "." + p.key;
        if (p.value.IsScalar()) {
          s.parameters[p.key] = p.value.Scalar();
        } else {
          problems.add(p.line, fmt::format("{}: expected a text, number or true/false, got {}",
                                           paramPath, describe(p.value)));
          draft.valid = false;
        }
      }
    } else if (e.key == "cron") {
      draft.cronLine = e.line;
      if (auto cron = text("a cron expression such as '0 2 * * *' or @daily")) {
        s.cron = domain::CronExpression::parse(*cron);
      }
    } else if (e.key == "every") {
      draft.everyLine = e.line;
      if (auto every = text("an interval such as 15m or 1h30m")) {
        s.every = domain::parseInterval(*every, path);
      }
    } else if (e.key == "timezone") {
      draft.timeZoneLine = e.line;
      auto name = text("a time zone such as Europe/Zurich or UTC");
      if (!name) return;
      // Only IANA names: the name becomes a path under the zoneinfo folder.
      const bool plain = !name->empty() && name->front() != '/' &&
                         name->find("..") == std::string::npos &&
                         std::all_of(name->begin(), name->end(), [](unsigned char c) {
                           return std::isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+';
                         });
      cctz::time_zone zone;
      if (!plain || !cctz::load_time_zone(*name, &zone)) {
        return problem(e.line, fmt::format("unknown time zone '{}' (expected an IANA name such "
                                           "as Europe/Zurich, America/New_York or UTC)",
                                           *name));
      }
      s.zone = zone;
    }
  } catch (const domain::ValidationError& error) {
    // The domain names its field ("cron", "select", "name"), or was given the path: strip it.
    std::string reason = reasonOf(error, e.key == "every" || e.key == "kind" ? path : e.key);
    if (e.key == "name" && reason.starts_with("device name")) {
      reason.replace(0, std::string_view("device name").size(), "schedule name");
    }
    problem(e.line, reason);
  }
}

/// The rules across the keys of one schedule: what is required, and what excludes what.
void checkSchedule(ScheduleDraft& draft, int line, const std::string& path, ProblemList& problems) {
  const auto problem = [&](int at, std::string message) {
    problems.add(at, fmt::format("{}: {}", path, message));
    draft.valid = false;
  };
  if (draft.nameLine == 0) problem(line, "missing key 'name'");
  if (draft.kindLine == 0) problem(line, "missing key 'kind' (the job's operation)");
  if (draft.devicesLine != 0 && draft.selectLine != 0) {
    problem(std::max(draft.devicesLine, draft.selectLine),
            "give either 'devices' or 'select', not both");
  } else if (draft.devicesLine == 0 && draft.selectLine == 0) {
    problem(line, "missing the target: 'devices' (a list of device names) or 'select'");
  }
  if (draft.cronLine != 0 && draft.everyLine != 0) {
    problem(std::max(draft.cronLine, draft.everyLine), "give either 'cron' or 'every', not both");
  } else if (draft.cronLine == 0 && draft.everyLine == 0) {
    problem(line, "missing when to run: 'cron' (with 'timezone') or 'every'");
  }
  if (draft.timeZoneLine != 0 && draft.everyLine != 0 && draft.cronLine == 0) {
    problems.add(draft.timeZoneLine,
                 fmt::format("{}.timezone: applies only to 'cron'; 'every' counts from the "
                             "last run",
                             path));
    draft.valid = false;
  }
}

/// schedules: [{name, kind, devices | select, parameters, cron (+ timezone) | every}, ...]
void readSchedules(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  if (!expectList(entry.value, entry.line, path, r.problems)) return;
  std::map<std::string, int> names;  // name -> line
  std::vector<domain::Schedule> schedules;
  bool valid = true;
  for (std::size_t i = 0; i < entry.value.size(); ++i) {
    const YAML::Node item = entry.value[i];
    const auto itemPath = fmt::format("{}[{}]", path, i);
    if (item.IsNull()) {
      // yaml-cpp places an empty item on the line after its dash: name the key's line.
      r.problems.add(entry.line, fmt::format("{}: expected a schedule, got nothing", itemPath));
      valid = false;
      continue;
    }
    const int line = lineOf(item);
    if (!expectMap(item, line, itemPath, r.problems)) {
      valid = false;
      continue;
    }
    ScheduleDraft draft;
    for (const auto& e : entriesOf(item, itemPath + ".", r.problems)) {
      if (std::find(std::begin(kScheduleKeys), std::end(kScheduleKeys), e.key) ==
          std::end(kScheduleKeys)) {
        reportUnknownKey(e, itemPath + ".", kScheduleKeys, r.problems);
        draft.valid = false;
      } else {
        readScheduleKey(e, itemPath + ".", draft, r.problems);
      }
    }
    checkSchedule(draft, line, itemPath, r.problems);
    draft.schedule.kindLine = draft.kindLine != 0 ? draft.kindLine : line;
    if (!draft.schedule.name.empty()) {
      auto [it, fresh] = names.emplace(draft.schedule.name, draft.nameLine);
      if (!fresh) {
        r.problems.add(draft.nameLine,
                       fmt::format("{}.name: schedule '{}' is already declared at line {}",
                                   itemPath, draft.schedule.name, it->second));
        draft.valid = false;
      }
    }
    valid = valid && draft.valid;
    if (draft.valid) schedules.push_back(std::move(draft.schedule));
  }
  if (valid) r.config.schedules = std::move(schedules);
}

/// A list of names: one scalar or a YAML list of them; nothing when a problem was reported.
std::optional<std::vector<std::string>> nameList(const YamlEntry& e, const std::string& path,
                                                 ProblemList& problems) {
  std::vector<std::string> names;
  if (e.value.IsScalar()) {
    auto one = scalarText(e.value, e.line, path, problems);
    if (!one) return std::nullopt;
    names.push_back(*one);
  } else {
    if (!expectList(e.value, e.line, path, problems)) return std::nullopt;
    for (std::size_t i = 0; i < e.value.size(); ++i) {
      const YAML::Node item = e.value[i];
      auto name = scalarText(item, item.IsNull() ? e.line : lineOf(item),
                             fmt::format("{}[{}]", path, i), problems);
      if (!name) return std::nullopt;
      names.push_back(*name);
    }
  }
  for (const auto& n : names) {
    const bool plain = !n.empty() && std::all_of(n.begin(), n.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@';
    });
    if (!plain) {
      problems.add(e.line,
                   fmt::format("{}: '{}' is not a name (letters, digits, - _ . @)", path, n));
      return std::nullopt;
    }
  }
  if (names.empty()) {
    problems.add(e.line, fmt::format("{}: must name at least one", path));
    return std::nullopt;
  }
  return names;
}

/// A duration value (30s, 5m) of at least one second; nothing when a problem was reported.
std::optional<std::chrono::milliseconds> durationValue(const YamlEntry& e, const std::string& path,
                                                       ProblemList& problems) {
  auto value = scalarText(e.value, e.line, path, problems);
  if (!value) return std::nullopt;
  try {
    const auto seconds = domain::parseInterval(*value, path);
    if (seconds < std::chrono::seconds(1)) {
      problems.add(e.line, fmt::format("{}: must be at least 1s, got {}", path, *value));
      return std::nullopt;
    }
    return seconds;
  } catch (const domain::ValidationError& error) {
    problems.add(e.line, error.what());
    return std::nullopt;
  }
}

std::optional<std::string> hostKeyPolicy(const YamlEntry& e, const std::string& path,
                                         ProblemList& problems) {
  auto value = scalarText(e.value, e.line, path, problems);
  if (!value) return std::nullopt;
  if (*value != "tofu" && *value != "strict") {
    problems.add(e.line, fmt::format("{}: expected tofu (trust on first use) or strict, got '{}'",
                                     path, *value));
    return std::nullopt;
  }
  return value;
}

constexpr std::string_view kSshKeys[] = {"connect_timeout", "auth_timeout",    "command_timeout",
                                         "device_timeout",  "host_key_policy", "profiles"};
constexpr std::string_view kProfileKeys[] = {
    "platforms",           "devices",         "kex",
    "host_key_algorithms", "ciphers",         "macs",
    "host_key_policy",     "connect_timeout", "auth_timeout",
    "command_timeout",     "device_timeout",  "netconf_port"};

/// ssh.profiles: [{platforms | devices, kex, host_key_algorithms, ciphers, macs, timeouts,
/// netconf_port}]
void readSshProfiles(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  if (!expectList(entry.value, entry.line, path, r.problems)) return;
  for (std::size_t i = 0; i < entry.value.size(); ++i) {
    const YAML::Node item = entry.value[i];
    const auto itemPath = fmt::format("{}[{}]", path, i);
    const int line = item.IsNull() ? entry.line : lineOf(item);
    if (!expectMap(item, line, itemPath, r.problems)) continue;
    SshProfile profile;
    profile.line = line;
    bool valid = true;
    for (const auto& e : entriesOf(item, itemPath + ".", r.problems)) {
      const auto keyPath = itemPath + "." + e.key;
      const auto fail = [&] { valid = false; };
      if (std::find(std::begin(kProfileKeys), std::end(kProfileKeys), e.key) ==
          std::end(kProfileKeys)) {
        reportUnknownKey(e, itemPath + ".", kProfileKeys, r.problems);
        fail();
      } else if (e.key == "platforms" || e.key == "devices") {
        auto names = nameList(e, keyPath, r.problems);
        if (!names)
          fail();
        else
          (e.key == "platforms" ? profile.platforms : profile.devices) = *names;
      } else if (e.key == "kex" || e.key == "host_key_algorithms" || e.key == "ciphers" ||
                 e.key == "macs") {
        auto names = nameList(e, keyPath, r.problems);
        if (!names) {
          fail();
          continue;
        }
        const std::string attribute = e.key == "kex"                   ? "ssh.kex"
                                      : e.key == "host_key_algorithms" ? "ssh.hostkeys"
                                      : e.key == "ciphers"             ? "ssh.ciphers"
                                                                       : "ssh.macs";
        profile.attributes[attribute] = fmt::format("{}", fmt::join(*names, ","));
      } else if (e.key == "netconf_port") {
        auto port = integerValue(e.value, e.line, keyPath, r.problems);
        if (port && (*port < 1 || *port > 65535)) {
          r.problems.add(
              e.line, fmt::format("{}: expected a port from 1 to 65535, got {}", keyPath, *port));
          port.reset();
        }
        if (port) {
          profile.attributes["netconf.port"] = std::to_string(*port);
        } else {
          fail();
        }
      } else if (e.key == "host_key_policy") {
        if (auto policy = hostKeyPolicy(e, keyPath, r.problems)) {
          profile.attributes["ssh.host_key_policy"] = *policy;
        } else {
          fail();
        }
      } else {
        auto d = durationValue(e, keyPath, r.problems);
        if (!d) {
          fail();
          continue;
        }
        (e.key == "connect_timeout"   ? profile.connectTimeout
         : e.key == "auth_timeout"    ? profile.authTimeout
         : e.key == "command_timeout" ? profile.commandTimeout
                                      : profile.deviceTimeout) = *d;
      }
    }
    if (profile.platforms.empty() && profile.devices.empty() && valid) {
      r.problems.add(line, fmt::format("{}: name the devices it is for with 'platforms' or "
                                       "'devices' (options for every device belong under ssh:)",
                                       itemPath));
      valid = false;
    }
    if (valid) r.config.ssh.profiles.push_back(std::move(profile));
  }
}

/// ssh: {connect_timeout, auth_timeout, command_timeout, device_timeout, host_key_policy,
/// profiles}
void readSsh(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  if (!expectMap(entry.value, entry.line, path, r.problems)) return;
  for (const auto& e : entriesOf(entry.value, path + ".", r.problems)) {
    const auto keyPath = path + "." + e.key;
    if (std::find(std::begin(kSshKeys), std::end(kSshKeys), e.key) == std::end(kSshKeys)) {
      reportUnknownKey(e, path + ".", kSshKeys, r.problems);
    } else if (e.key == "profiles") {
      readSshProfiles(e, keyPath, r);
    } else if (e.key == "host_key_policy") {
      if (auto policy = hostKeyPolicy(e, keyPath, r.problems)) r.config.ssh.hostKeyPolicy = *policy;
    } else if (auto d = durationValue(e, keyPath, r.problems)) {
      if (e.key == "connect_timeout") r.config.ssh.connectTimeout = *d;
      if (e.key == "auth_timeout") r.config.ssh.authTimeout = *d;
      if (e.key == "command_timeout") r.config.ssh.commandTimeout = *d;
      if (e.key == "device_timeout") r.config.ssh.deviceTimeout = *d;
    }
  }
}

/// backup: {repository, path, author, remote}
void readBackup(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  static constexpr std::string_view keys[] = {"repository", "path", "author", "remote"};
  if (!expectMap(entry.value, entry.line, path, r.problems)) return;
  for (const auto& e : entriesOf(entry.value, path + ".", r.problems)) {
    const auto keyPath = path + "." + e.key;
    if (std::find(std::begin(keys), std::end(keys), e.key) == std::end(keys)) {
      reportUnknownKey(e, path + ".", keys, r.problems);
      continue;
    }
    auto value = scalarText(e.value, e.line, keyPath, r.problems);
    if (!value) continue;
    if (value->empty()) {
      r.problems.add(e.line, fmt::format("{}: must not be empty", keyPath));
    } else if (e.key == "repository") {
      r.config.backupRepository = r.resolve(*value);
    } else if (e.key == "path") {
      if (auto problem = app::checkPathTemplate(*value)) {
        r.problems.add(e.line, fmt::format("{}: {}", keyPath, *problem));
      } else {
        r.config.backup.pathTemplate = *value;
      }
    } else if (e.key == "author") {
      // "Name <email>", as Git writes it.
      const auto open = value->find('<');
      const auto close = value->rfind('>');
      if (open == std::string::npos || close != value->size() - 1 || close < open + 2 ||
          open == 0) {
        r.problems.add(e.line,
                       fmt::format("{}: expected 'Name <email>', got '{}'", keyPath, *value));
        continue;
      }
      auto name = value->substr(0, open);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      r.config.backup.authorName = name;
      r.config.backup.authorEmail = value->substr(open + 1, close - open - 1);
    } else if (e.key == "remote") {
      // A local path is resolved like every other path; a URL is kept as it is.
      r.config.backupRemote = value->find("://") != std::string::npos ? *value : r.resolve(*value);
    }
  }
}

}  // namespace

bool parseListenAddress(const std::string& text, std::string& host, int& port) {
  std::string h, p;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return false;
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  if (h.empty() || p.empty() || p.size() > 5 ||
      !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const int n = std::stoi(p);
  if (n > 65535) return false;
  host = h;
  port = n;
  return true;
}

namespace {

/// server: {listen, tls_cert, tls_key, threads, queue, db_connections, max_body_bytes,
/// keep_alive, keep_alive_requests, keep_alive_timeout, timeout}
void readServer(const YamlEntry& entry, const std::string& path, ConfigReader& r) {
  static constexpr std::string_view keys[] = {"listen",
                                              "tls_cert",
                                              "tls_key",
                                              "threads",
                                              "queue",
                                              "db_connections",
                                              "max_body_bytes",
                                              "keep_alive",
                                              "keep_alive_requests",
                                              "keep_alive_timeout",
                                              "timeout"};
  if (!expectMap(entry.value, entry.line, path, r.problems)) return;
  auto& s = r.config.server;
  auto bounded = [&](const YamlEntry& e, const std::string& keyPath, int min,
                     int max) -> std::optional<int> {
    auto v = integerValue(e.value, e.line, keyPath, r.problems);
    if (!v) return std::nullopt;
    if (*v < min || *v > max) {
      r.problems.add(e.line,
                     fmt::format("{}: must be from {} to {}, got {}", keyPath, min, max, *v));
      return std::nullopt;
    }
    return v;
  };
  for (const auto& e : entriesOf(entry.value, path + ".", r.problems)) {
    const auto keyPath = path + "." + e.key;
    if (std::find(std::begin(keys), std::end(keys), e.key) == std::end(keys)) {
      reportUnknownKey(e, path + ".", keys, r.problems);
    } else if (e.key == "listen") {
      auto v = scalarText(e.value, e.line, keyPath, r.problems);
      if (v && !parseListenAddress(*v, s.host, s.port))
        r.problems.add(e.line, fmt::format("{}: expected HOST:PORT or [IPv6]:PORT with a port "
                                           "from 0 (any free port) to 65535, got '{}'",
                                           keyPath, *v));
    } else if (e.key == "tls_cert" || e.key == "tls_key") {
      auto v = scalarText(e.value, e.line, keyPath, r.problems);
      if (!v) continue;
      if (v->empty()) {
        r.problems.add(e.line, fmt::format("{}: must not be empty", keyPath));
      } else {
        (e.key == "tls_cert" ? s.tlsCert : s.tlsKey) = r.resolve(*v);
      }
    } else if (e.key == "threads") {
      if (auto v = bounded(e, keyPath, 1, 4096)) s.threads = static_cast<unsigned>(*v);
    } else if (e.key == "queue") {
      if (auto v = bounded(e, keyPath, 1, 65536)) s.queue = static_cast<unsigned>(*v);
    } else if (e.key == "db_connections") {
      if (auto v = bounded(e, keyPath, 1, 256)) s.connections = static_cast<unsigned>(*v);
    } else if (e.key == "max_body_bytes") {
      if (auto v = bounded(e, keyPath, 1024, 1 << 30)) s.maxBodyBytes = *v;
    } else if (e.key == "keep_alive") {
      auto v = scalarText(e.value, e.line, keyPath, r.problems);
      if (v && (*v == "true" || *v == "false")) {
        s.keepAlive = *v == "true";
      } else if (v) {
        r.problems.add(e.line, fmt::format("{}: expected true or false, got '{}'", keyPath, *v));
      }
    } else if (e.key == "keep_alive_requests") {
      if (auto v = bounded(e, keyPath, 1, 1'000'000))
        s.keepAliveRequests = static_cast<unsigned>(*v);
    } else if (auto d = durationValue(e, keyPath, r.problems)) {
      if (e.key == "keep_alive_timeout") s.keepAliveTimeout = *d;
      if (e.key == "timeout") s.timeout = *d;
    }
  }
  if (s.tlsCert.empty() != s.tlsKey.empty()) {
    r.problems.add(entry.line, fmt::format("{}: tls_cert and tls_key go together: set both for "
                                           "HTTPS or neither",
                                           path));
  }
}

const std::vector<ConfigKey>& configKeys() {
  static const std::vector<ConfigKey> keys = {
      pathSetting("data_dir", &Config::dataDir),
      pathSetting("secrets_file", &Config::secretsFile),
      {"backup", readBackup},
      {"ssh", readSsh},
      {"server", readServer},
      section("database", {text("url", &Config::databaseUrl)}),
      {"automation_policy", readAutomationPolicy},
      {"plugin_dirs", readPluginDirs},
      {"schedules", readSchedules},
      {"operations", readOperations},
      section(
          "jobs",
          {
              number("workers", 0, 256, [](Config& c, int v) { c.workers = v; }),
              number("worker_concurrency", 1, 4096,
                     [](Config& c, int v) { c.workerConcurrency = v; }),
              number("max_attempts", 1, 100, [](Config& c, int v) { c.jobs.maxAttempts = v; }),
              duration("retry_backoff", std::chrono::seconds(1),
                       [](Config& c, auto v) { c.jobs.retryBackoff = v; }),
              duration("task_timeout", std::chrono::seconds(1),
                       [](Config& c, auto v) { c.jobs.taskTimeout = v; }),
              duration("run_time_limit", std::chrono::seconds(1),
                       [](Config& c, auto v) { c.jobs.runTimeLimit = v; }),
              duration("lease", std::chrono::seconds(5),
                       [](Config& c, auto v) { c.jobs.lease = v; }),
              duration("cancel_grace", std::chrono::seconds(1),
                       [](Config& c, auto v) { c.jobs.cancelGrace = v; }),
              number("run_concurrency", 0, 1'000'000,
                     [](Config& c, int v) { c.jobs.runConcurrency = static_cast<unsigned>(v); }),
              number("change_concurrency", 0, 1'000'000,
                     [](Config& c, int v) { c.jobs.changeConcurrency = static_cast<unsigned>(v); }),
          }),
  };
  return keys;
}

}  // namespace

std::string Config::effectiveDatabaseUrl() const {
  return databaseUrl.empty() ? (fs::path(dataDir) / "netspine.db").string() : databaseUrl;
}

std::string Config::effectiveBackupRepository() const {
  return backupRepository.empty() ? (fs::path(dataDir) / "configs").string() : backupRepository;
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
