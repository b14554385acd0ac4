#pragma once
// What every reachability probe shares: a batch of targets in, one result per target out, in
// the same order. A probe runs its whole batch in one event loop (one thread), never one thread
// or one blocking call per target, and returns when every target has a result.

#include <netspine/plugin/engine.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace netspine::reach {

using Clock = std::chrono::steady_clock;

/// One target of a probe batch. `address` is a numeric IPv4 or IPv6 address (the engine resolves
/// names before); anything else is reported as plugin_error naming the address.
struct ProbeTarget {
  std::string address;
  std::uint16_t port = 0;  // 0: the probe's default port (22 SSH, 830 NETCONF, 161 SNMP)
};

/// One target's outcome.
struct ProbeResult {
  /// Ok; Unreachable (refused, no route, ICMP unreachable); Timeout (no answer within the
  /// timeout after every attempt); ProtocolError (the peer answered with something else);
  /// AuthFailed (SNMP v3 authentication, SSH login); PluginError (bad address, local error);
  /// Cancelled (the batch was cancelled before this target finished).
  plugin::ErrorCategory category = plugin::ErrorCategory::Ok;
  std::string error;                        // for a person, empty when ok: "no reply after 3 tries"
  std::chrono::microseconds latency{0};     // round trip / connect / time to the answer, when ok
  int attempts = 0;                         // probes sent (ICMP, SNMP) or connects tried
  std::map<std::string, std::string> data;  // what the probe learned: "banner", "sys_descr", …
};

/// Polled by the event loop at least every 50 ms; true: stop, report the rest as Cancelled.
using CancelCheck = std::function<bool()>;

}  // namespace netspine::reach
