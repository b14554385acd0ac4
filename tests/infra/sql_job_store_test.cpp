// SqlJobStore (application/job_store.hpp) on SQLite and PostgreSQL: round trips, the queue's
// claim (order, batch size, backoff, concurrency limits, cancelled runs), the (worker, attempts)
// guard of result writes, leases, the run log, schedule state and device runtime status.

#include "infra/sql_job_store.hpp"
#include "infra/sql_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "domain/errors.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {
namespace {

using app::Id;
using app::JobTxn;
using domain::Job;
using domain::JobRun;
using domain::LogLevel;
using domain::RunLogEntry;
using domain::RunState;
using domain::Task;
using domain::TaskState;
using infra::DatabaseBackend;
using infra::SqlJobStore;

std::vector<Id> idsOf(const std::vector<Task>& tasks) {
  std::vector<Id> ids;
  for (const auto& t : tasks) ids.push_back(t.id);
  return ids;
}

std::vector<Id> idsOf(const std::vector<RunLogEntry>& entries) {
  std::vector<Id> ids;
  for (const auto& e : entries) ids.push_back(e.id);
  return ids;
}

void expectSameTask(const Task& got, const Task& want) {
  SCOPED_TRACE("task " + std::to_string(want.id));
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.runId, want.runId);
  EXPECT_EQ(got.deviceId, want.deviceId);
  EXPECT_EQ(got.device, want.device);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.category, want.category);
  EXPECT_EQ(got.message, want.message);
  EXPECT_EQ(got.attempts, want.attempts);
  EXPECT_EQ(got.durationMs, want.durationMs);
  EXPECT_EQ(got.data, want.data);
  EXPECT_EQ(got.startedAt, want.startedAt);
  EXPECT_EQ(got.finishedAt, want.finishedAt);
  EXPECT_EQ(got.worker, want.worker);
  EXPECT_EQ(got.leaseUntilMs, want.leaseUntilMs);
  EXPECT_EQ(got.notBeforeMs, want.notBeforeMs);
}

void expectSameRun(const JobRun& got, const JobRun& want) {
  SCOPED_TRACE("run " + std::to_string(want.id));
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.jobId, want.jobId);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.createdAt, want.createdAt);
  EXPECT_EQ(got.queuedAt, want.queuedAt);
  EXPECT_EQ(got.startedAt, want.startedAt);
  EXPECT_EQ(got.finishedAt, want.finishedAt);
  EXPECT_EQ(got.cancelRequested, want.cancelRequested);
  EXPECT_EQ(got.total, want.total);
  EXPECT_EQ(got.tally.ok, want.tally.ok);
  EXPECT_EQ(got.tally.failed, want.tally.failed);
  EXPECT_EQ(got.tally.skipped, want.tally.skipped);
  EXPECT_EQ(got.tally.cancelled, want.tally.cancelled);
  EXPECT_EQ(got.concurrency, want.concurrency);
  EXPECT_EQ(got.deadlineMs, want.deadlineMs);
}

class SqlJobStoreTest : public ::testing::TestWithParam<DatabaseBackend> {
 protected:
  std::unique_ptr<TestDatabase> t = freshDatabase(GetParam());
  SqlJobStore store{t->db()};

  /// Runs `f` in a transaction of `on` and commits it.
  template <class F>
  auto committed(F&& f, SqlJobStore& on) {
    auto txn = on.begin();
    if constexpr (std::is_void_v<decltype(f(*txn))>) {
      f(*txn);
      txn->commit();
    } else {
      auto result = f(*txn);
      txn->commit();
      return result;
    }
  }
  template <class F>
  auto committed(F&& f) {
    return committed(std::forward<F>(f), store);
  }

  /// A job, its run and `n` queued tasks (devices "<prefix>1"…), committed; the run's id.
  Id createRun(int n, unsigned concurrency = 0, std::string prefix = "r",
               std::vector<std::int64_t> notBefore = {}) {
    return committed([&](JobTxn& txn) {
      Job job;
      job.kind = "backup";
      job.requestedBy = "cli:test";
      job.createdAt = "2026-11-27T10:00:00.000Z";
      txn.insertJob(job);
      JobRun run;
      run.jobId = job.id;
      run.kind = job.kind;
      run.state = RunState::Queued;
      run.createdAt = job.createdAt;
      run.queuedAt = job.createdAt;
      run.total = n;
      run.concurrency = concurrency;
      txn.insertRun(run);
      std::vector<Task> tasks;
      for (int i = 0; i < n; ++i) {
        Task task;
        task.runId = run.id;
        task.deviceId = 1000 + i;
        task.device = prefix + std::to_string(i + 1);
        if (static_cast<std::size_t>(i) < notBefore.size()) task.notBeforeMs = notBefore[i];
        tasks.push_back(task);
      }
      txn.insertTasks(tasks);
      return run.id;
    });
  }

  std::vector<Task> claim(const std::string& worker, std::size_t max, app::EpochMs now = 1000,
                          app::EpochMs lease = 61000, SqlJobStore* on = nullptr,
                          bool allowSolo = true) {
    return committed(
        [&](JobTxn& txn) {
          return txn.claim(worker, max, now, lease, "2026-11-27T10:00:01Z", allowSolo);
        },
        on ? *on : store);
  }

  std::vector<Task> tasksOf(Id runId, std::optional<TaskState> state = std::nullopt) {
    return committed([&](JobTxn& txn) {
      app::TaskFilter f;
      f.runId = runId;
      f.state = state;
      return txn.tasks(f);
    });
  }

