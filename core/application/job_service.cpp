#include "application/job_service.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "application/area_tree.hpp"
#include "application/change_source.hpp"
#include "application/config_service.hpp"
#include "application/discovery_service.hpp"
#include "application/json_writer.hpp"
#include "domain/errors.hpp"

namespace netspine::app {

using domain::Job;
using domain::JobRun;
using domain::LogLevel;
using domain::RunLogEntry;
using domain::RunState;
using domain::Task;
using domain::TaskState;

TimePoint systemNow() {
  return std::chrono::system_clock::now();
}

EpochMs toEpochMs(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string latencyText(std::int64_t us) {
  if (us < 1000) return fmt::format("{} µs", us);
  return fmt::format("{:.1f} ms", static_cast<double>(us) / 1000.0);
}

std::string isoTime(TimePoint t) {
  const auto ms = toEpochMs(t);
  const auto seconds = static_cast<std::time_t>(ms / 1000);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(seconds),
                     static_cast<int>(ms % 1000));
}

std::chrono::milliseconds retryDelay(const JobSettings& settings, int attempts) {
  constexpr std::chrono::milliseconds kCap{300'000};
  auto delay = settings.retryBackoff;
  for (int i = 1; i < attempts && delay < kCap; ++i) delay *= 2;
  return std::min(delay, kCap);
}

namespace {

RunLogEntry logLine(Id runId, const std::string& time, LogLevel level, std::string device,
                    std::string message) {
  RunLogEntry e;
  e.runId = runId;
  e.time = time;
  e.level = level;
  e.device = std::move(device);
  e.message = std::move(message);
  return e;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

std::string durationText(std::int64_t ms) {
  if (ms < 1000) return fmt::format("{} ms", ms);
  return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
}

/// Engine data as a JSON object of strings.
std::string dataJson(const std::map<std::string, std::string>& data) {
  if (data.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : data) {
    if (!first) out += ',';
    first = false;
    JsonWriter::escape(out, k);  // quotes included
    out += ':';
    JsonWriter::escape(out, v);
  }
  out += '}';
  return out;
}

bool transient(const std::string& category) {
  return category == "unreachable" || category == "timeout";
}

/// Whether engine data has a key starting with `prefix` ("check.", "fact.").
bool hasKeyWithPrefix(const std::map<std::string, std::string>& data, const std::string& prefix) {
  auto it = data.lower_bound(prefix);
  return it != data.end() && it->first.rfind(prefix, 0) == 0;
}

/// One check of a device's result (see plugin::DeviceResult's "check.<name>" keys).
struct CheckOutcome {
  std::string name;
  bool up = false;
  std::int64_t latencyUs = 0;
  std::string error;
};

/// The checks a result reports: "check.<name>" = up|down, with ".latency_us" and ".error".
std::vector<CheckOutcome> checksOf(const std::map<std::string, std::string>& data) {
  std::vector<CheckOutcome> out;
  for (auto it = data.lower_bound("check."); it != data.end() && it->first.rfind("check.", 0) == 0;
       ++it) {
    const std::string name = it->first.substr(6);
    if (name.empty() || name.find('.') != std::string::npos) continue;
    CheckOutcome c;
    c.name = name;
    c.up = it->second == "up";
    if (auto l = data.find(it->first + ".latency_us"); l != data.end()) {
      try {
        c.latencyUs = std::stoll(l->second);
      } catch (const std::exception&) {
      }
    }
    if (auto e = data.find(it->first + ".error"); e != data.end()) c.error = e->second;
    if (!c.up && c.error.empty()) c.error = "down";
    out.push_back(std::move(c));
  }
  return out;
}

std::int64_t latencyOf(const std::map<std::string, std::string>& data) {
  for (const char* key : {"latency_us", "rtt_us"}) {
    if (auto it = data.find(key); it != data.end()) {
      try {
        return std::stoll(it->second);
      } catch (const std::exception&) {
      }
    }
  }
  if (auto it = data.find("rtt_ms"); it != data.end()) {
    try {
      return static_cast<std::int64_t>(std::stod(it->second) * 1000.0);
    } catch (const std::exception&) {
    }
  }
  return 0;
}

}  // namespace

// ---------------------------------------------------------------------------------- JobService

JobService::JobService(Store& inventory, JobStore& jobs, const EngineCatalog& engines,
                       domain::AutomationPolicy policy, domain::OperationClasses classes,
                       JobSettings settings, TimeSource clock)
    : inventory_(inventory),
      jobs_(jobs),
      engines_(engines),
      policy_(policy),
      classes_(std::move(classes)),
      settings_(settings),
      clock_(std::move(clock)) {}

domain::Operation JobService::operationOf(const std::string& kind) const {
  if (auto op = classes_.of(kind)) return *op;
  throw domain::ValidationError(
      fmt::format("kind '{}' has no automation class, so no device status allows it: declare it "
                  "under `operations:` in the config file (read, discover, provision, push or "
                  "teardown)",
                  kind),
      "kind");
}

AcceptedJob JobService::submit(const JobRequest& request) {
  // The kind: an engine provides it, the policy knows its class, the engine takes the parameters.
  if (request.kind.empty()) throw domain::ValidationError("kind: must not be empty", "kind");
  if (!engines_.engineFor(request.kind)) {
    auto ops = engines_.operations();
    std::string loaded;
    for (const auto& o : ops) loaded += (loaded.empty() ? "" : ", ") + o;
    throw domain::ValidationError(
        fmt::format("kind '{}': no loaded engine provides it (loaded operations: {})", request.kind,
                    loaded.empty() ? "none" : loaded),
        "kind");
  }
  const auto op = operationOf(request.kind);
  if (auto problem = engines_.validate(request.kind, request.parameters)) {
    throw domain::ValidationError(fmt::format("parameters of {}: {}", request.kind, *problem),
                                  "param");
  }
  const bool explicitTarget = !request.devices.empty();
  if (explicitTarget == request.selector.has_value()) {
    throw domain::ValidationError(
        "target: name the devices (--device) or give a selector (--select), one of the two",
        "target");
  }

  // A change (push, provision, teardown) applies lines or a template: parsed now.
  const bool changes = domain::changesDevices(op);
  const auto source = changes ? ChangeSource::of(request.parameters) : std::nullopt;

  // The target, from the inventory as it is now.
  std::vector<domain::Device> devices;
  std::optional<AreaTree> areas;
  {
    auto uow = inventory_.begin();
    if (source && source->isTemplate()) areas = AreaTree::load(*uow);
    if (explicitTarget) {
      std::set<std::string, std::less<>> seen;
      std::vector<std::string> missing;
      for (const auto& name : request.devices) {
        if (!seen.insert(name).second) continue;
        if (auto d = uow->devices().findByName(name)) {
          devices.push_back(std::move(*d));
        } else {
          missing.push_back(name);
        }
      }
      if (!missing.empty()) {
        std::string names;
        for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
        throw domain::NotFoundError(
            fmt::format("no such device{}: {}", missing.size() == 1 ? "" : "s", names), "device");
      }
    } else {
      const auto& s = *request.selector;
      DeviceFilter filter;
      filter.statuses = s.statuses;
      filter.platforms = s.platforms;
      filter.roles = s.roles;
      filter.tags = s.tags;
      filter.nameContains = s.nameContains;
      if (!s.areas.empty()) {
        const auto tree = AreaTree::load(*uow);
        for (const auto& path : s.areas) {
          const auto& area = tree.resolve(path, "select");
          for (Id id : tree.subtree(area.id)) filter.areaIds.push_back(id);
        }
      }
      devices = uow->devices().list(filter);
      if (devices.empty()) {
        throw domain::ValidationError(fmt::format("select: no device matches '{}'", s.toString()),
                                      "select");
      }
    }
  }

  // The policy gate at accept time.
  std::vector<std::string> refusals;
  std::vector<std::pair<std::string, std::string>> reasons;
  for (const auto& d : devices) {
    if (!policy_.allows(d.status, op)) {
      reasons.emplace_back(d.name, policy_.refusal(d.status, op));
      refusals.push_back(fmt::format("{}: {}", d.name, reasons.back().second));
    }
  }
  if (explicitTarget && !refusals.empty()) {
    throw domain::PolicyRefusedError(
        fmt::format("job refused, nothing queued: {} of {} device{} may not run {} ({}):{}",
                    refusals.size(), devices.size(), devices.size() == 1 ? "" : "s", request.kind,
                    domain::toString(op), joinLines(refusals)),
        std::move(reasons));
  }

  // Every device's lines, rendered now and checked against its platform (no session commands): a
  // bad template or line stops the whole job before any device is touched. The worker renders
  // again right before the device runs (the inventory may change).
  if (source) {
    std::vector<std::string> problems;
    for (const auto& d : devices) {
      if (!policy_.allows(d.status, op)) continue;
      const auto platform = d.platform.empty() ? nullptr : engines_.platform(d.platform);
      try {
        (void)source->linesFor(d, d.areaId != 0 && areas ? areas->path(d.areaId) : std::string(),
                               platform ? &platform->spec().configuration : nullptr);
      } catch (const domain::ValidationError& e) {
        problems.push_back(e.what());
      }
    }
    if (!problems.empty()) {
      const std::size_t shown = std::min<std::size_t>(problems.size(), 20);
      const char* field = source->isTemplate() ? "template" : "lines";
      throw domain::ValidationError(
          fmt::format("{}: nothing queued, {} of {} device{} cannot take {}:{}{}", field,
                      problems.size(), devices.size(), devices.size() == 1 ? "" : "s",
                      source->isTemplate() ? "the template" : "these lines",
                      joinLines({problems.begin(), problems.begin() + shown}),
                      problems.size() > shown
                          ? fmt::format("\n  … and {} more", problems.size() - shown)
                          : ""),
          field);
    }
  }

  const auto now = clock_();
  const auto nowText = isoTime(now);
  AcceptedJob accepted;
  Job& job = accepted.job;
  job.kind = request.kind;
  job.devices = request.devices;
  job.selector = request.selector;
  job.parameters = request.parameters;
  job.schedule = request.schedule;
  job.requestedBy = request.requestedBy;
  job.createdAt = nowText;

  JobRun& run = accepted.run;
  run.kind = request.kind;
  run.state = RunState::Queued;  // PENDING and QUEUED in one transaction: both times recorded
  run.createdAt = nowText;
  run.queuedAt = nowText;
  run.total = static_cast<std::int64_t>(devices.size());
  run.concurrency = request.concurrency != 0 ? request.concurrency
                    : changes                ? settings_.changeConcurrency
                                             : settings_.runConcurrency;
  run.canary = request.canary;
  run.stopOnFailure = request.stopOnFailure;
  const auto limit = request.timeLimit.value_or(settings_.runTimeLimit);
  run.deadlineMs = limit.count() > 0 ? toEpochMs(now) + limit.count() : 0;

  std::vector<Task> tasks;
  tasks.reserve(devices.size());
  std::vector<RunLogEntry> log;
  for (const auto& d : devices) {
    Task t;
    t.deviceId = d.id;
    t.device = d.name;
    if (!policy_.allows(d.status, op)) {
      t.state = TaskState::Skipped;
      t.category = "policy_skipped";
      t.message = "skipped: " + policy_.refusal(d.status, op);
      t.finishedAt = nowText;
      run.tally.add(domain::TaskOutcome::Skipped);
      ++accepted.skipped;
    } else {
      // Behind the canary: held until the first `canary` devices all ended ok.
      if (run.canary != 0 && static_cast<std::uint64_t>(accepted.queued) >= run.canary) {
        t.notBeforeMs = domain::kHeldBack;
      }
      ++accepted.queued;
    }
    tasks.push_back(std::move(t));
  }

  auto txn = jobs_.begin();
  txn->insertJob(job);
  run.jobId = job.id;
  txn->insertRun(run);
  for (auto& t : tasks) t.runId = run.id;
  txn->insertTasks(tasks);
  log.push_back(
      logLine(run.id, nowText, LogLevel::Info, "",
              fmt::format("run of {} created by {}{}: {} device{}, {} queued, {} skipped", job.kind,
                          job.requestedBy.empty() ? "unknown" : job.requestedBy,
                          job.schedule.empty() ? "" : " (schedule " + job.schedule + ")", run.total,
                          run.total == 1 ? "" : "s", accepted.queued, accepted.skipped)));
  for (const auto& t : tasks) {
    if (t.state == TaskState::Skipped) {
      log.push_back(logLine(run.id, nowText, LogLevel::Info, t.device, t.message));
    }
  }
  if (run.canary != 0 && static_cast<std::uint64_t>(accepted.queued) > run.canary) {
    std::vector<std::string> first;
    for (const auto& t : tasks) {
      if (t.state == TaskState::Queued && t.notBeforeMs != domain::kHeldBack)
        first.push_back(t.device);
    }
    log.push_back(logLine(run.id, nowText, LogLevel::Info, "",
                          fmt::format("canary: {} first; the other {} only if all of them end ok",
                                      fmt::join(first, ", "), accepted.queued - first.size())));
  }
  if (accepted.queued == 0) {
    // Nothing to run: the run passes through RUNNING and ends at once.
    domain::checkTransition(run.id, run.state, RunState::Running);
    run.state = RunState::Running;
    run.startedAt = nowText;
    const auto final = domain::finalState(run.tally);
    domain::checkTransition(run.id, run.state, final);
    run.state = final;
    run.finishedAt = nowText;
    txn->updateRun(run);
    log.push_back(
        logLine(run.id, nowText, LogLevel::Info, "",
                fmt::format("run finished {}: every device was skipped", domain::toString(final))));
  }
  txn->appendLog(log);
  txn->commit();
  return accepted;
}

RunDetails JobService::run(Id runId) {
  auto txn = jobs_.read();
  auto run = txn->run(runId);
  if (!run) throw domain::NotFoundError(fmt::format("no run {}", runId), "run");
  RunDetails details;
  details.run = *run;
  if (auto job = txn->job(run->jobId)) details.job = *job;
  details.queued = txn->countTasks(runId, TaskState::Queued);
  details.running = txn->countTasks(runId, TaskState::Running);
  return details;
}

std::vector<JobRun> JobService::runs(const RunFilter& filter) {
  return jobs_.read()->runs(filter);
}

std::vector<Job> JobService::jobs(std::int64_t limit, std::int64_t offset) {
  return jobs_.read()->jobs(limit, offset);
}

domain::Job JobService::job(Id jobId) {
  auto job = jobs_.read()->job(jobId);
  if (!job) throw domain::NotFoundError(fmt::format("no job {}", jobId), "job");
  return *job;
}

std::int64_t JobService::countJobs() {
  return jobs_.read()->countJobs();
}

std::int64_t JobService::countRuns(const RunFilter& filter) {
  return jobs_.read()->countRuns(filter);
}

std::int64_t JobService::countTasks(const TaskFilter& filter) {
  auto txn = jobs_.read();
  if (!txn->run(filter.runId)) {
    throw domain::NotFoundError(fmt::format("no run {}", filter.runId), "run");
  }
  return txn->countTasks(filter);
}

std::vector<Task> JobService::tasks(const TaskFilter& filter) {
  auto txn = jobs_.read();
  if (!txn->run(filter.runId)) {
    throw domain::NotFoundError(fmt::format("no run {}", filter.runId), "run");
  }
  return txn->tasks(filter);
}

std::vector<RunLogEntry> JobService::log(const LogFilter& filter) {
  auto txn = jobs_.read();
  if (!txn->run(filter.runId)) {
    throw domain::NotFoundError(fmt::format("no run {}", filter.runId), "run");
  }
  return txn->log(filter);
}

// ---------------------------------------------------------------------------- JobResultService

JobResultService::JobResultService(JobStore& jobs, JobSettings settings, TimeSource clock)
    : jobs_(jobs), settings_(settings), clock_(std::move(clock)) {}

void JobResultService::setArchive(ConfigArchive* archive, BackupSettings settings) {
  if (auto problem = checkPathTemplate(settings.pathTemplate)) {
    throw domain::ValidationError("backup.path: " + *problem, "backup.path");
  }
  archive_ = archive;
  backup_ = std::move(settings);
}

/// What archiving did to the reports of one batch, by report.
struct JobResultService::Archived {
  std::map<const TaskReport*, ConfigRevision> revisions;                 // stored: a row to write
  std::map<const TaskReport*, std::map<std::string, std::string>> data;  // added to the result
  std::map<const TaskReport*, std::string> failed;                       // could not be stored: why
  std::map<Id, std::string> runProblems;  // the push failed: the runs' problem
  // Discovery: what each report's facts changed in the inventory, or why they did not.
  std::map<const TaskReport*, DiscoveryOutcome> discovered;
  // Provisioning: the device moved to ACTIVE, or why not.
  std::map<const TaskReport*, DiscoveryOutcome> provisioned;
};

JobResultService::Archived JobResultService::archive(const std::vector<TaskReport>& reports,
                                                     const std::string& why) {
  Archived out;
  std::vector<const TaskReport*> candidates;
  std::vector<Id> deviceIds;
  for (const auto& r : reports) {
    if (r.artifact.empty() || r.category != "ok" || r.skipped || r.released || r.lost) continue;
    candidates.push_back(&r);
    deviceIds.push_back(r.task.deviceId);
  }
  if (!archive_ || candidates.empty()) return out;

  std::map<Id, ConfigRevision> latest;
  std::map<Id, std::string> areas;
  std::map<Id, std::string> platforms;
  std::map<Id, std::string> kinds;
  {
    auto txn = jobs_.begin();
    latest = txn->latestConfigs(deviceIds);
    areas = txn->areaPaths(deviceIds);
    if (backup_.pathTemplate.find("{platform}") != std::string::npos) {
      DeviceFilter filter;
      filter.ids = deviceIds;
      for (const auto& d : txn->devices().list(filter)) platforms[d.id] = d.platform;
    }
    for (const auto* r : candidates) {
      if (kinds.count(r->task.runId)) continue;
      auto run = txn->run(r->task.runId);
      kinds[r->task.runId] = run ? run->kind : "job";
    }
  }

  const auto nowText = isoTime(clock_());
  std::vector<ConfigArchive::File> files;
  // The changed configurations, each with its revision row but the commit.
  std::vector<std::pair<const TaskReport*, ConfigRevision>> changed;
  for (const auto* r : candidates) {
    const auto id = r->task.deviceId;
    ConfigRevision rev;
    rev.deviceId = id;
    rev.path = configPath(backup_.pathTemplate, areas[id], r->task.device, platforms[id]);
    rev.storedAt = nowText;
    rev.bytes = static_cast<std::int64_t>(r->artifact.size());
    rev.sha256 = sha256Hex(r->artifact);
    rev.runId = r->task.runId;
    auto before = latest.find(id);
    const bool same = before != latest.end() && before->second.sha256 == rev.sha256 &&
                      before->second.path == rev.path;
    out.data[r]["config_sha256"] = rev.sha256;
    out.data[r]["config_changed"] = same ? "false" : "true";
    if (same) {
      out.data[r]["config_commit"] = before->second.commit;
      continue;
    }
    files.push_back({rev.path, r->artifact});
    changed.emplace_back(r, std::move(rev));
  }
  if (changed.empty()) return out;

  // One commit for the batch: "backup run 12: 3 changed: r1, r2, r3", the devices listed below.
  std::map<Id, std::vector<std::string>> byRun;
  for (const auto& [r, rev] : changed) byRun[rev.runId].push_back(r->task.device);
  for (auto& [runId, devices] : byRun) std::sort(devices.begin(), devices.end());
  std::vector<std::string> subjects;
  std::string body;
  for (const auto& [runId, devices] : byRun) {
    std::vector<std::string> shown(devices.begin(),
                                   devices.begin() + std::min<std::size_t>(devices.size(), 5));
    subjects.push_back(fmt::format("{}{} run {}: {} changed: {}{}", why.empty() ? "" : why + " ",
                                   kinds[runId], runId, devices.size(), fmt::join(shown, ", "),
                                   devices.size() > shown.size()
                                       ? fmt::format(" and {} more", devices.size() - shown.size())
                                       : ""));
    for (const auto& d : devices) body += fmt::format("{} (run {})\n", d, runId);
  }
  const auto message = fmt::format("{}\n\n{}", fmt::join(subjects, "; "), body);

  std::string commit;
  try {
    commit = archive_->store(files, message);
  } catch (const std::exception& e) {
    for (const auto& [r, rev] : changed) {
      out.failed[r] = fmt::format(
          "the configuration could not be stored in the repository ({}); the previous revision "
          "stays current",
          e.what());
      out.data.erase(r);
    }
    return out;
  }
  for (auto& [r, rev] : changed) {
    rev.commit = commit;
    out.revisions.emplace(r, std::move(rev));
    out.data[r]["config_commit"] = commit;
  }
  if (auto problem = archive_->push()) {
    for (const auto& [runId, devices] : byRun) {
      out.runProblems[runId] =
          fmt::format("pushing the configuration repository failed: {}", *problem);
    }
  }
  return out;
}

void JobResultService::startRuns(JobTxn& txn, std::map<Id, JobRun>& runs) {
  const auto nowText = isoTime(clock_());
  std::vector<RunLogEntry> log;
  for (auto& [id, run] : runs) {
    if (run.state != RunState::Queued) continue;
    domain::checkTransition(run.id, run.state, RunState::Running);
    run.state = RunState::Running;
    run.startedAt = nowText;
    txn.updateRun(run);
    log.push_back(logLine(run.id, nowText, LogLevel::Info, "", "run started"));
  }
  txn.appendLog(log);
}

void JobResultService::finishRunIfDone(JobRun& run, const std::string& nowText,
                                       std::vector<RunLogEntry>& log) {
  if (domain::isFinal(run.state)) return;
  if (static_cast<std::int64_t>(run.tally.total()) < run.total) return;
  auto final = domain::finalState(run.tally);
  // Every device ok, but the run itself had a problem (its backups were not pushed).
  if (final == RunState::Succeeded && !run.problem.empty()) final = RunState::Partial;
  if (run.state != RunState::Running && final != RunState::Cancelled) {
    // A run whose tasks all ended without one starting (expired in the queue) still passes
    // through RUNNING: no other path leads to SUCCEEDED, PARTIAL or FAILED.
    domain::checkTransition(run.id, run.state, RunState::Running);
    run.state = RunState::Running;
    run.startedAt = nowText;
  }
  domain::checkTransition(run.id, run.state, final);
  run.state = final;
  run.finishedAt = nowText;
  log.push_back(logLine(
      run.id, nowText, final == RunState::Succeeded ? LogLevel::Info : LogLevel::Warning, "",
      fmt::format("run finished {}: {} ok, {} failed, {} skipped, {} cancelled "
                  "of {}{}",
                  domain::toString(final), run.tally.ok, run.tally.failed, run.tally.skipped,
                  run.tally.cancelled, run.total, run.problem.empty() ? "" : "; " + run.problem)));
}

std::size_t JobResultService::apply(JobTxn& txn, const std::vector<TaskReport>& reports,
                                    TimePoint now, const Archived* archived) {
  if (reports.empty()) return 0;
  const auto nowText = isoTime(now);
  const auto nowMs = toEpochMs(now);
  std::map<Id, JobRun> runs;
  for (const auto& r : reports) {
    if (runs.count(r.task.runId)) continue;
    if (auto run = txn.run(r.task.runId)) runs.emplace(run->id, *run);
  }

  std::vector<Task> finished;
  std::vector<const TaskReport*> finishedFrom;
  std::vector<Task> retried;
  std::vector<const TaskReport*> retriedFrom;
  std::vector<Task> released;
  for (const auto& r : reports) {
    auto it = runs.find(r.task.runId);
    if (it == runs.end()) continue;
    if (r.released) {
      Task t = r.task;  // solo as it was: a suspect stays one
      t.notBeforeMs = nowMs;
      t.message = r.message;
      released.push_back(std::move(t));
      continue;
    }
    const auto& run = it->second;
    const auto delay = retryDelay(settings_, r.task.attempts);
    // A result with checks is a measurement (a device that is down is an answer, and the checks
    // retried on their own): only a lost task is run again.
    const bool measured = hasKeyWithPrefix(r.data, "check.");
    // A change that failed needs a person, not a second try (a lost one is run again: the engine
    // diffs first, so what was applied is not applied twice).
    const auto op = classes_.of(run.kind);
    const bool change = op && domain::changesDevices(*op);
    const bool retry = !r.skipped && (r.lost || (!measured && !change && transient(r.category))) &&
                       r.task.attempts < settings_.maxAttempts && !run.cancelRequested &&
                       (run.deadlineMs == 0 || nowMs + delay.count() < run.deadlineMs);
    Task t = r.task;
    t.category = r.category;
    t.message = r.message;
    bool refused = false;
    if (archived) {
      if (auto f = archived->failed.find(&r); f != archived->failed.end()) {
        t.category = "plugin_error";
        t.message = f->second;
      }
      if (auto d = archived->discovered.find(&r);
          d != archived->discovered.end() && !d->second.refused.empty()) {
        // The device's status changed under the task: nothing of it went into the inventory.
        refused = true;
        t.category = "policy_skipped";
        t.message = "skipped: " + d->second.refused;
      }
    }
    if (r.lost && run.cancelRequested) {
      // Its worker died while the run was being cancelled: the task counts as cancelled.
      t.category = "cancelled";
      t.message = r.message + "; the run was cancelled";
    }
    t.durationMs = r.durationMs;
    const std::map<std::string, std::string>* extra = nullptr;
    if (archived) {
      if (auto d = archived->data.find(&r); d != archived->data.end()) extra = &d->second;
    }
    if (extra) {
      auto data = r.data;
      for (const auto& [k, v] : *extra) data[k] = v;
      t.data = dataJson(data);
    } else {
      t.data = dataJson(r.data);
    }
    if (retry) {
      t.notBeforeMs = nowMs + delay.count();
      t.solo = r.lost;
      retried.push_back(std::move(t));
      retriedFrom.push_back(&r);
    } else {
      // An engine that found the gate closed (RunContext::refusal) skipped the device too.
      t.state = r.skipped || refused || t.category == "policy_skipped" ? TaskState::Skipped
                : t.category == "cancelled"                            ? TaskState::Cancelled
                                                                       : TaskState::Done;
      t.finishedAt = nowText;
      finished.push_back(std::move(t));
      finishedFrom.push_back(&r);
    }
  }

  std::vector<RunLogEntry> log;
  std::vector<domain::DeviceRuntime> runtime;
  std::vector<ConfigRevision> revisions;
  std::vector<HostKey> hostKeys;
  std::size_t applied = 0;
  const auto done = txn.finishTasks(finished, TaskState::Running);
  // The checks' last states, to log what changed (a device went down or came back).
  std::map<std::pair<Id, std::string>, domain::DeviceRuntime> before;
  {
    std::vector<Id> measured;
    for (std::size_t i = 0; i < finished.size(); ++i) {
      if (done[i] && finished[i].state == TaskState::Done &&
          hasKeyWithPrefix(finishedFrom[i]->data, "check.")) {
        measured.push_back(finished[i].deviceId);
      }
    }
    if (!measured.empty()) {
      for (auto& row : txn.runtimeOf(measured)) {
        auto key = std::make_pair(row.deviceId, row.check);
        before.emplace(std::move(key), std::move(row));
      }
    }
  }
  for (std::size_t i = 0; i < finished.size(); ++i) {
    if (!done[i]) continue;  // no longer ours: the lease was reclaimed meanwhile
    ++applied;
    const auto& t = finished[i];
    const auto& r = *finishedFrom[i];
    auto& run = runs.at(t.runId);
    run.tally.add(domain::outcomeOf(t.state, t.category));
    for (const auto& line : r.log) log.push_back(line);
    const bool ok = t.category == "ok";
    // A device that ended ok gets a line only after a retry: its task row holds the result,
    // and 100,000 "ok" lines would bury the ones that matter.
    if (!ok || t.attempts > 1) {
      const auto level = ok || t.state == TaskState::Skipped || t.state == TaskState::Cancelled
                             ? LogLevel::Info
                             : LogLevel::Error;
      std::string attempts = t.attempts > 1 ? fmt::format(", attempt {}", t.attempts) : "";
      log.push_back(logLine(run.id, nowText, level, t.device,
                            ok ? fmt::format("ok ({}{})", durationText(t.durationMs), attempts)
                               : fmt::format("{}: {} ({}{})", t.category, t.message,
                                             durationText(t.durationMs), attempts)));
    }
    if (archived) {
      if (auto d = archived->discovered.find(&r); d != archived->discovered.end()) {
        for (const auto& change : d->second.changes) {
          log.push_back(logLine(run.id, nowText, LogLevel::Info, t.device, "discovered " + change));
        }
        for (const auto& note : d->second.notes) {
          log.push_back(logLine(run.id, nowText, LogLevel::Warning, t.device, note));
        }
      }
      if (auto p = archived->provisioned.find(&r); p != archived->provisioned.end()) {
        for (const auto& change : p->second.changes) {
          log.push_back(
              logLine(run.id, nowText, LogLevel::Info, t.device, "provisioned: " + change));
        }
        if (!p->second.refused.empty()) {
          log.push_back(logLine(run.id, nowText, LogLevel::Warning, t.device, p->second.refused));
        }
      }
      if (auto rev = archived->revisions.find(&r); rev != archived->revisions.end()) {
        revisions.push_back(rev->second);
        log.push_back(logLine(
            run.id, nowText, LogLevel::Info, t.device,
            fmt::format("configuration changed: {} bytes stored in {} as {}", rev->second.bytes,
                        rev->second.path, rev->second.commit.substr(0, 12))));
      }
    }
    if (auto key = r.data.find("ssh.host_key");
        key != r.data.end() && !key->second.empty() && t.category != "host_key_mismatch") {
      hostKeys.push_back(HostKey{t.deviceId, key->second, nowText, run.id});
    }
    if (t.state == TaskState::Done) {
      domain::DeviceRuntime rt;
      rt.deviceId = t.deviceId;
      rt.check = run.kind;
      rt.up = ok;
      rt.latencyUs = ok ? latencyOf(r.data) : 0;
      rt.lastSeen = ok ? nowText : std::string();
      rt.lastError = ok ? std::string() : t.category + ": " + t.message;
      rt.updatedAt = nowText;
      rt.runId = run.id;
      runtime.push_back(std::move(rt));
      for (auto& check : checksOf(r.data)) {
        domain::DeviceRuntime c;
        c.deviceId = t.deviceId;
        c.check = check.name;
        c.up = check.up;
        c.latencyUs = check.up ? check.latencyUs : 0;
        c.lastSeen = check.up ? nowText : std::string();
        c.lastError = check.up ? std::string() : check.error;
        c.updatedAt = nowText;
        c.runId = run.id;
        if (auto prev = before.find({t.deviceId, check.name});
            prev != before.end() && prev->second.up != check.up) {
          const auto& was = prev->second;
          log.push_back(
              check.up
                  ? logLine(run.id, nowText, LogLevel::Info, t.device,
                            fmt::format("{} came back up ({}); it was down ({}), last seen "
                                        "up {}",
                                        check.name, latencyText(check.latencyUs), was.lastError,
                                        was.lastSeen.empty() ? "never" : was.lastSeen))
                  : logLine(
                        run.id, nowText, LogLevel::Warning, t.device,
                        fmt::format("{} went down: {}; last seen up {}", check.name, check.error,
                                    was.lastSeen.empty() ? "never" : was.lastSeen)));
        }
        runtime.push_back(std::move(c));
      }
    }
  }
  for (bool back : txn.requeueTasks(released, true)) applied += back ? 1 : 0;
  const auto requeued = txn.requeueTasks(retried, false);
  for (std::size_t i = 0; i < retried.size(); ++i) {
    if (!requeued[i]) continue;
    ++applied;
    const auto& t = retried[i];
    for (const auto& line : retriedFrom[i]->log) log.push_back(line);
    log.push_back(logLine(
        t.runId, nowText, LogLevel::Warning, t.device,
        fmt::format("attempt {} of {}: {}: {}; retrying in {}", t.attempts, settings_.maxAttempts,
                    t.category, t.message, durationText(t.notBeforeMs - nowMs))));
  }
  if (archived) {
    for (const auto& [runId, problem] : archived->runProblems) {
      auto it = runs.find(runId);
      if (it == runs.end()) continue;
      if (it->second.problem.empty()) {
        log.push_back(logLine(runId, nowText, LogLevel::Error, "", problem));
      }
      it->second.problem = problem;
    }
  }
  {
    std::map<Id, std::vector<Task>> finishedByRun;
    for (std::size_t i = 0; i < finished.size(); ++i) {
      if (done[i]) finishedByRun[finished[i].runId].push_back(finished[i]);
    }
    for (auto& [id, run] : runs) {
      if (run.canary == 0 && !run.stopOnFailure) continue;
      auto f = finishedByRun.find(id);
      if (f != finishedByRun.end()) steerChangeRun(txn, run, f->second, nowText, nowMs, log);
    }
  }
  for (auto& [id, run] : runs) {
    finishRunIfDone(run, nowText, log);
    txn.updateRun(run);
  }
  txn.appendLog(log);
  txn.upsertRuntime(runtime);
  txn.insertConfigs(revisions);
  txn.pinHostKeys(hostKeys);
  return applied;
}

void JobResultService::steerChangeRun(JobTxn& txn, JobRun& run, const std::vector<Task>& finished,
                                      const std::string& nowText, EpochMs nowMs,
                                      std::vector<RunLogEntry>& log) {
  if (domain::isFinal(run.state)) return;
  // The first device of this batch that did not end ok, if any.
  const Task* bad = nullptr;
  for (const auto& t : finished) {
    const auto outcome = domain::outcomeOf(t.state, t.category);
    if (outcome == domain::TaskOutcome::Failed) {
      bad = &t;
      break;
    }
    if (outcome != domain::TaskOutcome::Ok && !bad) bad = &t;
  }
  const bool failed =
      bad && domain::outcomeOf(bad->state, bad->category) == domain::TaskOutcome::Failed;
  auto queued = txn.queuedTasks(run.id);
  std::vector<Task> stop;
  std::string why;
  if (run.stopOnFailure && failed) {
    stop = queued;
    why = fmt::format("not run: {} failed and the run stops on the first failure", bad->device);
  } else if (run.canary != 0) {
    const bool held = std::any_of(queued.begin(), queued.end(),
                                  [](const Task& t) { return t.notBeforeMs == domain::kHeldBack; });
    if (!held) return;
    if (bad) {
      // A canary that did not end ok (failed, skipped, cancelled) proves nothing: the held
      // devices are not run.
      for (const auto& t : queued) {
        if (t.notBeforeMs == domain::kHeldBack) stop.push_back(t);
      }
      why = fmt::format("not run: canary {} ended {}", bad->device,
                        bad->category.empty() ? "without a result" : bad->category);
    } else {
      const bool canariesLeft = txn.countTasks(run.id, TaskState::Running) > 0 ||
                                std::any_of(queued.begin(), queued.end(), [](const Task& t) {
                                  return t.notBeforeMs != domain::kHeldBack;
                                });
      if (canariesLeft) return;
      const auto released = txn.releaseHeld(run.id, nowMs);
      log.push_back(logLine(run.id, nowText, LogLevel::Info, "",
                            fmt::format("canary passed: {} device{} ok; {} more released",
                                        run.canary, run.canary == 1 ? "" : "s", released)));
      return;
    }
  }
  if (stop.empty()) return;
  for (auto& t : stop) {
    t.state = TaskState::Skipped;
    t.category = "cancelled";
    t.message = why;
    t.finishedAt = nowText;
  }
  const auto written = txn.finishTasks(stop, TaskState::Queued);
  std::size_t n = 0;
  for (std::size_t i = 0; i < stop.size(); ++i) {
    if (!written[i]) continue;
    ++n;
    run.tally.add(domain::TaskOutcome::Skipped);
  }
  if (n > 0) {
    log.push_back(logLine(run.id, nowText, LogLevel::Warning, "",
                          fmt::format("{} device{} not run: {}", n, n == 1 ? "" : "s",
                                      why.substr(std::string("not run: ").size()))));
  }
}

plugin::KeptConfig JobResultService::keep(const Task& task, const std::string& config,
                                          const std::string& why) {
  plugin::KeptConfig out;
  if (!archive_) return out;
  TaskReport r;
  r.task = task;
  r.artifact = config;
  std::vector<TaskReport> reports{std::move(r)};
  try {
    auto archived = archive(reports, why);
    const TaskReport* key = &reports.front();
    if (auto f = archived.failed.find(key); f != archived.failed.end()) {
      out.ok = false;
      out.problem = f->second;
      return out;
    }
    if (auto rev = archived.revisions.find(key); rev != archived.revisions.end()) {
      std::vector<ConfigRevision> rows{rev->second};
      auto txn = jobs_.begin();
      txn->insertConfigs(rows);
      txn->appendLog({logLine(
          task.runId, isoTime(clock_()), LogLevel::Info, task.device,
          fmt::format("configuration {}: {} bytes stored in {} as {}", why, rev->second.bytes,
                      rev->second.path, rev->second.commit.substr(0, 12)))});
      txn->commit();
      out.revision = rev->second.commit;
    } else if (auto d = archived.data.find(key); d != archived.data.end()) {
      out.revision = d->second["config_commit"];  // the same text as the newest revision
    }
    return out;
  } catch (const std::exception& e) {
    out.ok = false;
    out.problem = e.what();
    return out;
  }
}

std::size_t JobResultService::record(const std::vector<TaskReport>& reports) {
  if (reports.empty()) return 0;
  // Git first, outside the transaction: a revision row is written only for a commit that exists.
  auto archived = archive(reports);
  // Discovery's facts next, through DeviceService in transactions of its own: the inventory's
  // change log names the run; the task's result says what changed.
  if (discovery_) {
    std::map<Id, std::string> kinds;
    const auto kindOf = [&](Id runId) -> const std::string& {
      auto kind = kinds.find(runId);
      if (kind == kinds.end()) {
        auto txn = jobs_.read();
        auto run = txn->run(runId);
        kind = kinds.emplace(runId, run ? run->kind : std::string()).first;
      }
      return kind->second;
    };
    for (const auto& r : reports) {
      if (r.category != "ok" || r.skipped || r.released || r.lost) continue;
      if (hasKeyWithPrefix(r.data, "fact.") && discovery_->appliesTo(kindOf(r.task.runId))) {
        archived.discovered.emplace(&r, discovery_->apply(r.task.deviceId, r.task.runId, r.data));
      }
      // A provision that applied its configuration (not a dry run) makes the device ACTIVE.
      const auto dry = r.data.find("dry_run");
      if ((dry == r.data.end() || dry->second != "true") &&
          discovery_->provisions(kindOf(r.task.runId))) {
        archived.provisioned.emplace(&r, discovery_->activate(r.task.deviceId, r.task.runId));
      }
    }
  }
  auto txn = jobs_.begin();
  auto applied = apply(*txn, reports, clock_(), &archived);
  txn->commit();
  return applied;
}

std::size_t JobResultService::recordLost(const std::vector<Task>& tasks,
                                         const std::string& reason) {
  if (tasks.empty()) return 0;
  std::vector<TaskReport> reports;
  reports.reserve(tasks.size());
  for (const auto& t : tasks) {
    TaskReport r;
    r.task = t;
    // Retried while attempts are left (another worker may well succeed); then a plugin error.
    r.category = "plugin_error";
    r.lost = true;
    r.message = reason;
    reports.push_back(std::move(r));
  }
  auto txn = jobs_.begin();
  auto applied = apply(*txn, reports, clock_());
  txn->commit();
  return applied;
}

CancelOutcome JobResultService::cancel(Id runId, const std::string& who) {
  const auto nowText = isoTime(clock_());
  auto txn = jobs_.begin();
  auto run = txn->run(runId);
  if (!run) throw domain::NotFoundError(fmt::format("no run {}", runId), "run");
  if (domain::isFinal(run->state)) {
    throw domain::ConflictError(
        fmt::format("run {} has already finished ({})", runId, domain::toString(run->state)),
        "run");
  }
  CancelOutcome out;
  run->cancelRequested = true;
  auto queued = txn->queuedTasks(runId);
  for (auto& t : queued) {
    t.state = TaskState::Cancelled;
    t.category = "cancelled";
    t.message = "cancelled by " + who + " before it started";
    t.finishedAt = nowText;
  }
  const auto written = txn->finishTasks(queued, TaskState::Queued);
  for (bool w : written) {
    if (!w) continue;
    ++out.cancelledQueued;
    run->tally.add(domain::TaskOutcome::Cancelled);
  }
  out.stillRunning = txn->countTasks(runId, TaskState::Running);
  std::vector<RunLogEntry> log;
  log.push_back(logLine(runId, nowText, LogLevel::Warning, "",
                        fmt::format("cancel requested by {}: {} queued task{} cancelled, {} "
                                    "running to stop",
                                    who, out.cancelledQueued, out.cancelledQueued == 1 ? "" : "s",
                                    out.stillRunning)));
  if (static_cast<std::int64_t>(run->tally.total()) >= run->total &&
      run->state != RunState::Running) {
    domain::checkTransition(run->id, run->state, RunState::Cancelled);
    run->state = RunState::Cancelled;
    run->finishedAt = nowText;
    log.push_back(logLine(runId, nowText, LogLevel::Warning, "", "run finished CANCELLED"));
  } else {
    finishRunIfDone(*run, nowText, log);
  }
  txn->updateRun(*run);
  txn->appendLog(log);
  txn->commit();
  out.run = *run;
  return out;
}

std::size_t JobResultService::expireOverdue() {
  const auto now = clock_();
  const auto nowText = isoTime(now);
  auto txn = jobs_.begin();
  std::size_t failed = 0;
  std::vector<RunLogEntry> log;
  for (auto run : txn->overdueRuns(toEpochMs(now))) {
    auto queued = txn->queuedTasks(run.id);
    for (auto& t : queued) {
      t.state = TaskState::Done;
      t.category = "timeout";
      t.message = "the run's time limit passed before the task started";
      t.finishedAt = nowText;
    }
    const auto written = txn->finishTasks(queued, TaskState::Queued);
    std::size_t n = 0;
    for (bool w : written) {
      if (!w) continue;
      ++n;
      run.tally.add(domain::TaskOutcome::Failed);
    }
    if (n == 0) continue;
    failed += n;
    log.push_back(logLine(run.id, nowText, LogLevel::Error, "",
                          fmt::format("time limit passed: {} queued task{} failed as timeouts", n,
                                      n == 1 ? "" : "s")));
    finishRunIfDone(run, nowText, log);
    txn->updateRun(run);
  }
  txn->appendLog(log);
  txn->commit();
  return failed;
}

// ------------------------------------------------------------------------------- JobDispatcher

JobDispatcher::JobDispatcher(JobStore& jobs, JobResultService& results)
    : jobs_(jobs), results_(results) {}

Claim JobDispatcher::claim(const std::string& worker, std::size_t max, bool allowSolo) {
  Claim claim;
  if (max == 0) return claim;
  const auto now = results_.now();
  const auto nowMs = toEpochMs(now);
  auto txn = jobs_.begin();
  claim.tasks = txn->claim(worker, max, nowMs, nowMs + results_.settings().lease.count(),
                           isoTime(now), allowSolo);
  if (claim.tasks.empty()) return claim;  // rolled back: nothing was written
  std::map<Id, JobRun> runs;
  DeviceFilter devices;  // one query for the claim's devices, as the inventory has them now
  for (const auto& t : claim.tasks) {
    if (!runs.count(t.runId)) {
      if (auto run = txn->run(t.runId)) runs.emplace(t.runId, *run);
    }
    devices.ids.push_back(t.deviceId);
  }
  for (auto& d : txn->devices().list(devices)) claim.devices.emplace(d.id, std::move(d));
  for (auto& [id, key] : txn->hostKeys(devices.ids)) claim.hostKeys.emplace(id, key.key);
  results_.startRuns(*txn, runs);
  bool templates = false;
  for (auto& [id, run] : runs) {
    ClaimedRun c;
    c.run = run;
    if (auto job = txn->job(run.jobId)) c.parameters = job->parameters;
    templates = templates || c.parameters.count("template") > 0;
    claim.runs.emplace(id, std::move(c));
  }
  if (templates) claim.areaPaths = txn->areaPaths(devices.ids);
  txn->commit();
  return claim;
}

std::optional<domain::Device> JobDispatcher::device(Id deviceId) {
  auto txn = jobs_.read();
  return txn->devices().get(deviceId);
}

std::vector<Id> JobDispatcher::heartbeat(const std::string& worker) {
  const auto now = results_.now();
  auto txn = jobs_.begin();
  txn->extendLeases(worker, toEpochMs(now) + results_.settings().lease.count());
  auto cancelled = txn->cancelledRunsOf(worker);
  txn->commit();
  return cancelled;
}

std::size_t JobDispatcher::reclaimExpired() {
  std::vector<Task> expired;
  {
    auto txn = jobs_.begin();
    expired = txn->expiredTasks(toEpochMs(results_.now()));
  }
  return results_.recordLost(expired, "worker crashed: its lease expired without a heartbeat");
}

std::size_t JobDispatcher::releaseWorker(const std::string& worker, const std::string& reason) {
  std::vector<Task> running;
  {
    auto txn = jobs_.begin();
    running = txn->runningTasks(worker);
  }
  if (running.empty()) return 0;
  return results_.recordLost(running, reason);
}

}  // namespace netspine::app
