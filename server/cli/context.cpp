#include "cli/context.hpp"

#include <algorithm>
#include <cstdlib>

#include "cli/command.hpp"
#include "infra/database.hpp"
#include "infra/engine_catalog.hpp"
#include "infra/git_config_archive.hpp"
#include "infra/migrations.hpp"
#include "infra/plugin_host.hpp"
#include "infra/secrets_file.hpp"
#include "infra/sql_job_store.hpp"
#include "infra/sql_store.hpp"
#include "infra/sql_token_store.hpp"

namespace netspine::cli {
namespace {

/// The password in a database URL, percent-decoded, or empty.
std::string passwordOf(const std::string& url) {
  try {
    return infra::DatabaseUrl::parse(url).password;
  } catch (const std::exception&) {
    return {};  // a URL that does not parse is reported by whoever opens it
  }
}

}  // namespace

CliContext::CliContext(std::ostream& out, GlobalOptions globals, std::ostream* err)
    : out_(out), err_(err), globals_(std::move(globals)) {
  if (globals_.databaseUrl) secret_ = passwordOf(*globals_.databaseUrl);
}

CliContext::~CliContext() = default;

app::ChangeContext CliContext::change(const Args& args) const {
  return {globals_.actor, args.textOr("message")};
}

const infra::Config& CliContext::config() {
  if (!config_) {
    std::string path = globals_.configPath.value_or("");
    if (path.empty()) {
      if (const char* env = std::getenv("NETSPINE_CONFIG"); env && *env) path = env;
    }
    config_ = path.empty() ? infra::Config{} : infra::loadConfig(path);
    if (secret_.empty()) secret_ = passwordOf(config_->effectiveDatabaseUrl());
  }
  return *config_;
}

std::string CliContext::databaseUrl() {
  const auto& cfg = config();  // read even when --db overrides it: a broken file is reported
  return globals_.databaseUrl ? *globals_.databaseUrl : cfg.effectiveDatabaseUrl();
}

infra::Database& CliContext::database() {
  if (!database_) database_ = std::make_unique<infra::Database>(databaseUrl());
  return *database_;
}

app::Store& CliContext::store() {
  if (!store_) {
    infra::Migrator(database()).check();
    store_ = std::make_unique<infra::SqlStore>(database());
  }
  return *store_;
}

app::JobStore& CliContext::jobStore() {
  if (!jobStore_) {
    store();
    jobStore_ = std::make_unique<infra::SqlJobStore>(database());
  }
  return *jobStore_;
}

app::TokenStore& CliContext::tokenStore() {
  if (!tokenStore_) {
    store();
    tokenStore_ = std::make_unique<infra::SqlTokenStore>(database());
  }
  return *tokenStore_;
}

infra::PluginHost& CliContext::plugins() {
  if (!plugins_) {
    plugins_ = std::make_unique<infra::PluginHost>();
    for (const auto& refusal : plugins_->loadDirectories(config().effectivePluginDirs()).refused) {
      warn(refusal.line());
    }
  }
  return *plugins_;
}

const app::EngineCatalog& CliContext::engines() {
  if (!engines_) engines_ = std::make_unique<infra::PluginEngineCatalog>(plugins());
  return *engines_;
}

app::ConfigArchive& CliContext::archive() {
  if (!archive_) {
    const auto& cfg = config();
    archive_ = std::make_unique<infra::GitConfigArchive>(cfg.effectiveBackupRepository(),
                                                         cfg.backup, cfg.backupRemote);
  }
  return *archive_;
}

std::shared_ptr<const infra::Secrets> CliContext::secrets() {
  if (!secretsRead_) {
    const auto& cfg = config();
    if (!cfg.secretsFile.empty()) {
      secrets_ = std::make_shared<const infra::Secrets>(infra::Secrets::load(cfg.secretsFile));
    }
    secretsRead_ = true;
  }
  return secrets_;
}

void CliContext::print(std::string_view text) {
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void CliContext::warn(std::string_view message) {
  if (!err_) return;
  std::string line = "netspine: warning: " + redact(std::string(message));
  std::replace(line.begin(), line.end(), '\n', ' ');
  line += '\n';
  err_->write(line.data(), static_cast<std::streamsize>(line.size()));
}

void CliContext::printJson(const app::JsonWriter& json) {
  print(json.str());
  print("\n");
}

std::string CliContext::redact(std::string message) const {
  return infra::redactSecrets(std::move(message), secret_);
}

}  // namespace netspine::cli
