// /health, /metrics, /api/v1/status and /api/v1/openapi.json.

#include <fmt/format.h>

#include "api/route_support.hpp"
#include "domain/run_state.hpp"

namespace netspine::api {
namespace {

using domain::Role;

/// Queued and running tasks (the partial index of open tasks makes these cheap).
std::pair<std::int64_t, std::int64_t> openTasks(Backend& b) {
  auto txn = b.jobs.read();
  app::TaskFilter queued;
  queued.state = domain::TaskState::Queued;
  app::TaskFilter running;
  running.state = domain::TaskState::Running;
  return {txn->countTasks(queued), txn->countTasks(running)};
}

}  // namespace

void systemRoutes(std::vector<Route>& routes) {
  routes.push_back(
      route("GET", "/health", std::nullopt,
            {.operationId = "health",
             .summary = "Liveness and database reachability (no token needed)",
             .tag = "system",
             .responseSchema = "Health",
             .errors = {503}},
            [](Call& call) {
              app::JsonWriter w;
              try {
                call.backend().db.queryInt("SELECT 1");
              } catch (const std::exception&) {
                w.beginObject().key("status").value("error").key("database").value("unreachable");
                w.endObject();
                return jsonResponse(w.take(), 503);
              }
              w.beginObject().key("status").value("ok").key("database").value("ok").endObject();
              return jsonResponse(w.take());
            }));
  routes.push_back(route(
      "GET", "/metrics", std::nullopt,
      {.operationId = "metrics",
       .summary = "Prometheus metrics (text format; no token needed)",
       .tag = "system",
       .responseSchema = "Metrics"},
      [](Call& call) {
        std::string out;
        call.server.metrics().render(out);
        auto it = std::back_inserter(out);
        auto& b = call.backend();
        out += "# HELP netspine_runs Job runs by state.\n# TYPE netspine_runs gauge\n";
        for (auto state :
             {domain::RunState::Pending, domain::RunState::Queued, domain::RunState::Running,
              domain::RunState::Succeeded, domain::RunState::Partial, domain::RunState::Failed,
              domain::RunState::Cancelled}) {
          app::RunFilter f;
          f.state = state;
          fmt::format_to(it, "netspine_runs{{state=\"{}\"}} {}\n", domain::toString(state),
                         b.jobService.countRuns(f));
        }
        const auto [queued, running] = openTasks(b);
        out += "# HELP netspine_tasks Open tasks by state.\n# TYPE netspine_tasks gauge\n";
        fmt::format_to(it, "netspine_tasks{{state=\"queued\"}} {}\n", queued);
        fmt::format_to(it, "netspine_tasks{{state=\"running\"}} {}\n", running);
        out += "# HELP netspine_queue_depth Tasks waiting for a worker.\n";
        fmt::format_to(it, "# TYPE netspine_queue_depth gauge\nnetspine_queue_depth {}\n", queued);
        const auto& env = call.server.environment();
        const auto workers = env.workers ? env.workers() : WorkerStatus{};
        out += "# HELP netspine_workers_alive Supervised worker processes alive.\n";
        fmt::format_to(it, "# TYPE netspine_workers_alive gauge\nnetspine_workers_alive {}\n",
                       workers.alive);
        out += "# HELP netspine_worker_restarts_total Worker processes restarted.\n";
        fmt::format_to(it,
                       "# TYPE netspine_worker_restarts_total counter\n"
                       "netspine_worker_restarts_total {}\n",
                       workers.restarts);
        Response r;
        r.body = std::move(out);
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        return r;
      }));
  routes.push_back(route("GET", "/api/v1/openapi.json", std::nullopt,
                         {.operationId = "openapi",
                          .summary = "This API's OpenAPI 3 document (no token needed)",
                          .tag = "system",
                          .responseSchema = "OpenApi"},
                         [](Call& call) { return jsonResponse(call.server.openApi()); }));
  routes.push_back(route(
      "GET", "/api/v1/status", Role::Read,
      {.operationId = "status",
       .summary = "Versions, loaded plugins, workers and queue depth",
       .tag = "system",
       .responseSchema = "Status"},
      [](Call& call) {
        const auto& env = call.server.environment();
        auto& b = call.backend();
        const auto workers = env.workers ? env.workers() : WorkerStatus{};
        const auto [queued, running] = openTasks(b);
        app::JsonWriter w;
        w.beginObject().key("version").value(env.version);
        w.key("database").value(b.db.describe());
        w.key("uptime_seconds")
            .value(static_cast<std::int64_t>(
                std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                 call.server.startedAt())
                    .count()));
        w.key("plugins").beginArray();
        for (const auto& p : env.plugins) {
          w.beginObject().key("id").value(p.manifest.id).key("version").value(p.manifest.version);
          w.endObject();
        }
        w.endArray().key("operations").beginArray();
        for (const auto& op : env.engines->operations()) w.value(op);
        w.endArray();
        w.key("workers")
            .beginObject()
            .key("configured")
            .value(static_cast<std::int64_t>(workers.configured));
        w.key("alive").value(static_cast<std::int64_t>(workers.alive));
        w.key("restarts").value(static_cast<std::int64_t>(workers.restarts)).endObject();
        w.key("queue").beginObject().key("queued").value(queued).key("running").value(running);
        w.endObject().endObject();
        return jsonResponse(w.take());
      }));
}

std::vector<Route> apiRoutes() {
  std::vector<Route> routes;
  systemRoutes(routes);
  inventoryRoutes(routes);
  jobRoutes(routes);
  return routes;
}

}  // namespace netspine::api
