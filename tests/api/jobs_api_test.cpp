// Jobs, runs, tasks, the run log, cancel, schedules, plugins, health, status, metrics, the
// OpenAPI document, secrets kept out of answers and logs, and graceful shutdown — against a real
// `netspine serve` with the bundled plugins.

#include <fmt/format.h>

#include <atomic>
#include <mutex>

#include "api_fixture.hpp"

namespace netspine::test {
namespace {

void seed(ServeProcess& serve) {
  ASSERT_EQ(serve.as("admin", "POST", "/api/v1/areas", R"({"name":"dc1"})").status, 201);
  for (const auto& [name, status] :
       {std::pair{"r1", "active"}, {"r2", "active"}, {"r3", "failed"}, {"r4", "planned"}}) {
    auto reply = serve.as("admin", "POST", "/api/v1/devices",
                          fmt::format(R"({{"name":"{}","address":"127.0.0.9","platform":)"
                                      R"("cisco_ios","area":"dc1","status":"{}"}})",
                                      name, status));
    ASSERT_EQ(reply.status, 201) << reply.body;
  }
}

TEST(JobsApi, SubmitInspectAndCancel) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  seed(serve);
  ASSERT_FALSE(HasFatalFailure());

  // read may not run jobs; operate may.
  const std::string job = R"({"kind":"noop","devices":["r1","r2"],"parameters":{"sleep_ms":"0"}})";
  EXPECT_EQ(serve.as("read", "POST", "/api/v1/jobs", job).status, 403);
  auto accepted = serve.as("operate", "POST", "/api/v1/jobs", job);
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  auto body = accepted.json();
  const auto runId = body->getObject("run")->getValue<int>("id");
  EXPECT_EQ(body->getValue<int>("queued"), 2);
  EXPECT_EQ(accepted.header("Location"), fmt::format("/api/v1/runs/{}", runId));
  EXPECT_EQ(body->getObject("job")->getValue<std::string>("requested_by"), "api:operate");

  auto run = serve.as("read", "GET", fmt::format("/api/v1/runs/{}", runId));
  ASSERT_EQ(run.status, 200) << run.body;
  EXPECT_EQ(run.json()->getValue<int>("queued"), 2);
  auto tasks = serve.as("read", "GET", fmt::format("/api/v1/runs/{}/tasks?state=queued", runId));
  ASSERT_EQ(tasks.status, 200) << tasks.body;
  EXPECT_EQ(tasks.json()->getValue<int>("count"), 2);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/jobs").json()->getValue<int>("count"), 1);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/runs?state=queued").json()->getValue<int>("count"), 1);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/runs?state=bogus").status, 400);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/runs/abc").status, 400);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/runs/999").status, 404);

  // The policy refuses explicit devices whose status forbids the kind: 422, reason per device.
  auto refused =
      serve.as("operate", "POST", "/api/v1/jobs", R"({"kind":"noop","devices":["r1","r3"]})");
  EXPECT_EQ(refused.status, 422) << refused.body;
  auto reasons = refused.json()->getObject("error")->getObject("fields")->getArray("devices");
  ASSERT_TRUE(reasons);
  ASSERT_EQ(reasons->size(), 1u);
  EXPECT_EQ(reasons->getElement<std::string>(0).rfind("r3: ", 0), 0u) << refused.body;
  // A selector skips them instead.
  auto selected =
      serve.as("operate", "POST", "/api/v1/jobs", R"({"kind":"noop","select":"area=dc1"})");
  ASSERT_EQ(selected.status, 201) << selected.body;
  EXPECT_EQ(selected.json()->getValue<int>("skipped"), 1);  // r3 FAILED; PLANNED may be read
  EXPECT_EQ(
      serve.as("operate", "POST", "/api/v1/jobs", R"({"kind":"nope","devices":["r1"]})").status,
      400);
  EXPECT_EQ(serve.as("operate", "POST", "/api/v1/jobs", R"({"kind":"noop"})").status, 400);

  // Cancel: queued tasks at once; a second cancel is a conflict.
  auto cancel = serve.as("operate", "POST", fmt::format("/api/v1/runs/{}/cancel", runId));
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(cancel.json()->getValue<int>("cancelled_queued"), 2);
  EXPECT_EQ(serve.as("operate", "POST", fmt::format("/api/v1/runs/{}/cancel", runId)).status, 409);
  auto log = serve.as("read", "GET", fmt::format("/api/v1/runs/{}/log?level=info", runId));
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_GE(log.json()->getArray("results")->size(), 1u);
  EXPECT_EQ(serve.as("read", "GET", fmt::format("/api/v1/runs/{}/log?level=loud", runId)).status,
            400);

  // Schedules (none configured) and plugins (the bundled ones).
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/schedules").array()->size(), 0u);
  auto plugins = serve.as("read", "GET", "/api/v1/plugins");
  ASSERT_EQ(plugins.status, 200);
  EXPECT_NE(plugins.body.find("\"noop\""), std::string::npos) << plugins.body;
}

