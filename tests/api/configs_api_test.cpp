// A device's configuration history, one revision's text and the diff between two, over HTTP:
// revisions are stored the way JobResultService stores them (the Git archive, then the rows).

#include <fmt/format.h>

#include "api_fixture.hpp"
#include "application/config_service.hpp"
#include "infra/git_config_archive.hpp"
#include "infra/sql_job_store.hpp"

namespace netspine::test {
namespace {

TEST(ConfigsApi, HistoryRevisionTextAndDiff) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_EQ(serve.as("admin", "POST", "/api/v1/areas", R"({"name":"dc1"})").status, 201);
  auto created = serve.as("admin", "POST", "/api/v1/devices",
                          R"({"name":"r1","address":"127.0.0.2","platform":"cisco_ios",)"
                          R"("area":"dc1","status":"active"})");
  ASSERT_EQ(created.status, 201);
  const auto deviceId = created.json()->getValue<app::Id>("id");

  infra::GitConfigArchive archive(serve.folder().path("data/configs"), app::BackupSettings{}, "");
  infra::SqlJobStore jobs(serve.database().db());
  const std::vector<std::string> texts = {"hostname r1\ninterface Gi0/1\n description a\n",
                                          "hostname r1\ninterface Gi0/1\n description b\n"};
  std::vector<std::string> commits;
  for (const auto& text : texts) {
    commits.push_back(archive.store({{"dc1/r1.cfg", text}}, "backup"));
    std::vector<app::ConfigRevision> rows(1);
    rows[0].deviceId = deviceId;
    rows[0].path = "dc1/r1.cfg";
    rows[0].commit = commits.back();
    rows[0].storedAt = fmt::format("2026-11-27T10:0{}:00.000Z", commits.size());
    rows[0].bytes = static_cast<std::int64_t>(text.size());
    rows[0].sha256 = app::sha256Hex(text);
    auto txn = jobs.begin();
    txn->insertConfigs(rows);
    txn->commit();
  }

  auto history = serve.as("read", "GET", "/api/v1/devices/r1/configs");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.json()->getValue<int>("count"), 2);
  auto results = history.json()->getArray("results");
  EXPECT_EQ(results->getObject(0)->getValue<std::string>("commit"), commits[1]);  // newest first
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/devices/r1/configs?limit=1")
                .json()
                ->getValue<std::string>("next"),
            "/api/v1/devices/r1/configs?limit=1&offset=1");

  auto latest = serve.as("read", "GET", "/api/v1/devices/r1/configs/latest");
  ASSERT_EQ(latest.status, 200) << latest.body;
  EXPECT_EQ(latest.json()->getValue<std::string>("text"), texts[1]);
  auto old = serve.as("read", "GET",
                      "/api/v1/devices/r1/configs/" + commits[0].substr(0, 8) + "?format=text");
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(old.body, texts[0]);
  EXPECT_EQ(old.header("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/devices/r1/configs/zz").status, 400);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/devices/r1/configs/abcdef12").status, 404);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/devices/nosuch/configs").status, 404);

  auto diff = serve.as("read", "GET", "/api/v1/devices/r1/config-diff");
  ASSERT_EQ(diff.status, 200) << diff.body;
  const auto text = diff.json()->getValue<std::string>("diff");
  EXPECT_NE(text.find("- description a\n+ description b"), std::string::npos) << text;
  auto same =
      serve.as("read", "GET",
               fmt::format("/api/v1/devices/r1/config-diff?from={}&to={}", commits[1], commits[1]));
  EXPECT_EQ(same.json()->getValue<std::string>("diff"), "");
}

}  // namespace
}  // namespace netspine::test
