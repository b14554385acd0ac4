#include "application/worker.hpp"

#include <fmt/format.h>

#include "application/change_source.hpp"

#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

namespace netspine::app {

using Steady = std::chrono::steady_clock;
using domain::LogLevel;

namespace {

constexpr std::size_t kMaxLogLinesPerTask = 1000;
/// At most this many tasks in one claim (one transaction), however large the engines' batches.
constexpr std::size_t kMaxClaim = 20'000;

domain::LogLevel levelOf(plugin::LogLevel level) {
  switch (level) {
    case plugin::LogLevel::Debug:
      return LogLevel::Debug;
    case plugin::LogLevel::Info:
      return LogLevel::Info;
    case plugin::LogLevel::Warning:
      return LogLevel::Warning;
    case plugin::LogLevel::Error:
      return LogLevel::Error;
  }
  return LogLevel::Info;
}

/// One engine request in this worker, from claim to results: one task, or a batch of tasks of
/// one run for an engine that takes many devices at once. Shared by the main loop and the engine
/// thread.
struct Item : plugin::RunContext {
  std::vector<domain::Task> tasks;     // one per device of the request, in the request's order
  std::map<Id, std::size_t> byDevice;  // device id -> index in tasks
  plugin::EngineRequest request;
  std::shared_ptr<plugin::Engine> engine;
  // Keep the platforms of request.devices alive.
  std::vector<std::shared_ptr<const plugin::Platform>> platforms;
  std::chrono::milliseconds timeout{0};                        // from the moment the engine starts
  Steady::time_point runDeadline = Steady::time_point::max();  // the run's time limit
  Steady::time_point started;

  std::mutex mutex;
  std::vector<std::optional<plugin::DeviceResult>> results;  // by index in tasks
  std::vector<domain::RunLogEntry> lines;                    // the engine's log for these devices
  std::size_t dropped = 0;
  std::atomic<bool> cancel{false};
  std::atomic<bool> running{false};
  bool closed = false;     // (mutex) the results are taken; later reports and log lines are dropped
  bool abandoned = false;  // (Impl::mutex) the main loop wrote the results in the engine's place
  // Main loop only:
  std::list<std::shared_ptr<Item>>::iterator place;  // in Impl::inFlight
  std::string stopReason;  // "timeout", "cancelled" or "released", once told to stop
  std::string stopMessage;
  Steady::time_point stopAt;

  const domain::Task& first() const { return tasks.front(); }
  Id runId() const { return tasks.front().runId; }

  void add(domain::Task task, plugin::DeviceTarget target) {
    byDevice.emplace(task.deviceId, tasks.size());
    tasks.push_back(std::move(task));
    request.devices.push_back(std::move(target));
    request.concurrency = static_cast<unsigned>(request.devices.size());  // the engine decides
    results.emplace_back();
  }

  void report(plugin::DeviceResult r) override {
    std::lock_guard lock(mutex);
    if (closed) return;
    std::size_t index = tasks.size();
    if (auto it = byDevice.find(r.deviceId); it != byDevice.end()) {
      index = it->second;
    } else {
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        if (tasks[i].device == r.device) index = i;
      }
    }
    if (index < tasks.size() && !results[index]) results[index] = std::move(r);
  }
  void log(const std::string& device, plugin::LogLevel level, const std::string& message) override {
    std::lock_guard lock(mutex);
    if (closed) return;
    if (lines.size() >= kMaxLogLinesPerTask * tasks.size()) {
      ++dropped;
      return;
    }
    domain::RunLogEntry e;
    e.runId = runId();
    e.time = isoTime(systemNow());
    e.level = levelOf(level);
    e.device = device.empty() && tasks.size() == 1 ? tasks.front().device : device;
    e.message = message;
    lines.push_back(std::move(e));
  }
  bool cancelled() const override { return cancel.load(std::memory_order_relaxed); }

  // The gate and the archive, for engines that change devices (set by the worker).
  std::function<std::optional<std::string>(const domain::Task&)> gate;
  std::function<plugin::KeptConfig(const domain::Task&, const std::string&, const std::string&)>
      keeper;

