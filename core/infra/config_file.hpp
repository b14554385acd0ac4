#pragma once

#include <optional>
#include <string>
#include <vector>

#include "application/job_service.hpp"
#include "domain/automation_policy.hpp"
#include "domain/job.hpp"
#include "domain/schedule.hpp"

namespace netspine::infra {

/// netspine's settings, read from one YAML file. Every key is documented in
/// docs/configuration.md; defaults apply to keys the file leaves out.
struct Config {
  std::string sourcePath;                 // the file it came from; empty for the defaults
  std::string dataDir = "netspine-data";  // relative paths resolve against the config file's folder
  std::string databaseUrl;                // empty: SQLite file <dataDir>/netspine.db
  domain::AutomationPolicy automationPolicy = domain::AutomationPolicy::defaults();
  /// Folders the plugin host loads `*.so` from, in order; unset: the default below.
  std::optional<std::vector<std::string>> pluginDirs;
  /// The jobs that run by themselves, in file order; names are unique.
  std::vector<domain::Schedule> schedules;
  /// Which operation class (and so which statuses) each job kind is: `operations:`.
  domain::OperationClasses operations = domain::OperationClasses::defaults();
  /// `jobs:` — retries, timeouts, leases, and the workers `netspine serve` supervises.
  app::JobSettings jobs;
  unsigned workers = 2;             // worker processes of `netspine serve`
  unsigned workerConcurrency = 16;  // devices at once per worker

  /// The database URL to use: `databaseUrl`, or the SQLite file under `dataDir`.
  std::string effectiveDatabaseUrl() const;
  /// `pluginDirs`, or `<executable's folder>/../lib/netspine/plugins` when unset.
  std::vector<std::string> effectivePluginDirs() const;
};

/// Reads a config file. Throws domain::ValidationError whose message starts with "FILE:LINE:"
/// and names the key: unknown keys (with a suggestion), wrong types, bad values.
Config loadConfig(const std::string& path);

}  // namespace netspine::infra