  /// `task` finished ok by the worker that holds it.
  static Task done(Task task, std::string category = "ok") {
    task.state = TaskState::Done;
    task.category = std::move(category);
    task.message = "fine";
    task.durationMs = 42;
    task.data = R"({"latency_us":"1200"})";
    task.finishedAt = "2026-11-27T10:00:02Z";
    return task;
  }

  std::vector<bool> finish(const std::vector<Task>& tasks, TaskState from = TaskState::Running) {
    return committed([&](JobTxn& txn) { return txn.finishTasks(tasks, from); });
  }
};

// ---- creating and reading

TEST_P(SqlJobStoreTest, JobRunTasksAndLogRoundTrip) {
  Job job;
  job.kind = "config_push";
  job.devices = {"fra1-core1", "odd \"name\" \\ é"};
  job.selector = domain::DeviceSelector::parse("status=active,staged role=core tag=edge");
  job.parameters = {{"template", "ntp.j2"}, {"key \"q\"", "line1\nline2"}, {"empty", ""}};
  job.schedule = "nightly";
  job.requestedBy = "schedule:nightly";
  job.createdAt = "2026-11-27T10:00:00.000Z";

  JobRun run;
  run.kind = job.kind;
  run.state = RunState::Running;
  run.createdAt = "2026-11-27T10:00:00.000Z";
  run.queuedAt = "2026-11-27T10:00:00.100Z";
  run.startedAt = "2026-11-27T10:00:00.200Z";
  run.cancelRequested = true;
  run.total = 3;
  run.tally.ok = 1;
  run.tally.failed = 2;
  run.tally.skipped = 3;
  run.tally.cancelled = 4;
  run.concurrency = 7;
  run.deadlineMs = 1'800'000'000'123;

  std::vector<Task> tasks(3);
  std::vector<RunLogEntry> log(2);
  committed([&](JobTxn& txn) {
    txn.insertJob(job);
    run.jobId = job.id;
    txn.insertRun(run);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      tasks[i].runId = run.id;
      tasks[i].deviceId = 10 + static_cast<Id>(i);
      tasks[i].device = "dev" + std::to_string(i);
    }
    tasks[1].state = TaskState::Skipped;
    tasks[1].category = "policy_skipped";
    tasks[1].message = "skipped: status FAILED allows no push";
    tasks[1].finishedAt = "2026-11-27T10:00:00.000Z";
    tasks[2].notBeforeMs = 5000;
    tasks[2].data = R"({"a":"b"})";
    tasks[2].attempts = 2;
    tasks[2].durationMs = 17;
    tasks[2].worker = "w9";
    tasks[2].leaseUntilMs = 9000;
    tasks[2].startedAt = "s";
    txn.insertTasks(tasks);
    log[0] = {0, run.id, "2026-11-27T10:00:00.000Z", LogLevel::Info, "", "run created"};
    log[1] = {0, run.id, "2026-11-27T10:00:01.000Z", LogLevel::Error, "dev0", "it's \"broken\""};
    txn.appendLog(log);
  });
  EXPECT_GT(job.id, 0);
  EXPECT_GT(run.id, 0);
  std::set<Id> ids;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    EXPECT_GT(tasks[i].id, 0);
    if (i > 0) {
      EXPECT_GT(tasks[i].id, tasks[i - 1].id);
    }
    ids.insert(tasks[i].id);
  }
  EXPECT_EQ(ids.size(), tasks.size());

  auto txn = store.begin();
  auto storedJob = txn->job(job.id);
  ASSERT_TRUE(storedJob);
  EXPECT_EQ(storedJob->id, job.id);
  EXPECT_EQ(storedJob->kind, job.kind);
  EXPECT_EQ(storedJob->devices, job.devices);
  ASSERT_TRUE(storedJob->selector);
  EXPECT_EQ(*storedJob->selector, *job.selector);
  EXPECT_EQ(storedJob->parameters, job.parameters);
  EXPECT_EQ(storedJob->schedule, job.schedule);
  EXPECT_EQ(storedJob->requestedBy, job.requestedBy);
  EXPECT_EQ(storedJob->createdAt, job.createdAt);
  EXPECT_FALSE(txn->job(job.id + 100));

  auto storedRun = txn->run(run.id);
  ASSERT_TRUE(storedRun);
  expectSameRun(*storedRun, run);
  EXPECT_FALSE(txn->run(run.id + 100));

  app::TaskFilter all;
  all.runId = run.id;
  auto stored = txn->tasks(all);
  ASSERT_EQ(stored.size(), tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) expectSameTask(stored[i], tasks[i]);
  EXPECT_EQ(txn->countTasks(run.id, TaskState::Queued), 2);
  EXPECT_EQ(txn->countTasks(run.id, TaskState::Skipped), 1);
  EXPECT_EQ(txn->countTasks(run.id, TaskState::Running), 0);

  app::LogFilter lf;
  lf.runId = run.id;
  auto lines = txn->log(lf);
  ASSERT_EQ(lines.size(), 2u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_GT(lines[i].id, 0);
    EXPECT_EQ(lines[i].runId, log[i].runId);
    EXPECT_EQ(lines[i].time, log[i].time);
    EXPECT_EQ(lines[i].level, log[i].level);
    EXPECT_EQ(lines[i].device, log[i].device);
    EXPECT_EQ(lines[i].message, log[i].message);
  }
  EXPECT_LT(lines[0].id, lines[1].id);
}

TEST_P(SqlJobStoreTest, JobWithoutSelectorOrParameters) {
  Job job;
  job.kind = "reachability";
  job.createdAt = "c";
  committed([&](JobTxn& txn) { txn.insertJob(job); });
  auto stored = committed([&](JobTxn& txn) { return txn.job(job.id); });
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->selector);
  EXPECT_TRUE(stored->devices.empty());
  EXPECT_TRUE(stored->parameters.empty());
}

