#pragma once
// Storage of the job pipeline (WIP for issue 5): jobs, runs, tasks, run log, schedule state.
//
// Design notes for the implementation:
// - JobService writes a job, its run and all its tasks in one UnitOfWork (insertMany, as the
//   importer does for devices), skipped tasks included, so a run is never half-created.
// - TaskQueue is backend-neutral: a claim takes up to N queued tasks whose not_before has
//   passed, marks them running with a lease (worker, lease_until) and bumps attempts, in one
//   statement/transaction. SQLite: UPDATE ... WHERE id IN (SELECT ... LIMIT N) RETURNING;
//   PostgreSQL (later): the same with FOR UPDATE SKIP LOCKED. Workers claim in batches and
//   JobResultService records results in batches: that is what makes 20,000 tasks/s possible.
// - A lease that expires (or a worker the supervisor saw die) puts its running tasks back to
//   queued with a backoff, or finishes them as "worker crashed" after the retry limit.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/job.hpp"

namespace netspine::app {

using domain::Id;

/// Milliseconds since the epoch: the queue's clock (leases, backoff).
using EpochMs = std::int64_t;

/// A task handed to a worker by a claim.
struct ClaimedTask {
  domain::Task task;
  std::string kind;  // the run's operation
  std::string parametersJson;
  EpochMs leaseUntil = 0;
};

/// The queue of tasks, shared by every worker process.
class TaskQueue {
 public:
  virtual ~TaskQueue() = default;
  /// Up to `max` queued tasks, oldest first, now leased to `worker` until now + lease.
  virtual std::vector<ClaimedTask> claim(const std::string& worker, std::size_t max, EpochMs now,
                                         std::chrono::milliseconds lease) = 0;
  /// Extends the lease of every task `worker` runs; returns the ids of runs being cancelled.
  virtual std::vector<Id> heartbeat(const std::string& worker, EpochMs leaseUntil) = 0;
  /// Running tasks whose lease expired before `now`: requeued (attempts left) or failed.
  virtual std::size_t reclaimExpired(EpochMs now, int maxAttempts) = 0;
  /// Everything `worker` was running, at once (the supervisor saw the process exit).
  virtual std::size_t releaseWorker(const std::string& worker, EpochMs now, int maxAttempts) = 0;
};

}  // namespace netspine::app
