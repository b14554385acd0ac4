// netspine job run|list, run list|show|cancel, worker, serve: the job pipeline from the shell.

#include <Poco/JSON/Parser.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "api/api_server.hpp"
#include "application/discovery_service.hpp"
#include "application/job_json.hpp"
#include "application/job_service.hpp"
#include "application/scheduler.hpp"
#include "application/worker.hpp"
#include "cli/cli.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"
#include "domain/errors.hpp"
#include "infra/database.hpp"
#include "infra/device_targets.hpp"
#include "infra/engine_catalog.hpp"
#include "infra/git_config_archive.hpp"
#include "infra/plugin_host.hpp"
#include "infra/scheduler_lock.hpp"
#include "infra/sql_job_store.hpp"
#include "infra/worker_supervisor.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

using domain::Id;
using domain::JobRun;
using domain::RunState;
using Steady = std::chrono::steady_clock;

std::atomic<bool> gStop{false};

void onSignal(int) {
  gStop.store(true);
}

/// SIGTERM and SIGINT set gStop (the loops end cleanly); restored when the command returns.
class StopSignals {
 public:
  StopSignals() {
    gStop.store(false);
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &oldTerm_);
    sigaction(SIGINT, &sa, &oldInt_);
  }
  ~StopSignals() {
    sigaction(SIGTERM, &oldTerm_, nullptr);
    sigaction(SIGINT, &oldInt_, nullptr);
  }

 private:
  struct sigaction oldTerm_ {};
  struct sigaction oldInt_ {};
};

app::JobService jobService(CliContext& ctx) {
  const auto& cfg = ctx.config();
  return app::JobService(ctx.store(), ctx.jobStore(), ctx.engines(), cfg.automationPolicy,
                         cfg.operations, cfg.jobs);
}

Id runIdOf(const Args& args) {
  const auto& text = args.positional(0);
  try {
    std::size_t used = 0;
    const auto id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw UsageError(fmt::format("RUN: expected a run id (a positive number), got '{}'", text));
}

std::chrono::milliseconds durationOption(const Args& args, const char* name) {
  auto text = args.text(name);
  if (!text) return std::chrono::milliseconds(0);
  try {
    return domain::parseInterval(*text, std::string("--") + name);
  } catch (const domain::ValidationError& e) {
    throw UsageError(e.what());
  }
}

std::string targetText(const domain::Job& job) {
  if (job.selector) return "select " + job.selector->toString();
  return "devices " + joinComma(job.devices);
}

// ------------------------------------------------------------------------------------ job run

std::map<std::string, std::string> paramsOf(const Args& args) {
  std::map<std::string, std::string> params;
  for (const auto& p : args.list("param")) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError(fmt::format("--param: expected KEY=VALUE, got '{}'", p));
    }
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return params;
}

/// A task's engine data (a JSON object of strings); empty when it has none or is unreadable.
std::map<std::string, std::string> dataOf(const domain::Task& task) {
  std::map<std::string, std::string> out;
  if (task.data.empty()) return out;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(task.data).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object) out[key] = value.toString();
  } catch (const Poco::Exception&) {
  }
  return out;
}

/// What a change did to each device: its diff and the stored revision, for people.
std::string changesText(const std::vector<domain::Task>& tasks) {
  std::string out;
  for (const auto& t : tasks) {
    const auto data = dataOf(t);
    auto diff = data.find("diff");
    if (diff == data.end() && !data.count("applied") && !data.count("dry_run")) continue;
    const bool dry = data.count("dry_run") && data.at("dry_run") == "true";
    const bool changed = !data.count("changed") || data.at("changed") == "true";
    std::string what;
    if (t.category != "ok") {
      what = fmt::format("{}: {}", t.category, t.message);
    } else if (!changed) {
      what = "no change";
    } else if (dry) {
      what = "would change (dry run, nothing sent)";
    } else if (auto c = data.find("config_commit"); c != data.end()) {
      what = "changed; configuration stored as " + c->second.substr(0, 12);
    } else {
      what = "changed";
    }
    out += fmt::format("{}: {}\n", t.device, what);
    if (diff != data.end() && !diff->second.empty()) {
      std::size_t start = 0;
      while (start < diff->second.size()) {
        auto end = diff->second.find('\n', start);
        if (end == std::string::npos) end = diff->second.size();
        out += "    " + diff->second.substr(start, end - start) + "\n";
        start = end + 1;
      }
    }
    if (auto r = data.find("rollback"); r != data.end()) out += "    rollback: " + r->second + "\n";
  }
  return out;
}

