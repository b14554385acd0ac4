#include "netspine/sim/device_spec.hpp"

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace netspine::sim {
namespace {

constexpr std::string_view kDeviceKeys[] = {"name",
                                            "platform",
                                            "address",
                                            "port",
                                            "username",
                                            "password",
                                            "enable_secret",
                                            "start_privileged",
                                            "config_lines",
                                            "authorized_key",
                                            "max_sessions",
                                            "faults",
                                            "banner_delay_ms",
                                            "trickle_bytes",
                                            "trickle_interval_ms",
                                            "disconnect_after_bytes",
                                            "kex",
                                            "host_key_algorithms",
                                            "ciphers"};

std::string joined(const auto& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

std::string knownFaults() {
  std::vector<std::string> names;
  for (int f = 0; f <= static_cast<int>(kLastFault); ++f) {
    names.emplace_back(toString(static_cast<Fault>(f)));
  }
  return joined(names);
}

bool isLoopback(const std::string& address) {
  in_addr v4{};
  if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return address == "::1";
}

// Collects "FILE:LINE: WHERE: message" problems while a device file is read.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(const YAML::Node& node, const std::string& where, const std::string& message) {
    const int line = node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    add(line, where, message);
  }
  void add(int line, const std::string& where, const std::string& message) {
    list_ +=
        file_ + (line > 0 ? ":" + std::to_string(line) : "") + ": " + where + ": " + message + "\n";
  }
  void throwIfAny() const {
    if (!list_.empty()) throw DeviceFileError(list_.substr(0, list_.size() - 1));
  }

 private:
  std::string file_;
  std::string list_;
};

class DeviceReader {
 public:
  explicit DeviceReader(Problems& problems) : problems_(problems) {}

  // Applies the keys of `map` to `spec`; `where` names the mapping in messages.
  void apply(const YAML::Node& map, const std::string& where, DeviceSpec& spec, bool isDefaults) {
    for (const auto& entry : map) {
      const YAML::Node& keyNode = entry.first;
      const YAML::Node& value = entry.second;
      const std::string key = keyNode.IsScalar() ? keyNode.Scalar() : std::string();
      const std::string field = where + "." + key;
      if (std::find(std::begin(kDeviceKeys), std::end(kDeviceKeys), key) == std::end(kDeviceKeys) ||
          (isDefaults && key == "name")) {
        problems_.add(keyNode, where,
                      "unknown key '" + key + "' (known: " + joined(kDeviceKeys) + ")");
        continue;
      }
      auto& p = spec.profile;
      auto& t = spec.transport;
      if (key == "name") {
        text(value, field, p.name);
      } else if (key == "platform") {
        std::string id;
        if (text(value, field, id)) {
          if (auto os = parseOsKind(id)) {
            p.os = *os;
          } else {
            problems_.add(
                value, field,
                "unknown platform '" + id + "' (known: cisco_ios, juniper_junos, arista_eos)");
          }
        }
      } else if (key == "address") {
        if (text(value, field, spec.address) && !isLoopback(spec.address)) {
          problems_.add(value, field,
                        "'" + spec.address + "' is not a loopback address (127.0.0.0/8 or ::1)");
        }
      } else if (key == "port") {
        if (auto n = number(value, field, 0, 65535)) spec.port = static_cast<std::uint16_t>(*n);
      } else if (key == "username") {
        text(value, field, p.username);
      } else if (key == "password") {
        text(value, field, p.password);
      } else if (key == "enable_secret") {
        text(value, field, p.enableSecret);
      } else if (key == "start_privileged") {
        flag(value, field, p.startPrivileged);
      } else if (key == "config_lines") {
        if (auto n = number(value, field, 1, 10'000'000)) p.configLines = *n;
      } else if (key == "authorized_key") {
        text(value, field, p.authorizedKey);
      } else if (key == "max_sessions") {
        if (auto n = number(value, field, 0, 100'000)) p.maxSessions = static_cast<unsigned>(*n);
      } else if (key == "faults") {
        faults(value, field, p.faults);
      } else if (key == "banner_delay_ms") {
        if (auto n = number(value, field, 0, 3'600'000))
          t.bannerDelay = std::chrono::milliseconds(*n);
      } else if (key == "trickle_bytes") {
        if (auto n = number(value, field, 1, 1'000'000)) t.trickleBytes = *n;
      } else if (key == "trickle_interval_ms") {
        if (auto n = number(value, field, 0, 60'000))
          t.trickleInterval = std::chrono::milliseconds(*n);
      } else if (key == "disconnect_after_bytes") {
        if (auto n = number(value, field, 1, 1'000'000'000)) t.disconnectAfter = *n;
      } else if (key == "kex") {
        names(value, field, t.kex);
      } else if (key == "host_key_algorithms") {
        names(value, field, t.hostKeys);
      } else if (key == "ciphers") {
        names(value, field, t.ciphers);
      }
    }
  }

 private:
  bool text(const YAML::Node& value, const std::string& field, std::string& out) {
    if (!value.IsScalar()) {
      problems_.add(value, field, "expected a string");
      return false;
    }
    out = value.Scalar();
    return true;
  }

  std::optional<std::size_t> number(const YAML::Node& value, const std::string& field,
                                    std::size_t min, std::size_t max) {
    const std::string text = value.IsScalar() ? value.Scalar() : std::string();
    const bool digits =
        !text.empty() && text.size() <= 12 &&
        std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    const std::size_t n = digits ? std::stoull(text) : 0;
    if (!digits || n < min || n > max) {
      problems_.add(value, field,
                    "expected a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", got '" + text + "'");
      return std::nullopt;
    }
    return n;
  }

  void flag(const YAML::Node& value, const std::string& field, bool& out) {
    const std::string text = value.IsScalar() ? value.Scalar() : std::string();
    if (text == "true" || text == "yes") {
      out = true;
    } else if (text == "false" || text == "no") {
      out = false;
    } else {
      problems_.add(value, field, "expected true or false, got '" + text + "'");
    }
  }

  // SSH algorithm names, as libssh spells them; an unknown one is refused when the device binds.
  void names(const YAML::Node& value, const std::string& field, std::vector<std::string>& out) {
    if (!value.IsSequence()) {
      problems_.add(value, field, "expected a list of algorithm names, e.g. [ssh-rsa]");
      return;
    }
    out.clear();
    for (std::size_t i = 0; i < value.size(); ++i) {
      const auto item = value[i];
      if (!item.IsScalar() || item.Scalar().empty()) {
        problems_.add(item, field + "[" + std::to_string(i) + "]", "expected an algorithm name");
      } else {
        out.push_back(item.Scalar());
      }
    }
  }

  void faults(const YAML::Node& value, const std::string& field, std::set<Fault>& out) {
    if (!value.IsSequence()) {
      problems_.add(value, field, "expected a list of faults, e.g. [slow_banner, trickle]");
      return;
    }
    out.clear();
    for (std::size_t i = 0; i < value.size(); ++i) {
      const auto item = value[i];
      const std::string name = item.IsScalar() ? item.Scalar() : std::string();
      if (auto fault = parseFault(name)) {
        out.insert(*fault);
      } else {
        problems_.add(item, field + "[" + std::to_string(i) + "]",
                      "unknown fault '" + name + "' (known: " + knownFaults() + ")");
      }
    }
  }

  Problems& problems_;
};

}  // namespace

std::vector<DeviceSpec> readDeviceFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DeviceFileError(path + ": cannot read the device file");
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    throw DeviceFileError(path + ":" + std::to_string(e.mark.line + 1) +
                          ": syntax error: " + e.msg);
  }
  Problems problems(path);
  DeviceReader reader(problems);
  std::vector<DeviceSpec> specs;
  if (!root.IsMap()) {
    problems.add(root, "file", "expected an object with 'devices' (and optional 'defaults')");
    problems.throwIfAny();
  }
  DeviceSpec defaults;
  bool defaultsHavePlatform = false;
  YAML::Node devices(YAML::NodeType::Undefined);
  for (const auto& entry : root) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (key == "defaults") {
      if (entry.second.IsMap()) {
        reader.apply(entry.second, "defaults", defaults, true);
        defaultsHavePlatform = static_cast<bool>(entry.second["platform"]);
      } else {
        problems.add(entry.second, "defaults", "expected an object");
      }
    } else if (key == "devices") {
      devices = entry.second;
    } else {
      problems.add(entry.first, "file", "unknown key '" + key + "' (known: defaults, devices)");
    }
  }
  if (!devices.IsDefined() || !devices.IsSequence()) {
    problems.add(devices.IsDefined() ? devices : root, "devices", "expected a list of devices");
    problems.throwIfAny();
  }
  std::map<std::string, int> names;
  std::map<std::string, int> endpoints;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const auto node = devices[i];
    const std::string where = "devices[" + std::to_string(i) + "]";
    const int line = node.Mark().line + 1;
    if (!node.IsMap()) {
      problems.add(node, where, "expected an object with at least 'name' and 'platform'");
      continue;
    }
    DeviceSpec spec = defaults;
    spec.profile.name.clear();
    reader.apply(node, where, spec, false);
    if (spec.profile.name.empty()) {
      problems.add(line, where + ".name", "missing (every device needs a name)");
    } else if (auto [it, fresh] = names.emplace(spec.profile.name, line); !fresh) {
      problems.add(line, where + ".name",
                   "device '" + spec.profile.name + "' appears twice (first at line " +
                       std::to_string(it->second) + ")");
    }
    if (!node["platform"] && !defaultsHavePlatform) {
      problems.add(line, where + ".platform",
                   "missing (cisco_ios, juniper_junos or arista_eos; or set it in 'defaults')");
    }
    if (spec.port != 0) {
      const std::string endpoint = spec.address + " port " + std::to_string(spec.port);
      if (auto [it, fresh] = endpoints.emplace(endpoint, line); !fresh) {
        problems.add(line, where + ".port",
                     endpoint + " is taken by the device at line " + std::to_string(it->second));
      }
    }
    specs.push_back(std::move(spec));
  }
  problems.throwIfAny();
  return specs;
}

std::string nextLoopbackAddress(std::string_view address, std::size_t steps) {
  in_addr v4{};
  const std::string text(address);
  if (::inet_pton(AF_INET, text.c_str(), &v4) != 1) {
    throw std::invalid_argument("'" + text + "' is not an IPv4 address");
  }
  std::uint32_t host = ntohl(v4.s_addr);
  for (std::size_t i = 0; i < steps; ++i) {
    do {
      ++host;
    } while ((host & 0xff) == 0 || (host & 0xff) == 255);
  }
  if ((host >> 24) != 127) {
    throw std::invalid_argument("counting " + std::to_string(steps) + " addresses up from " + text +
                                " leaves 127.0.0.0/8");
  }
  v4.s_addr = htonl(host);
  char out[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &v4, out, sizeof out);
  return out;
}

std::vector<DeviceSpec> generateDevices(const GeneratedDevices& what) {
  if (what.platforms.empty()) throw std::invalid_argument("no platform to generate devices of");
  std::vector<DeviceSpec> specs;
  specs.reserve(what.count);
  const auto shortName = [](OsKind os) {
    switch (os) {
      case OsKind::CiscoIos:
        return "ios";
      case OsKind::JuniperJunos:
        return "junos";
      case OsKind::AristaEos:
        return "eos";
    }
    return "dev";
  };
  for (std::size_t i = 0; i < what.count; ++i) {
    DeviceSpec spec;
    spec.profile = what.profile;
    spec.profile.os = what.platforms[i % what.platforms.size()];
    char number[24];
    std::snprintf(number, sizeof number, "%04zu", i + 1);
    spec.profile.name = what.namePrefix + "-" + shortName(spec.profile.os) + "-" + number;
    if (what.basePort != 0) {
      if (what.basePort + i > 65535) {
        throw std::invalid_argument(std::to_string(what.count) + " ports from " +
                                    std::to_string(what.basePort) + " go past 65535");
      }
      spec.address = what.baseAddress;
      spec.port = static_cast<std::uint16_t>(what.basePort + i);
    } else {
      spec.address = nextLoopbackAddress(what.baseAddress, i);
      spec.port = what.port;
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

}  // namespace netspine::sim