TEST_P(SqlJobStoreTest, TaskIdsFollowEarlierInsertsAndStayInOrder) {
  Id first = createRun(3);
  Id second = createRun(500, 0, "big");
  auto a = tasksOf(first);
  auto b = tasksOf(second);
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 500u);
  EXPECT_GT(b.front().id, a.back().id);
  for (std::size_t i = 0; i < b.size(); ++i) EXPECT_EQ(b[i].device, "big" + std::to_string(i + 1));
}

TEST_P(SqlJobStoreTest, JobsAndRunsNewestFirstWithFilters) {
  std::vector<Id> jobIds, runIds;
  committed([&](JobTxn& txn) {
    for (int i = 0; i < 4; ++i) {
      Job job;
      job.kind = i % 2 == 0 ? "backup" : "reachability";
      job.createdAt = "c";
      txn.insertJob(job);
      jobIds.push_back(job.id);
      JobRun run;
      run.jobId = job.id;
      run.kind = job.kind;
      run.state = i == 3 ? RunState::Succeeded : RunState::Queued;
      run.createdAt = "c";
      txn.insertRun(run);
      runIds.push_back(run.id);
    }
  });
  auto txn = store.begin();
  auto jobs = txn->jobs(0, 0);
  ASSERT_EQ(jobs.size(), 4u);
  EXPECT_EQ(jobs[0].id, jobIds[3]);
  EXPECT_EQ(jobs[3].id, jobIds[0]);
  auto page = txn->jobs(2, 1);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, jobIds[2]);
  EXPECT_EQ(page[1].id, jobIds[1]);

  auto runIdsOf = [&](const app::RunFilter& f) {
    std::vector<Id> out;
    for (const auto& r : txn->runs(f)) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(runIdsOf({}), (std::vector<Id>{runIds[3], runIds[2], runIds[1], runIds[0]}));
  app::RunFilter byKind;
  byKind.kind = "backup";
  EXPECT_EQ(runIdsOf(byKind), (std::vector<Id>{runIds[2], runIds[0]}));
  app::RunFilter byState;
  byState.state = RunState::Queued;
  EXPECT_EQ(runIdsOf(byState), (std::vector<Id>{runIds[2], runIds[1], runIds[0]}));
  app::RunFilter byJob;
  byJob.jobId = jobIds[1];
  EXPECT_EQ(runIdsOf(byJob), (std::vector<Id>{runIds[1]}));
  app::RunFilter paged;
  paged.limit = 1;
  paged.offset = 1;
  EXPECT_EQ(runIdsOf(paged), (std::vector<Id>{runIds[2]}));
}

TEST_P(SqlJobStoreTest, TaskFilters) {
  Id run = createRun(5);
  auto tasks = tasksOf(run);
  auto claimed = claim("w1", 2);
  ASSERT_EQ(claimed.size(), 2u);
  ASSERT_EQ(finish({done(claimed[0], "timeout")}), std::vector<bool>{true});
  auto txn = store.begin();
  app::TaskFilter f;
  f.runId = run;
  f.state = TaskState::Queued;
  EXPECT_EQ(idsOf(txn->tasks(f)), (std::vector<Id>{tasks[2].id, tasks[3].id, tasks[4].id}));
  f.state.reset();
  f.category = "timeout";
  EXPECT_EQ(idsOf(txn->tasks(f)), (std::vector<Id>{tasks[0].id}));
  f.category.clear();
  f.limit = 2;
  f.offset = 1;
  EXPECT_EQ(idsOf(txn->tasks(f)), (std::vector<Id>{tasks[1].id, tasks[2].id}));
  EXPECT_EQ(idsOf(txn->queuedTasks(run)), (std::vector<Id>{tasks[2].id, tasks[3].id, tasks[4].id}));
  EXPECT_EQ(txn->countTasks(run, TaskState::Done), 1);
  EXPECT_EQ(txn->countTasks(run, TaskState::Running), 1);
}

TEST_P(SqlJobStoreTest, ASoloTaskIsClaimedOnlyAloneAndOnlyWhenAllowed) {
  Id run = createRun(4);
  auto first = claim("w1", 4);
  ASSERT_EQ(first.size(), 4u);
  // The worker died: its second task comes back as a suspect, the others as plain retries.
  std::vector<Task> back;
  for (std::size_t i = 0; i < first.size(); ++i) {
    Task t = first[i];
    t.message = "worker crashed";
    t.solo = i == 1;
    back.push_back(t);
  }
  ASSERT_EQ(committed([&](JobTxn& txn) { return txn.requeueTasks(back, false); }),
            (std::vector<bool>{true, true, true, true}));
  // A busy worker: everything but the suspect.
  auto busy = claim("w2", 10, 1000, 61000, nullptr, false);
  EXPECT_EQ(idsOf(busy), (std::vector<Id>{first[0].id, first[2].id, first[3].id}));
  for (const auto& t : busy) EXPECT_FALSE(t.solo);
  EXPECT_TRUE(claim("w2", 10, 1000, 61000, nullptr, false).empty());
  // An idle worker: the suspect, alone.
  auto alone = claim("w3", 10);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].id, first[1].id);
  EXPECT_TRUE(alone[0].solo);
  EXPECT_EQ(tasksOf(run, TaskState::Queued).size(), 0u);
}

// ---- run state

