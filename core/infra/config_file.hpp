#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "application/config_archive.hpp"
#include "application/job_service.hpp"
#include "domain/automation_policy.hpp"
#include "domain/job.hpp"
#include "domain/schedule.hpp"

namespace netspine::infra {

/// SSH options for some devices (`ssh.profiles`): never for all, so that an old algorithm is
/// enabled only where a device needs it.
struct SshProfile {
  int line = 0;                        // where it starts in the file
  std::vector<std::string> platforms;  // matches devices of these platforms
  std::vector<std::string> devices;    // or these devices by name
  /// Engine attributes it sets: "ssh.kex", "ssh.hostkeys", "ssh.ciphers", "ssh.macs"
  /// (comma-separated algorithm names) and "ssh.host_key_policy".
  std::map<std::string, std::string> attributes;
  std::optional<std::chrono::milliseconds> connectTimeout, authTimeout, commandTimeout,
      deviceTimeout;
};

/// `ssh:` how the SSH engines reach devices.
struct SshSettings {
  std::chrono::milliseconds connectTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds authTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds commandTimeout{std::chrono::seconds(60)};
  /// A whole device (login, every command); unset: `jobs.task_timeout`.
  std::optional<std::chrono::milliseconds> deviceTimeout;
  std::string hostKeyPolicy = "tofu";  // or "strict"
  std::vector<SshProfile> profiles;    // in file order; every matching one applies, later wins
};

/// `server:` the HTTP API of `netspine serve`.
struct ServerSettings {
  std::string host = "127.0.0.1";  // `listen`: HOST:PORT, [IPv6]:PORT
  int port = 8080;
  std::string tlsCert;  // both set: HTTPS (PEM files)
  std::string tlsKey;
  unsigned threads = 64;     // requests served at once (one keep-alive connection each)
  unsigned queue = 256;      // accepted connections waiting for a thread
  unsigned connections = 4;  // database connections the requests share
  std::int64_t maxBodyBytes = 10 * 1024 * 1024;
  bool keepAlive = true;
  unsigned keepAliveRequests = 1000;
  std::chrono::milliseconds keepAliveTimeout{std::chrono::seconds(15)};
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // a request's socket timeouts
};

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
  /// `secrets_file:` the credential sets devices name; empty: none.
  std::string secretsFile;
  /// `backup:` the Git repository of configurations; empty: <dataDir>/configs.
  std::string backupRepository;
  std::string backupRemote;  // pushed after each commit when set
  app::BackupSettings backup;
  SshSettings ssh;
  ServerSettings server;

  /// The database URL to use: `databaseUrl`, or the SQLite file under `dataDir`.
  std::string effectiveDatabaseUrl() const;
  /// `backupRepository`, or <dataDir>/configs.
  std::string effectiveBackupRepository() const;
  /// `pluginDirs`, or `<executable's folder>/../lib/netspine/plugins` when unset.
  std::vector<std::string> effectivePluginDirs() const;
};

/// "HOST:PORT" or "[IPv6]:PORT" (port 0: any free one); false for anything else.
bool parseListenAddress(const std::string& text, std::string& host, int& port);

/// Reads a config file. Throws domain::ValidationError whose message starts with "FILE:LINE:"
/// and names the key: unknown keys (with a suggestion), wrong types, bad values.
Config loadConfig(const std::string& path);

}  // namespace netspine::infra
