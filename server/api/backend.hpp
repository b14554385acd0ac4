#pragma once
// What a request works with: one database connection and the application services on it. The
// server keeps a pool of these (server.db_connections); a request leases one for its duration,
// so the services' one-connection-one-user rule holds with many request threads.

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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

/// Device counts by filter, valid while the inventory has not changed. A count of 100,000
/// devices is a scan; a list page is not, so the count must not cost every request a scan. The
/// inventory's change log only grows, by one entry per write, in the writer's transaction: its
/// newest id is the inventory's version on SQLite (one writer at a time). PostgreSQL commits
/// out of id order, so there the cache is not used.
class CountCache {
 public:
  bool find(const std::string& key, std::int64_t stamp, std::int64_t& count);
  void store(const std::string& key, std::int64_t stamp, std::int64_t count);

 private:
  std::mutex mutex_;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> entries_;  // key -> stamp, count
};

class Backend {
 public:
  Backend(const ServerEnvironment& env, CountCache& counts);
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
  /// devices.count(query), cached while the inventory is unchanged (SQLite).
  std::int64_t deviceCount(const app::DeviceQuery& query, const std::string& key);

 private:
  CountCache& counts_;
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
  CountCache counts_;
  std::vector<std::unique_ptr<Backend>> all_;
  std::vector<Backend*> free_;
  std::mutex mutex_;
  std::condition_variable available_;
};

}  // namespace netspine::api
