#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "application/change_context.hpp"
#include "application/json_writer.hpp"
#include "application/store.hpp"
#include "infra/config_file.hpp"

namespace netspine::infra {
class Database;
class PluginHost;
class Secrets;
}  // namespace netspine::infra
namespace netspine::app {
class ConfigArchive;
class EngineCatalog;
class JobStore;
class TokenStore;
}  // namespace netspine::app

namespace netspine::cli {

class Args;

/// The global options, as given before the command.
struct GlobalOptions {
  std::optional<std::string> configPath;   // --config, else $NETSPINE_CONFIG
  std::optional<std::string> databaseUrl;  // --db
  bool json = false;
  std::string actor;  // --actor, else "cli:$USER"
};

/// What every command works with: the global options, the config, the database opened on first
/// use, and the output stream (written once per command, so large lists stay fast).
class CliContext {
 public:
  /// `err` receives warnings (a command that succeeds but has something to say); none: dropped.
  CliContext(std::ostream& out, GlobalOptions globals, std::ostream* err = nullptr);
  ~CliContext();

  bool json() const { return globals_.json; }
  void setJson() { globals_.json = true; }
  /// The actor and the command's --message, for the change log.
  app::ChangeContext change(const Args& args) const;

  const infra::Config& config();
  /// --db, else the config's database URL (a plain path means SQLite).
  std::string databaseUrl();
  /// The database, opened on first use (no schema check).
  infra::Database& database();
  /// The inventory store on the database. The first call checks the schema: one that is not
  /// this binary's is refused with the migrator's message ("run `netspine migrate`").
  app::Store& store();

  /// The job tables, on the same connection as store() (whose schema check it shares).
  app::JobStore& jobStore();
  /// The API tokens, on the same connection as store() (whose schema check it shares).
  app::TokenStore& tokenStore();
  /// The plugins of the config's plugin_dirs, loaded on first use; each refused file is a
  /// warning.
  infra::PluginHost& plugins();
  /// The loaded engines, for the job pipeline.
  const app::EngineCatalog& engines();

  /// The Git repository of configuration backups (`backup:`), opened or created on first use.
  app::ConfigArchive& archive();
  /// The credential sets of `secrets_file`, read on first use; null when none is configured.
  std::shared_ptr<const infra::Secrets> secrets();
  /// The process's exit code once the command returns (default 0).
  int exitCode() const { return exitCode_; }
  void setExitCode(int code) { exitCode_ = code; }
  /// The error stream (progress lines, warnings); may be null.
  std::ostream* errorStream() { return err_; }

  void print(std::string_view text);
  /// "netspine: warning: MESSAGE" on the error stream, redacted, one line.
  void warn(std::string_view message);
  /// The JSON value with a final newline.
  void printJson(const app::JsonWriter& json);

  /// `message` with the database password (if any) masked.
  std::string redact(std::string message) const;

 private:
  std::ostream& out_;
  std::ostream* err_;
  GlobalOptions globals_;
  std::optional<infra::Config> config_;
  std::unique_ptr<infra::Database> database_;
  std::unique_ptr<app::Store> store_;
  std::unique_ptr<app::JobStore> jobStore_;
  std::unique_ptr<app::TokenStore> tokenStore_;
  std::unique_ptr<infra::PluginHost> plugins_;
  std::unique_ptr<app::EngineCatalog> engines_;
  std::unique_ptr<app::ConfigArchive> archive_;
  std::shared_ptr<const infra::Secrets> secrets_;
  bool secretsRead_ = false;
  int exitCode_ = 0;
  std::string secret_;  // the database password, to be masked in messages
};

}  // namespace netspine::cli
