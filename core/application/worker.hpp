#pragma once
// A worker: claims tasks, re-checks each device's status, runs the engines on a pool of threads
// with a hard per-task timeout, and hands the results to JobResultService in batches.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "application/job_service.hpp"
#include "domain/automation_policy.hpp"

namespace netspine::app {

struct WorkerOptions {
  std::string id;             // unique among live workers: "host:pid"
  unsigned concurrency = 16;  // devices at once in this worker (threads)
  /// Extra tasks claimed ahead while tasks finish in under a few milliseconds (no-op and local
  /// engines); slow tasks are claimed only for free threads, so a claim never holds work that
  /// waits behind a slow device.
  std::size_t prefetch = 1024;
  std::chrono::milliseconds heartbeat{1'000};  // lease renewal and cancellation check
  std::chrono::milliseconds idlePoll{200};     // queue poll when there is nothing to do
  unsigned maxAbandoned = 8;  // threads stuck in an engine past its grace; then the worker exits
  bool untilIdle = false;     // return once the queue is empty and nothing runs (`--drain`)
  /// How long a result with a configuration waits for others to share its Git commit (also
  /// flushed at 256 results, or when nothing else runs in this worker).
  std::chrono::milliseconds archiveWindow{2'000};
  /// Where the worker says what went wrong (a database error it rides out); none: silent.
  std::function<void(const std::string&)> log;
};

/// Counters of one worker's life, for its log line at exit and the tests.
struct WorkerStats {
  std::atomic<std::uint64_t> claimed{0};
  std::atomic<std::uint64_t> executed{0};
  std::atomic<std::uint64_t> skipped{0};
  std::atomic<std::uint64_t> recorded{0};
  std::atomic<std::uint64_t> abandoned{0};
};

/// Completes a device's target with what the inventory does not hold: credentials from the
/// secrets file, SSH options and timeouts from the config. Called after the worker filled in the
/// inventory's facts, the task timeout and the pinned host key (attribute "ssh.host_key").
/// May throw domain::Error: the task then fails with that message, before anything is sent.
using TargetPreparer =
    std::function<void(const domain::Device& device, plugin::DeviceTarget& target)>;

class Worker {
 public:
  Worker(JobDispatcher& dispatcher, JobResultService& results, const EngineCatalog& engines,
         domain::AutomationPolicy policy, domain::OperationClasses classes, WorkerOptions options,
         TargetPreparer prepare = {});
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Runs until `stop` is set or, with untilIdle, until the queue is empty. On stop, nothing new
  /// starts; running engines are told to stop and get the cancel grace; tasks claimed but not
  /// started go back to the queue with their attempt refunded. Returns false when the
  /// worker gave up because too many engine threads were stuck: the process should exit (a
  /// stuck thread cannot be stopped) and be restarted.
  bool run(const std::atomic<bool>& stop);

  const WorkerStats& stats() const { return stats_; }
  /// Whether an engine thread is still stuck: the process must leave with _exit.
  bool hasStuckThreads() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;  // shared with the engine threads, which may outlive the worker
  WorkerStats& stats_;
};

}  // namespace netspine::app