TEST_P(SqlJobStoreTest, UpdateRunAndOverdueRuns) {
  Id a = createRun(1), b = createRun(1), c = createRun(1);
  committed([&](JobTxn& txn) {
    auto run = *txn.run(a);
    run.state = RunState::Running;
    run.startedAt = "s";
    run.cancelRequested = true;
    run.tally.ok = 3;
    run.tally.cancelled = 1;
    txn.updateRun(run);
    // Deadlines are set at creation only; here straight in the table.
    t->db().execute("UPDATE job_runs SET deadline = 5000 WHERE id IN (" + std::to_string(a) + ", " +
                    std::to_string(b) + ")");
    auto finished = *txn.run(b);
    finished.state = RunState::Failed;
    finished.finishedAt = "f";
    txn.updateRun(finished);
  });
  auto txn = store.begin();
  auto run = *txn->run(a);
  EXPECT_EQ(run.state, RunState::Running);
  EXPECT_EQ(run.startedAt, "s");
  EXPECT_TRUE(run.cancelRequested);
  EXPECT_EQ(run.tally.ok, 3u);
  EXPECT_EQ(run.tally.cancelled, 1u);
  EXPECT_EQ(run.deadlineMs, 5000);

  auto overdue = [&](app::EpochMs now) {
    std::vector<Id> ids;
    for (const auto& r : txn->overdueRuns(now)) ids.push_back(r.id);
    return ids;
  };
  EXPECT_EQ(overdue(5000), std::vector<Id>{});
  EXPECT_EQ(overdue(5001), std::vector<Id>{a});  // b finished, c has no deadline
  (void)c;

  JobRun missing = run;
  missing.id = 999999;
  EXPECT_THROW(txn->updateRun(missing), domain::NotFoundError);
}

// ---- the queue

TEST_P(SqlJobStoreTest, ClaimTakesTheOldestUpToTheBatchSize) {
  Id run = createRun(10);
  auto tasks = tasksOf(run);
  auto first = claim("w1", 4, 1000, 61000);
  ASSERT_EQ(idsOf(first), (std::vector<Id>{tasks[0].id, tasks[1].id, tasks[2].id, tasks[3].id}));
  for (const auto& task : first) {
    EXPECT_EQ(task.state, TaskState::Running);
    EXPECT_EQ(task.worker, "w1");
    EXPECT_EQ(task.attempts, 1);
    EXPECT_EQ(task.leaseUntilMs, 61000);
    EXPECT_EQ(task.startedAt, "2026-11-27T10:00:01Z");
    EXPECT_EQ(task.runId, run);
  }
  // What the claim returned is what is stored.
  auto stored = tasksOf(run, TaskState::Running);
  ASSERT_EQ(stored.size(), 4u);
  for (std::size_t i = 0; i < stored.size(); ++i) expectSameTask(stored[i], first[i]);

  EXPECT_EQ(idsOf(claim("w2", 4)),
            (std::vector<Id>{tasks[4].id, tasks[5].id, tasks[6].id, tasks[7].id}));
  EXPECT_EQ(idsOf(claim("w1", 100)), (std::vector<Id>{tasks[8].id, tasks[9].id}));
  EXPECT_TRUE(claim("w1", 100).empty());
  EXPECT_TRUE(claim("w1", 0).empty());
}

TEST_P(SqlJobStoreTest, ClaimWaitsForNotBefore) {
  Id run = createRun(3, 0, "r", {0, 5000, 0});
  auto tasks = tasksOf(run);
  EXPECT_EQ(idsOf(claim("w1", 10, 4999)), (std::vector<Id>{tasks[0].id, tasks[2].id}));
  EXPECT_TRUE(claim("w1", 10, 4999).empty());
  EXPECT_EQ(idsOf(claim("w1", 10, 5000)), (std::vector<Id>{tasks[1].id}));
}

TEST_P(SqlJobStoreTest, ClaimHonoursEachRunsConcurrencyOverAllWorkers) {
  Id limited = createRun(5, 2, "l");
  Id free = createRun(3, 0, "f");
  auto l = tasksOf(limited);
  auto f = tasksOf(free);
  auto one = claim("w1", 1);
  EXPECT_EQ(idsOf(one), (std::vector<Id>{l[0].id}));
  // w2: one more place in the limited run, then the other run.
  auto two = claim("w2", 10);
  EXPECT_EQ(idsOf(two), (std::vector<Id>{l[1].id, f[0].id, f[1].id, f[2].id}));
  EXPECT_TRUE(claim("w1", 10).empty());
  EXPECT_TRUE(claim("w2", 10).empty());
  // A finished task frees a place, whoever ran it.
  ASSERT_EQ(finish({done(one[0])}), std::vector<bool>{true});
  EXPECT_EQ(idsOf(claim("w2", 10)), (std::vector<Id>{l[2].id}));
  EXPECT_TRUE(claim("w1", 10).empty());
  EXPECT_EQ(committed([&](JobTxn& txn) { return txn.countTasks(limited, TaskState::Running); }), 2);
}

TEST_P(SqlJobStoreTest, ClaimSkipsRunsAskedToBeCancelled) {
  Id cancelled = createRun(3, 0, "c");
  Id other = createRun(2, 0, "o");
  committed([&](JobTxn& txn) {
    auto run = *txn.run(cancelled);
    run.cancelRequested = true;
    txn.updateRun(run);
  });
  auto o = tasksOf(other);
  EXPECT_EQ(idsOf(claim("w1", 10)), (std::vector<Id>{o[0].id, o[1].id}));
  EXPECT_TRUE(claim("w1", 10).empty());
  EXPECT_EQ(tasksOf(cancelled, TaskState::Queued).size(), 3u);
}

