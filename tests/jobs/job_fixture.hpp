#pragma once
// The job pipeline on a migrated SQLite file, with the test engine loaded through the real
// plugin host, and devices created through the real services.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "application/area_service.hpp"
#include "application/device_service.hpp"
#include "application/discovery_service.hpp"
#include "application/job_service.hpp"
#include "application/worker.hpp"
#include "infra/engine_catalog.hpp"
#include "infra/plugin_host.hpp"
#include "infra/sql_job_store.hpp"
#include "infra/sql_store.hpp"
#include "support/temp_folder.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {

/// The operation of the test engine for each automation class.
inline std::string testKind(domain::Operation op) {
  return "test_" + std::string(domain::toString(op));
}

inline domain::OperationClasses testClasses() {
  auto classes = domain::OperationClasses::defaults();
  for (auto op : domain::kAllOperations) classes.set(testKind(op), op);
  classes.set("test_noop", domain::Operation::Read);
  classes.set("test_batch", domain::Operation::Read);
  return classes;
}

/// Polls `done` every 10 ms for up to `limit`; false when it never became true. A bound against
/// a hung test, not a timing assertion.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class JobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = freshSqlite();
    inventory_ = std::make_unique<infra::SqlStore>(db_->url());
    jobs_ = std::make_unique<infra::SqlJobStore>(db_->url());
    const auto report = host_.loadDirectories({NETSPINE_TEST_ENGINE_DIR});
    ASSERT_TRUE(report.refused.empty()) << report.refused.front().line();
    ASSERT_TRUE(host_.engineFor("test_read"));
    settings.retryBackoff = std::chrono::milliseconds(10);
    settings.lease = std::chrono::milliseconds(5'000);
    settings.cancelGrace = std::chrono::milliseconds(300);
    app::AreaService(*inventory_).create({"lab", "", ""}, ctx_);
  }

  /// A device in area lab with `status`.
  domain::Device addDevice(const std::string& name,
                           domain::DeviceStatus status = domain::DeviceStatus::Active) {
    app::DeviceInput in;
    in.name = name;
    in.address = "127.0.0.1";
    in.platform = "cisco_ios";
    in.area = "lab";
    in.status = status;
    return app::DeviceService(*inventory_).create(in, ctx_);
  }

  /// Any status, straight in the inventory (the lifecycle's transition rules are not under test).
  void setStatus(const std::string& name, domain::DeviceStatus status) {
    auto uow = inventory_->begin();
    auto device = *uow->devices().findByName(name);
    device.status = status;
    uow->devices().update(device);
    uow->commit();
  }

  app::JobService service() {
    return app::JobService(*inventory_, *jobs_, catalog_, policy, testClasses(), settings);
  }

  /// A job of explicit devices. canary, stopOnFailure and concurrency are the run options of
  /// changes (push, provision, teardown).
  app::AcceptedJob submit(const std::string& kind, std::vector<std::string> devices,
                          std::map<std::string, std::string> params = {}, unsigned canary = 0,
                          bool stopOnFailure = false, unsigned concurrency = 0) {
    app::JobRequest r;
    r.kind = kind;
    r.devices = std::move(devices);
    r.parameters = std::move(params);
    r.requestedBy = "test";
    r.canary = canary;
    r.stopOnFailure = stopOnFailure;
    r.concurrency = concurrency;
    return service().submit(r);
  }

  app::AcceptedJob submitSelect(const std::string& kind, const std::string& selector,
                                std::map<std::string, std::string> params = {}) {
    app::JobRequest r;
    r.kind = kind;
    r.selector = domain::DeviceSelector::parse(selector);
    r.parameters = std::move(params);
    r.requestedBy = "test";
    return service().submit(r);
  }

  /// A worker on its own connection, as a worker process has.
  struct RunningWorker {
    std::unique_ptr<infra::SqlJobStore> store;
    std::unique_ptr<app::JobResultService> results;
    std::unique_ptr<app::JobDispatcher> dispatcher;
    std::unique_ptr<app::Worker> worker;
    std::atomic<bool> stop{false};
    std::thread thread;
    bool healthy = true;
    ~RunningWorker() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  };

  std::unique_ptr<RunningWorker> makeWorker(const std::string& id, unsigned concurrency = 4,
                                            bool untilIdle = false) {
    auto w = std::make_unique<RunningWorker>();
    w->store = std::make_unique<infra::SqlJobStore>(db_->url());
    w->results = std::make_unique<app::JobResultService>(*w->store, settings);
    if (archive) w->results->setArchive(archive, backup);
    if (discovery) w->results->setDiscovery(discovery);
    w->results->setOperationClasses(testClasses());
    w->dispatcher = std::make_unique<app::JobDispatcher>(*w->store, *w->results);
    app::WorkerOptions o;
    o.id = id;
    o.concurrency = concurrency;
    o.untilIdle = untilIdle;
    o.heartbeat = std::chrono::milliseconds(100);
    o.idlePoll = std::chrono::milliseconds(20);
    w->worker = std::make_unique<app::Worker>(*w->dispatcher, *w->results, catalog_, policy,
                                              testClasses(), o, preparer);
    return w;
  }

  /// Runs a worker in this thread until the queue is empty.
  void drain(unsigned concurrency = 4) {
    auto w = makeWorker("drainer", concurrency, true);
    EXPECT_TRUE(w->worker->run(w->stop));
  }

  std::unique_ptr<RunningWorker> startWorker(const std::string& id, unsigned concurrency = 4) {
    auto w = makeWorker(id, concurrency);
    auto* raw = w.get();
    w->thread = std::thread([raw] { raw->healthy = raw->worker->run(raw->stop); });
    return w;
  }

  domain::JobRun run(app::Id id) { return *jobs_->begin()->run(id); }

  std::vector<domain::Task> tasks(app::Id runId) {
    app::TaskFilter f;
    f.runId = runId;
    return jobs_->begin()->tasks(f);
  }

  std::vector<domain::RunLogEntry> log(app::Id runId) {
    app::LogFilter f;
    f.runId = runId;
    return jobs_->begin()->log(f);
  }

  bool finished(app::Id runId) { return domain::isFinal(run(runId).state); }

  /// The task of `device` in the run.
  domain::Task task(app::Id runId, const std::string& device) {
    for (auto& t : tasks(runId)) {
      if (t.device == device) return t;
    }
    ADD_FAILURE() << "no task for " << device;
    return {};
  }

  /// Plugins of this build (the real engines and platforms), by file name without ".so".
  /// NETSPINE_BUILD_PLUGIN_DIR is defined for the suites that link them.
  void loadBuiltPlugins(const std::string& dir, std::initializer_list<const char*> names) {
    for (const char* name : names) {
      const auto report = host_.loadFile(dir + "/" + name + ".so");
      ASSERT_TRUE(report.refused.empty()) << report.refused.front().line();
    }
  }

  app::JobSettings settings;
  app::ConfigArchive* archive = nullptr;  // set: workers archive the configurations tasks return
  app::DiscoveryService* discovery = nullptr;  // set: workers apply discovered facts
  app::TargetPreparer preparer;                // set: fills each target (credentials, ports)
  app::BackupSettings backup;
  domain::AutomationPolicy policy = domain::AutomationPolicy::defaults();
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<infra::SqlStore> inventory_;
  std::unique_ptr<infra::SqlJobStore> jobs_;
  infra::PluginHost host_;
  infra::PluginEngineCatalog catalog_{host_};
  app::ChangeContext ctx_{"test", ""};
  TempFolder temp_;
};

}  // namespace netspine::test
