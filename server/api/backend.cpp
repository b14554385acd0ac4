#include "api/backend.hpp"

#include "infra/git_config_archive.hpp"

namespace netspine::api {

bool CountCache::find(const std::string& key, std::int64_t stamp, std::int64_t& count) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.first != stamp) return false;
  count = it->second.second;
  return true;
}

void CountCache::store(const std::string& key, std::int64_t stamp, std::int64_t count) {
  std::lock_guard lock(mutex_);
  if (entries_.size() > 4096) entries_.clear();  // bounded: filters are user input
  entries_[key] = {stamp, count};
}

Backend::Backend(const ServerEnvironment& environment, CountCache& counts)
    : env(environment),
      db(environment.databaseUrl),
      store(db),
      jobs(db),
      tokenStore(db),
      areas(store),
      platforms(store),
      devices(store),
      vlans(store),
      changes(store),
      jobService(store, jobs, *environment.engines, environment.config.automationPolicy,
                 environment.config.operations, environment.config.jobs),
      results(jobs, environment.config.jobs),
      tokens(tokenStore),
      counts_(counts) {}

Backend::~Backend() = default;

app::ConfigService& Backend::configs() {
  if (!configs_) {
    archive_ = std::make_unique<infra::GitConfigArchive>(
        env.config.effectiveBackupRepository(), env.config.backup, env.config.backupRemote);
    configs_ = std::make_unique<app::ConfigService>(jobs, *archive_);
  }
  return *configs_;
}

std::int64_t Backend::deviceCount(const app::DeviceQuery& query, const std::string& key) {
  if (db.backend() != infra::DatabaseBackend::SQLite) return devices.count(query);
  // A count is kept only when no write committed while it was taken: the stamp (the change
  // log's newest id, which grows with every inventory write) is the same before and after.
  const char* stampSql = "SELECT COALESCE(MAX(id), 0) FROM change_log";
  const auto before = db.queryInt(stampSql);
  std::int64_t count = 0;
  if (counts_.find(key, before, count)) return count;
  count = devices.count(query);
  if (db.queryInt(stampSql) == before) counts_.store(key, before, count);
  return count;
}

BackendPool::BackendPool(const ServerEnvironment& env, unsigned size) {
  for (unsigned i = 0; i < std::max(1u, size); ++i) {
    all_.push_back(std::make_unique<Backend>(env, counts_));
    free_.push_back(all_.back().get());
  }
}

BackendPool::Lease BackendPool::lease() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !free_.empty(); });
  Backend* b = free_.back();
  free_.pop_back();
  return Lease(*this, b);
}

void BackendPool::release(Backend* backend) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(backend);
  }
  available_.notify_one();
}

}  // namespace netspine::api