TEST_P(SqlJobStoreTest, FinishIsGuardedByWorkerAndAttempts) {
  Id run = createRun(4);
  auto claimed = claim("w1", 3);
  ASSERT_EQ(claimed.size(), 3u);

  Task wrongWorker = done(claimed[0]);
  wrongWorker.worker = "w2";
  Task staleAttempt = done(claimed[1]);
  staleAttempt.attempts = claimed[1].attempts + 1;
  EXPECT_EQ(finish({wrongWorker, staleAttempt}), (std::vector<bool>{false, false}));
  for (const auto& task : tasksOf(run, TaskState::Running)) {
    EXPECT_EQ(task.category, "");
    EXPECT_EQ(task.message, "");
    EXPECT_EQ(task.finishedAt, "");
    EXPECT_EQ(task.durationMs, 0);
  }

  // Per task, in one batch; a task given twice is written once.
  Task good = done(claimed[0]);
  Task failed = done(claimed[2], "timeout");
  failed.message = "no answer";
  EXPECT_EQ(finish({good, staleAttempt, failed, good}),
            (std::vector<bool>{true, false, true, false}));
  auto stored = tasksOf(run);
  expectSameTask(stored[0], good);
  expectSameTask(stored[2], failed);
  EXPECT_EQ(stored[1].state, TaskState::Running);
  // Written once: a second result of the same attempt is refused.
  EXPECT_EQ(finish({good}), std::vector<bool>{false});

  // From queued (a cancelled run's tasks): no worker guard, but the state must match.
  Task queued = stored[3];
  queued.state = TaskState::Cancelled;
  queued.category = "cancelled";
  queued.finishedAt = "f";
  EXPECT_EQ(finish({queued, done(claimed[1])}, TaskState::Queued),
            (std::vector<bool>{true, false}));
  expectSameTask(tasksOf(run)[3], queued);
  EXPECT_EQ(tasksOf(run)[1].state, TaskState::Running);
  EXPECT_TRUE(finish({}).empty());
}

TEST_P(SqlJobStoreTest, RequeuePutsARunningTaskBackWithItsBackoff) {
  Id run = createRun(2);
  auto claimed = claim("w1", 2, 1000, 2000);
  ASSERT_EQ(claimed.size(), 2u);

  Task back = claimed[0];
  back.notBeforeMs = 9000;
  back.message = "worker crashed";
  Task notMine = claimed[1];
  notMine.worker = "w2";
  notMine.notBeforeMs = 9000;
  EXPECT_EQ(committed([&](JobTxn& txn) {
              return txn.requeueTasks({back, notMine}, false);
            }),
            (std::vector<bool>{true, false}));
  auto stored = tasksOf(run);
  EXPECT_EQ(stored[0].state, TaskState::Queued);
  EXPECT_EQ(stored[0].worker, "");
  EXPECT_EQ(stored[0].leaseUntilMs, 0);
  EXPECT_EQ(stored[0].notBeforeMs, 9000);
  EXPECT_EQ(stored[0].message, "worker crashed");
  EXPECT_EQ(stored[0].attempts, 1);
  EXPECT_EQ(stored[1].state, TaskState::Running);
  EXPECT_EQ(stored[1].worker, "w1");
  EXPECT_EQ(stored[1].notBeforeMs, 0);

  EXPECT_TRUE(claim("w2", 10, 8999).empty());
  auto again = claim("w2", 10, 9000);
  ASSERT_EQ(idsOf(again), std::vector<Id>{claimed[0].id});
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(again[0].worker, "w2");
  // The first attempt's worker can neither finish nor requeue the second attempt.
  EXPECT_EQ(finish({done(claimed[0])}), std::vector<bool>{false});
  EXPECT_EQ(committed([&](JobTxn& txn) { return txn.requeueTasks({claimed[0]}, false); }),
            std::vector<bool>{false});
  EXPECT_EQ(finish({done(again[0])}), std::vector<bool>{true});
}

TEST_P(SqlJobStoreTest, RequeueWithARefundGivesTheAttemptBack) {
  Id run = createRun(1);
  auto claimed = claim("w1", 1);
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_EQ(claimed[0].attempts, 1);
  EXPECT_EQ(committed([&](JobTxn& txn) { return txn.requeueTasks({claimed[0]}, true); }),
            std::vector<bool>{true});
  EXPECT_EQ(tasksOf(run)[0].attempts, 0);
  EXPECT_EQ(claim("w2", 1).at(0).attempts, 1);
}

TEST_P(SqlJobStoreTest, LeasesExpiryRunningTasksAndCancelledRuns) {
  Id a = createRun(2, 0, "a");
  Id b = createRun(1, 0, "b");
  auto w1 = claim("w1", 2, 1000, 2000);  // run a
  auto w2 = claim("w2", 1, 1000, 3000);  // run b
  ASSERT_EQ(w1.size(), 2u);
  ASSERT_EQ(w2.size(), 1u);

  auto txn = store.begin();
  EXPECT_EQ(txn->extendLeases("w1", 5000), 2u);
  EXPECT_EQ(txn->extendLeases("nobody", 5000), 0u);
  EXPECT_EQ(idsOf(txn->expiredTasks(4000)), std::vector<Id>{w2[0].id});
  EXPECT_EQ(idsOf(txn->expiredTasks(3000)), std::vector<Id>{});
  EXPECT_EQ(idsOf(txn->expiredTasks(5001)), (std::vector<Id>{w1[0].id, w1[1].id, w2[0].id}));
  for (const auto& task : txn->runningTasks("w1")) EXPECT_EQ(task.leaseUntilMs, 5000);
  EXPECT_EQ(idsOf(txn->runningTasks("w1")), (std::vector<Id>{w1[0].id, w1[1].id}));
  EXPECT_EQ(idsOf(txn->runningTasks("")), (std::vector<Id>{w1[0].id, w1[1].id, w2[0].id}));

  EXPECT_TRUE(txn->cancelledRunsOf("w1").empty());
  auto run = *txn->run(a);
  run.cancelRequested = true;
  txn->updateRun(run);
  EXPECT_EQ(txn->cancelledRunsOf("w1"), std::vector<Id>{a});
  EXPECT_TRUE(txn->cancelledRunsOf("w2").empty());
  // Only running tasks count: once w1's tasks are done, it runs nothing of run a.
  EXPECT_EQ(txn->finishTasks({done(w1[0]), done(w1[1])}, TaskState::Running),
            (std::vector<bool>{true, true}));
  EXPECT_TRUE(txn->cancelledRunsOf("w1").empty());
  EXPECT_EQ(txn->extendLeases("w1", 7000), 0u);
  (void)b;
}