/// The text of a file an option names; a UsageError naming the option and the file otherwise.
std::string optionFile(const Args& args, const std::string& option) {
  const auto path = args.textOr(option.c_str());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError(fmt::format("--{}: cannot read '{}': {}", option, path, std::strerror(errno)));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw UsageError(fmt::format("--{}: '{}' is empty", option, path));
  }
  return text;
}

/// Waits for the run to finish, with a progress line on a terminal; sets the exit code.
void waitFor(CliContext& ctx, app::JobService& service, Id runId) {
  std::ostream* err = ctx.errorStream();
  const bool tty = err && isatty(STDERR_FILENO);
  const auto start = Steady::now();
  auto lastProgress = start;
  std::size_t lastDone = 0;
  bool hinted = false;
  app::RunDetails d;
  for (;;) {
    d = service.run(runId);
    const auto done = d.run.tally.total();
    if (done != lastDone) {
      lastDone = done;
      lastProgress = Steady::now();
    }
    const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
    if (tty) {
      *err << fmt::format("\r\033[Krun {} {}: {}/{} done ({} failed, {} skipped) {:.1f}/s", runId,
                          domain::toString(d.run.state), done, d.run.total, d.run.tally.failed,
                          d.run.tally.skipped,
                          seconds > 0 ? static_cast<double>(done) / seconds : 0.0)
           << std::flush;
    }
    if (domain::isFinal(d.run.state)) break;
    if (!hinted && d.running == 0 && Steady::now() - lastProgress > std::chrono::seconds(10)) {
      ctx.warn(
          fmt::format("run {}: no task has started for 10 s: is `netspine serve` or "
                      "`netspine worker` running on this database?",
                      runId));
      hinted = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (tty) *err << "\n";
  const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
  if (ctx.json()) {
    app::JsonWriter w;
    app::writeJson(w, d.run);
    ctx.printJson(w);
  } else {
    std::string out =
        fmt::format("run {} {} in {:.1f} s: {} ok, {} failed, {} skipped, {} cancelled of {}\n",
                    runId, domain::toString(d.run.state), seconds, d.run.tally.ok,
                    d.run.tally.failed, d.run.tally.skipped, d.run.tally.cancelled, d.run.total);
    app::TaskFilter failed;
    failed.runId = runId;
    failed.state = domain::TaskState::Done;
    failed.limit = 0;
    std::size_t shown = 0;
    for (const auto& t : service.tasks(failed)) {
      if (t.category == "ok") continue;
      if (++shown > 20) {
        out += "  … (netspine run show " + std::to_string(runId) + " lists them all)\n";
        break;
      }
      out += fmt::format("  {}: {}: {}\n", t.device, t.category, t.message);
    }
    failed.state.reset();
    failed.limit = 1000;
    out += changesText(service.tasks(failed));
    ctx.print(out);
  }
  ctx.setExitCode(d.run.state == RunState::Succeeded ? kExitOk : kExitFailure);
}

void jobRun(CliContext& ctx, const Args& args) {
  app::JobRequest request;
  request.kind = args.positional(0);
  request.devices = args.list("device");
  if (auto select = args.text("select")) request.selector = domain::DeviceSelector::parse(*select);
  if (request.devices.empty() == !request.selector) {
    throw UsageError(
        "give the devices with --device NAME (repeatable) or a selector with --select "
        "EXPR, one of the two");
  }
  request.parameters = paramsOf(args);
  // A change's input and options, as parameters the core and the engine read.
  if (args.has("lines-file") && args.has("template")) {
    throw UsageError("give --lines-file or --template, not both");
  }
  for (const auto& [option, parameter] :
       {std::pair<std::string, std::string>{"lines-file", "lines"}, {"template", "template"}}) {
    if (!args.has(option.c_str())) continue;
    if (request.parameters.count(parameter)) {
      throw UsageError(
          fmt::format("--{} and --param {}=…: give one of the two", option, parameter));
    }
    request.parameters[parameter] = optionFile(args, option);
  }
  if (args.flag("dry-run")) request.parameters["dry_run"] = "true";
  if (args.flag("confirm")) request.parameters["confirm"] = "yes";
  if (auto n = args.integer("canary")) {
    if (*n < 0) throw UsageError("--canary: must not be negative");
    request.canary = static_cast<unsigned>(*n);
  }
  request.stopOnFailure = args.flag("stop-on-failure");
  request.requestedBy = ctx.change(args).actor;
  if (auto n = args.integer("concurrency")) {
    if (*n < 0) throw UsageError("--concurrency: must not be negative");
    request.concurrency = static_cast<unsigned>(*n);
  }
  if (args.has("time-limit")) request.timeLimit = durationOption(args, "time-limit");
  auto service = jobService(ctx);
  const auto accepted = service.submit(request);
  if (!args.flag("wait")) {
    printObject(
        ctx,
        [&](app::JsonWriter& w) {
          w.beginObject()
              .key("job_id")
              .value(accepted.job.id)
              .key("run_id")
              .value(accepted.run.id)
              .key("state")
              .value(domain::toString(accepted.run.state))
              .key("total")
              .value(accepted.run.total)
              .key("queued")
              .value(accepted.queued)
              .key("skipped")
              .value(accepted.skipped)
              .endObject();
        },
        KeyValueBlock()
            .add("run", std::to_string(accepted.run.id))
            .add("job", std::to_string(accepted.job.id))
            .add("kind", accepted.job.kind)
            .add("state", std::string(domain::toString(accepted.run.state)))
            .add("devices", fmt::format("{} ({} queued, {} skipped)", accepted.run.total,
                                        accepted.queued, accepted.skipped)));
    return;
  }
  if (!ctx.json()) {
    ctx.print(fmt::format("run {}: {} on {} device{} ({} queued, {} skipped)\n", accepted.run.id,
                          accepted.job.kind, accepted.run.total, accepted.run.total == 1 ? "" : "s",
                          accepted.queued, accepted.skipped));
  }
  waitFor(ctx, service, accepted.run.id);
}

void jobList(CliContext& ctx, const Args& args) {
  auto service = jobService(ctx);
  auto jobs = service.jobs(args.count("limit", 50), args.count("offset", 0));
  printList(
      ctx, jobs, {"ID", "KIND", "TARGET", "SCHEDULE", "BY", "CREATED"},
      [](app::JsonWriter& w, const domain::Job& j) { app::writeJson(w, j); },
      [](const domain::Job& j) -> std::vector<std::string> {
        return {std::to_string(j.id), j.kind,        targetText(j),
                j.schedule,           j.requestedBy, j.createdAt};
      });
}

// ------------------------------------------------------------------------------------- run …

void runList(CliContext& ctx, const Args& args) {
  app::RunFilter filter;
  if (auto s = args.text("state")) {
    filter.state = domain::parseRunState(*s);
    if (!filter.state) {
      throw UsageError(
          fmt::format("--state: unknown run state '{}' (PENDING, QUEUED, RUNNING, "
                      "SUCCEEDED, PARTIAL, FAILED, CANCELLED)",
                      *s));
    }
  }
  filter.kind = args.textOr("kind");
  filter.jobId = args.count("job", 0);
  filter.limit = args.count("limit", 50);
  filter.offset = args.count("offset", 0);
  auto service = jobService(ctx);
  auto runs = service.runs(filter);
  printList(
      ctx, runs,
      {"ID", "JOB", "KIND", "STATE", "TOTAL", "OK", "FAILED", "SKIPPED", "CANCELLED", "CREATED",
       "FINISHED"},
      [](app::JsonWriter& w, const JobRun& r) { app::writeJson(w, r); },
      [](const JobRun& r) -> std::vector<std::string> {
        return {std::to_string(r.id),
                std::to_string(r.jobId),
                r.kind,
                std::string(domain::toString(r.state)),
                std::to_string(r.total),
                std::to_string(r.tally.ok),
                std::to_string(r.tally.failed),
                std::to_string(r.tally.skipped),
                std::to_string(r.tally.cancelled),
                r.createdAt,
                r.finishedAt};
      });
}

void runShow(CliContext& ctx, const Args& args) {
  const Id runId = runIdOf(args);
  auto service = jobService(ctx);
  const auto d = service.run(runId);
  app::TaskFilter tf;
  tf.runId = runId;
  if (auto s = args.text("tasks")) {
    if (*s != "all") {
      tf.state = domain::parseTaskState(*s);
      if (!tf.state) {
        throw UsageError(fmt::format(
            "--tasks: unknown task state '{}' (all, queued, running, done, skipped, cancelled)",
            *s));
      }
    }
  }
  tf.category = args.textOr("category");
  tf.limit = args.count("limit", 1000);
  const auto tasks = service.tasks(tf);
  app::LogFilter lf;
  lf.runId = runId;
  if (auto l = args.text("level")) {
    auto level = domain::parseLogLevel(*l);
    if (!level)
      throw UsageError(
          fmt::format("--level: unknown level '{}' (debug, info, warning, error)", *l));
    lf.minLevel = *level;
  }
  lf.device = args.textOr("device");
  lf.limit = args.count("limit", 1000);
  const bool withLog = args.flag("log") || args.has("level") || args.has("device");
  std::vector<domain::RunLogEntry> log;
  if (withLog) log = service.log(lf);

  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject().key("run");
    app::writeJson(w, d.run);
    w.key("job").beginObject().key("id").value(d.job.id).key("kind").value(d.job.kind);
    w.key("target").value(targetText(d.job)).key("requested_by").value(d.job.requestedBy);
    w.key("schedule").value(d.job.schedule).endObject();
    w.key("tasks").beginArray();
    for (const auto& t : tasks) app::writeJson(w, t);
    w.endArray();
    if (withLog) {
      w.key("log").beginArray();
      for (const auto& e : log) app::writeJson(w, e);
      w.endArray();
    }
    w.endObject();
    ctx.printJson(w);
    return;
  }
  std::string out;
  KeyValueBlock()
      .add("run", std::to_string(d.run.id))
      .add("job", fmt::format("{} ({})", d.job.id, targetText(d.job)))
      .add("kind", d.run.kind)
      .add("state",
           std::string(domain::toString(d.run.state)) +
               (d.run.cancelRequested && !domain::isFinal(d.run.state) ? " (cancel requested)"
                                                                       : "") +
               (d.run.problem.empty() ? "" : " (" + d.run.problem + ")"))
      .add("requested by", d.job.requestedBy)
      .add("tasks", fmt::format("{} total: {} ok, {} failed, {} skipped, {} cancelled, {} queued, "
                                "{} running",
                                d.run.total, d.run.tally.ok, d.run.tally.failed,
                                d.run.tally.skipped, d.run.tally.cancelled, d.queued, d.running))
      .add("created", d.run.createdAt)
      .add("queued", d.run.queuedAt)
      .add("started", d.run.startedAt)
      .add("finished", d.run.finishedAt)
      .render(out);
  out += "\n";
  TextTable table({"DEVICE", "STATE", "RESULT", "ATTEMPTS", "DURATION", "MESSAGE"});
  for (const auto& t : tasks) {
    table.addRow({t.device, std::string(domain::toString(t.state)), t.category,
                  std::to_string(t.attempts), fmt::format("{} ms", t.durationMs), t.message});
  }
  table.render(out);
  if (const auto changes = changesText(tasks); !changes.empty()) out += "\n" + changes;
  if (withLog) {
    out += "\n";
    for (const auto& e : log) {
      out += fmt::format("{} {:<7} {}{}\n", e.time, domain::toString(e.level),
                         e.device.empty() ? "" : e.device + ": ", e.message);
    }
  }
  ctx.print(out);
}

void runCancel(CliContext& ctx, const Args& args) {
  const Id runId = runIdOf(args);
  app::JobResultService results(ctx.jobStore(), ctx.config().jobs);
  const auto outcome = results.cancel(runId, ctx.change(args).actor);
  printObject(
      ctx,
      [&](app::JsonWriter& w) {
        w.beginObject()
            .key("run_id")
            .value(runId)
            .key("state")
            .value(domain::toString(outcome.run.state))
            .key("cancelled_queued")
            .value(outcome.cancelledQueued)
            .key("still_running")
            .value(outcome.stillRunning)
            .endObject();
      },
      KeyValueBlock()
          .add("run", std::to_string(runId))
          .add("state", std::string(domain::toString(outcome.run.state)))
          .add("cancelled", fmt::format("{} queued task{}", outcome.cancelledQueued,
                                        outcome.cancelledQueued == 1 ? "" : "s"))
          .add("stopping",
               fmt::format("{} running task{} (their workers stop them)", outcome.stillRunning,
                           outcome.stillRunning == 1 ? "" : "s")));
}

// ------------------------------------------------------------------------------ worker, serve

std::string stamp() {
  return app::isoTime(app::systemNow());
}

void logLine(const std::string& who, const std::string& line) {
  std::cerr << stamp() << " " << who << ": " << line << std::endl;
}

/// Every schedule's kind must be one an engine provides and the policy knows: FILE:LINE each.
void checkSchedules(CliContext& ctx) {
  const auto& cfg = ctx.config();
  const auto ops = ctx.engines().operations();
  std::vector<std::string> problems;
  for (const auto& s : cfg.schedules) {
    const std::string where = fmt::format("{}:{}", cfg.sourcePath, s.kindLine);
    if (!ctx.engines().engineFor(s.kind)) {
      problems.push_back(
          fmt::format("{}: schedule '{}': kind '{}': no loaded engine provides it "
                      "(loaded operations: {})",
                      where, s.name, s.kind, ops.empty() ? "none" : joinComma(ops)));
    } else if (!cfg.operations.of(s.kind)) {
      problems.push_back(
          fmt::format("{}: schedule '{}': kind '{}' has no automation class "
                      "(declare it under `operations:`)",
                      where, s.name, s.kind));
    } else if (auto p = ctx.engines().validate(s.kind, s.parameters)) {
      problems.push_back(fmt::format("{}: schedule '{}': parameters: {}", where, s.name, *p));
    }
  }
  if (problems.empty()) return;
  std::string message = fmt::format("{} schedule{} cannot run, nothing started:", problems.size(),
                                    problems.size() == 1 ? "" : "s");
  for (const auto& p : problems) message += "\n" + p;
  throw domain::ValidationError(message, "schedules");
}

void worker(CliContext& ctx, const Args& args) {
  const auto& cfg = ctx.config();
  app::WorkerOptions options;
  options.id = args.textOr("id", infra::workerId(getpid()));
  options.concurrency = cfg.workerConcurrency;
  if (auto n = args.integer("concurrency")) {
    if (*n < 1) throw UsageError("--concurrency: must be at least 1");
    options.concurrency = static_cast<unsigned>(*n);
  }
  options.untilIdle = args.flag("drain");
  // The worker's own connection: claims and results are its only database work.
  ctx.store();
  infra::SqlJobStore jobs(ctx.databaseUrl());
  app::JobResultService results(jobs, cfg.jobs);
  // Configurations the engines return go into the Git repository; each worker opens its own
  // handle, and commits are serialised across processes by the repository's lock.
  infra::GitConfigArchive archive(cfg.effectiveBackupRepository(), cfg.backup, cfg.backupRemote);
  results.setArchive(&archive, cfg.backup);
  // Discovered facts go into the inventory through DeviceService, as the run.
  app::DiscoveryService discovery(ctx.store(), infra::snmpIdentities(ctx.plugins()),
                                  cfg.automationPolicy, cfg.operations);
  results.setDiscovery(&discovery);
  results.setOperationClasses(cfg.operations);
  app::JobDispatcher dispatcher(jobs, results);
  const auto& engines = ctx.engines();
  options.log = [id = options.id](const std::string& line) { logLine("worker " + id, line); };
  app::Worker w(dispatcher, results, engines, cfg.automationPolicy, cfg.operations, options,
                infra::targetPreparer(cfg, ctx.secrets()));
  StopSignals signals;
  const bool quiet = args.flag("quiet");
  if (!quiet) {
    logLine("worker " + options.id,
            fmt::format("started: {} thread{}, operations: {}", options.concurrency,
                        options.concurrency == 1 ? "" : "s",
                        engines.operations().empty() ? "none" : joinComma(engines.operations())));
  }
  const bool healthy = w.run(gStop);
  const auto& s = w.stats();
  if (!quiet || !healthy) {
    logLine(
        "worker " + options.id,
        fmt::format("{}: {} claimed, {} executed, {} recorded, {} abandoned",
                    healthy ? "stopped" : "giving up: too many engine threads are stuck",
                    s.claimed.load(), s.executed.load(), s.recorded.load(), s.abandoned.load()));
  }
  if (!healthy || w.hasStuckThreads()) {
    // A thread stuck in a plugin cannot be joined; leave without running destructors under it.
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(healthy ? kExitOk : kExitWorkerStuck);
  }
}

std::string selfExecutable() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the netspine executable: " + ec.message());
  return path.string();
}