TEST(JobsApi, AChangeTakesItsLinesOrTemplateAndTheRunOptions) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  seed(serve);
  ASSERT_FALSE(HasFatalFailure());
  auto accepted = serve.as("operate", "POST", "/api/v1/jobs",
                           R"({"kind":"push","devices":["r1","r2"],)"
                           R"("lines":"snmp-server location ams1\n","dry_run":true,)"
                           R"("canary":1,"stop_on_failure":true})");
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  auto run = accepted.json()->getObject("run");
  EXPECT_EQ(run->getValue<int>("canary"), 1);
  EXPECT_TRUE(run->getValue<bool>("stop_on_failure"));
  EXPECT_EQ(run->getValue<int>("concurrency"), 4);  // jobs.change_concurrency
  auto params = accepted.json()->getObject("job")->getObject("parameters");
  EXPECT_EQ(params->getValue<std::string>("lines"), "snmp-server location ams1\n");
  EXPECT_EQ(params->getValue<std::string>("dry_run"), "true");

  // A template is rendered for every device at submit: an undefined variable queues nothing.
  auto bad = serve.as("operate", "POST", "/api/v1/jobs",
                      R"({"kind":"push","devices":["r1"],)"
                      R"("template":"snmp-server location {{ site }}\n"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("device r1: template line 1: undefined variable 'site'"),
            std::string::npos)
      << bad.body;
  auto good = serve.as("operate", "POST", "/api/v1/jobs",
                       R"({"kind":"push","devices":["r1"],)"
                       R"("template":"snmp-server location {{ site }}\n",)"
                       R"("parameters":{"site":"fra2"}})");
  EXPECT_EQ(good.status, 201) << good.body;
  // Lines twice, or of the wrong type, name the field.
  auto twice = serve.as("operate", "POST", "/api/v1/jobs",
                        R"({"kind":"push","devices":["r1"],"lines":"a",)"
                        R"("parameters":{"lines":"b"}})");
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_NE(twice.body.find("lines"), std::string::npos) << twice.body;
  EXPECT_EQ(serve
                .as("operate", "POST", "/api/v1/jobs",
                    R"({"kind":"push","devices":["r1"],"lines":"a","canary":-1})")
                .status,
            400);
  // push is for ACTIVE devices only: r3 is FAILED.
  EXPECT_EQ(
      serve.as("operate", "POST", "/api/v1/jobs", R"({"kind":"push","devices":["r3"],"lines":"a"})")
          .status,
      422);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/jobs").json()->getValue<int>("count"), 2);
}

