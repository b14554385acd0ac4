#pragma once
// ICMP echo sweep: one socket per address family for the whole batch, one poll loop in the
// calling thread, replies matched by identifier, sequence, payload cookie and source address.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "probe.hpp"

namespace netspine::reach {

struct IcmpOptions {
  std::chrono::milliseconds timeout{1000};   // wait for the reply to the first probe
  int retries = 2;                           // further probes when no reply came
  double backoff = 1.5;                      // each retry waits timeout * backoff^n
  std::chrono::microseconds interval{1000};  // at least this long between two sends; 0 allowed
  std::size_t payloadBytes = 56;  // at least 16 are sent: the cookie that proves a reply is ours
};

/// Pings every target (numeric IPv4 or IPv6 address) and returns one result per target, in the
/// same order: Ok with latency (RTT of the first matched reply) and data "rtt_us", "ttl",
/// "reply_from"; Unreachable (ICMP error for our probe, or sendto refused); Timeout (no reply
/// after every attempt); PluginError (bad address, bad option, no ICMP socket); Cancelled.
std::vector<ProbeResult> icmpSweep(const std::vector<ProbeTarget>& targets,
                                   const IcmpOptions& options, const CancelCheck& cancelled = {});

/// What the sweep can use here: "raw" (root/CAP_NET_RAW), "datagram" (net.ipv4.ping_group_range
/// allows this user), or "" with the reason in *why.
std::string icmpSocketKind(std::string* why = nullptr);

}  // namespace netspine::reach