TEST_P(SqlJobStoreTest, UncommittedTransactionRollsBack) {
  Id jobId = 0;
  {
    auto txn = store.begin();
    Job job;
    job.kind = "backup";
    job.createdAt = "c";
    txn->insertJob(job);
    jobId = job.id;
    EXPECT_TRUE(txn->job(jobId));
  }
  EXPECT_FALSE(committed([&](JobTxn& txn) { return txn.job(jobId); }));

  Id run = createRun(2);
  {
    auto txn = store.begin();
    EXPECT_EQ(txn->claim("w1", 10, 1000, 2000, "now", true).size(), 2u);
  }
  EXPECT_EQ(tasksOf(run, TaskState::Queued).size(), 2u);

  auto txn = store.begin();
  EXPECT_THROW(store.begin(), std::logic_error);
  txn->commit();
  EXPECT_THROW(txn->commit(), std::logic_error);
}

TEST_P(SqlJobStoreTest, LogFiltersAndKeysetPaging) {
  Id a = createRun(1), b = createRun(1);
  std::vector<RunLogEntry> entries;
  for (int i = 0; i < 12; ++i) {
    RunLogEntry e;
    e.runId = i % 3 == 2 ? b : a;
    e.time = "t" + std::to_string(i);
    e.level = static_cast<LogLevel>(i % 4);
    e.device = i % 2 == 0 ? "r1" : (i % 5 == 0 ? "" : "r2");
    e.message = "line " + std::to_string(i);
    entries.push_back(e);
  }
  committed([&](JobTxn& txn) { txn.appendLog(entries); });

  auto txn = store.begin();
  auto messagesOf = [](const std::vector<RunLogEntry>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) out.push_back(l.message);
    return out;
  };
  auto expected = [&](auto keep) {
    std::vector<std::string> out;
    for (const auto& e : entries) {
      if (keep(e)) out.push_back(e.message);
    }
    return out;
  };
  app::LogFilter f;
  f.runId = a;
  auto all = txn->log(f);
  EXPECT_EQ(messagesOf(all), expected([&](const RunLogEntry& e) { return e.runId == a; }));
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].id, all[i].id);

  f.minLevel = LogLevel::Warning;
  EXPECT_EQ(messagesOf(txn->log(f)), expected([&](const RunLogEntry& e) {
              return e.runId == a && e.level >= LogLevel::Warning;
            }));
  f.device = "r1";
  EXPECT_EQ(messagesOf(txn->log(f)), expected([&](const RunLogEntry& e) {
              return e.runId == a && e.level >= LogLevel::Warning && e.device == "r1";
            }));

  // Pages of 3 after the last id seen give every line once, in order.
  app::LogFilter page;
  page.runId = a;
  page.limit = 3;
  std::vector<Id> seen;
  for (int guard = 0; guard < 10; ++guard) {
    auto lines = txn->log(page);
    if (lines.empty()) break;
    EXPECT_LE(lines.size(), 3u);
    for (const auto& l : lines) seen.push_back(l.id);
    page.afterId = lines.back().id;
  }
  EXPECT_EQ(seen, idsOf(all));
}

// ---- schedules and runtime status

TEST_P(SqlJobStoreTest, ScheduleStateIsSavedAndReplaced) {
  auto txn = store.begin();
  EXPECT_FALSE(txn->scheduleState("nightly"));
  txn->saveScheduleState({"nightly", 1000, 7});
  txn->saveScheduleState({"hourly", 500, 0});
  auto s = txn->scheduleState("nightly");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "nightly");
  EXPECT_EQ(s->lastSlotMs, 1000);
  EXPECT_EQ(s->lastRunId, 7);
  txn->saveScheduleState({"nightly", 2000, 9});
  txn->commit();
  txn.reset();  // a transaction holds the store until it is gone
  s = committed([](JobTxn& x) { return x.scheduleState("nightly"); });
  ASSERT_TRUE(s);
  EXPECT_EQ(s->lastSlotMs, 2000);
  EXPECT_EQ(s->lastRunId, 9);
  EXPECT_EQ(committed([](JobTxn& x) { return x.scheduleState("hourly"); })->lastSlotMs, 500);
}

