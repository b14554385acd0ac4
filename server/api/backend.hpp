#pragma once
// What a request works with: one database connection and the application services on it. The
// server keeps a pool of these (server.db_connections); a request leases one for its duration,
// so the services' one-connection-one-user rule holds with many request threads.

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "application/area_service.hpp"
#include "application/change_log_service.hpp"
#include "application/config_service.hpp"
#include "application/device_service.hpp"
#include "application/job_service.hpp"
#include "application/platform_service.hpp"
#include "application/token_service.hpp"
#include "application/vlan_service.hpp"
#include "infra/config_file.hpp"
#include "infra/database.hpp"
#include "infra/plugin_host.hpp"
#include "infra/sql_job_store.hpp"
#include "infra/sql_store.hpp"
#include "infra/sql_token_store.hpp"

namespace netspine::infra {
class GitConfigArchive;
}

namespace netspine::api {

class Metrics;

/// The worker processes `netspine serve` supervises, as the API reports them.
struct WorkerStatus {
  unsigned configured = 0;
  unsigned alive = 0;
  unsigned restarts = 0;
};

/// What the server is given by `netspine serve` (or a test): read-only while it runs.
struct ServerEnvironment {
  infra::Config config;
  std::string databaseUrl;
  const app::EngineCatalog* engines = nullptr;
  std::vector<infra::LoadedPlugin> plugins;
  std::string version;
  std::function<WorkerStatus()> workers;        // null: no supervised workers
  std::function<void(const std::string&)> log;  // a line for the server's log
};

/// Device counts and device list pages, valid while the inventory has not changed. A count of
/// 100,000 devices is a scan, and a page costs a query and its JSON, for an answer that is the
/// same until someone writes. The inventory's change log only grows, by one entry per write, in
/// the writer's transaction: its newest id is the inventory's version (the stamp) on SQLite,
/// where writers commit one at a time. An entry is kept only when the stamp was the same before
/// and after it was computed, and used only at that stamp. PostgreSQL commits out of id order,
/// so there nothing is cached. Bounded: past 1,024 entries or 64 MiB it starts again.
class InventoryCache {
 public:
  std::optional<std::int64_t> count(const std::string& key, std::int64_t stamp);
  void storeCount(const std::string& key, std::int64_t stamp, std::int64_t count);
  std::optional<std::string> page(const std::string& key, std::int64_t stamp);
  void storePage(const std::string& key, std::int64_t stamp, const std::string& body);
  /// Tokens by the SHA-256 of their secret (never the secret itself).
  std::optional<app::ApiToken> token(const std::string& hash, std::int64_t stamp);
  void storeToken(const std::string& hash, std::int64_t stamp, const app::ApiToken& token);

 private:
  void makeRoom(std::size_t bytes);
  std::mutex mutex_;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> counts_;   // key -> stamp, count
  std::map<std::string, std::pair<std::int64_t, std::string>> pages_;     // key -> stamp, body
  std::map<std::string, std::pair<std::int64_t, app::ApiToken>> tokens_;  // hash -> stamp, token
  std::size_t bytes_ = 0;
};

class Backend {
 public:
  Backend(const ServerEnvironment& env, InventoryCache& cache);
  ~Backend();

  const ServerEnvironment& env;
  infra::Database db;
  infra::SqlStore store;
  infra::SqlJobStore jobs;
  infra::SqlTokenStore tokenStore;
  app::AreaService areas;
  app::PlatformService platforms;
  app::DeviceService devices;
  app::VlanService vlans;
  app::ChangeLogService changes;
  app::JobService jobService;
  app::JobResultService results;
  app::TokenService tokens;

  /// The configuration archive, opened on first use.
  app::ConfigService& configs();
  /// The inventory's version for the cache (SQLite), or nothing (PostgreSQL: no caching).
  std::optional<std::int64_t> inventoryStamp();
  /// devices.count(query), cached at `stamp` (see InventoryCache).
  std::int64_t deviceCount(const app::DeviceQuery& query, const std::string& key,
                           std::optional<std::int64_t> stamp);
  InventoryCache& cache() { return cache_; }

 private:
  InventoryCache& cache_;
  std::unique_ptr<Poco::Data::Statement> stampStatement_;
  Poco::Int64 stampValue_ = 0;
  std::unique_ptr<infra::GitConfigArchive> archive_;
  std::unique_ptr<app::ConfigService> configs_;
};

/// A fixed set of backends; lease() waits for a free one.
class BackendPool {
 public:
  BackendPool(const ServerEnvironment& env, unsigned size);

  class Lease {
   public:
    Lease(BackendPool& pool, Backend* backend) : pool_(pool), backend_(backend) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), backend_(other.backend_) {
      other.backend_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (backend_) pool_.release(backend_);
    }
    Backend& operator*() const { return *backend_; }

   private:
    BackendPool& pool_;
    Backend* backend_;
  };
  Lease lease();

 private:
  void release(Backend* backend);
  InventoryCache cache_;
  std::vector<std::unique_ptr<Backend>> all_;
  std::vector<Backend*> free_;
  std::mutex mutex_;
  std::condition_variable available_;
};

}  // namespace netspine::api