  const domain::Task* taskOf(const plugin::DeviceTarget& device) const {
    if (auto it = byDevice.find(device.id); it != byDevice.end()) return &tasks[it->second];
    return nullptr;
  }
  std::optional<std::string> refusal(const plugin::DeviceTarget& device) override {
    const auto* task = taskOf(device);
    if (!task) return "device " + device.name + " is not part of this request";
    return gate ? gate(*task) : std::nullopt;
  }
  plugin::KeptConfig keep(const plugin::DeviceTarget& device, const std::string& config,
                          const std::string& why) override {
    const auto* task = taskOf(device);
    if (!task) return {false, "", "device " + device.name + " is not part of this request"};
    return keeper ? keeper(*task, config, why) : plugin::KeptConfig{};
  }

  /// The engine's log lines split by task (mutex held): a line naming no device of the request
  /// goes with the first task, so that nothing is lost.
  std::vector<std::vector<domain::RunLogEntry>> linesByTask() const {
    std::vector<std::vector<domain::RunLogEntry>> out(tasks.size());
    if (tasks.size() == 1) {
      out[0] = lines;
      return out;
    }
    std::unordered_map<std::string_view, std::size_t> byName;
    for (std::size_t i = 0; i < tasks.size(); ++i) byName.emplace(tasks[i].device, i);
    for (const auto& line : lines) {
      auto it = byName.find(line.device);
      out[it == byName.end() ? 0 : it->second].push_back(line);
    }
    return out;
  }
};

using ItemPtr = std::shared_ptr<Item>;

}  // namespace

struct Worker::Impl {
  JobDispatcher& dispatcher;
  JobResultService& results;
  const EngineCatalog& engines;
  domain::AutomationPolicy policy;
  domain::OperationClasses classes;
  WorkerOptions options;
  TargetPreparer prepare;
  WorkerStats stats;

  // Between the main loop and the engine threads.
  std::mutex mutex;
  std::condition_variable work;  // items to run, or stop
  std::condition_variable done;  // items finished
  std::deque<ItemPtr> pending;
  std::vector<ItemPtr> finished;
  bool stopping = false;
  unsigned threads = 0;  // live threads that are not abandoned
  std::atomic<unsigned> stuck{0};

  // Main loop only.
  std::list<ItemPtr> inFlight;  // claimed and not yet recorded
  double fastShare = 0;         // smoothed share of tasks that finish in under 2 ms
  std::size_t batchHint = 1;    // the largest engine batch among the last claim's runs
  std::weak_ptr<Impl> self_;    // this, for what engine threads may hold longer than the worker

  Impl(JobDispatcher& d, JobResultService& r, const EngineCatalog& e, domain::AutomationPolicy p,
       domain::OperationClasses c, WorkerOptions o, TargetPreparer tp)
      : dispatcher(d),
        results(r),
        engines(e),
        policy(p),
        classes(std::move(c)),
        options(std::move(o)),
        prepare(std::move(tp)) {}

  static void threadMain(std::shared_ptr<Impl> self) {
    for (;;) {
      ItemPtr item;
      {
        std::unique_lock lock(self->mutex);
        self->work.wait(lock, [&] { return self->stopping || !self->pending.empty(); });
        if (self->stopping || self->pending.empty()) {  // stopping: nothing new starts
          --self->threads;
          return;
        }
        item = std::move(self->pending.front());
        self->pending.pop_front();
      }
      item->started = Steady::now();
      item->running = true;  // after `started`: the main loop reads started once it sees this
      if (!item->cancel) self->engines.run(*item->engine, item->request, *item);
      bool abandoned;
      {
        std::lock_guard lock(self->mutex);
        abandoned = item->abandoned;
        if (!abandoned) self->finished.push_back(item);
      }
      if (abandoned) {
        // The main loop gave up on this thread and started another in its place.
        self->stuck.fetch_sub(1);
        return;
      }
      self->done.notify_one();
    }
  }

  void startThread(const std::shared_ptr<Impl>& self) {
    ++threads;
    std::thread(threadMain, self).detach();
  }

