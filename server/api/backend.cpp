#include "api/backend.hpp"

#include "infra/git_config_archive.hpp"

namespace netspine::api {

std::optional<std::int64_t> InventoryCache::count(const std::string& key, std::int64_t stamp) {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(key);
  if (it == counts_.end() || it->second.first != stamp) return std::nullopt;
  return it->second.second;
}

void InventoryCache::storeCount(const std::string& key, std::int64_t stamp, std::int64_t count) {
  std::lock_guard lock(mutex_);
  makeRoom(key.size());
  counts_[key] = {stamp, count};
}

std::optional<std::string> InventoryCache::page(const std::string& key, std::int64_t stamp) {
  std::lock_guard lock(mutex_);
  auto it = pages_.find(key);
  if (it == pages_.end() || it->second.first != stamp) return std::nullopt;
  return it->second.second;
}

void InventoryCache::storePage(const std::string& key, std::int64_t stamp,
                               const std::string& body) {
  std::lock_guard lock(mutex_);
  makeRoom(key.size() + body.size());
  auto& entry = pages_[key];
  bytes_ -= std::min(bytes_, entry.second.size());
  entry = {stamp, body};
}

std::optional<app::ApiToken> InventoryCache::token(const std::string& hash, std::int64_t stamp) {
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end() || it->second.first != stamp) return std::nullopt;
  return it->second.second;
}

void InventoryCache::storeToken(const std::string& hash, std::int64_t stamp,
                                const app::ApiToken& token) {
  std::lock_guard lock(mutex_);
  makeRoom(hash.size());
  tokens_[hash] = {stamp, token};
}

void InventoryCache::makeRoom(std::size_t bytes) {
  constexpr std::size_t kMaxEntries = 1024;
  constexpr std::size_t kMaxBytes = 64 * 1024 * 1024;
  if (counts_.size() + pages_.size() + tokens_.size() >= kMaxEntries ||
      bytes_ + bytes > kMaxBytes) {
    counts_.clear();
    pages_.clear();
    tokens_.clear();
    bytes_ = 0;
  }
  bytes_ += bytes;
}

Backend::Backend(const ServerEnvironment& environment, InventoryCache& cache)
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
      cache_(cache) {}

Backend::~Backend() = default;

app::ConfigService& Backend::configs() {
  if (!configs_) {
    archive_ = std::make_unique<infra::GitConfigArchive>(
        env.config.effectiveBackupRepository(), env.config.backup, env.config.backupRemote);
    configs_ = std::make_unique<app::ConfigService>(jobs, *archive_);
  }
  return *configs_;
}

std::optional<std::int64_t> Backend::inventoryStamp() {
  if (db.backend() != infra::DatabaseBackend::SQLite) return std::nullopt;
  // Asked on every request: one statement, prepared once per connection.
  if (!stampStatement_) {
    using namespace Poco::Data::Keywords;
    stampStatement_ = std::make_unique<Poco::Data::Statement>(
        db.statement("SELECT COALESCE(MAX(id), 0) FROM change_log"));
    *stampStatement_, into(stampValue_);
  }
  try {
    stampStatement_->execute();
  } catch (const Poco::Exception& e) {
    stampStatement_.reset();
    throw infra::DatabaseError("reading the inventory's version: " + e.displayText());
  }
  return stampValue_;
}

std::int64_t Backend::deviceCount(const app::DeviceQuery& query, const std::string& key,
                                  std::optional<std::int64_t> stamp) {
  if (!stamp) return devices.count(query);
  if (auto n = cache_.count(key, *stamp)) return *n;
  const auto count = devices.count(query);
  if (inventoryStamp() == stamp) cache_.storeCount(key, *stamp, count);
  return count;
}

BackendPool::BackendPool(const ServerEnvironment& env, unsigned size) {
  for (unsigned i = 0; i < std::max(1u, size); ++i) {
    all_.push_back(std::make_unique<Backend>(env, cache_));
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
