#pragma once
// Discovery's writes: the facts a discover task found ("fact.<field>" in its result) applied to
// the device through DeviceService, the inventory's only writer, with the run as the actor, and
// only while the device's status allows discovery (checked inside the update's transaction).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "application/job_service.hpp"
#include "application/store.hpp"
#include "domain/automation_policy.hpp"
#include "domain/job.hpp"

namespace netspine::app {

/// One platform's SNMP identity, as its plugin declares it.
struct SnmpIdentity {
  std::string platform;
  std::vector<std::string> sysObjectIdPrefixes;  // "1.3.6.1.4.1.9.1." (numeric, trailing dot)
  std::string sysDescrPattern;                   // a regular expression; empty: any
};

/// The platform whose sysObjectID prefix is the longest match and whose sysDescr pattern (when
/// it has one) is found in `sysDescr`; nothing when none matches.
std::optional<std::string> platformFor(const std::vector<SnmpIdentity>& platforms,
                                       const std::string& sysObjectId, const std::string& sysDescr);

/// What became of one device's facts.
struct DiscoveryOutcome {
  std::vector<std::string> changes;  // "serial '' -> 'FTX1'", one per field changed
  std::vector<std::string> notes;    // what was found but not applied, and why
  std::string refused;               // the device's status does not allow discovery (any more)
};

class DiscoveryService {
 public:
  DiscoveryService(Store& inventory, std::vector<SnmpIdentity> platforms,
                   domain::AutomationPolicy policy, domain::OperationClasses classes);

  /// Whether the results of runs of `kind` are discovery's (its class is discover).
  bool appliesTo(const std::string& kind) const;

  /// Applies `facts` (the result's data; "fact.*" keys are read) to device `deviceId` as run
  /// `runId`. Never throws for the device's own problems: they come back in the outcome.
  DiscoveryOutcome apply(Id deviceId, Id runId, const std::map<std::string, std::string>& facts);

  /// Whether runs of `kind` provision devices (its class is provision).
  bool provisions(const std::string& kind) const;
  /// A device whose provisioning ended ok goes from STAGED to ACTIVE, as run `runId`, only while
  /// it is still STAGED (read inside the update's own transaction); otherwise `refused` says why
  /// and nothing is written.
  DiscoveryOutcome activate(Id deviceId, Id runId);

 private:
  Store& inventory_;
  std::vector<SnmpIdentity> platforms_;
  domain::AutomationPolicy policy_;
  domain::OperationClasses classes_;
};

}  // namespace netspine::app