TEST(JobsApi, RunsToTheEndWithAWorker) {
  ServeProcess serve(ServeProcess::Options{.workers = 1});
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  seed(serve);
  ASSERT_FALSE(HasFatalFailure());
  auto accepted =
      serve.as("operate", "POST", "/api/v1/jobs", R"({"kind":"noop","devices":["r1"]})");
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  const auto runId = accepted.json()->getObject("run")->getValue<int>("id");
  std::string state;
  for (int i = 0; i < 600 && state != "SUCCEEDED"; ++i) {
    state = serve.as("read", "GET", fmt::format("/api/v1/runs/{}", runId))
                .json()
                ->getObject("run")
                ->getValue<std::string>("state");
    if (state != "SUCCEEDED") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(state, "SUCCEEDED") << serve.log();
  auto runtime = serve.as("read", "GET", "/api/v1/devices/r1/status");
  ASSERT_EQ(runtime.status, 200);
  auto checks = runtime.json()->getArray("checks");
  ASSERT_EQ(checks->size(), 1u) << runtime.body;
  EXPECT_EQ(checks->getObject(0)->getValue<std::string>("check"), "noop");
  EXPECT_TRUE(checks->getObject(0)->getValue<bool>("up"));
  auto status = serve.as("read", "GET", "/api/v1/status").json();
  EXPECT_EQ(status->getObject("workers")->getValue<int>("configured"), 1);
  EXPECT_EQ(status->getObject("workers")->getValue<int>("alive"), 1);
}

TEST(SystemApi, HealthStatusMetricsAndOpenApi) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  auto health = serve.call("GET", "/health");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.json()->getValue<std::string>("database"), "ok");
  auto status = serve.as("read", "GET", "/api/v1/status");
  ASSERT_EQ(status.status, 200);
  EXPECT_NE(status.body.find("\"noop\""), std::string::npos) << status.body;
  EXPECT_EQ(status.json()->getObject("queue")->getValue<int>("queued"), 0);

  serve.as("read", "GET", "/api/v1/areas");
  serve.as("read", "GET", "/api/v1/areas/nosuch");
  auto metrics = serve.call("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("Content-Type").rfind("text/plain", 0), 0u);
  for (const char* line :
       {"netspine_http_requests_total{method=\"GET\",route=\"/api/v1/areas\",code=\"200\"} 1",
        "netspine_http_requests_total{method=\"GET\",route=\"/api/v1/areas/{area}\",code=\"404\"} "
        "1",
        "netspine_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/areas\","
        "le=\"+Inf\"} 1",
        "netspine_runs{state=\"RUNNING\"} 0", "netspine_queue_depth 0",
        "netspine_worker_restarts_total 0"}) {
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << "\n" << metrics.body;
  }

  // The served document is the one `netspine openapi` prints, and lists every route.
  auto served = serve.call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(served.status, 200);
  auto printed = serve.cli("openapi");
  ASSERT_EQ(printed.status, 0);
  EXPECT_EQ(served.body + "\n", printed.output);
  auto paths = served.json()->getObject("paths");
  EXPECT_TRUE(paths->has("/api/v1/devices/{name}/config-diff"));
  EXPECT_TRUE(paths->getObject("/api/v1/devices")->has("patch"));
}