void serve(CliContext& ctx, const Args& args) {
  const auto& cfg = ctx.config();
  unsigned workers = cfg.workers;
  if (auto n = args.integer("workers")) {
    if (*n < 0) throw UsageError("--workers: must not be negative");
    workers = static_cast<unsigned>(*n);
  }
  ctx.store();  // the schema check, before anything starts
  checkSchedules(ctx);
  const std::string who = fmt::format("serve {}", getpid());

  infra::SqlJobStore jobs(ctx.databaseUrl());
  app::JobResultService results(jobs, cfg.jobs);
  app::JobDispatcher dispatcher(jobs, results);
  app::JobService service(ctx.store(), jobs, ctx.engines(), cfg.automationPolicy, cfg.operations,
                          cfg.jobs);
  app::Scheduler scheduler(jobs, service, cfg.schedules);

  std::vector<std::string> argv = {selfExecutable()};
  if (!cfg.sourcePath.empty()) {
    argv.push_back("--config");
    argv.push_back(std::filesystem::absolute(cfg.sourcePath).string());
  }
  // The database goes to the workers in the environment, never on their command line.
  ::setenv("NETSPINE_DB", ctx.databaseUrl().c_str(), 1);
  argv.push_back("worker");
  StopSignals signals;
  infra::WorkerSupervisor supervisor(
      argv, workers,
      [&](pid_t, const std::string& id, const std::string& how) {
        try {
          const auto n =
              dispatcher.releaseWorker(id, fmt::format("worker crashed: worker {} {}", id, how));
          if (n > 0)
            logLine(who, fmt::format("{} task{} of worker {} reclaimed", n, n == 1 ? "" : "s", id));
        } catch (const std::exception& e) {
          logLine(who, fmt::format("cannot reclaim the tasks of worker {}: {}", id,
                                   ctx.redact(e.what())));
        }
      },
      [&](const std::string& line) { logLine(who, line); });

  // The REST API, on its own pool of threads and database connections.
  std::atomic<unsigned> workersAlive{0};
  std::atomic<unsigned> workerRestarts{0};
  api::ServerEnvironment env;
  env.config = cfg;
  env.databaseUrl = ctx.databaseUrl();
  env.engines = &ctx.engines();
  env.plugins = ctx.plugins().plugins();
  env.version = NETSPINE_VERSION;
  env.workers = [&, workers] {
    return api::WorkerStatus{workers, workersAlive.load(), workerRestarts.load()};
  };
  env.log = [who](const std::string& line) { logLine(who, "api: " + line); };
  std::unique_ptr<api::ApiServer> server;
  if (!args.flag("no-api")) {
    if (auto listen = args.text("listen")) {
      auto& s = env.config.server;
      if (!infra::parseListenAddress(*listen, s.host, s.port))
        throw UsageError("--listen: expected HOST:PORT or [IPv6]:PORT, got '" + *listen + "'");
    }
    server = std::make_unique<api::ApiServer>(std::move(env));
    server->start();
    const auto& s = server->environment().config.server;
    logLine(who, fmt::format("api: listening on {}://{}:{}", server->scheme(),
                             s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host,
                             server->port()));
  }

  std::optional<infra::SchedulerLock> lock;
  auto nextLockTry = Steady::now();
  auto nextTick = Steady::now();
  auto nextReclaim = Steady::now();
  logLine(who, fmt::format("serving {} with {} worker{} and {} schedule{}",
                           ctx.redact(ctx.databaseUrl()), workers, workers == 1 ? "" : "s",
                           cfg.schedules.size(), cfg.schedules.size() == 1 ? "" : "s"));
  while (!gStop.load()) {
    const auto now = Steady::now();
    try {
      supervisor.poll();
      workersAlive = static_cast<unsigned>(supervisor.pids().size());
      workerRestarts = supervisor.started() > workers ? supervisor.started() - workers : 0;
      if (!cfg.schedules.empty() && !lock && now >= nextLockTry) {
        if (auto acquired = infra::SchedulerLock::tryAcquire(jobs.database())) {
          lock.emplace(std::move(*acquired));
          logLine(who, "scheduler: running (" + lock->describe() + ")");
        } else {
          logLine(who, "scheduler: another server holds the lock; retrying in 10 s");
          nextLockTry = now + std::chrono::seconds(10);
        }
      }
      if (lock && now >= nextTick) {
        for (const auto& e : scheduler.tick(app::systemNow())) logLine(who, e.message);
        nextTick = now + std::chrono::seconds(1);
      }
      if (now >= nextReclaim) {
        dispatcher.reclaimExpired();
        results.expireOverdue();
        nextReclaim = now + std::chrono::seconds(5);
      }
    } catch (const std::exception& e) {
      // A database hiccup must not take the server down; the next round tries again.
      logLine(who, "error: " + ctx.redact(e.what()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  logLine(who, "stopping");
  // Requests in progress finish; new connections are refused; then the workers stop.
  if (server) server->stop(std::chrono::seconds(10));
  supervisor.stop(cfg.jobs.cancelGrace + std::chrono::seconds(3));
  logLine(who, "stopped");
}

}  // namespace

Command jobCommands() {
  Command group{.name = "job", .summary = "run automation on devices, list the jobs"};
  group.subcommands.push_back({
      .name = "run",
      .summary = "queue a job: KIND (an operation of a loaded engine) on devices",
      .positionals = {"KIND"},
      .synopsis = "(--device NAME... | --select EXPR)",
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("device", po::value<std::vector<std::string>>()->value_name("NAME")->composing(),
                "a device to run on (repeatable); all must allow KIND, or nothing is queued");
            opt("select", po::value<std::string>()->value_name("EXPR"),
                "the devices matching EXPR (status=active area=dc1 platform= role= tag= name=); "
                "those whose status forbids KIND are skipped");
            opt("param",
                po::value<std::vector<std::string>>()->value_name("KEY=VALUE")->composing(),
                "a parameter of the operation (repeatable)");
            opt("concurrency", po::value<int>()->value_name("N"),
                "at most N devices of this run at once, over all workers (default: "
                "jobs.run_concurrency)");
            opt("time-limit", po::value<std::string>()->value_name("DURATION"),
                "stop the run after DURATION, e.g. 30m (default: jobs.run_time_limit)");
            opt("wait", po::bool_switch(),
                "wait for the run to finish, with progress on a terminal; the exit code is 0 "
                "only when the run SUCCEEDED (no device failed or was cancelled; skipped "
                "devices count as neither); a change shows each device's diff");
            opt("lines-file", po::value<std::string>()->value_name("FILE"),
                "push/provision: the configuration lines to apply, one per line");
            opt("template", po::value<std::string>()->value_name("FILE"),
                "push/provision: a template rendered per device (docs/templates.md); --param "
                "values are its variables");
            opt("dry-run", po::bool_switch(),
                "push/provision/teardown: compute and store each device's diff, change nothing");
            opt("confirm", po::bool_switch(), "teardown: yes, take these devices out of service");
            opt("canary", po::value<int>()->value_name("N"),
                "run N devices first; the others only if all of them succeed");
            opt("stop-on-failure", po::bool_switch(), "start no further device once one failed");
          },
      .run = jobRun,
  });
  group.subcommands.push_back({
      .name = "list",
      .summary = "list jobs, newest first",
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("limit", po::value<std::int64_t>()->value_name("N"), "at most N (default 50)");
            opt("offset", po::value<std::int64_t>()->value_name("N"), "skip the first N");
          },
      .run = jobList,
  });
  return group;
}

Command runCommands() {
  Command group{.name = "run", .summary = "the runs of jobs: list, show (tasks, log), cancel"};
  group.subcommands.push_back({
      .name = "list",
      .summary = "list runs, newest first",
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("state", po::value<std::string>()->value_name("STATE"), "only runs in STATE");
            opt("kind", po::value<std::string>()->value_name("KIND"), "only runs of KIND");
            opt("job", po::value<std::int64_t>()->value_name("ID"), "only runs of job ID");
            opt("limit", po::value<std::int64_t>()->value_name("N"), "at most N (default 50)");
            opt("offset", po::value<std::int64_t>()->value_name("N"), "skip the first N");
          },
      .run = runList,
  });
  group.subcommands.push_back({
      .name = "show",
      .summary = "a run: state, counts, its tasks and results, and (--log) its log",
      .positionals = {"RUN"},
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("tasks", po::value<std::string>()->value_name("STATE"),
                "only tasks in STATE (queued, running, done, skipped, cancelled; default all)");
            opt("category", po::value<std::string>()->value_name("CATEGORY"),
                "only tasks with this result (ok, timeout, unreachable, …)");
            opt("log", po::bool_switch(), "show the run's log too");
            opt("level", po::value<std::string>()->value_name("LEVEL"),
                "log lines from LEVEL up (debug, info, warning, error); implies --log");
            opt("device", po::value<std::string>()->value_name("NAME"),
                "only the log lines of one device; implies --log");
            opt("limit", po::value<std::int64_t>()->value_name("N"),
                "at most N tasks and N log lines (default 1000)");
          },
      .run = runShow,
  });
  group.subcommands.push_back({
      .name = "cancel",
      .summary = "cancel a run: queued tasks at once, running ones within seconds",
      .positionals = {"RUN"},
      .run = runCancel,
  });
  return group;
}