TEST_P(SqlJobStoreTest, RuntimeUpsertKeepsLastSeenWhenEmpty) {
  Id deviceId = committed([](JobTxn& txn) {
    app::Device d;
    d.name = "fra1-core1";
    d.address = "192.0.2.1";
    d.platform = "cisco_ios";
    d.status = app::DeviceStatus::Active;
    d.version = 1;
    d.createdAt = d.updatedAt = "c";
    return txn.devices().insert(d);
  });
  ASSERT_GT(deviceId, 0);
  // The same connection sees the inventory.
  EXPECT_EQ(committed([&](JobTxn& txn) { return txn.devices().get(deviceId); })->name,
            "fra1-core1");

  domain::DeviceRuntime reach{deviceId, "reachability", true, 1200, "T1", "", "T1", 5};
  domain::DeviceRuntime backup{deviceId, "backup", false, 0, "", "auth failed", "T1", 6};
  committed([&](JobTxn& txn) { txn.upsertRuntime({reach, backup}); });
  auto rows = committed([&](JobTxn& txn) { return txn.runtime(deviceId); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].check, "backup");  // by check
  EXPECT_FALSE(rows[0].up);
  EXPECT_EQ(rows[0].lastError, "auth failed");
  EXPECT_EQ(rows[0].runId, 6);
  EXPECT_EQ(rows[1].check, "reachability");
  EXPECT_TRUE(rows[1].up);
  EXPECT_EQ(rows[1].latencyUs, 1200);
  EXPECT_EQ(rows[1].lastSeen, "T1");
  EXPECT_EQ(rows[1].updatedAt, "T1");
  EXPECT_EQ(rows[1].runId, 5);

  // Down now: lastSeen stays; a later success in the same batch replaces it.
  domain::DeviceRuntime down{deviceId, "reachability", false, 0, "", "timeout", "T2", 7};
  domain::DeviceRuntime upAgain{deviceId, "backup", true, 10, "T3", "", "T3", 8};
  domain::DeviceRuntime downAgain{deviceId, "backup", false, 0, "", "refused", "T4", 9};
  committed([&](JobTxn& txn) { txn.upsertRuntime({down, upAgain, downAgain}); });
  rows = committed([&](JobTxn& txn) { return txn.runtime(deviceId); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows[1].up);
  EXPECT_EQ(rows[1].lastSeen, "T1");
  EXPECT_EQ(rows[1].lastError, "timeout");
  EXPECT_EQ(rows[1].updatedAt, "T2");
  EXPECT_EQ(rows[1].runId, 7);
  EXPECT_FALSE(rows[0].up);
  EXPECT_EQ(rows[0].lastSeen, "T3");
  EXPECT_EQ(rows[0].lastError, "refused");
  EXPECT_EQ(rows[0].runId, 9);
  EXPECT_TRUE(committed([&](JobTxn& txn) { return txn.runtime(deviceId + 1); }).empty());
}

TEST_P(SqlJobStoreTest, ConfigRevisionsAreaPathsAndHostKeys) {
  // Devices r1 in emea/ams1, r2 in emea, r3 without an area.
  infra::SqlStore inventory(t->db());
  std::vector<Id> ids;
  {
    auto uow = inventory.begin();
    const auto emea = uow->areas().insert({0, "emea", std::nullopt, ""});
    const auto ams1 = uow->areas().insert({0, "ams1", emea, ""});
    for (auto [name, area] : {std::pair<const char*, std::optional<Id>>{"r1", ams1},
                              {"r2", emea},
                              {"r3", std::nullopt}}) {
      app::Device d;
      d.name = name;
      d.address = "127.0.0.1";
      d.platform = "cisco_ios";
      d.areaId = area.value_or(0);
      d.status = app::DeviceStatus::Active;
      d.version = 1;
      d.createdAt = d.updatedAt = "c";
      ids.push_back(uow->devices().insert(d));
    }
    uow->commit();
  }
  const auto paths = committed([&](JobTxn& txn) { return txn.areaPaths(ids); });
  EXPECT_EQ(paths,
            (std::map<Id, std::string>{{ids[0], "emea/ams1"}, {ids[1], "emea"}, {ids[2], ""}}));

  auto revision = [&](Id device, std::string commit, std::string sha, Id run) {
    app::ConfigRevision r;
    r.deviceId = device;
    r.path = "emea/ams1/r1.cfg";
    r.commit = std::move(commit);
    r.storedAt = "2026-11-27T10:00:00.000Z";
    r.bytes = 1234;
    r.sha256 = std::move(sha);
    r.runId = run;
    return r;
  };
  std::vector<app::ConfigRevision> rows = {revision(ids[0], "aaaa1111", "s1", 1),
                                           revision(ids[0], "bbbb2222", "s2", 2),
                                           revision(ids[1], "aaaa3333", "s3", 2)};
  committed([&](JobTxn& txn) { txn.insertConfigs(rows); });
  EXPECT_GT(rows[0].id, 0);
  EXPECT_GT(rows[1].id, rows[0].id);

  const auto latest = committed([&](JobTxn& txn) { return txn.latestConfigs(ids); });
  ASSERT_EQ(latest.size(), 2u);  // r3 has none
  EXPECT_EQ(latest.at(ids[0]).commit, "bbbb2222");
  EXPECT_EQ(latest.at(ids[0]).sha256, "s2");
  EXPECT_EQ(latest.at(ids[0]).bytes, 1234);
  EXPECT_EQ(latest.at(ids[1]).commit, "aaaa3333");

  auto history = committed([&](JobTxn& txn) { return txn.configs(ids[0], 0, 0); });
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].commit, "bbbb2222");  // newest first
  EXPECT_EQ(history[1].runId, 1);
  EXPECT_EQ(committed([&](JobTxn& txn) { return txn.configs(ids[0], 1, 1); })[0].commit,
            "aaaa1111");
  auto byPrefix = committed([&](JobTxn& txn) { return txn.configs(ids[0], 0, 0, "aaaa"); });
  ASSERT_EQ(byPrefix.size(), 1u);  // r2's aaaa3333 is not r1's
  EXPECT_EQ(byPrefix[0].commit, "aaaa1111");

  // Host keys: the first pin stays; forgetting makes room for a new one.
  committed([&](JobTxn& txn) {
    txn.pinHostKeys({{ids[0], "ssh-ed25519 AAAA1", "T1", 1}, {ids[1], "ssh-rsa AAAA2", "T1", 1}});
  });
  committed([&](JobTxn& txn) { txn.pinHostKeys({{ids[0], "ssh-ed25519 CHANGED", "T2", 2}}); });
  auto keys = committed([&](JobTxn& txn) { return txn.hostKeys(ids); });
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys.at(ids[0]).key, "ssh-ed25519 AAAA1");
  EXPECT_EQ(keys.at(ids[0]).firstSeen, "T1");
  EXPECT_EQ(keys.at(ids[1]).key, "ssh-rsa AAAA2");
  EXPECT_TRUE(committed([&](JobTxn& txn) { return txn.forgetHostKey(ids[0]); }));
  EXPECT_FALSE(committed([&](JobTxn& txn) { return txn.forgetHostKey(ids[0]); }));
  committed([&](JobTxn& txn) { txn.pinHostKeys({{ids[0], "ssh-ed25519 CHANGED", "T2", 2}}); });
  EXPECT_EQ(committed([&](JobTxn& txn) { return txn.hostKeys({ids[0]}); }).at(ids[0]).key,
            "ssh-ed25519 CHANGED");
}