TEST(SystemApi, SecretsStayOutOfAnswersAndLogs) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  auto created = serve.as("admin", "POST", "/api/v1/tokens", R"({"name":"bot","role":"operate"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto secret = created.json()->getValue<std::string>("secret");
  ASSERT_EQ(secret.rfind("nst_", 0), 0u);
  EXPECT_EQ(created.header("Cache-Control"), "no-store");
  EXPECT_EQ(serve.call("GET", "/api/v1/areas", "", secret).status, 200);
  EXPECT_EQ(serve.as("admin", "POST", "/api/v1/tokens", R"({"name":"bot","role":"read"})").status,
            409);
  auto list = serve.as("admin", "GET", "/api/v1/tokens");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("\"bot\""), std::string::npos);
  const auto hash = serve.database().db().queryInt("SELECT COUNT(*) FROM api_tokens");
  EXPECT_EQ(hash, 4);
  // Neither the secret, its hash, nor any other token's secret appears anywhere else.
  std::vector<std::string> secrets = {secret, serve.token("admin"), serve.token("read"),
                                      serve.token("operate")};
  auto changes = serve.as("read", "GET", "/api/v1/changes?limit=1000");
  // Creating and revoking tokens is recorded, with who did it, never with the secret.
  auto created_ = serve.as("read", "GET", "/api/v1/changes?object=token:bot");
  ASSERT_EQ(created_.status, 200) << created_.body;
  ASSERT_EQ(created_.json()->getArray("results")->size(), 1u) << created_.body;
  EXPECT_EQ(created_.json()->getArray("results")->getObject(0)->getValue<std::string>("actor"),
            "api:admin");
  auto metrics = serve.call("GET", "/metrics");
  EXPECT_EQ(serve.as("admin", "DELETE", "/api/v1/tokens/bot").status, 204);
  EXPECT_EQ(serve.call("GET", "/api/v1/areas", "", secret).status, 401);
  auto revoked = serve.as("read", "GET", "/api/v1/changes?object=token:bot");
  ASSERT_EQ(revoked.json()->getArray("results")->size(), 2u) << revoked.body;
  EXPECT_EQ(revoked.json()->getArray("results")->getObject(0)->getValue<std::string>("action"),
            "delete");
  const auto hashes = serve.database().db().queryInt(
      "SELECT COUNT(*) FROM change_log c JOIN api_tokens t ON c.after_json LIKE "
      "'%' || t.token_hash || '%' OR c.before_json LIKE '%' || t.token_hash || '%'");
  EXPECT_EQ(hashes, 0);
  ASSERT_EQ(serve.stop(), 0);
  for (const auto& s : secrets) EXPECT_EQ(revoked.body.find(s.substr(8)), std::string::npos);
  for (const auto& s : secrets) {
    EXPECT_EQ(list.body.find(s.substr(8)), std::string::npos);
    EXPECT_EQ(changes.body.find(s.substr(8)), std::string::npos);
    EXPECT_EQ(metrics.body.find(s.substr(8)), std::string::npos);
    EXPECT_EQ(serve.log().find(s.substr(8)), std::string::npos);
  }
}

TEST(SystemApi, ASecondServerOnTheSamePortIsRefused) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  auto second = serve.cli(
      fmt::format("serve --workers 0 --listen 127.0.0.1:{} 2>&1 | head -5", serve.port()));
  EXPECT_NE(
      second.output.find(fmt::format("server.listen: cannot serve on 127.0.0.1:{}", serve.port())),
      std::string::npos)
      << second.output;
  EXPECT_EQ(serve.call("GET", "/health").status, 200);
}

TEST(SystemApi, SigtermFinishesRequestsAndExitsZero) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  // Clients keep asking while the server is told to stop: every answer that arrives is whole and
  // not a server error; after the stop, connections are refused.
  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::atomic<int> bad{0};
  std::mutex mutex;
  std::string firstBad;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      while (!done) {
        try {
          auto reply = serve.as("read", "GET", "/api/v1/platforms");
          // 200 and whole, or (a request that arrived once the stop had begun) 503 "stopping".
          const bool whole =
              reply.status == 200 && reply.body.find("\"count\":3") != std::string::npos;
          const bool stopping =
              reply.status == 503 && reply.body.find("\"stopping\"") != std::string::npos;
          if (!whole && !stopping) {
            std::lock_guard lock(mutex);
            if (++bad == 1) firstBad = std::to_string(reply.status) + " " + reply.body;
          }
          ++answered;
        } catch (const std::exception&) {
          // refused or reset once the server stopped accepting: expected
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    });
  }
  while (answered < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const int code = serve.stop();
  done = true;
  for (auto& c : clients) c.join();
  EXPECT_EQ(code, 0) << serve.log();
  EXPECT_EQ(bad, 0) << firstBad;
  EXPECT_NE(serve.log().find("stopped"), std::string::npos) << serve.log();
  EXPECT_THROW(serve.call("GET", "/health"), std::exception);
}

}  // namespace
}  // namespace netspine::test
