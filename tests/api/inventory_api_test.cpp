// The inventory resources over HTTP against a real `netspine serve`, on SQLite and PostgreSQL:
// success and error paths, ETags and If-Match, paging, filters, ordering, cursors, bulk writes
// that are all or nothing, the change log, and the body limit.

#include <fmt/format.h>

#include <set>

#include "api_fixture.hpp"

namespace netspine::test {
namespace {

using infra::DatabaseBackend;
using Names = std::vector<std::string>;

class InventoryApi : public ::testing::TestWithParam<DatabaseBackend> {
 protected:
  void SetUp() override {
    serve_ = std::make_unique<ServeProcess>(
        ServeProcess::Options{.backend = GetParam(), .extraConfig = "  max_body_bytes: 65536\n"});
    serve_->start();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_EQ(admin("POST", "/api/v1/areas", R"({"name":"emea"})").status, 201);
    ASSERT_EQ(admin("POST", "/api/v1/areas", R"({"name":"dc1","parent":"emea"})").status, 201);
    ASSERT_EQ(admin("POST", "/api/v1/areas", R"({"name":"dc2","parent":"emea"})").status, 201);
  }

  Reply admin(const std::string& method, const std::string& path, const std::string& body = {},
              const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return serve_->as("admin", method, path, body, headers);
  }
  Reply get(const std::string& path) { return serve_->as("read", "GET", path); }
  std::int64_t deviceCount() {
    return serve_->database().db().queryInt("SELECT COUNT(*) FROM devices");
  }
  /// Names of a page's results, in order.
  static std::vector<std::string> names(const Reply& reply) {
    std::vector<std::string> out;
    auto results = reply.json()->getArray("results");
    for (std::size_t i = 0; results && i < results->size(); ++i)
      out.push_back(results->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
    return out;
  }
  /// `n` devices r000..: even ones ACTIVE in dc1 on cisco_ios tagged core, odd ones PLANNED in
  /// dc2 on juniper_junos tagged edge; created in one bulk request.
  void createDevices(int n) {
    std::string body = "[";
    for (int i = 0; i < n; ++i) {
      const bool even = i % 2 == 0;
      body += fmt::format(
          R"({}{{"name":"r{:03d}","address":"127.0.1.{}","platform":"{}","area":"{}","status":"{}","tags":["{}"]}})",
          i == 0 ? "" : ",", i, i % 250 + 1, even ? "cisco_ios" : "juniper_junos",
          even ? "emea/dc1" : "dc2", even ? "active" : "planned", even ? "core" : "edge");
    }
    body += "]";
    auto reply = admin("POST", "/api/v1/devices", body);
    ASSERT_EQ(reply.status, 201) << reply.body;
    ASSERT_EQ(reply.array()->size(), static_cast<std::size_t>(n));
  }

  std::unique_ptr<ServeProcess> serve_;
};

TEST_P(InventoryApi, DeviceLifecycleWithEtags) {
  auto created = admin("POST", "/api/v1/devices",
                       R"({"name":"r1","address":"127.0.0.5","platform":"cisco_ios",)"
                       R"("area":"emea/dc1","status":"staged","tags":["b","a"],"ssh_port":2222})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto d = created.json();
  EXPECT_EQ(d->getValue<std::string>("area"), "emea/dc1");
  EXPECT_EQ(d->getValue<std::string>("status"), "STAGED");
  EXPECT_EQ(d->getValue<int>("ssh_port"), 2222);
  EXPECT_EQ(d->getArray("tags")->size(), 2u);
  const auto etag = created.header("ETag");
  ASSERT_FALSE(etag.empty());

  auto read = get("/api/v1/devices/r1");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.header("ETag"), etag);

  // A stale If-Match is refused and changes nothing; the current one is accepted.
  auto stale =
      admin("PATCH", "/api/v1/devices/r1", R"({"role":"core"})", {{"If-Match", "\"1-0\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.errorCode(), "stale");
  auto patched = admin("PATCH", "/api/v1/devices/r1", R"({"role":"core","ssh_port":null})",
                       {{"If-Match", etag}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()->getValue<std::string>("role"), "core");
  EXPECT_TRUE(patched.json()->isNull("ssh_port"));
  EXPECT_NE(patched.header("ETag"), etag);
  EXPECT_EQ(admin("PATCH", "/api/v1/devices/r1", R"({"role":"x"})", {{"If-Match", etag}}).status,
            412);
  EXPECT_EQ(get("/api/v1/devices/r1").json()->getValue<std::string>("role"), "core");

  // The status graph is the service's: STAGED cannot go back to INVENTORY... but may go ACTIVE.
  auto status = admin("PATCH", "/api/v1/devices/r1", R"({"status":"active"})");
  EXPECT_EQ(status.status, 200) << status.body;

  // Errors name the field.
  auto bad = admin("POST", "/api/v1/devices",
                   R"({"name":"r2","address":"127.0.0.6","platform":"nope","area":"dc1"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.json()->getObject("error")->getObject("fields")->has("platform")) << bad.body;
  auto typo = admin("POST", "/api/v1/devices",
                    R"({"name":"r2","address":"127.0.0.6","platfrom":"cisco_ios","area":"dc1"})");
  EXPECT_EQ(typo.status, 400);
  EXPECT_TRUE(typo.json()->getObject("error")->getObject("fields")->has("platfrom")) << typo.body;
  auto type = admin("POST", "/api/v1/devices",
                    R"({"name":"r2","address":"127.0.0.6","platform":"cisco_ios","area":"dc1",)"
                    R"("ssh_port":"22"})");
  EXPECT_EQ(type.status, 400);
  EXPECT_NE(type.body.find("ssh_port"), std::string::npos);
  auto duplicate =
      admin("POST", "/api/v1/devices",
            R"({"name":"r1","address":"127.0.0.7","platform":"cisco_ios","area":"dc1"})");
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  EXPECT_EQ(get("/api/v1/devices/nosuch").status, 404);

  // Runtime status (no job yet: no checks) and delete.
  auto runtime = get("/api/v1/devices/r1/status");
  ASSERT_EQ(runtime.status, 200) << runtime.body;
  EXPECT_EQ(runtime.json()->getArray("checks")->size(), 0u);
  EXPECT_EQ(admin("DELETE", "/api/v1/devices/r1", "", {{"If-Match", etag}}).status, 412);
  EXPECT_EQ(admin("DELETE", "/api/v1/devices/r1").status, 204);
  EXPECT_EQ(get("/api/v1/devices/r1").status, 404);

  // Every write is in the change log, with the token as the actor.
  auto changes = get("/api/v1/changes?object=device:r1&actor=api:admin");
  ASSERT_EQ(changes.status, 200) << changes.body;
  auto results = changes.json()->getArray("results");
  ASSERT_EQ(results->size(), 4u);  // create, two updates, delete (newest first)
  EXPECT_EQ(results->getObject(0)->getValue<std::string>("action"), "delete");
  EXPECT_EQ(results->getObject(3)->getValue<std::string>("action"), "create");
}

TEST_P(InventoryApi, AreasPlatformsAndVlans) {
  // Area by URL-encoded path; delete refused with the dependents counted.
  auto area = get("/api/v1/areas/emea%2Fdc1");
  ASSERT_EQ(area.status, 200) << area.body;
  EXPECT_EQ(area.json()->getValue<std::string>("parent"), "emea");
  auto refused = admin("DELETE", "/api/v1/areas/emea");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("2 child area(s)"), std::string::npos) << refused.body;
  auto moved = admin("PATCH", "/api/v1/areas/emea%2Fdc2", R"({"description":"second"})",
                     {{"If-Match", "\"0000\""}});
  EXPECT_EQ(moved.status, 412);
  moved = admin("PATCH", "/api/v1/areas/emea%2Fdc2", R"({"description":"second"})",
                {{"If-Match", get("/api/v1/areas/emea%2Fdc2").header("ETag")}});
  EXPECT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(get("/api/v1/areas?q=DC").json()->getValue<int>("count"), 2);

  // Platforms.
  EXPECT_EQ(
      admin("POST", "/api/v1/platforms", R"({"id":"vyos","name":"VyOS","vendor":"VyOS"})").status,
      201);
  EXPECT_EQ(
      admin("POST", "/api/v1/platforms", R"({"id":"vyos","name":"VyOS 2","vendor":"V"})").status,
      409);
  EXPECT_EQ(admin("PATCH", "/api/v1/platforms/vyos", R"({"vendor":"VyOS Networks"})").status, 200);
  EXPECT_EQ(get("/api/v1/platforms/vyos").json()->getValue<std::string>("vendor"), "VyOS Networks");
  EXPECT_EQ(get("/api/v1/platforms").json()->getValue<int>("count"), 4);
  EXPECT_EQ(admin("DELETE", "/api/v1/platforms/vyos").status, 204);

  // VLANs by area and VID.
  EXPECT_EQ(
      admin("POST", "/api/v1/vlans", R"({"area":"emea/dc1","vid":100,"name":"users"})").status,
      201);
  EXPECT_EQ(admin("POST", "/api/v1/vlans", R"({"area":"emea/dc1","vid":100,"name":"x"})").status,
            409);
  EXPECT_EQ(admin("POST", "/api/v1/vlans", R"({"area":"emea/dc1","vid":4095})").status, 400);
  EXPECT_EQ(get("/api/v1/vlans/emea%2Fdc1/100").json()->getValue<std::string>("name"), "users");
  EXPECT_EQ(get("/api/v1/vlans/emea%2Fdc1/abc").status, 400);
  EXPECT_EQ(admin("PATCH", "/api/v1/vlans/emea%2Fdc1/100", R"({"new_vid":101})").status, 200);
  EXPECT_EQ(get("/api/v1/vlans/emea%2Fdc1/101").status, 200);
  EXPECT_EQ(get("/api/v1/vlans?area=dc1").json()->getValue<int>("count"), 1);
  EXPECT_EQ(admin("DELETE", "/api/v1/vlans/emea%2Fdc1/101").status, 204);
  EXPECT_EQ(get("/api/v1/vlans").json()->getValue<int>("count"), 0);
}

TEST_P(InventoryApi, OsVersionOnCreatePatchBulkAndOrdering) {
  auto created = admin("POST", "/api/v1/devices",
                       R"({"name":"r1","address":"127.0.0.5","platform":"cisco_ios",)"
                       R"("area":"dc1","os_version":"15.2(4)M7"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()->getValue<std::string>("os_version"), "15.2(4)M7");
  EXPECT_EQ(get("/api/v1/devices/r1").json()->getValue<std::string>("os_version"), "15.2(4)M7");

  // Bulk create: given or not (then empty).
  auto bulk = admin("POST", "/api/v1/devices",
                    R"([{"name":"r2","address":"127.0.0.6","platform":"juniper_junos",)"
                    R"("area":"dc1","os_version":"20.4R3-S1.3"},)"
                    R"({"name":"r3","address":"127.0.0.7","platform":"arista_eos","area":"dc1"}])");
  ASSERT_EQ(bulk.status, 201) << bulk.body;
  EXPECT_EQ(get("/api/v1/devices/r2").json()->getValue<std::string>("os_version"), "20.4R3-S1.3");
  EXPECT_EQ(get("/api/v1/devices/r3").json()->getValue<std::string>("os_version"), "");

  auto patched = admin("PATCH", "/api/v1/devices/r1", R"({"os_version":"15.2(7)E8"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()->getValue<std::string>("os_version"), "15.2(7)E8");
  EXPECT_EQ(patched.json()->getValue<int>("version"), 2);

  auto bulkPatch = admin("PATCH", "/api/v1/devices",
                         R"([{"device":"r3","os_version":"4.28.3M"},)"
                         R"({"device":"r2","version":1,"os_version":"21.2R1"}])");
  ASSERT_EQ(bulkPatch.status, 200) << bulkPatch.body;
  EXPECT_EQ(get("/api/v1/devices/r3").json()->getValue<std::string>("os_version"), "4.28.3M");
  EXPECT_EQ(get("/api/v1/devices/r2").json()->getValue<std::string>("os_version"), "21.2R1");

  // A bad value is a 400 naming the field, and changes nothing.
  auto bad = admin("PATCH", "/api/v1/devices/r1", R"({"os_version":"15.2\u0007"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(bad.json()->getObject("error")->getObject("fields")->has("os_version")) << bad.body;
  auto tooLong =
      admin("PATCH", "/api/v1/devices/r1", R"({"os_version":")" + std::string(129, '9') + R"("})");
  EXPECT_EQ(tooLong.status, 400) << tooLong.body;
  EXPECT_NE(tooLong.body.find("os_version: 129 characters (at most 128)"), std::string::npos)
      << tooLong.body;
  auto notText = admin("PATCH", "/api/v1/devices/r1", R"({"os_version":15})");
  EXPECT_EQ(notText.status, 400) << notText.body;
  EXPECT_NE(notText.body.find("os_version"), std::string::npos) << notText.body;
  EXPECT_EQ(get("/api/v1/devices/r1").json()->getValue<std::string>("os_version"), "15.2(7)E8");

  // Ordering by it; its changes are in the change log, before and after.
  EXPECT_EQ(names(get("/api/v1/devices?ordering=os_version")), (Names{"r1", "r2", "r3"}));
  EXPECT_EQ(names(get("/api/v1/devices?ordering=-os_version")), (Names{"r3", "r2", "r1"}));
  auto changes = get("/api/v1/changes?object=device:r1");
  ASSERT_EQ(changes.status, 200) << changes.body;
  auto newest = changes.json()->getArray("results")->getObject(0);
  EXPECT_EQ(newest->getValue<std::string>("action"), "update");
  EXPECT_EQ(newest->getObject("before")->getValue<std::string>("os_version"), "15.2(4)M7");
  EXPECT_EQ(newest->getObject("after")->getValue<std::string>("os_version"), "15.2(7)E8");
}

TEST_P(InventoryApi, PagingFiltersOrderingAndCursor) {
  createDevices(120);
  ASSERT_FALSE(HasFatalFailure());
  auto first = get("/api/v1/devices");
  ASSERT_EQ(first.status, 200) << first.body;
  auto page = first.json();
  EXPECT_EQ(page->getValue<int>("count"), 120);
  EXPECT_EQ(page->getArray("results")->size(), 50u);
  EXPECT_TRUE(page->isNull("previous"));
  const auto next = page->getValue<std::string>("next");
  EXPECT_EQ(next, "/api/v1/devices?offset=50");
  auto second = get(next);
  EXPECT_EQ(names(second).front(), "r050");
  EXPECT_EQ(second.json()->getValue<std::string>("previous"), "/api/v1/devices?offset=0");
  auto last = get("/api/v1/devices?offset=100&limit=50");
  EXPECT_EQ(names(last).size(), 20u);
  EXPECT_TRUE(last.json()->isNull("next"));

  // Filters: repeated or comma-separated values are OR, different filters AND.
  EXPECT_EQ(get("/api/v1/devices?status=active").json()->getValue<int>("count"), 60);
  EXPECT_EQ(get("/api/v1/devices?status=active&status=planned").json()->getValue<int>("count"),
            120);
  EXPECT_EQ(get("/api/v1/devices?status=active,planned").json()->getValue<int>("count"), 120);
  EXPECT_EQ(
      get("/api/v1/devices?area=dc1&platform=cisco_ios&tag=core").json()->getValue<int>("count"),
      60);
  EXPECT_EQ(get("/api/v1/devices?area=emea").json()->getValue<int>("count"), 120);
  EXPECT_EQ(get("/api/v1/devices?area=dc1&tag=edge").json()->getValue<int>("count"), 0);
  EXPECT_EQ(names(get("/api/v1/devices?q=R11")),
            (std::vector<std::string>{"r110", "r111", "r112", "r113", "r114", "r115", "r116",
                                      "r117", "r118", "r119"}));
  // The count follows writes (the count cache is keyed on the inventory's version).
  ASSERT_EQ(admin("PATCH", "/api/v1/devices/r001", R"({"status":"staged"})").status, 200);
  EXPECT_EQ(get("/api/v1/devices?status=planned").json()->getValue<int>("count"), 59);

  // Ordering.
  EXPECT_EQ(names(get("/api/v1/devices?ordering=-name&limit=2")),
            (std::vector<std::string>{"r119", "r118"}));
  EXPECT_EQ(names(get("/api/v1/devices?ordering=status&limit=1")).front(), "r000");  // ACTIVE
  EXPECT_EQ(get("/api/v1/devices?ordering=password").status, 400);

  // Cursor paging visits every device once.
  std::set<std::string> seen;
  std::string link = "/api/v1/devices?cursor=&limit=33&status=active,planned,staged";
  int pages = 0;
  while (!link.empty() && pages < 10) {
    auto reply = get(link);
    ASSERT_EQ(reply.status, 200) << reply.body;
    for (const auto& n : names(reply)) EXPECT_TRUE(seen.insert(n).second) << n;
    auto json = reply.json();
    link = json->isNull("next") ? "" : json->getValue<std::string>("next");
    ++pages;
  }
  EXPECT_EQ(seen.size(), 120u);
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(get("/api/v1/devices?cursor=%%%").status, 400);
  EXPECT_EQ(get("/api/v1/devices?cursor=abc&offset=5").status, 400);

  // Bad paging is a 400 naming the parameter.
  for (const char* bad : {"limit=0", "limit=1001", "limit=abc", "offset=-1", "limit=1&limit=2"}) {
    auto reply = get(std::string("/api/v1/devices?") + bad);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_EQ(reply.errorCode(), "invalid");
  }
  EXPECT_EQ(get("/api/v1/devices?limit=1000").json()->getArray("results")->size(), 120u);
}

TEST_P(InventoryApi, AnsweredPagesFollowWritesFromOtherProcesses) {
  // The server keeps answered pages and counts while the inventory is unchanged; a write by
  // another process (the CLI here) must show at once.
  createDevices(3);
  ASSERT_FALSE(HasFatalFailure());
  const std::string url = "/api/v1/devices?status=active&limit=10";
  EXPECT_EQ(names(get(url)), (Names{"r000", "r002"}));
  EXPECT_EQ(names(get(url)), (Names{"r000", "r002"}));
  auto added = serve_->cli(
      "device add r001b --address 127.0.3.1 --platform cisco_ios --area dc1 --status active");
  ASSERT_EQ(added.status, 0) << added.output;
  auto after = get(url);
  EXPECT_EQ(names(after), (Names{"r000", "r001b", "r002"}));
  EXPECT_EQ(after.json()->getValue<int>("count"), 3);
  ASSERT_EQ(serve_->cli("device delete r000").status, 0);
  EXPECT_EQ(names(get(url)), (Names{"r001b", "r002"}));
}

TEST_P(InventoryApi, BulkWritesAreAllOrNothing) {
  createDevices(10);
  ASSERT_FALSE(HasFatalFailure());
  const auto changesBefore = serve_->database().db().queryInt("SELECT COUNT(*) FROM change_log");
  // One bad element in a create list: nothing is created, the error names the element.
  auto bad =
      admin("POST", "/api/v1/devices",
            R"([{"name":"n1","address":"127.0.2.1","platform":"cisco_ios","area":"dc1"},)"
            R"({"name":"n2","address":"127.0.2.2","platform":"cisco_ios","area":"nowhere"}])");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(bad.json()->getObject("error")->getObject("fields")->has("[1].area")) << bad.body;
  auto dup = admin("POST", "/api/v1/devices",
                   R"([{"name":"n1","address":"127.0.2.1","platform":"cisco_ios","area":"dc1"},)"
                   R"({"name":"r003","address":"127.0.2.2","platform":"cisco_ios","area":"dc1"}])");
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(deviceCount(), 10);

  // Bulk update: one stale version fails all.
  auto stale =
      admin("PATCH", "/api/v1/devices",
            R"([{"device":"r000","role":"spine"},{"device":"r001","version":7,"role":"x"}])");
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(get("/api/v1/devices/r000").json()->getValue<std::string>("role"), "");
  auto updated =
      admin("PATCH", "/api/v1/devices",
            R"([{"device":"r000","role":"spine"},{"device":"r001","version":1,"role":"leaf"}])");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(get("/api/v1/devices/r001").json()->getValue<std::string>("role"), "leaf");

  // Bulk delete: one unknown name deletes none.
  auto missing = admin("DELETE", "/api/v1/devices", R"([{"device":"r002"},{"device":"nosuch"}])");
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(deviceCount(), 10);
  EXPECT_EQ(admin("DELETE", "/api/v1/devices", R"([{"device":"r002"},{"device":"r004"}])").status,
            204);
  EXPECT_EQ(deviceCount(), 8);
  // 2 updates and 2 deletes were recorded; the refused requests left no entry.
  EXPECT_EQ(serve_->database().db().queryInt("SELECT COUNT(*) FROM change_log"), changesBefore + 4);

  // Bulk areas and VLANs, and an empty list.
  EXPECT_EQ(
      admin("POST", "/api/v1/areas", R"([{"name":"apac"},{"name":"sg1","parent":"apac"}])").status,
      201);
  EXPECT_EQ(admin("POST", "/api/v1/vlans",
                  R"([{"area":"sg1","vid":10,"name":"a"},{"area":"sg1","vid":20,"name":"b"},)"
                  R"({"area":"sg1","vid":10,"name":"c"}])")
                .status,
            409);
  EXPECT_EQ(get("/api/v1/vlans?area=sg1").json()->getValue<int>("count"), 0);
  EXPECT_EQ(admin("DELETE", "/api/v1/devices", "[]").status, 400);
}

TEST_P(InventoryApi, BodyLimitAndMalformedBodies) {
  std::string big = R"({"name":")" + std::string(70'000, 'a') + R"("})";
  auto tooLarge = admin("POST", "/api/v1/areas", big);
  EXPECT_EQ(tooLarge.status, 413);
  EXPECT_EQ(tooLarge.errorCode(), "too_large");
  EXPECT_EQ(admin("POST", "/api/v1/areas", "{\"name\":").status, 400);
  EXPECT_EQ(admin("POST", "/api/v1/areas", "").status, 400);
  EXPECT_EQ(admin("POST", "/api/v1/areas", std::string(1000, '[')).status, 400);
  EXPECT_EQ(admin("POST", "/api/v1/areas", "{\"name\":\"\xff\xfe\"}").status, 400);
  EXPECT_EQ(admin("POST", "/api/v1/areas", R"({"name":"x","description":5})").status, 400);
  auto put = admin("PUT", "/api/v1/areas", "{}");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.header("Allow"), "DELETE, GET, PATCH, POST");
  EXPECT_EQ(get("/api/v1/nothing").status, 404);
  EXPECT_EQ(get("/api/v1/areas").json()->getValue<int>("count"), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, InventoryApi,
                         ::testing::Values(DatabaseBackend::SQLite, DatabaseBackend::PostgreSQL),
                         [](const auto& info) {
                           return info.param == DatabaseBackend::SQLite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace netspine::test
