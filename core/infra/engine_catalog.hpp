#pragma once

#include "application/discovery_service.hpp"
#include "application/job_service.hpp"
#include "infra/plugin_host.hpp"

namespace netspine::infra {

/// The engines and platforms of a plugin host, as the job pipeline uses them.
class PluginEngineCatalog : public app::EngineCatalog {
 public:
  /// `host` must outlive the catalog and be done loading.
  explicit PluginEngineCatalog(const PluginHost& host) : host_(host) {}

  std::vector<std::string> operations() const override;
  std::shared_ptr<plugin::Engine> engineFor(const std::string& operation) const override;
  unsigned maxBatch(const std::string& operation) const override {
    return host_.maxBatch(operation);
  }
  std::shared_ptr<const plugin::Platform> platform(const std::string& id) const override;
  std::optional<std::string> validate(const std::string& operation,
                                      const plugin::Parameters& parameters) const override;
  void run(plugin::Engine& engine, const plugin::EngineRequest& request,
           plugin::RunContext& context) const override;

 private:
  const PluginHost& host_;
};

/// The SNMP identity (sysObjectID prefixes, sysDescr pattern) of every loaded platform plugin.
std::vector<app::SnmpIdentity> snmpIdentities(const PluginHost& host);

}  // namespace netspine::infra
