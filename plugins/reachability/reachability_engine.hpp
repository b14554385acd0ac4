#pragma once
// The "reachability" and "discover" operations over the batch probes.
//
// reachability: per device a set of checks (icmp, tcp, ssh, netconf, snmp), each family one
// event loop over the whole batch, the families side by side. Each check is reported as
// "check.<name>" (see plugin::DeviceResult), so the core keeps a runtime status per check.
//
// discover: an SNMP GET of the system group and the chassis serial (ENTITY-MIB); the facts go
// back as "fact.<field>" and the core applies them to the inventory.

#include <netspine/plugin/engine.hpp>

#include <optional>
#include <string>
#include <vector>

namespace netspine::reach {

/// The checks of one device when the job names none: ICMP and SSH for every platform, NETCONF
/// too for Junos (whose automation speaks it); ICMP and TCP for a device without a platform.
std::vector<std::string> defaultChecks(const std::string& platformId);

/// The OS version in an SNMP sysDescr ("Cisco IOS Software, … Version 15.2(4)M7, …" →
/// "15.2(4)M7"; "… kernel JUNOS 20.4R3-S1.3, …"; "Arista Networks EOS version 4.28.3M …"), or
/// empty when the text names none.
std::string osVersionFromSysDescr(const std::string& sysDescr);

class ReachabilityEngine : public plugin::Engine {
 public:
  std::optional<std::string> validate(const std::string& operation,
                                      const plugin::Parameters& parameters) const override;
  void run(const plugin::EngineRequest& request, plugin::RunContext& context) override;
};

}  // namespace netspine::reach
