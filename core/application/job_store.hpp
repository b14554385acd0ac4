#pragma once
// Storage of the job pipeline: jobs, runs, tasks (the queue), run log, schedule state and device
// runtime status. The store only stores: what a run's state becomes, whether a task is retried,
// and which device may be touched are decided by JobService, JobResultService and the worker.
//
// - JobService writes a job, its run and all its tasks in one JobTxn, skipped tasks included,
//   so a run is never half-created.
// - The queue is backend-neutral: a claim takes up to N queued tasks whose not_before has passed,
//   oldest first, honouring each run's concurrency limit over all workers, marks them running
//   with a lease (worker, lease_until) and bumps attempts, in one transaction (SQLite: BEGIN
//   IMMEDIATE; PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED). Workers claim in batches and
//   results are written in batches: that is what makes 20,000 tasks/s possible.
// - Every write of a running task is guarded by (worker, attempts): a worker whose lease was
//   reclaimed cannot overwrite the result of the task's next attempt.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/config_archive.hpp"
#include "application/store.hpp"
#include "domain/job.hpp"

namespace netspine::app {

/// Milliseconds since the epoch: the queue's clock (leases, backoff, deadlines).
using EpochMs = std::int64_t;

struct RunFilter {
  std::optional<domain::RunState> state;
  Id jobId = 0;            // 0: any
  std::string kind;        // empty: any
  std::int64_t limit = 0;  // 0: no limit
  std::int64_t offset = 0;
};

struct TaskFilter {
  Id runId = 0;
  std::optional<domain::TaskState> state;
  std::string category;  // empty: any
  std::int64_t limit = 0;
  std::int64_t offset = 0;
};

struct LogFilter {
  Id runId = 0;
  domain::LogLevel minLevel = domain::LogLevel::Debug;
  std::string device;  // empty: every line
  Id afterId = 0;      // keyset paging: lines with a larger id
  std::int64_t limit = 0;
};

/// One transaction on the job tables. Destroyed without commit(), it rolls back.
class JobTxn {
 public:
  virtual ~JobTxn() = default;

  // --- creating (JobService)
  /// Sets job.id.
  virtual void insertJob(domain::Job& job) = 0;
  /// Sets run.id; stores state, times, total, tally, concurrency, deadline.
  virtual void insertRun(domain::JobRun& run) = 0;
  /// Inserts all in one batch and sets each id.
  virtual void insertTasks(std::vector<domain::Task>& tasks) = 0;
  virtual void appendLog(const std::vector<domain::RunLogEntry>& entries) = 0;

  // --- reading
  virtual std::optional<domain::Job> job(Id id) = 0;
  virtual std::vector<domain::Job> jobs(std::int64_t limit,
                                        std::int64_t offset) = 0;  // newest first
  virtual std::optional<domain::JobRun> run(Id id) = 0;
  virtual std::vector<domain::JobRun> runs(const RunFilter& filter) = 0;  // newest first
  virtual std::vector<domain::Task> tasks(const TaskFilter& filter) = 0;  // by id
  virtual std::int64_t countTasks(Id runId, domain::TaskState state) = 0;
  virtual std::int64_t countTasks(const TaskFilter& filter) = 0;  // limit and offset ignored
  virtual std::int64_t countRuns(const RunFilter& filter) = 0;    // limit and offset ignored
  virtual std::int64_t countJobs() = 0;
  virtual std::vector<domain::RunLogEntry> log(const LogFilter& filter) = 0;  // by id
  /// The inventory's devices on the same connection (the worker re-checks status in its claim).
  virtual DeviceRepository& devices() = 0;

  // --- run state (JobResultService)
  /// Writes state, the four times, cancelRequested and the tally of `run.id`.
  virtual void updateRun(const domain::JobRun& run) = 0;
  /// Runs not finished whose deadline (when set) is before `now`.
  virtual std::vector<domain::JobRun> overdueRuns(EpochMs now) = 0;