  TaskReport reportOf(const Item& item, const domain::Task& task, plugin::DeviceResult&& r,
                      std::vector<domain::RunLogEntry>&& lines) {
    TaskReport out;
    out.task = task;
    out.category = plugin::toString(r.category);
    out.message = std::move(r.message);
    out.durationMs =
        r.duration.count() > 0
            ? r.duration.count()
            : std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - item.started)
                  .count();
    out.data = std::move(r.data);
    out.artifact = std::move(r.artifact);  // a configuration may be megabytes: never copied
    out.log = std::move(lines);
    return out;
  }

  /// The warning that the engine's log was cut, with the first task of the item.
  static void noteDropped(const Item& item, std::vector<TaskReport>& reports, std::size_t from) {
    if (item.dropped == 0 || reports.size() <= from) return;
    domain::RunLogEntry e;
    e.runId = item.runId();
    e.time = isoTime(systemNow());
    e.level = LogLevel::Warning;
    e.device = item.tasks.size() == 1 ? item.first().device : "";
    e.message = fmt::format("{} more log lines of the engine were dropped", item.dropped);
    reports[from].log.push_back(std::move(e));
  }

  static TaskReport immediate(const domain::Task& task, std::string category, std::string message,
                              bool skipped = false) {
    TaskReport r;
    r.task = task;
    r.category = std::move(category);
    r.message = std::move(message);
    r.skipped = skipped;
    return r;
  }

  /// Claims what fits, turns each task into an item (tasks of one run for a batch engine share
  /// one, up to the engine's batch size) or, when it may not run, a report.
  void claim(std::vector<TaskReport>& reports) {
    const std::size_t busy = inFlight.size();
    std::size_t want = 0;
    if (batchHint > 1) {
      // The last claim was for a batch engine: claim a batch for every free thread.
      if (busy >= options.concurrency) return;
      want = std::min<std::size_t>((options.concurrency - busy) * batchHint, kMaxClaim);
    } else {
      const std::size_t capacity = options.concurrency + (fastShare > 0.9 ? options.prefetch : 0);
      if (busy >= capacity) return;
      want = capacity - busy;
    }
    for (const auto& item : inFlight) {
      if (item->first().solo) return;  // a suspect runs alone: nothing joins it
    }
    auto claim = dispatcher.claim(options.id, want, busy == 0);
    if (!claim.tasks.empty()) {
      batchHint = 1;
      for (const auto& [id, run] : claim.runs) {
        batchHint = std::max<std::size_t>(batchHint, engines.maxBatch(run.run.kind));
      }
    }
    if (!claim.tasks.empty() && claim.tasks.size() == want && !claim.tasks.front().solo) {
      // The queue has more, and a batch engine may take them: claim a batch for every free
      // thread now rather than one task per thread until the next round.
      const std::size_t free = options.concurrency > busy ? options.concurrency - busy : 1;
      const std::size_t more = std::min(free * batchHint, kMaxClaim);
      if (batchHint > 1 && more > want) {
        auto extra = dispatcher.claim(options.id, more - want, false);
        for (auto& task : extra.tasks) claim.tasks.push_back(std::move(task));
        claim.runs.merge(extra.runs);
        claim.devices.merge(extra.devices);
        claim.hostKeys.merge(extra.hostKeys);
      }
    }
    stats.claimed += claim.tasks.size();
    const auto nowMs = toEpochMs(systemNow());
    std::vector<ItemPtr> ready;
    std::map<Id, ItemPtr> openBatch;  // by run: the batch that tasks of the run join
    // Runs that change devices: their lines or template, parsed once per claim.
    std::map<Id, std::optional<ChangeSource>> sources;
    std::map<Id, std::string> sourceProblems;
    for (auto& task : claim.tasks) {
      const auto& run = claim.runs.at(task.runId);
      auto device = claim.devices.find(task.deviceId);
      if (device == claim.devices.end()) {
        reports.push_back(immediate(task, "policy_skipped",
                                    "skipped: the device was deleted after the job was queued",
                                    true));
        continue;
      }
      // The policy gate again, right before the device is touched: its status may have changed.
      auto op = classes.of(run.run.kind);
      if (!op || !policy.allows(device->second.status, *op)) {
        reports.push_back(immediate(
            task, "policy_skipped",
            op ? "skipped: " + policy.refusal(device->second.status, *op) +
                     " (its status changed after the job was queued)"
               : "skipped: kind " + run.run.kind + " has no automation class in this worker",
            true));
        continue;
      }
      if (run.run.deadlineMs != 0 && nowMs >= run.run.deadlineMs) {
        reports.push_back(immediate(task, "timeout", "the run's time limit passed"));
        continue;
      }
      auto engine = engines.engineFor(run.run.kind);
      if (!engine) {
        reports.push_back(
            immediate(task, "plugin_error",
                      fmt::format("worker {} has no engine for '{}'", options.id, run.run.kind)));
        continue;
      }
      const std::size_t maxBatch = task.solo ? 1 : std::max(1u, engines.maxBatch(run.run.kind));
      const auto& d = device->second;
      plugin::DeviceTarget target;
      target.id = d.id;
      target.name = d.name;
      target.address = d.address;
      target.port = 0;
      target.platformId = d.platform;
      auto platform = engines.platform(d.platform);
      target.platform = platform.get();
      const auto timeout = results.settings().taskTimeout;
      target.timeouts.total = timeout;
      if (!d.role.empty()) target.attributes["role"] = d.role;
      if (!d.serial.empty()) target.attributes["serial"] = d.serial;
      if (!d.osVersion.empty()) target.attributes["os_version"] = d.osVersion;
      if (d.sshPort) target.attributes["ssh.port"] = std::to_string(*d.sshPort);
      if (d.snmpPort) target.attributes["snmp.port"] = std::to_string(*d.snmpPort);
      target.attributes["status"] = std::string(domain::toString(d.status));
      std::string tags;
      for (const auto& t : d.tags) tags += (tags.empty() ? "" : ",") + t;
      if (!tags.empty()) target.attributes["tags"] = tags;
      if (auto key = claim.hostKeys.find(d.id); key != claim.hostKeys.end()) {
        target.attributes["ssh.host_key"] = key->second;
      }
      if (prepare) {
        try {
          prepare(d, target);
        } catch (const std::exception& e) {
          reports.push_back(immediate(task, "plugin_error", e.what()));
          continue;
        }
      }
      if (domain::changesDevices(*op)) {
        // The device's lines, rendered again from the inventory as it is now: a variable that
        // became undefined fails this device before anything is sent.
        auto source = sources.find(task.runId);
        if (source == sources.end()) {
          try {
            source = sources.emplace(task.runId, ChangeSource::of(run.parameters)).first;
          } catch (const std::exception& e) {
            sourceProblems[task.runId] = e.what();
            source = sources.emplace(task.runId, std::nullopt).first;
          }
        }
        if (auto problem = sourceProblems.find(task.runId); problem != sourceProblems.end()) {
          reports.push_back(immediate(task, "plugin_error", problem->second));
          continue;
        }
        if (source->second) {
          try {
            auto area = claim.areaPaths.find(d.id);
            target.attributes["change.lines"] = source->second->linesFor(
                d, area == claim.areaPaths.end() ? std::string() : area->second,
                platform ? &platform->spec().configuration : nullptr);
          } catch (const std::exception& e) {
            reports.push_back(immediate(task, "plugin_error", e.what()));
            continue;
          }
        }
      }
      ItemPtr item;
      if (maxBatch > 1) {
        auto open = openBatch.find(task.runId);
        if (open != openBatch.end() && open->second->tasks.size() < maxBatch) item = open->second;
      }
      if (!item) {
        item = std::make_shared<Item>();
        item->engine = std::move(engine);
        item->request.operation = run.run.kind;
        item->request.parameters = run.parameters;
        item->timeout = timeout;
        if (run.run.deadlineMs != 0) {
          item->runDeadline = Steady::now() + std::chrono::milliseconds(run.run.deadlineMs - nowMs);
        }
        if (maxBatch > 1) openBatch[task.runId] = item;
        if (domain::changesDevices(*op)) attachGate(*item, *op);
        ready.push_back(item);
      }
      if (platform) item->platforms.push_back(std::move(platform));
      item->add(task, std::move(target));
    }
    if (ready.empty()) return;
    {
      std::lock_guard lock(mutex);
      for (auto& item : ready) {
        item->place = inFlight.insert(inFlight.end(), item);
        pending.push_back(item);
      }
    }
    work.notify_all();
  }

  /// The gate right before an engine's first command to a device, and the archive it keeps the
  /// configuration in before changing it. The item may outlive the worker (an abandoned engine
  /// thread): it holds the worker weakly.
  void attachGate(Item& item, domain::Operation op) {
    std::weak_ptr<Impl> weak = self_;
    item.gate = [weak, op](const domain::Task& task) -> std::optional<std::string> {
      auto impl = weak.lock();
      if (!impl) return "the worker stopped";
      std::optional<domain::Device> device;
      try {
        device = impl->dispatcher.device(task.deviceId);
      } catch (const std::exception& e) {
        return std::string("the device's status could not be read: ") + e.what();
      }
      if (!device) return std::string("the device was deleted after the job was queued");
      if (!impl->policy.allows(device->status, op)) {
        return impl->policy.refusal(device->status, op) +
               " (its status changed after the job was queued)";
      }
      return std::nullopt;
    };
    item.keeper = [weak](const domain::Task& task, const std::string& config,
                         const std::string& why) -> plugin::KeptConfig {
      auto impl = weak.lock();
      if (!impl) return {false, "", "the worker stopped"};
      return impl->results.keep(task, config, why);
    };
  }

  /// Tells items of cancelled runs to stop.
  void cancelRuns(const std::vector<Id>& runs) {
    if (runs.empty()) return;
    const std::set<Id> cancelled(runs.begin(), runs.end());
    const auto now = Steady::now();
    for (auto& item : inFlight) {
      if (!cancelled.count(item->runId()) || !item->stopReason.empty()) continue;
      item->stopReason = "cancelled";
      item->stopMessage = "the run was cancelled while the task ran";
      item->stopAt = now;
      item->cancel = true;
    }
  }

  /// Tells items past their deadline to stop; closes items whose engine did not stop within the
  /// grace, writing the result in the engine's place and replacing the stuck thread.
  void watch(const std::shared_ptr<Impl>& self, std::vector<TaskReport>& reports) {
    const auto now = Steady::now();
    const auto grace = results.settings().cancelGrace;
    for (auto it = inFlight.begin(); it != inFlight.end();) {
      auto& item = **it;
      if (item.stopReason.empty()) {
        const bool running = item.running.load();
        if (now >= item.runDeadline) {
          item.stopReason = "timeout";
          item.stopMessage = running ? "the run's time limit passed while the task ran"
                                     : "the run's time limit passed before the task started";
        } else if (running && now >= item.started + item.timeout) {
          item.stopReason = "timeout";
          const auto ms = item.timeout.count();
          item.stopMessage =
              ms % 1000 == 0 ? fmt::format("the task ran longer than its limit of {} s", ms / 1000)
                             : fmt::format("the task ran longer than its limit of {} ms", ms);
        }
        if (!item.stopReason.empty()) {
          item.stopAt = now;
          item.cancel = true;
        }
      }
      if (item.stopReason.empty() || now < item.stopAt + grace) {
        ++it;
        continue;
      }
      bool wasRunning;
      {
        std::lock_guard lock(mutex);
        if (std::find(finished.begin(), finished.end(), *it) != finished.end()) {
          ++it;  // finished just now: drain() takes it
          continue;
        }
        item.abandoned = true;
        wasRunning = item.running;
        if (!wasRunning) {
          auto p = std::find(pending.begin(), pending.end(), *it);
          if (p != pending.end()) pending.erase(p);
        }
      }
      {
        std::lock_guard lock(item.mutex);
        item.closed = true;
      }
      const std::string message =
          item.stopMessage +
          (wasRunning ? "; the engine did not stop within " + std::to_string(grace.count()) + " ms"
                      : "");
      const auto durationMs =
          wasRunning
              ? std::chrono::duration_cast<std::chrono::milliseconds>(now - item.started).count()
              : 0;
      std::vector<std::vector<domain::RunLogEntry>> lines;
      {
        std::lock_guard lock(item.mutex);
        lines = item.linesByTask();
      }
      for (std::size_t i = 0; i < item.tasks.size(); ++i) {
        auto r = immediate(item.tasks[i], item.stopReason, message);
        r.released = item.stopReason == "released";
        r.durationMs = durationMs;
        r.log = std::move(lines[i]);
        reports.push_back(std::move(r));
      }
      if (wasRunning) {
        ++stats.abandoned;
        ++stuck;
        std::lock_guard lock(mutex);
        --threads;
        if (!stopping) startThread(self);
      }
      it = inFlight.erase(it);
    }
  }

  /// Results of finished items, as reports.
  void drain(std::vector<TaskReport>& reports) {
    std::vector<ItemPtr> batch;
    {
      std::lock_guard lock(mutex);
      batch.swap(finished);
    }
    for (auto& item : batch) {
      std::vector<std::optional<plugin::DeviceResult>> outcomes;
      std::vector<std::vector<domain::RunLogEntry>> lines;
      {
        std::lock_guard lock(item->mutex);
        item->closed = true;
        outcomes = std::move(item->results);
        lines = item->linesByTask();
      }
      stats.executed += item->tasks.size();
      const std::size_t from = reports.size();
      for (std::size_t i = 0; i < item->tasks.size(); ++i) {
        const auto& task = item->tasks[i];
        auto& result = outcomes[i];
        TaskReport r;
        if (item->stopReason == "released" &&
            (!result || result->category == plugin::ErrorCategory::Cancelled)) {
          // Stopped because this worker is stopping: the task goes back for another worker.
          r = immediate(task, "cancelled", "worker " + options.id + " stopped; released");
          r.released = true;
          r.log = std::move(lines[i]);
        } else if (result) {
          r = reportOf(*item, task, std::move(*result), std::move(lines[i]));
          if (!item->stopReason.empty() && r.category == "cancelled") {
            // Stopped because the worker said so: a timeout stays a timeout.
            r.category = item->stopReason;
            r.message = item->stopMessage;
          }
        } else {
          r = immediate(
              task, item->stopReason.empty() ? "plugin_error" : item->stopReason,
              item->stopReason.empty() ? "the engine returned no result" : item->stopMessage);
          r.log = std::move(lines[i]);
        }
        const double fast = r.durationMs < 2 ? 1.0 : 0.0;
        fastShare = 0.95 * fastShare + 0.05 * fast;
        reports.push_back(std::move(r));
      }
      noteDropped(*item, reports, from);
      inFlight.erase(item->place);
    }
  }
};

