#include "infra/engine_catalog.hpp"

#include <algorithm>

namespace netspine::infra {

std::vector<std::string> PluginEngineCatalog::operations() const {
  std::vector<std::string> ops;
  for (const auto& p : host_.plugins()) {
    if (p.manifest.kind != plugin::PluginKind::Engine) continue;
    for (const auto& op : p.manifest.provides) {
      if (host_.engineFor(op)) ops.push_back(op);
    }
  }
  std::sort(ops.begin(), ops.end());
  ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
  return ops;
}

std::shared_ptr<plugin::Engine> PluginEngineCatalog::engineFor(const std::string& operation) const {
  return host_.engineFor(operation);
}

std::shared_ptr<const plugin::Platform> PluginEngineCatalog::platform(const std::string& id) const {
  return host_.platform(id);
}

std::optional<std::string> PluginEngineCatalog::validate(
    const std::string& operation, const plugin::Parameters& parameters) const {
  auto engine = host_.engineFor(operation);
  if (!engine) return "no loaded engine provides '" + operation + "'";
  return validateEngine(*engine, operation, parameters);
}

std::vector<app::SnmpIdentity> snmpIdentities(const PluginHost& host) {
  std::vector<app::SnmpIdentity> out;
  for (const auto& p : host.plugins()) {
    if (p.manifest.kind != plugin::PluginKind::Platform) continue;
    auto platform = host.platform(p.manifest.id);
    if (!platform) continue;
    try {
      const auto& spec = platform->spec();
      out.push_back({spec.id, spec.snmp.sysObjectIdPrefixes, spec.snmp.sysDescrPattern});
    } catch (...) {
      // A platform whose spec throws contributes nothing; the host already reported it.
    }
  }
  return out;
}

void PluginEngineCatalog::run(plugin::Engine& engine, const plugin::EngineRequest& request,
                              plugin::RunContext& context) const {
  runEngine(engine, request, context);
}

}  // namespace netspine::infra