TEST_P(SqlJobStoreTest, RunProblemRoundTrips) {
  const Id runId = createRun(1);
  auto run = *committed([&](JobTxn& txn) { return txn.run(runId); });
  EXPECT_EQ(run.problem, "");
  run.problem = "pushing the configuration repository failed: refused";
  committed([&](JobTxn& txn) { txn.updateRun(run); });
  EXPECT_EQ(committed([&](JobTxn& txn) { return txn.run(runId); })->problem, run.problem);
}

// ---- several connections

TEST_P(SqlJobStoreTest, TwoConnectionsClaimingInTurnNeverShareATask) {
  Id run = createRun(50);
  SqlJobStore other(t->url());
  std::set<Id> seen;
  std::size_t claimed = 0;
  for (int turn = 0; turn < 40; ++turn) {
    auto batch = turn % 2 == 0 ? claim("w1", 3) : claim("w2", 4, 1000, 61000, &other);
    for (const auto& task : batch) {
      EXPECT_TRUE(seen.insert(task.id).second) << "task " << task.id << " handed out twice";
      EXPECT_EQ(task.worker, turn % 2 == 0 ? "w1" : "w2");
    }
    claimed += batch.size();
  }
  EXPECT_EQ(claimed, 50u);
  EXPECT_EQ(tasksOf(run, TaskState::Running).size(), 50u);
  EXPECT_EQ(committed([](JobTxn& txn) { return txn.runningTasks("w2"); }, other).size(),
            seen.size() - committed([](JobTxn& txn) { return txn.runningTasks("w1"); }).size());
}

TEST_P(SqlJobStoreTest, ConcurrentClaimsNeverShareATaskNorOverfillARun) {
  // Two processes (connections) claim at most 2 tasks at a time and finish them at once, so the
  // places of the limited run keep being freed and taken again by either.
  constexpr unsigned kLimit = 3;
  Id limited = createRun(120, kLimit, "l");
  Id free = createRun(120, 0, "f");
  struct Worker {
    std::vector<Id> claimed;
    std::int64_t mostRunning = 0;  // of the limited run, as each transaction saw it
    std::size_t notWritten = 0;
    std::string error;
  };
  std::vector<Worker> workers(2);
  auto work = [&](int w) {
    Worker& me = workers[w];
    try {
      SqlJobStore own(t->url());
      const std::string name = "w" + std::to_string(w);
      // Ends after 3 empty claims in a row: with batches below the limit, a claim finds nothing
      // only when nothing is left to claim.
      for (int empty = 0, round = 0; empty < 3 && round < 2000; ++round) {
        auto txn = own.begin();
        auto batch = txn->claim(name, 2, 1000, 61000, "now", true);
        me.mostRunning = std::max(me.mostRunning, txn->countTasks(limited, TaskState::Running));
        txn->commit();
        txn.reset();
        empty = batch.empty() ? empty + 1 : 0;
        for (auto& task : batch) {
          me.claimed.push_back(task.id);
          task = done(task);
        }
        txn = own.begin();
        me.mostRunning = std::max(me.mostRunning, txn->countTasks(limited, TaskState::Running));
        for (bool written : txn->finishTasks(batch, TaskState::Running)) me.notWritten += !written;
        txn->commit();
      }
    } catch (const std::exception& e) {
      me.error = e.what();
    }
  };
  std::thread one(work, 0), two(work, 1);
  one.join();
  two.join();
  std::set<Id> seen;
  for (const auto& me : workers) {
    EXPECT_EQ(me.error, "");
    EXPECT_LE(me.mostRunning, std::int64_t{kLimit});
    EXPECT_EQ(me.notWritten, 0u);
    for (Id id : me.claimed) EXPECT_TRUE(seen.insert(id).second) << "task " << id << " twice";
  }
  EXPECT_EQ(seen.size(), 240u);
  EXPECT_EQ(tasksOf(limited, TaskState::Done).size(), 120u);
  EXPECT_EQ(tasksOf(free, TaskState::Done).size(), 120u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlJobStoreTest,
                         ::testing::Values(DatabaseBackend::SQLite, DatabaseBackend::PostgreSQL),
                         [](const auto& info) {
                           return info.param == DatabaseBackend::SQLite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace netspine::test