Worker::Worker(JobDispatcher& dispatcher, JobResultService& results, const EngineCatalog& engines,
               domain::AutomationPolicy policy, domain::OperationClasses classes,
               WorkerOptions options, TargetPreparer prepare)
    : impl_(std::make_shared<Impl>(dispatcher, results, engines, policy, std::move(classes),
                                   std::move(options), std::move(prepare))),
      stats_(impl_->stats) {
  if (impl_->options.concurrency == 0) impl_->options.concurrency = 1;
  impl_->self_ = impl_;
}

Worker::~Worker() {
  std::lock_guard lock(impl_->mutex);
  impl_->stopping = true;
  impl_->work.notify_all();
}

bool Worker::hasStuckThreads() const {
  return impl_->stuck.load() > 0;
}

bool Worker::run(const std::atomic<bool>& stop) {
  auto& w = *impl_;
  {
    std::lock_guard lock(w.mutex);
    for (unsigned i = 0; i < w.options.concurrency; ++i) w.startThread(impl_);
  }
  auto nextHeartbeat = Steady::now();
  auto nextReclaim = Steady::now();
  const auto reclaimEvery =
      std::max(std::chrono::milliseconds(1000), w.results.settings().lease / 2);
  auto idle = std::chrono::milliseconds(5);
  bool healthy = true;
  std::vector<TaskReport> reports;
  // Results that carry a configuration are archived together: one Git commit for all of them.
  std::vector<TaskReport> held;
  auto heldSince = Steady::now();
  while (!stop.load()) {
    bool claimedSome = false;
    try {
      const auto now = Steady::now();
      if (now >= nextHeartbeat) {
        if (!w.inFlight.empty()) w.cancelRuns(w.dispatcher.heartbeat(w.options.id));
        nextHeartbeat = now + w.options.heartbeat;
      }
      if (now >= nextReclaim) {
        w.dispatcher.reclaimExpired();
        w.results.expireOverdue();
        nextReclaim = now + reclaimEvery;
      }
      w.watch(impl_, reports);
      w.drain(reports);
      if (w.stuck.load() >= w.options.maxAbandoned) {
        healthy = false;
        break;
      }
      // Results with a configuration wait for others (at most archiveWindow, 256 of them, or
      // until nothing else runs here) so that a run's changes land in few commits, not one per
      // device. Their tasks stay leased to this worker meanwhile.
      for (auto it = reports.begin(); it != reports.end();) {
        if (it->artifact.empty()) {
          ++it;
          continue;
        }
        if (held.empty()) heldSince = now;
        held.push_back(std::move(*it));
        it = reports.erase(it);
      }
      if (!held.empty() && (held.size() >= 256 || w.inFlight.empty() ||
                            Steady::now() >= heldSince + w.options.archiveWindow)) {
        for (auto& r : held) reports.push_back(std::move(r));
        held.clear();
      }
      // Results are written before anything new starts: a task that crashes this process must
      // not take the finished results of others down with it.
      if (!reports.empty()) {
        w.stats.recorded += w.results.record(reports);
        reports.clear();
      }
      const auto claimedBefore = w.stats.claimed.load();
      w.claim(reports);  // tasks that may not run become reports, written on the next round
      claimedSome = w.stats.claimed.load() != claimedBefore;
    } catch (const std::exception& e) {
      // The database is away or busy: keep what is in memory and try again shortly. The leases
      // run out if this lasts, and the tasks go to another worker.
      if (w.options.log) w.options.log(std::string("database error, retrying in 1 s: ") + e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    if (w.options.untilIdle && w.inFlight.empty() && !claimedSome && reports.empty() &&
        held.empty()) {
      break;
    }
    // Wait: for a result while tasks run, else for the next poll of the queue.
    if (claimedSome) {
      idle = std::chrono::milliseconds(5);
    } else if (w.inFlight.empty()) {
      idle = std::min(idle * 2, w.options.idlePoll);
    }
    std::unique_lock lock(w.mutex);
    const auto wait = w.inFlight.empty() ? idle : std::chrono::milliseconds(50);
    w.done.wait_for(lock, wait, [&] {
      return w.finished.size() >= 256 || (!w.finished.empty() && w.pending.empty());
    });
  }

  // Stop: nothing new starts; tasks not started go back to the queue with their attempt
  // refunded; running engines are told to stop and get the grace, then are released too.
  {
    std::lock_guard lock(w.mutex);
    w.stopping = true;
    for (auto& item : w.pending) {
      item->abandoned = true;
      for (const auto& task : item->tasks) {
        TaskReport r = Impl::immediate(task, "cancelled",
                                       "worker " + w.options.id + " stopped before it started");
        r.released = true;
        reports.push_back(std::move(r));
      }
      w.inFlight.erase(item->place);
    }
    w.pending.clear();
  }
  w.work.notify_all();
  const auto stopAt = Steady::now();
  for (auto& item : w.inFlight) {
    if (!item->stopReason.empty()) continue;
    item->stopReason = "released";
    item->stopMessage = "worker " + w.options.id + " stopped";
    item->stopAt = stopAt;
    item->cancel = true;
  }
  const auto until = stopAt + w.results.settings().cancelGrace + std::chrono::milliseconds(100);
  while (!w.inFlight.empty() && Steady::now() < until) {
    w.watch(impl_, reports);
    w.drain(reports);
    std::unique_lock lock(w.mutex);
    w.done.wait_for(lock, std::chrono::milliseconds(20));
  }
  w.watch(impl_, reports);
  w.drain(reports);
  for (auto& r : held) reports.push_back(std::move(r));
  try {
    if (!reports.empty()) w.stats.recorded += w.results.record(reports);
    // Anything still held (a database error above) goes back as a crash would.
    w.dispatcher.releaseWorker(w.options.id,
                               "worker " + w.options.id + " stopped before the task finished");
  } catch (const std::exception& e) {
    if (w.options.log) w.options.log(std::string("cannot release its tasks: ") + e.what());
  }
  return healthy;
}

}  // namespace netspine::app
