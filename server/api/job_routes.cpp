// /api/v1/jobs, runs (tasks, log, cancel), schedules and plugins.

#include <fmt/format.h>

#include "api/json_io.hpp"
#include "api/route_support.hpp"
#include "application/job_json.hpp"
#include "cli/shared_json.hpp"
#include "domain/device_selector.hpp"
#include "domain/errors.hpp"
#include "domain/schedule.hpp"

namespace netspine::api {
namespace {

using domain::Role;

app::Id idOf(const Request& r, const std::string& name) {
  const auto& text = r.param(name);
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw badField(name, "expected a positive whole number, got '" + text + "'");
  const auto id = std::stoll(text);
  if (id < 1) throw badField(name, "expected a positive whole number, got '" + text + "'");
  return id;
}

Response submitJob(Call& call) {
  Fields f(parseObject(call.request.body));
  f.only({"kind", "devices", "select", "parameters", "concurrency", "time_limit", "canary",
          "stop_on_failure", "dry_run", "lines", "template"});
  app::JobRequest request;
  request.kind = f.requiredText("kind");
  request.devices = f.texts("devices").value_or(std::vector<std::string>{});
  if (auto select = f.text("select")) {
    try {
      request.selector = domain::DeviceSelector::parse(*select);
    } catch (const domain::ValidationError& e) {
      throw badField("select", e.what());
    }
  }
  if (request.devices.empty() == !request.selector)
    throw badField("devices",
                   "give `devices` (a list of names) or `select` (an expression), one "
                   "of the two");
  if (auto params = f.textMap("parameters"))
    for (auto& [k, v] : *params) request.parameters[k] = v;
  if (auto n = f.integer("concurrency", 0, 1'000'000))
    request.concurrency = static_cast<unsigned>(*n);
  // A change's options, also accepted as `parameters` of the same names: the configuration
  // lines or the template (text), dry_run, and the run's canary and stop_on_failure.
  for (const char* name : {"lines", "template"}) {
    if (auto text = f.text(name)) {
      if (request.parameters.count(name))
        throw badField(name, std::string("given twice: as `") + name + "` and in `parameters`");
      request.parameters[name] = *text;
    }
  }
  if (auto dry = f.boolean("dry_run")) request.parameters["dry_run"] = *dry ? "true" : "false";
  if (auto n = f.integer("canary", 0, 1'000'000)) request.canary = static_cast<unsigned>(*n);
  if (auto stop = f.boolean("stop_on_failure")) request.stopOnFailure = *stop;
  if (auto t = f.text("time_limit")) {
    try {
      request.timeLimit = domain::parseInterval(*t, "time_limit");
    } catch (const domain::ValidationError& e) {
      throw badField("time_limit", e.what());
    }
  }
  request.requestedBy = call.request.actor();
  const auto accepted = [&] {
    try {
      return call.backend().jobService.submit(request);
    } catch (const domain::ValidationError& e) {
      // The service names job parameters "param" (the CLI's --param); the body calls them
      // "parameters".
      if (e.field() == "param") throw badField("parameters", e.what());
      throw;
    }
  }();
  app::JsonWriter w;
  w.beginObject().key("job");
  app::writeJson(w, accepted.job);
  w.key("run");
  app::writeJson(w, accepted.run);
  w.key("queued").value(accepted.queued).key("skipped").value(accepted.skipped).endObject();
  Response r = jsonResponse(w.take(), 201);
  r.headers.emplace_back("Location", fmt::format("/api/v1/runs/{}", accepted.run.id));
  return r;
}

void writeRunDetails(app::JsonWriter& w, const app::RunDetails& d) {
  w.beginObject().key("run");
  app::writeJson(w, d.run);
  w.key("job");
  app::writeJson(w, d.job);
  w.key("queued").value(d.queued).key("running").value(d.running).endObject();
}

}  // namespace

void jobRoutes(std::vector<Route>& routes) {
  routes.push_back(
      route("POST", "/api/v1/jobs", Role::Operate,
            {.operationId = "createJob",
             .summary = "Run a job now: KIND on explicit devices (all must be allowed, or 422) "
                        "or on a selector (forbidden devices are skipped tasks)",
             .tag = "jobs",
             .requestSchema = "JobInput",
             .responseSchema = "AcceptedJob",
             .success = 201,
             .errors = {400, 404, 409, 413, 422}},
            submitJob));
  routes.push_back(
      route("GET", "/api/v1/jobs", Role::Read,
            {.operationId = "listJobs",
             .summary = "Jobs, newest first",
             .tag = "jobs",
             .query = pagingParams(),
             .responseSchema = "Job",
             .list = true,
             .errors = {400}},
            [](Call& call) {
              auto& s = call.backend().jobService;
              const auto p = pagingOf(call.request);
              auto jobs = s.jobs(p.limit, p.offset);
              return countedPage(
                  call.request, p, s.countJobs(),
                  jsonArray(jobs, [](app::JsonWriter& w, const auto& j) { app::writeJson(w, j); }));
            }));
  routes.push_back(route("GET", "/api/v1/jobs/{id}", Role::Read,
                         {.operationId = "getJob",
                          .summary = "A job",
                          .tag = "jobs",
                          .responseSchema = "Job",
                          .errors = {400, 404}},
                         [](Call& call) {
                           app::JsonWriter w;
                           app::writeJson(w,
                                          call.backend().jobService.job(idOf(call.request, "id")));
                           return jsonResponse(w.take());
                         }));
  routes.push_back(route(
      "GET", "/api/v1/runs", Role::Read,
      {.operationId = "listRuns",
       .summary = "Runs, newest first",
       .tag = "runs",
       .query =
           [] {
             auto p = pagingParams();
             p.push_back(
                 {"state",
                  "string",
                  "run state",
                  false,
                  {"pending", "queued", "running", "succeeded", "partial", "failed", "cancelled"}});
             p.push_back({"kind", "string", "job kind"});
             p.push_back({"job", "integer", "job id"});
             return p;
           }(),
       .responseSchema = "Run",
       .list = true,
       .errors = {400}},
      [](Call& call) {
        auto& r = call.request;
        app::RunFilter f;
        if (auto s = r.one("state")) {
          f.state = domain::parseRunState(*s);
          if (!f.state)
            throw badField("state", "unknown run state '" + *s +
                                        "' (pending, queued, running, succeeded, partial, failed, "
                                        "cancelled)");
        }
        f.kind = r.one("kind").value_or("");
        f.jobId = r.integer("job", 1, std::int64_t{1} << 53).value_or(0);
        const auto p = pagingOf(r);
        auto& s = call.backend().jobService;
        const auto count = s.countRuns(f);
        f.limit = p.limit;
        f.offset = p.offset;
        return countedPage(r, p, count, jsonArray(s.runs(f), [](app::JsonWriter& w, const auto& x) {
                             app::writeJson(w, x);
                           }));
      }));
  routes.push_back(route("GET", "/api/v1/runs/{id}", Role::Read,
                         {.operationId = "getRun",
                          .summary = "A run with its job and its open task counts",
                          .tag = "runs",
                          .responseSchema = "RunDetails",
                          .errors = {400, 404}},
                         [](Call& call) {
                           app::JsonWriter w;
                           writeRunDetails(w,
                                           call.backend().jobService.run(idOf(call.request, "id")));
                           return jsonResponse(w.take());
                         }));
  routes.push_back(route(
      "GET", "/api/v1/runs/{id}/tasks", Role::Read,
      {.operationId = "listRunTasks",
       .summary = "A run's tasks (one per device) with their results",
       .tag = "runs",
       .query =
           [] {
             auto p = pagingParams();
             p.push_back({"state",
                          "string",
                          "task state",
                          false,
                          {"queued", "running", "done", "skipped", "cancelled"}});
             p.push_back({"category", "string", "result category (ok, timeout, unreachable, …)"});
             return p;
           }(),
       .responseSchema = "Task",
       .list = true,
       .errors = {400, 404}},
      [](Call& call) {
        auto& r = call.request;
        app::TaskFilter f;
        f.runId = idOf(r, "id");
        if (auto s = r.one("state")) {
          f.state = domain::parseTaskState(*s);
          if (!f.state)
            throw badField("state", "unknown task state '" + *s +
                                        "' (queued, running, done, skipped, cancelled)");
        }
        f.category = r.one("category").value_or("");
        const auto p = pagingOf(r);
        auto& s = call.backend().jobService;
        const auto count = s.countTasks(f);
        f.limit = p.limit;
        f.offset = p.offset;
        return countedPage(
            r, p, count,
            jsonArray(s.tasks(f), [](app::JsonWriter& w, const auto& t) { app::writeJson(w, t); }));
      }));
  routes.push_back(route(
      "GET", "/api/v1/runs/{id}/log", Role::Read,
      {.operationId = "listRunLog",
       .summary = "A run's log, oldest first",
       .tag = "runs",
       .query = {{"limit", "integer",
                  fmt::format("page size, 1 to {} (default {})", kMaxLimit, kDefaultLimit)},
                 {"cursor", "string", "the `next` link's cursor"},
                 {"level",
                  "string",
                  "lines from this level up",
                  false,
                  {"debug", "info", "warning", "error"}},
                 {"device", "string", "only the lines of this device"}},
       .responseSchema = "LogEntry",
       .list = true,
       .cursor = true,
       .errors = {400, 404}},
      [](Call& call) {
        auto& r = call.request;
        app::LogFilter f;
        f.runId = idOf(r, "id");
        if (auto level = r.one("level")) {
          auto parsed = domain::parseLogLevel(*level);
          if (!parsed)
            throw badField("level", "unknown level '" + *level + "' (debug, info, warning, error)");
          f.minLevel = *parsed;
        }
        f.device = r.one("device").value_or("");
        f.limit = pagingOf(r).limit;
        if (auto cursor = r.one("cursor"); cursor && !cursor->empty()) {
          const auto text = decodeCursor(*cursor);
          if (text.size() > 18 ||
              !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw badField("cursor", "not a cursor this API gave");
          f.afterId = std::stoll(text);
        }
        auto lines = call.backend().jobService.log(f);
        const bool more = static_cast<std::int64_t>(lines.size()) == f.limit;
        return cursorPage(
            r, more ? encodeCursor(std::to_string(lines.back().id)) : "",
            jsonArray(lines, [](app::JsonWriter& w, const auto& e) { app::writeJson(w, e); }));
      }));
  routes.push_back(
      route("POST", "/api/v1/runs/{id}/cancel", Role::Operate,
            {.operationId = "cancelRun",
             .summary = "Cancel a run: queued tasks at once, running ones within seconds",
             .tag = "runs",
             .responseSchema = "CancelOutcome",
             .errors = {400, 404, 409}},
            [](Call& call) {
              auto outcome =
                  call.backend().results.cancel(idOf(call.request, "id"), call.request.actor());
              app::JsonWriter w;
              w.beginObject().key("run");
              app::writeJson(w, outcome.run);
              w.key("cancelled_queued").value(outcome.cancelledQueued);
              w.key("still_running").value(outcome.stillRunning).endObject();
              return jsonResponse(w.take());
            }));
  routes.push_back(
      route("GET", "/api/v1/schedules", Role::Read,
            {.operationId = "listSchedules",
             .summary = "The config file's schedules with their next fire times",
             .tag = "schedules",
             .query = {{"count", "integer", "next fire times per schedule, 0 to 100 (default 3)"}},
             .responseSchema = "Schedule",
             .errors = {400},
             .shape = "list"},
            [](Call& call) {
              const auto count = call.request.integer("count", 0, 100).value_or(3);
              const auto now = std::chrono::system_clock::now();
              return jsonResponse(jsonArray(call.server.environment().config.schedules,
                                            [&](app::JsonWriter& w, const domain::Schedule& s) {
                                              cli::writeScheduleJson(w, s, now, count);
                                            }));
            }));
  routes.push_back(route("GET", "/api/v1/plugins", Role::Read,
                         {.operationId = "listPlugins",
                          .summary = "The loaded plugins and their manifests",
                          .tag = "plugins",
                          .responseSchema = "Plugin",
                          .shape = "list"},
                         [](Call& call) {
                           return jsonResponse(
                               jsonArray(call.server.environment().plugins, cli::writePluginJson));
                         }));
}

}  // namespace netspine::api