Command workerCommand() {
  return {
      .name = "worker",
      .summary = "run tasks of the queue until stopped (SIGTERM/SIGINT); `serve` starts these",
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("id", po::value<std::string>()->value_name("ID"),
                "this worker's id, unique among live workers (default HOST:PID)");
            opt("concurrency", po::value<int>()->value_name("N"),
                "devices at once (default: jobs.worker_concurrency)");
            opt("drain", po::bool_switch(), "exit once the queue is empty");
            opt("quiet", po::bool_switch(), "no start and stop lines");
          },
      .run = worker,
  };
}

Command serveCommand() {
  return {
      .name = "serve",
      .summary =
          "run the REST API and the scheduler, and supervise local worker processes, "
          "until stopped (SIGTERM/SIGINT)",
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("workers", po::value<int>()->value_name("N"),
                "worker processes to supervise (default: jobs.workers)");
            opt("listen", po::value<std::string>()->value_name("HOST:PORT"),
                "the API's address (default: server.listen); port 0: any free port, logged");
            opt("no-api", po::bool_switch(), "no REST API: the scheduler and workers only");
          },
      .run = serve,
  };
}

Command openApiCommand() {
  return {
      .name = "openapi",
      .summary = "print the REST API's OpenAPI 3 document (as GET /api/v1/openapi.json serves it)",
      .run =
          [](CliContext& ctx, const Args&) {
            ctx.print(api::openApiDocument(api::apiRoutes(), NETSPINE_VERSION) + "\n");
          },
  };
}

}  // namespace netspine::cli
