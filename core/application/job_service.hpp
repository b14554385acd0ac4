#pragma once
// The job pipeline's application layer: JobService accepts jobs, JobResultService is the only
// writer of their results, JobDispatcher hands tasks to workers.
//
//   schedule / CLI / API -> JobService (validate, resolve, policy gate, one transaction)
//     -> JobDispatcher (claim with lease, heartbeat, reclaim) -> Worker (re-check, run engine)
//     -> JobResultService (task results, retries, run state, run log, runtime status)

#include <netspine/plugin/engine.hpp>
#include <netspine/plugin/platform.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/job_store.hpp"
#include "application/store.hpp"
#include "domain/automation_policy.hpp"
#include "domain/job.hpp"

namespace netspine::app {

using TimePoint = std::chrono::system_clock::time_point;
/// The pipeline's clock; tests pass a fake one.
using TimeSource = std::function<TimePoint()>;
TimePoint systemNow();
EpochMs toEpochMs(TimePoint t);
/// "2026-11-27T14:05:09.123Z"
std::string isoTime(TimePoint t);
/// A latency for people: "412 µs", "9.7 ms".
std::string latencyText(std::int64_t us);

/// The config file's `jobs:` settings that the services and workers share.
struct JobSettings {
  int maxAttempts = 3;                                 // per task, the first one included
  std::chrono::milliseconds retryBackoff{5'000};       // before attempt 2; doubled for each next
  std::chrono::milliseconds taskTimeout{300'000};      // hard limit of one device's task
  std::chrono::milliseconds runTimeLimit{21'600'000};  // a run's default time limit (6 h)
  std::chrono::milliseconds lease{30'000};             // a claim's lease, renewed by heartbeats
  std::chrono::milliseconds cancelGrace{2'000};        // an engine's time to stop when told to
  unsigned runConcurrency = 0;                         // a run's default device limit; 0: none
  unsigned changeConcurrency = 4;  // the default for runs that change devices (push, provision…)
};

/// The backoff before attempt `attempts + 1`: retryBackoff * 2^(attempts - 1), at most 5 min.
std::chrono::milliseconds retryDelay(const JobSettings& settings, int attempts);

/// The engines a process has loaded, as the pipeline uses them (infra adapts the plugin host).
class EngineCatalog {
 public:
  virtual ~EngineCatalog() = default;
  /// The operations of every loaded engine, sorted.
  virtual std::vector<std::string> operations() const = 0;
  virtual std::shared_ptr<plugin::Engine> engineFor(const std::string& operation) const = 0;
  /// How many devices the engine of `operation` takes in one request: the worker hands it up to
  /// that many tasks of one run at once (one ICMP sweep for all of them). 1: one per request.
  virtual unsigned maxBatch(const std::string& /*operation*/) const { return 1; }
  virtual std::shared_ptr<const plugin::Platform> platform(const std::string& id) const = 0;
  /// The problem with these parameters, or nothing. Never throws.
  virtual std::optional<std::string> validate(const std::string& operation,
                                              const plugin::Parameters& parameters) const = 0;
  /// Runs the engine; every device of the request is reported exactly once. Never throws.
  virtual void run(plugin::Engine& engine, const plugin::EngineRequest& request,
                   plugin::RunContext& context) const = 0;
};

/// What someone asks to run.
struct JobRequest {
  std::string kind;
  std::vector<std::string> devices;  // explicit names, or
  std::optional<domain::DeviceSelector> selector;
  std::map<std::string, std::string> parameters;
  std::string schedule;
  std::string requestedBy;
  unsigned concurrency = 0;                            // 0: the settings' default
  std::optional<std::chrono::milliseconds> timeLimit;  // none: the settings' default
  unsigned canary = 0;         // run this many devices first, the rest only if all of them ok
  bool stopOnFailure = false;  // run no further device once one failed
};

struct AcceptedJob {
  domain::Job job;
  domain::JobRun run;
  std::int64_t queued = 0;
  std::int64_t skipped = 0;
};

/// A run, its job, and its tasks by state: what `run show` prints.
struct RunDetails {
  domain::Job job;
  domain::JobRun run;
  std::int64_t queued = 0;
  std::int64_t running = 0;
};

class JobResultService;
class DiscoveryService;

/// Accepts jobs: checks the kind, its parameters and the target, applies the automation policy
/// (explicit devices: all or nothing; selector: forbidden devices are skipped tasks), and writes
/// job, run and tasks in one transaction.
class JobService {
 public:
  JobService(Store& inventory, JobStore& jobs, const EngineCatalog& engines,
             domain::AutomationPolicy policy, domain::OperationClasses classes,
             JobSettings settings, TimeSource clock = systemNow);

  /// Throws ValidationError (kind, param, select, device), NotFoundError (unknown devices,
  /// areas) or ConflictError (explicit devices whose status forbids the kind, one line each).
  AcceptedJob submit(const JobRequest& request);
  /// The policy class of `kind`; ValidationError when it is not known.
  domain::Operation operationOf(const std::string& kind) const;

  RunDetails run(Id runId);
  std::vector<domain::JobRun> runs(const RunFilter& filter);
  std::vector<domain::Job> jobs(std::int64_t limit, std::int64_t offset);
  /// NotFoundError for an unknown job.
  domain::Job job(Id jobId);
  std::int64_t countJobs();
  std::int64_t countRuns(const RunFilter& filter);
  /// NotFoundError for an unknown run.
  std::int64_t countTasks(const TaskFilter& filter);
  std::vector<domain::Task> tasks(const TaskFilter& filter);
  std::vector<domain::RunLogEntry> log(const LogFilter& filter);

 private:
  Store& inventory_;
  JobStore& jobs_;
  const EngineCatalog& engines_;
  domain::AutomationPolicy policy_;
  domain::OperationClasses classes_;
  JobSettings settings_;
  TimeSource clock_;
};

/// What a worker reports for one claimed task.
struct TaskReport {
  domain::Task task;  // as claimed: id, runId, deviceId, device, worker, attempts
  std::string category = "ok";
  std::string message;
  std::int64_t durationMs = 0;
  std::map<std::string, std::string> data;
  std::string artifact;  // the engine's payload (a configuration): archived, never in the database
  std::vector<domain::RunLogEntry> log;  // the engine's lines for this device
  bool skipped = false;                  // not run: the policy or the inventory said no
  bool lost = false;  // the worker died: retried whatever the category, while attempts are left
  bool released =
      false;  // the worker stopped before running it: back to the queue, attempt refunded
};

struct CancelOutcome {
  domain::JobRun run;
  std::int64_t cancelledQueued = 0;
  std::int64_t stillRunning = 0;
};

/// The only writer of task results, run state, run log and device runtime status.
class JobResultService {
 public:
  JobResultService(JobStore& jobs, JobSettings settings, TimeSource clock = systemNow);

  /// Where configurations that tasks return go (the Git repository). Without one, artifacts
  /// are dropped. A task's configuration is archived, in one commit with the others of its
  /// batch, only when it ended ok and its text differs from the device's newest revision; then
  /// its revision row is written with the task's result. A failed archive write fails the task
  /// (plugin_error) and leaves the previous revision current; a failed push leaves the runs of
  /// the batch with a problem, so they end PARTIAL at best.
  void setArchive(ConfigArchive* archive, BackupSettings settings);
  /// Where the facts of discovery tasks go (the inventory, through DeviceService). Without one,
  /// facts stay in the tasks' results only.
  void setDiscovery(DiscoveryService* discovery) { discovery_ = discovery; }
  /// The job kinds' classes (the config file may change them): a run that changes devices is
  /// never retried automatically, and its provision results move devices to ACTIVE.
  void setOperationClasses(domain::OperationClasses classes) { classes_ = std::move(classes); }

  /// Stores `config` as the task's device's newest configuration revision now (one commit whose
  /// message names `why` and the run: "before push run 12: …"), before an engine changes the
  /// device. Nothing is stored when the text equals the newest revision (its commit is
  /// returned). ok is false, with the problem, when it could not be stored; without an archive,
  /// ok with an empty revision.
  plugin::KeptConfig keep(const domain::Task& task, const std::string& config,
                          const std::string& why);

  /// Records a batch of reports in one transaction: each task is retried (transient category,
  /// attempts left, run neither cancelled nor out of time) or finished; runs whose tasks are
  /// all finished get their final state. Reports of tasks no longer held (lease reclaimed) are
  /// dropped. Returns how many reports were applied.
  std::size_t record(const std::vector<TaskReport>& reports);
  /// Tasks whose worker died or whose lease expired: retried while attempts are left, else
  /// failed (plugin_error) with `reason` as the message ("worker crashed: …").
  std::size_t recordLost(const std::vector<domain::Task>& tasks, const std::string& reason);
  /// Cancels a run: queued tasks at once, running ones by their workers (heartbeat).
  /// NotFoundError for an unknown run, ConflictError for a finished one.
  CancelOutcome cancel(Id runId, const std::string& who);
  /// Runs past their time limit: queued tasks fail as timeouts at once. Returns tasks failed.
  std::size_t expireOverdue();

  /// QUEUED -> RUNNING for the runs in `runs` that are queued, inside the claim's transaction.
  void startRuns(JobTxn& txn, std::map<Id, domain::JobRun>& runs);

  const JobSettings& settings() const { return settings_; }
  TimePoint now() const { return clock_(); }

 private:
  struct Archived;
  /// Archives the configurations of `reports` (one commit) before their transaction.
  Archived archive(const std::vector<TaskReport>& reports, const std::string& why = "");
  /// A run that changes devices: stop-on-failure and the canary, after its tasks in `finished`
  /// were written.
  void steerChangeRun(JobTxn& txn, domain::JobRun& run, const std::vector<domain::Task>& finished,
                      const std::string& nowText, EpochMs nowMs,
                      std::vector<domain::RunLogEntry>& log);
  std::size_t apply(JobTxn& txn, const std::vector<TaskReport>& reports, TimePoint now,
                    const Archived* archived = nullptr);
  void finishRunIfDone(domain::JobRun& run, const std::string& nowText,
                       std::vector<domain::RunLogEntry>& log);

  JobStore& jobs_;
  JobSettings settings_;
  TimeSource clock_;
  ConfigArchive* archive_ = nullptr;
  BackupSettings backup_;
  DiscoveryService* discovery_ = nullptr;
  domain::OperationClasses classes_ = domain::OperationClasses::defaults();
};

/// A run as a worker needs it while it runs the run's tasks.
struct ClaimedRun {
  domain::JobRun run;
  std::map<std::string, std::string> parameters;
};

/// A claim: the tasks, their runs, and each task's device as the inventory has it now.
struct Claim {
  std::vector<domain::Task> tasks;
  std::map<Id, ClaimedRun> runs;
  std::map<Id, domain::Device> devices;  // by device id; absent: the device was deleted
  std::map<Id, std::string> hostKeys;    // pinned SSH host keys, by device id
  std::map<Id, std::string> areaPaths;   // by device id, only when a run renders a template
};

/// The queue as workers use it: claim with a lease, heartbeat, reclaim.
class JobDispatcher {
 public:
  JobDispatcher(JobStore& jobs, JobResultService& results);

  /// Up to `max` tasks; with `allowSolo` (the worker runs nothing) possibly one solo task alone.
  Claim claim(const std::string& worker, std::size_t max, bool allowSolo = true);
  /// The device as the inventory has it now (the gate right before a change's first command).
  std::optional<domain::Device> device(Id deviceId);
  /// Renews the leases of `worker`'s tasks; returns the runs it runs that are being cancelled.
  std::vector<Id> heartbeat(const std::string& worker);
  /// Tasks whose lease expired (their worker vanished): recorded as lost.
  std::size_t reclaimExpired();
  /// Everything `worker` was running: its process is gone. `reason` is the tasks' message
  /// ("worker crashed: host:42 was killed by signal 9").
  std::size_t releaseWorker(const std::string& worker, const std::string& reason);

 private:
  JobStore& jobs_;
  JobResultService& results_;
};

}  // namespace netspine::app
