// The reachability plugin library: the "reachability" and "discover" operations, taking batches
// of up to 10,000 devices (one ICMP sweep, one TCP event loop, one SNMP session set per batch).
#include <netspine/plugin/plugin.hpp>

#include "reachability_engine.hpp"

namespace {

netspine::plugin::Manifest reachabilityManifest() {
  netspine::plugin::Manifest m;
  m.id = "reachability";
  m.version = "1.0.0";
  m.kind = netspine::plugin::PluginKind::Engine;
  m.description =
      "reachability checks (ICMP echo, TCP connect, SSH banner, NETCONF hello, SNMP GET) and "
      "SNMP discovery, each one event loop per batch of devices";
  m.provides = {"reachability", "discover"};
  m.minHostVersion = "0.1.0";
  return m;
}

}  // namespace

NETSPINE_PLUGIN(netspine::reach::ReachabilityEngine, reachabilityManifest())
NETSPINE_ENGINE_BATCH(10000)
