// JobService, the worker and JobResultService together, in-process, on SQLite.

#include <fmt/format.h>

#include <fstream>
#include <set>

#include "domain/errors.hpp"
#include "job_fixture.hpp"

namespace netspine::test {
namespace {

using domain::DeviceStatus;
using domain::Operation;
using domain::RunState;
using domain::TaskState;

constexpr DeviceStatus kAllStatuses[] = {DeviceStatus::Inventory, DeviceStatus::Planned,
                                         DeviceStatus::Staged,    DeviceStatus::Active,
                                         DeviceStatus::Failed,    DeviceStatus::Decommissioning};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::int64_t countRuns(app::JobStore& store) {
  return static_cast<std::int64_t>(store.begin()->runs({}).size());
}

TEST_F(JobTest, ExplicitDevicesAreAcceptedOrRefusedWholePerStatusAndOperation) {
  for (auto status : kAllStatuses) addDevice("d-" + lower(domain::toString(status)), status);
  addDevice("ok-active", DeviceStatus::Active);
  addDevice("ok-staged", DeviceStatus::Staged);
  addDevice("ok-decom", DeviceStatus::Decommissioning);
  int accepted = 0, refused = 0;
  for (auto op : domain::kAllOperations) {
    for (auto status : kAllStatuses) {
      const std::string name = "d-" + lower(domain::toString(status));
      // A device allowed to run the operation next to it: refusal must be of the whole job.
      const std::string partner = op == Operation::Teardown    ? "ok-decom"
                                  : op == Operation::Provision ? "ok-staged"
                                                               : "ok-active";
      const auto before = countRuns(*jobs_);
      if (policy.allows(status, op)) {
        auto job = submit(testKind(op), {name, partner});
        EXPECT_EQ(job.queued, name == partner ? 1 : 2);
        EXPECT_EQ(job.skipped, 0);
        EXPECT_EQ(run(job.run.id).state, RunState::Queued);
        ++accepted;
      } else {
        try {
          submit(testKind(op), {partner, name});
          ADD_FAILURE() << "accepted " << testKind(op) << " on " << name;
        } catch (const domain::ConflictError& e) {
          EXPECT_NE(std::string(e.what()).find(name + ": status " +
                                               std::string(domain::toString(status)) +
                                               " allows no " + std::string(domain::toString(op))),
                    std::string::npos)
              << e.what();
          EXPECT_EQ(std::string(e.what()).find(partner + ":"), std::string::npos) << e.what();
        }
        EXPECT_EQ(countRuns(*jobs_), before) << "a refused job left a run behind";
        ++refused;
      }
    }
  }
  // The default table: read 4 statuses, discover 2, provision 1, push 1, teardown 1.
  EXPECT_EQ(accepted, 9);
  EXPECT_EQ(refused, 21);
}

TEST_F(JobTest, SelectorSkipsForbiddenDevicesWithTheReason) {
  for (auto status : kAllStatuses) addDevice("d-" + lower(domain::toString(status)), status);
  for (auto op : domain::kAllOperations) {
    auto job = submitSelect(testKind(op), "name=d-");
    EXPECT_EQ(job.run.total, 6);
    std::int64_t allowed = 0;
    for (auto status : kAllStatuses) allowed += policy.allows(status, op) ? 1 : 0;
    EXPECT_EQ(job.queued, allowed) << testKind(op);
    EXPECT_EQ(job.skipped, 6 - allowed);
    for (const auto& t : tasks(job.run.id)) {
      const auto status = *domain::parseDeviceStatus(t.device.substr(2));
      if (policy.allows(status, op)) {
        EXPECT_EQ(t.state, TaskState::Queued);
      } else {
        EXPECT_EQ(t.state, TaskState::Skipped);
        EXPECT_EQ(t.category, "policy_skipped");
        EXPECT_EQ(t.message, fmt::format("skipped: status {} allows no {}",
                                         domain::toString(status), domain::toString(op)));
      }
    }
  }
}

TEST_F(JobTest, SelectorWithEveryDeviceForbiddenEndsAtOnceAsSucceeded) {
  addDevice("dead", DeviceStatus::Failed);
  auto job = submitSelect("test_read", "status=failed");
  const auto r = run(job.run.id);
  EXPECT_EQ(r.state, RunState::Succeeded);
  EXPECT_EQ(r.tally.skipped, 1u);
  EXPECT_FALSE(r.createdAt.empty());
  EXPECT_FALSE(r.queuedAt.empty());
  EXPECT_FALSE(r.startedAt.empty());
  EXPECT_FALSE(r.finishedAt.empty());
}

TEST_F(JobTest, BadRequestsAreRefusedWithTheField) {
  addDevice("r1");
  auto field = [&](auto&& call) -> std::string {
    try {
      call();
    } catch (const domain::Error& e) {
      return e.field() + ": " + e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(
      field([&] { submit("nosuch", {"r1"}); }).rfind("kind: kind 'nosuch': no loaded engine", 0),
      0u);
  EXPECT_EQ(field([&] { submit("test_read", {"r1"}, {{"bogus", "1"}}); }).rfind("param:", 0), 0u);
  EXPECT_EQ(field([&] {
              submit("test_read", {"r1", "r2", "r3"});
            }),
            "device: no such devices: r2, r3");
  EXPECT_EQ(field([&] { submitSelect("test_read", "area=nowhere"); }).rfind("select:", 0), 0u);
  EXPECT_EQ(field([&] { submitSelect("test_read", "role=none"); }),
            "select: select: no device matches 'role=none'");
  EXPECT_EQ(countRuns(*jobs_), 0);
}

TEST_F(JobTest, WorkerRechecksTheStatusRightBeforeExecution) {
  // Per operation, one device per status it will have at execution; each starts in a status
  // that allows the operation, so the job is accepted.
  std::map<std::string, std::pair<Operation, DeviceStatus>> expected;
  std::vector<app::Id> runs;
  for (auto op : domain::kAllOperations) {
    const auto start = op == Operation::Teardown    ? DeviceStatus::Decommissioning
                       : op == Operation::Provision ? DeviceStatus::Staged
                                                    : DeviceStatus::Active;
    for (auto status : kAllStatuses) {
      const auto name = fmt::format("{}-{}", domain::toString(op), lower(domain::toString(status)));
      addDevice(name, start);
      runs.push_back(submit(testKind(op), {name}).run.id);
      setStatus(name, status);
      expected[name] = {op, status};
    }
  }
  drain();
  int skipped = 0;
  for (auto id : runs) {
    ASSERT_TRUE(finished(id));
    for (const auto& t : tasks(id)) {
      const auto [op, status] = expected.at(t.device);
      if (policy.allows(status, op)) {
        EXPECT_EQ(t.state, TaskState::Done) << t.device;
        EXPECT_EQ(t.category, "ok") << t.device;
      } else {
        ++skipped;
        EXPECT_EQ(t.state, TaskState::Skipped) << t.device;
        EXPECT_NE(t.message.find("status " + std::string(domain::toString(status)) + " allows no"),
                  std::string::npos)
            << t.message;
      }
    }
  }
  EXPECT_EQ(skipped, 21);
}

TEST_F(JobTest, FinalStateFollowsTheResults) {
  for (auto n : {"a", "b", "c"}) addDevice(n);
  auto ok = submit("test_noop", {"a", "b"});
  auto partial = submit("test_noop", {"a", "b"}, {{"result", "command_error"}, {"devices", "a"}});
  auto failed = submit("test_noop", {"a", "b"}, {{"result", "auth_failed"}});
  drain();
  submit("test_noop", {"c"});
  drain();
  EXPECT_EQ(run(ok.run.id).state, RunState::Succeeded);
  EXPECT_EQ(run(partial.run.id).state, RunState::Partial);
  EXPECT_EQ(run(failed.run.id).state, RunState::Failed);
  for (const auto& t : tasks(failed.run.id)) EXPECT_EQ(t.attempts, 1) << "auth_failed is final";
  const auto r = run(ok.run.id);
  EXPECT_LE(r.createdAt, r.queuedAt);
  EXPECT_LE(r.queuedAt, r.startedAt);
  EXPECT_LE(r.startedAt, r.finishedAt);
  // The runtime status of the devices, by kind.
  const auto deviceId = tasks(failed.run.id)[0].deviceId;
  {
    const auto down = jobs_->begin()->runtime(deviceId);
    ASSERT_EQ(down.size(), 1u);
    EXPECT_FALSE(down[0].up);
    EXPECT_EQ(down[0].lastError, "auth_failed: as the test asked");
    EXPECT_FALSE(down[0].lastSeen.empty()) << "kept from the ok run before";
  }
  app::DeviceFilter byName;
  byName.nameContains = "c";
  const auto cId = inventory_->begin()->devices().list(byName).at(0).id;
  const auto rt = jobs_->begin()->runtime(cId);
  ASSERT_EQ(rt.size(), 1u);
  EXPECT_EQ(rt[0].check, "test_noop");
  EXPECT_TRUE(rt[0].up);
  EXPECT_EQ(rt[0].latencyUs, 42);
}

TEST_F(JobTest, TransientFailuresAreRetriedUntilTheyPass) {
  addDevice("flaky");
  const auto dir = temp_.path("state");
  std::filesystem::create_directories(dir);
  auto job = submit("test_noop", {"flaky"},
                    {{"result", "timeout"}, {"fail_times", "2"}, {"state_dir", dir}});
  ASSERT_TRUE(eventually([&] {
    drain();
    return finished(job.run.id);
  }));
  EXPECT_EQ(run(job.run.id).state, RunState::Succeeded);
  const auto t = tasks(job.run.id).at(0);
  EXPECT_EQ(t.attempts, 3);
  int warnings = 0;
  for (const auto& e : log(job.run.id)) {
    if (e.message.find("retrying in") != std::string::npos) ++warnings;
  }
  EXPECT_EQ(warnings, 2);
}

TEST_F(JobTest, RetriesStopAtMaxAttempts) {
  addDevice("down");
  const auto dir = temp_.path("state");
  std::filesystem::create_directories(dir);
  auto job = submit("test_noop", {"down"}, {{"result", "unreachable"}, {"state_dir", dir}});
  ASSERT_TRUE(eventually([&] {
    drain();
    return finished(job.run.id);
  }));
  EXPECT_EQ(run(job.run.id).state, RunState::Failed);
  const auto t = tasks(job.run.id).at(0);
  EXPECT_EQ(t.attempts, settings.maxAttempts);
  EXPECT_EQ(t.category, "unreachable");
  std::ifstream calls(dir + "/calls");
  int lines = 0;
  for (std::string l; std::getline(calls, l);) ++lines;
  EXPECT_EQ(lines, settings.maxAttempts) << "each attempt ran exactly once";
}

TEST_F(JobTest, HardTaskTimeoutStopsACooperativeEngine) {
  addDevice("slow");
  settings.taskTimeout = std::chrono::milliseconds(200);
  settings.maxAttempts = 1;
  auto job = submit("test_noop", {"slow"}, {{"delay_ms", "60000"}});
  drain();
  const auto t = tasks(job.run.id).at(0);
  EXPECT_EQ(t.category, "timeout");
  EXPECT_EQ(run(job.run.id).state, RunState::Failed);
}

TEST_F(JobTest, HardTaskTimeoutAbandonsAHungEngineAndTheWorkerGoesOn) {
  addDevice("hung");
  addDevice("fine");
  settings.taskTimeout = std::chrono::milliseconds(200);
  settings.maxAttempts = 1;
  auto hung = submit("test_noop", {"hung"}, {{"hang", "1"}});
  auto fine = submit("test_noop", {"fine"});
  auto w = makeWorker("w", 1, true);
  EXPECT_TRUE(w->worker->run(w->stop));
  EXPECT_TRUE(w->worker->hasStuckThreads());
  EXPECT_EQ(w->worker->stats().abandoned.load(), 1u);
  const auto t = tasks(hung.run.id).at(0);
  EXPECT_EQ(t.category, "timeout");
  EXPECT_NE(t.message.find("did not stop"), std::string::npos) << t.message;
  EXPECT_EQ(run(fine.run.id).state, RunState::Succeeded) << "a replacement thread ran it";
}

TEST_F(JobTest, RunTimeLimitEndsTheRun) {
  for (auto n : {"a", "b", "c"}) addDevice(n);
  app::JobRequest r;
  r.kind = "test_noop";
  r.devices = {"a", "b", "c"};
  r.parameters = {{"delay_ms", "60000"}};
  r.concurrency = 1;
  r.timeLimit = std::chrono::milliseconds(300);
  r.requestedBy = "test";
  auto job = service().submit(r);
  auto w = startWorker("w", 4);
  ASSERT_TRUE(eventually([&] { return finished(job.run.id); }));
  EXPECT_EQ(run(job.run.id).state, RunState::Failed);
  for (const auto& t : tasks(job.run.id)) {
    EXPECT_EQ(t.category, "timeout") << t.device;
    EXPECT_EQ(t.state, TaskState::Done);
  }
}

TEST_F(JobTest, CancelStopsQueuedAtOnceAndRunningSoon) {
  for (auto n : {"a", "b", "c", "d"}) addDevice(n);
  app::JobRequest r;
  r.kind = "test_noop";
  r.devices = {"a", "b", "c", "d"};
  r.parameters = {{"delay_ms", "60000"}};
  r.concurrency = 1;
  r.requestedBy = "test";
  auto job = service().submit(r);
  auto w = startWorker("w", 4);
  ASSERT_TRUE(eventually([&] { return service().run(job.run.id).running == 1; }));
  app::JobResultService results(*jobs_, settings);
  const auto outcome = results.cancel(job.run.id, "cli:bob");
  EXPECT_EQ(outcome.cancelledQueued, 3);
  EXPECT_EQ(outcome.stillRunning, 1);
  ASSERT_TRUE(eventually([&] { return finished(job.run.id); }, std::chrono::seconds(30)));
  const auto done = run(job.run.id);
  EXPECT_EQ(done.state, RunState::Cancelled);
  EXPECT_EQ(done.tally.cancelled, 4u);
  EXPECT_THROW(results.cancel(job.run.id, "cli:bob"), domain::ConflictError);
  EXPECT_THROW(results.cancel(9999, "cli:bob"), domain::NotFoundError);
}

TEST_F(JobTest, CancelOfAQueuedRunCancelsItWithoutStarting) {
  addDevice("a");
  auto job = submit("test_noop", {"a"});
  app::JobResultService results(*jobs_, settings);
  results.cancel(job.run.id, "cli:bob");
  const auto r = run(job.run.id);
  EXPECT_EQ(r.state, RunState::Cancelled);
  EXPECT_TRUE(r.startedAt.empty());
  drain();
  EXPECT_EQ(tasks(job.run.id).at(0).attempts, 0) << "a cancelled task is never claimed";
}

TEST_F(JobTest, TasksOfAVanishedWorkerAreRetriedThenFailedAsWorkerCrashed) {
  addDevice("a");
  auto job = submit("test_noop", {"a"});
  app::JobResultService results(*jobs_, settings);
  app::JobDispatcher dispatcher(*jobs_, results);
  for (int attempt = 1; attempt <= settings.maxAttempts; ++attempt) {
    ASSERT_TRUE(eventually([&] { return !dispatcher.claim("ghost", 10).tasks.empty(); }));
    EXPECT_EQ(dispatcher.releaseWorker("ghost", "worker crashed: ghost killed by signal 9"), 1u);
  }
  const auto t = tasks(job.run.id).at(0);
  EXPECT_EQ(t.state, TaskState::Done);
  EXPECT_EQ(t.category, "plugin_error");
  EXPECT_EQ(t.message, "worker crashed: ghost killed by signal 9");
  EXPECT_EQ(t.attempts, settings.maxAttempts);
  EXPECT_EQ(run(job.run.id).state, RunState::Failed);
}

TEST_F(JobTest, AStoppedWorkerGivesItsTasksBackWithoutUsingAnAttempt) {
  for (auto n : {"a", "b", "c", "d"}) addDevice(n);
  auto job = submit("test_noop", {"a", "b", "c", "d"}, {{"delay_ms", "60000"}});
  auto w = startWorker("w", 2);
  ASSERT_TRUE(eventually([&] { return service().run(job.run.id).running == 2; }));
  w->stop = true;
  w->thread.join();
  EXPECT_TRUE(w->healthy);
  EXPECT_FALSE(w->worker->hasStuckThreads()) << "the engine stopped when told";
  for (const auto& t : tasks(job.run.id)) {
    EXPECT_EQ(t.state, TaskState::Queued) << t.device;
    EXPECT_EQ(t.attempts, 0) << t.device;
    EXPECT_FALSE(t.solo) << t.device;
  }
  EXPECT_EQ(run(job.run.id).state, RunState::Running);
}

TEST_F(JobTest, TasksOfACrashedWorkerRunAloneNextTime) {
  for (auto n : {"a", "b", "c"}) addDevice(n);
  auto job = submit("test_noop", {"a", "b", "c"});
  app::JobResultService results(*jobs_, settings);
  app::JobDispatcher dispatcher(*jobs_, results);
  ASSERT_EQ(dispatcher.claim("w1", 10).tasks.size(), 3u);
  dispatcher.releaseWorker("w1", "worker crashed: test");
  for (const auto& t : tasks(job.run.id)) EXPECT_TRUE(t.solo) << t.device;
  // A busy worker takes none of them; an idle one takes one, alone.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(dispatcher.claim("w2", 10, false).tasks.empty());
  EXPECT_EQ(dispatcher.claim("w2", 10, true).tasks.size(), 1u);
  EXPECT_EQ(dispatcher.claim("w3", 10, true).tasks.size(), 1u);
}

TEST_F(JobTest, ATaskLostWhileItsRunIsCancelledCountsAsCancelled) {
  addDevice("a");
  auto job = submit("test_noop", {"a"});
  app::JobResultService results(*jobs_, settings);
  app::JobDispatcher dispatcher(*jobs_, results);
  ASSERT_EQ(dispatcher.claim("w1", 10).tasks.size(), 1u);
  EXPECT_EQ(results.cancel(job.run.id, "cli:bob").stillRunning, 1);
  dispatcher.releaseWorker("w1", "worker crashed: test");
  const auto t = tasks(job.run.id).at(0);
  EXPECT_EQ(t.state, TaskState::Cancelled);
  EXPECT_EQ(run(job.run.id).state, RunState::Cancelled);
}

TEST_F(JobTest, AResultFromAWorkerThatLostItsTaskIsDropped) {
  addDevice("a");
  auto job = submit("test_noop", {"a"});
  app::JobResultService results(*jobs_, settings);
  app::JobDispatcher dispatcher(*jobs_, results);
  auto first = dispatcher.claim("w1", 10);
  ASSERT_EQ(first.tasks.size(), 1u);
  dispatcher.releaseWorker("w1", "worker crashed: test");
  ASSERT_TRUE(eventually([&] { return !dispatcher.claim("w2", 10).tasks.empty(); }));
  app::TaskReport late;
  late.task = first.tasks[0];
  late.category = "ok";
  EXPECT_EQ(results.record({late}), 0u);
  const auto t = tasks(job.run.id).at(0);
  EXPECT_EQ(t.state, TaskState::Running);
  EXPECT_EQ(t.worker, "w2");
}

TEST_F(JobTest, ExpiredLeasesAreReclaimed) {
  addDevice("a");
  settings.lease = std::chrono::milliseconds(50);
  auto job = submit("test_noop", {"a"});
  app::JobResultService results(*jobs_, settings);
  app::JobDispatcher dispatcher(*jobs_, results);
  ASSERT_EQ(dispatcher.claim("gone", 10).tasks.size(), 1u);
  ASSERT_TRUE(eventually([&] { return dispatcher.reclaimExpired() == 1; }));
  EXPECT_EQ(tasks(job.run.id).at(0).state, TaskState::Queued);
  ASSERT_TRUE(eventually([&] {
    drain();
    return finished(job.run.id);
  }));
  EXPECT_EQ(run(job.run.id).state, RunState::Succeeded);
  EXPECT_EQ(tasks(job.run.id).at(0).attempts, 2);
}

TEST_F(JobTest, PerRunConcurrencyHoldsOverTwoWorkers) {
  std::vector<std::string> names;
  for (int i = 0; i < 6; ++i) names.push_back(addDevice(fmt::format("c{}", i)).name);
  app::JobRequest r;
  r.kind = "test_noop";
  r.devices = names;
  r.parameters = {{"delay_ms", "100"}};
  r.concurrency = 2;
  r.requestedBy = "test";
  auto job = service().submit(r);
  auto w1 = startWorker("w1", 4);
  auto w2 = startWorker("w2", 4);
  std::int64_t most = 0;
  ASSERT_TRUE(eventually([&] {
    most = std::max(most, service().run(job.run.id).running);
    return finished(job.run.id);
  }));
  EXPECT_LE(most, 2);
  EXPECT_EQ(run(job.run.id).state, RunState::Succeeded);
}

TEST_F(JobTest, EngineLogLinesLandInTheRunLogByDevice) {
  addDevice("a");
  addDevice("b");
  auto job = submit("test_noop", {"a", "b"}, {{"log_lines", "3"}});
  drain();
  app::LogFilter f;
  f.runId = job.run.id;
  f.device = "a";
  int engineLines = 0;
  for (const auto& e : jobs_->begin()->log(f)) {
    EXPECT_EQ(e.device, "a");
    if (e.message.rfind("line ", 0) == 0) ++engineLines;
  }
  EXPECT_EQ(engineLines, 3);
  f.device.clear();
  f.minLevel = domain::LogLevel::Info;
  for (const auto& e : jobs_->begin()->log(f)) EXPECT_NE(e.level, domain::LogLevel::Debug);
}

}  // namespace
}  // namespace netspine::test
