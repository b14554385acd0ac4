#include "reachability_engine.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <future>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "probes/icmp_sweep.hpp"
#include "probes/snmp_probe.hpp"
#include "probes/ssh_probe.hpp"
#include "probes/tcp_probe.hpp"

namespace netspine::reach {

using plugin::DeviceResult;
using plugin::DeviceTarget;
using plugin::ErrorCategory;
using plugin::Parameters;

namespace {

const std::set<std::string> kChecks = {"icmp", "tcp", "ssh", "netconf", "snmp"};
const char* const kSerialOid = "1.3.6.1.2.1.47.1.1.1.1.11.1";  // entPhysicalSerialNum.1

/// A job's parameters, checked.
struct Settings {
  std::vector<std::string> checks;  // empty: each device's platform defaults
  std::chrono::milliseconds timeout{1000};
  int retries = 2;
  std::chrono::microseconds interval{100};
  std::uint16_t tcpPort = 0;  // 0: the device's SSH port
};

std::optional<long> number(const std::string& text, long min, long max) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

/// The settings, or the problem naming the parameter.
std::optional<std::string> parse(const std::string& operation, const Parameters& p, Settings& out) {
  const bool discover = operation == "discover";
  for (const auto& [key, value] : p) {
    if (key == "timeout_ms") {
      auto v = number(value, 10, 60'000);
      if (!v) return "timeout_ms: expected a whole number of ms from 10 to 60000";
      out.timeout = std::chrono::milliseconds(*v);
    } else if (key == "retries") {
      auto v = number(value, 0, 10);
      if (!v) return "retries: expected a whole number from 0 to 10";
      out.retries = static_cast<int>(*v);
    } else if (key == "checks" && !discover) {
      out.checks = splitList(value);
      if (out.checks.empty()) return "checks: expected a list such as icmp,ssh";
      for (const auto& c : out.checks) {
        if (!kChecks.count(c)) {
          return "checks: unknown check '" + c + "' (icmp, tcp, ssh, netconf, snmp)";
        }
      }
    } else if (key == "interval_us" && !discover) {
      auto v = number(value, 0, 1'000'000);
      if (!v) return "interval_us: expected a whole number of µs from 0 to 1000000";
      out.interval = std::chrono::microseconds(*v);
    } else if (key == "tcp_port" && !discover) {
      auto v = number(value, 1, 65535);
      if (!v) return "tcp_port: expected a port from 1 to 65535";
      out.tcpPort = static_cast<std::uint16_t>(*v);
    } else {
      return "unknown parameter '" + key + "' (" + operation + " takes " +
             (discover ? "timeout_ms, retries"
                       : "checks, timeout_ms, retries, interval_us, tcp_port") +
             ")";
    }
  }
  return std::nullopt;
}

std::uint16_t portOf(const DeviceTarget& d, const char* attribute, std::uint16_t fallback) {
  auto it = d.attributes.find(attribute);
  if (it == d.attributes.end()) return fallback;
  auto v = number(it->second, 1, 65535);
  return v ? static_cast<std::uint16_t>(*v) : fallback;
}

/// The device's address as a numeric IP, resolving a DNS name; empty with `error` set when it
/// cannot be resolved.
std::string numericAddress(const std::string& address, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* found = nullptr;
  if (getaddrinfo(address.c_str(), nullptr, &hints, &found) == 0) {
    freeaddrinfo(found);
    return address;
  }
  hints.ai_flags = AI_ADDRCONFIG;
  const int rc = getaddrinfo(address.c_str(), nullptr, &hints, &found);
  if (rc != 0 || !found) {
    error = "cannot resolve '" + address + "': " + gai_strerror(rc);
    return {};
  }
  char text[NI_MAXHOST] = {};
  const int nrc =
      getnameinfo(found->ai_addr, found->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
  freeaddrinfo(found);
  if (nrc != 0) {
    error = "cannot resolve '" + address + "': " + gai_strerror(nrc);
    return {};
  }
  return text;
}

/// The device's SNMP credentials: the first set with a community or a v3 user.
std::optional<SnmpCredentials> snmpCredentials(const DeviceTarget& d) {
  for (const auto& c : d.credentials) {
    SnmpCredentials s;
    if (!c.snmpUser.empty()) {
      s.version = SnmpCredentials::Version::V3;
      s.user = c.snmpUser;
      s.authPassword = c.snmpAuthPassword;
      s.privPassword = c.snmpPrivPassword;
      if (auto a = d.attributes.find("snmp.auth_protocol"); a != d.attributes.end()) {
        s.authProtocol = a->second;
      }
      if (auto p = d.attributes.find("snmp.priv_protocol"); p != d.attributes.end()) {
        s.privProtocol = p->second;
      }
      return s;
    }
    if (!c.snmpCommunity.empty()) {
      s.community = c.snmpCommunity;
      return s;
    }
  }
  return std::nullopt;
}

std::vector<NetconfLogin> netconfLogins(const DeviceTarget& d) {
  std::vector<NetconfLogin> out;
  for (const auto& c : d.credentials) {
    if (c.username.empty()) continue;
    NetconfLogin login;
    login.username = c.username;
    login.password = c.password;
    login.privateKeyPath = c.privateKeyPath;
    login.passphrase = c.privateKeyPassphrase;
    out.push_back(std::move(login));
  }
  return out;
}

/// One check of one device, as the probes left it.
struct CheckResult {
  std::string name;
  ProbeResult probe;
};

/// A probe family's batch: which device each target belongs to.
template <class Target>
struct Batch {
  std::vector<std::size_t> devices;
  std::vector<Target> targets;
  void add(std::size_t device, Target target) {
    devices.push_back(device);
    targets.push_back(std::move(target));
  }
};

ProbeResult failed(ErrorCategory category, std::string error) {
  ProbeResult r;
  r.category = category;
  r.error = std::move(error);
  return r;
}

std::string describe(const ProbeResult& r) {
  return std::string(plugin::toString(r.category)) + (r.error.empty() ? "" : ": " + r.error);
}

}  // namespace

std::vector<std::string> defaultChecks(const std::string& platformId) {
  if (platformId == "juniper_junos") return {"icmp", "ssh", "netconf"};
  if (platformId.empty()) return {"icmp", "tcp"};
  return {"icmp", "ssh"};
}

std::string osVersionFromSysDescr(const std::string& sysDescr) {
  static const std::regex patterns[] = {
      std::regex(R"(EOS version ([0-9][^\s,;]*))", std::regex::icase),
      std::regex(R"(JUNOS ([0-9][^\s,;\]]*))", std::regex::icase),
      std::regex(R"(Version ([0-9][^\s,;]*))"),
      std::regex(R"(\bversion ([0-9][^\s,;]*))", std::regex::icase),
  };
  std::smatch m;
  for (const auto& p : patterns) {
    if (std::regex_search(sysDescr, m, p)) return m[1].str();
  }
  return {};
}

std::optional<std::string> ReachabilityEngine::validate(const std::string& operation,
                                                        const Parameters& parameters) const {
  if (operation != "reachability" && operation != "discover") {
    return "unknown operation '" + operation + "'";
  }
  Settings s;
  return parse(operation, parameters, s);
}

void ReachabilityEngine::run(const plugin::EngineRequest& request, plugin::RunContext& context) {
  const auto& devices = request.devices;
  const bool discover = request.operation == "discover";
  Settings settings;
  if (auto problem = parse(request.operation, request.parameters, settings)) {
    for (const auto& d : devices) {
      DeviceResult r;
      r.deviceId = d.id;
      r.device = d.name;
      r.category = ErrorCategory::PluginError;
      r.message = *problem;
      context.report(std::move(r));
    }
    return;
  }
  const auto started = Clock::now();
  const CancelCheck cancelled = [&context] { return context.cancelled(); };

  // Per device: its address, its checks, and their results as they come in.
  std::vector<std::string> addresses(devices.size());
  std::vector<std::vector<CheckResult>> checks(devices.size());
  Batch<ProbeTarget> icmp, tcp, ssh;
  Batch<NetconfTarget> netconf;
  Batch<SnmpTarget> snmp;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    std::string error;
    addresses[i] = numericAddress(d.address, error);
    const auto names = discover                  ? std::vector<std::string>{"snmp"}
                       : settings.checks.empty() ? defaultChecks(d.platformId)
                                                 : settings.checks;
    for (const auto& name : names) {
      checks[i].push_back({name, {}});
      if (addresses[i].empty()) {
        checks[i].back().probe = failed(ErrorCategory::Unreachable, error);
        continue;
      }
      ProbeTarget target{addresses[i], 0};
      if (name == "icmp") {
        icmp.add(i, target);
      } else if (name == "tcp") {
        target.port = settings.tcpPort ? settings.tcpPort : portOf(d, "ssh.port", 22);
        tcp.add(i, target);
      } else if (name == "ssh") {
        target.port = portOf(d, "ssh.port", 22);
        ssh.add(i, target);
      } else if (name == "netconf") {
        target.port = portOf(d, "netconf.port", 830);
        NetconfTarget t;
        t.target = target;
        t.logins = netconfLogins(d);
        if (auto key = d.attributes.find("ssh.host_key"); key != d.attributes.end()) {
          t.pinnedHostKey = key->second;
        }
        if (t.logins.empty()) {
          checks[i].back().probe =
              failed(ErrorCategory::AuthFailed, "no login credentials for NETCONF");
          continue;
        }
        netconf.add(i, std::move(t));
      } else if (name == "snmp") {
        target.port = portOf(d, "snmp.port", 161);
        auto credentials = snmpCredentials(d);
        if (!credentials) {
          checks[i].back().probe = failed(
              ErrorCategory::PluginError,
              "no SNMP credentials: give the device's credential set an snmp_community or an "
              "snmp_user");
          continue;
        }
        if (auto problem = checkCredentials(*credentials); !problem.empty()) {
          checks[i].back().probe = failed(ErrorCategory::PluginError, problem);
          continue;
        }
        snmp.add(i, SnmpTarget{target, std::move(*credentials)});
      }
    }
  }

  // The families side by side, each one event loop over its batch.
  auto timeout = settings.timeout;
  std::vector<std::future<void>> running;
  std::vector<ProbeResult> icmpOut, tcpOut, sshOut, netconfOut, snmpOut;
  if (!icmp.targets.empty()) {
    running.push_back(std::async(std::launch::async, [&] {
      IcmpOptions o;
      o.timeout = timeout;
      o.retries = settings.retries;
      o.interval = settings.interval;
      icmpOut = icmpSweep(icmp.targets, o, cancelled);
    }));
  }
  if (!tcp.targets.empty()) {
    running.push_back(std::async(std::launch::async, [&] {
      TcpOptions o;
      o.timeout = timeout;
      o.retries = settings.retries;
      tcpOut = tcpConnect(tcp.targets, o, cancelled);
    }));
  }
  if (!ssh.targets.empty()) {
    running.push_back(std::async(std::launch::async, [&] {
      BannerOptions o;
      o.timeout = std::max(timeout, std::chrono::milliseconds(2000));
      sshOut = sshBanner(ssh.targets, o, cancelled);
    }));
  }
  if (!netconf.targets.empty()) {
    running.push_back(std::async(std::launch::async, [&] {
      NetconfOptions o;
      o.timeout = std::max(timeout * 5, std::chrono::milliseconds(5000));
      netconfOut = netconfHello(netconf.targets, o, cancelled);
    }));
  }
  if (!snmp.targets.empty()) {
    running.push_back(std::async(std::launch::async, [&] {
      SnmpOptions o;
      o.timeout = timeout;
      o.retries = settings.retries;
      if (discover) o.oids.emplace_back("serial", kSerialOid);
      snmpOut = snmpGet(snmp.targets, o, cancelled);
    }));
  }
  for (auto& f : running) f.get();

  auto place = [&](const std::string& name, const auto& batch, std::vector<ProbeResult>& out) {
    for (std::size_t k = 0; k < batch.devices.size() && k < out.size(); ++k) {
      for (auto& c : checks[batch.devices[k]]) {
        if (c.name == name) c.probe = std::move(out[k]);
      }
    }
  };
  place("icmp", icmp, icmpOut);
  place("tcp", tcp, tcpOut);
  place("ssh", ssh, sshOut);
  place("netconf", netconf, netconfOut);
  place("snmp", snmp, snmpOut);

  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    DeviceResult r;
    r.deviceId = d.id;
    r.device = d.name;
    r.duration = elapsed;
    std::string failures;
    for (auto& c : checks[i]) {
      const auto& p = c.probe;
      const bool up = p.category == ErrorCategory::Ok;
      if (p.category == ErrorCategory::Cancelled) r.category = ErrorCategory::Cancelled;
      if (!discover) {
        r.data["check." + c.name] = up ? "up" : "down";
        if (up) {
          r.data["check." + c.name + ".latency_us"] = std::to_string(p.latency.count());
          if (!r.data.count("latency_us")) r.data["latency_us"] = std::to_string(p.latency.count());
        } else {
          r.data["check." + c.name + ".error"] = describe(p);
        }
      }
      for (const auto& [key, value] : p.data) {
        if (key == "ssh.host_key") {
          r.data[key] = value;
        } else {
          r.data[c.name + "." + key] = value;
        }
      }
      if (!up) {
        if (r.category == ErrorCategory::Ok) r.category = p.category;
        failures += (failures.empty() ? "" : "; ") + c.name + ": " + describe(p);
      }
    }
    r.message = failures;
    if (discover && r.category == ErrorCategory::Ok) {
      const auto get = [&](const char* key) {
        auto it = r.data.find(std::string("snmp.") + key);
        return it == r.data.end() ? std::string() : it->second;
      };
      const auto descr = get("sys_descr");
      r.data["fact.sys_object_id"] = get("sys_object_id");
      r.data["fact.sys_descr"] = descr;
      r.data["fact.hostname"] = get("sys_name");
      if (auto serial = get("serial"); !serial.empty()) r.data["fact.serial"] = serial;
      std::string version;
      if (d.platform) version = d.platform->parseFacts(descr).osVersion;
      if (version.empty()) version = osVersionFromSysDescr(descr);
      if (!version.empty()) r.data["fact.os_version"] = version;
    }
    context.report(std::move(r));
  }
}

}  // namespace netspine::reach