  // --- the queue
  /// Up to `max` queued tasks with not_before <= now, oldest first, skipping runs that asked to
  /// be cancelled and runs at their concurrency limit (running tasks of any worker count); each
  /// becomes running under `worker` until `leaseUntil`, attempts + 1, started_at = `nowText`.
  /// Returns them as they are now. A solo task (its last worker died under it) is claimed only
  /// with `allowSolo`, and then alone: the claim is that one task.
  virtual std::vector<domain::Task> claim(const std::string& worker, std::size_t max, EpochMs now,
                                          EpochMs leaseUntil, const std::string& nowText,
                                          bool allowSolo) = 0;
  /// Moves the lease of every task `worker` is running; returns how many.
  virtual std::size_t extendLeases(const std::string& worker, EpochMs leaseUntil) = 0;
  /// The runs asked to be cancelled that have tasks running under `worker`.
  virtual std::vector<Id> cancelledRunsOf(const std::string& worker) = 0;
  /// Running tasks of `worker`, or of every worker when empty.
  virtual std::vector<domain::Task> runningTasks(const std::string& worker) = 0;
  /// Running tasks whose lease ended before `now`.
  virtual std::vector<domain::Task> expiredTasks(EpochMs now) = 0;
  /// Queued tasks of one run.
  virtual std::vector<domain::Task> queuedTasks(Id runId) = 0;
  /// The queued tasks of `runId` held back behind its canary (not_before domain::kHeldBack)
  /// become claimable at `now`; returns how many.
  virtual std::size_t releaseHeld(Id runId, EpochMs now) = 0;
  /// Writes each task's result (state, category, message, duration, data, finished_at) where the
  /// task is still in `from`; for `from` running also only under the same worker and attempts.
  /// Returns, per task, whether it was written.
  virtual std::vector<bool> finishTasks(const std::vector<domain::Task>& tasks,
                                        domain::TaskState from) = 0;
  /// Puts running tasks back in the queue (worker cleared, not_before, message and solo as given),
  /// with the same guard as finishTasks. Returns, per task, whether it was requeued.
  /// With `refundAttempt`, attempts goes back down by one (a worker that stopped before it
  /// ran the task: the attempt did not happen).
  virtual std::vector<bool> requeueTasks(const std::vector<domain::Task>& tasks,
                                         bool refundAttempt) = 0;

  // --- schedules and runtime status
  virtual std::optional<domain::ScheduleState> scheduleState(const std::string& name) = 0;
  virtual void saveScheduleState(const domain::ScheduleState& state) = 0;
  /// Inserts or replaces the row of (deviceId, check); an empty lastSeen keeps the stored one.
  virtual void upsertRuntime(const std::vector<domain::DeviceRuntime>& rows) = 0;
  virtual std::vector<domain::DeviceRuntime> runtime(Id deviceId) = 0;  // by check
  /// Every runtime row of these devices (all checks), in no particular order.
  virtual std::vector<domain::DeviceRuntime> runtimeOf(const std::vector<Id>& deviceIds) = 0;

  // --- configuration backups and SSH host keys
  /// Each device's newest configuration revision, by device id; devices without one are absent.
  virtual std::map<Id, ConfigRevision> latestConfigs(const std::vector<Id>& deviceIds) = 0;
  /// Inserts the rows and sets each id.
  virtual void insertConfigs(std::vector<ConfigRevision>& rows) = 0;
  /// One device's revisions, newest first; with `commitPrefix`, those whose commit starts so.
  virtual std::vector<ConfigRevision> configs(Id deviceId, std::int64_t limit, std::int64_t offset,
                                              const std::string& commitPrefix = {}) = 0;
  /// Each device's area path ("emea/ams1"; "" for a device without an area), by device id.
  virtual std::map<Id, std::string> areaPaths(const std::vector<Id>& deviceIds) = 0;
  /// The pinned host keys of these devices, by device id.
  virtual std::map<Id, HostKey> hostKeys(const std::vector<Id>& deviceIds) = 0;
  /// Pins each key whose device has none yet; a device that has one keeps it.
  virtual void pinHostKeys(const std::vector<HostKey>& keys) = 0;
  /// Forgets a device's pinned key (the next contact pins anew); false when none was pinned.
  virtual bool forgetHostKey(Id deviceId) = 0;

  virtual void commit() = 0;
};

/// Where the job tables live. One connection: transactions run one at a time per store; each
/// process (CLI, worker, server) has its own, and the database serializes them.
class JobStore {
 public:
  virtual ~JobStore() = default;
  virtual std::unique_ptr<JobTxn> begin() = 0;
  /// A transaction that only reads (no SQLite write lock). Not for writes.
  virtual std::unique_ptr<JobTxn> read() { return begin(); }
};

}  // namespace netspine::app
