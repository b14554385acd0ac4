#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include "service_fixture.hpp"

namespace netspine::test {
namespace {

using domain::ConflictError;
using domain::DeviceStatus;
using domain::NotFoundError;
using domain::PolicyRefusedError;
using domain::ValidationError;

class DeviceServiceTest : public ServiceTest {};

TEST_P(DeviceServiceTest, CreateStoresEveryFieldAndRecordsTheChange) {
  auto in = device("core-1.ams1");
  in.status = DeviceStatus::Active;
  in.role = "core";
  in.serial = "FOC1234X";
  in.osVersion = "15.2(4)M7";
  in.tags = {"pe", "core", "pe"};
  in.credentialsRef = "lab-default";
  in.sshPort = 2222;
  in.snmpPort = 1161;
  auto d = devices.create(in, {"test:bob", "first device"});
  auto stored = devices.get("core-1.ams1");
  EXPECT_EQ(stored, d);
  EXPECT_EQ(stored.status, DeviceStatus::Active);
  EXPECT_EQ(stored.tags, (std::vector<std::string>{"core", "pe"}));
  EXPECT_EQ(stored.areaId, areas.get("emea/ams1").id);
  EXPECT_EQ(stored.sshPort, 2222);
  EXPECT_EQ(stored.osVersion, "15.2(4)M7");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.createdAt, "2026-11-27T10:00:00.000Z");

  auto log = changes.list("device:core-1.ams1");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "create");
  EXPECT_EQ(log[0].actor, "test:bob");
  EXPECT_EQ(log[0].message, "first device");
  EXPECT_EQ(log[0].objectId, std::to_string(d.id));
  EXPECT_TRUE(log[0].before.empty());
  EXPECT_NE(log[0].after.find("\"area\":\"emea/ams1\""), std::string::npos) << log[0].after;
  EXPECT_NE(log[0].after.find("\"os_version\":\"15.2(4)M7\""), std::string::npos) << log[0].after;
  EXPECT_EQ(changes.list("device:" + std::to_string(d.id)).size(), 1u);
}

TEST_P(DeviceServiceTest, DefaultStatusIsInventory) {
  EXPECT_EQ(devices.create(device("r1"), ctx).status, DeviceStatus::Inventory);
}

TEST_P(DeviceServiceTest, EveryFieldRuleRefusesAndWritesNothing) {
  struct Case {
    std::string field;
    std::function<void(app::DeviceInput&)> breakIt;
  };
  std::vector<Case> cases = {
      {"name", [](auto& d) { d.name = "bad name"; }},
      {"name", [](auto& d) { d.name = ".."; }},
      {"name", [](auto& d) { d.name = std::string(65, 'r'); }},
      {"address", [](auto& d) { d.address = "999.1.1.1"; }},
      {"address", [](auto& d) { d.address = ""; }},
      {"address", [](auto& d) { d.address = "2001:db8:::1"; }},
      {"platform", [](auto& d) { d.platform = "nokia_sros"; }},
      {"platform", [](auto& d) { d.platform = ""; }},
      {"area", [](auto& d) { d.area = "nowhere"; }},
      {"area", [](auto& d) { d.area = "ams1"; }},  // ambiguous
      {"area", [](auto& d) { d.area = ""; }},
      {"role", [](auto& d) { d.role = std::string(65, 'x'); }},
      {"serial", [](auto& d) { d.serial = "a\nb"; }},
      {"os_version", [](auto& d) { d.osVersion = "15.2(4)M7\r\n"; }},
      {"os_version", [](auto& d) { d.osVersion = std::string(129, '1'); }},
      {"os_version", [](auto& d) { d.osVersion = "4.28\xff"; }},
      {"tags",
       [](auto& d) {
         d.tags = {"ok", "not ok"};
       }},
      {"credentials", [](auto& d) { d.credentialsRef = "s3cr3t pass"; }},
      {"ssh_port", [](auto& d) { d.sshPort = 0; }},
      {"snmp_port", [](auto& d) { d.snmpPort = 65536; }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    auto in = device("r1");
    c.breakIt(in);
    expectRefused<ValidationError>([&] { devices.create(in, ctx); }, c.field);
  }
}

TEST_P(DeviceServiceTest, UnknownPlatformListsKnownOnes) {
  auto in = device("r1");
  in.platform = "nokia_sros";
  expectRefused<ValidationError>(
      [&] { devices.create(in, ctx); }, "platform",
      "unknown platform 'nokia_sros' (known: arista_eos, cisco_ios, juniper_junos)");
}

TEST_P(DeviceServiceTest, NameUniqueAcrossTheInventory) {
  devices.create(device("r1", "emea/ams1"), ctx);
  expectRefused<ConflictError>([&] { devices.create(device("r1", "amer/ams1"), ctx); }, "name",
                               "device 'r1' already exists");
  devices.create(device("r2"), ctx);
  expectRefused<ConflictError>([&] { devices.update("r2", {.name = "r1"}, ctx); }, "name");
}

TEST_P(DeviceServiceTest, StatusTransitionsFollowTheGraph) {
  auto in = device("r1");
  in.status = DeviceStatus::Active;
  devices.create(in, ctx);
  expectRefused<ValidationError>([&] { devices.setStatus("r1", DeviceStatus::Planned, ctx); },
                                 "status", "allowed from ACTIVE: STAGED, FAILED, DECOMMISSIONING");
  EXPECT_EQ(devices.setStatus("r1", DeviceStatus::Decommissioning, ctx).status,
            DeviceStatus::Decommissioning);
  EXPECT_EQ(devices.get("r1").version, 2);
  auto log = changes.list("device:r1");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].before.find("\"status\":\"ACTIVE\""), std::string::npos);
  EXPECT_NE(log[0].after.find("\"status\":\"DECOMMISSIONING\""), std::string::npos);
}

TEST_P(DeviceServiceTest, UnchangedUpdateWritesNothing) {
  devices.create(device("r1"), ctx);
  auto before = snapshot();
  auto d = devices.update("r1", {.address = "192.0.2.10", .status = DeviceStatus::Inventory}, ctx);
  EXPECT_EQ(d.version, 1);
  EXPECT_EQ(snapshot(), before);
}

TEST_P(DeviceServiceTest, UpdateFieldsTagsAndPorts) {
  auto in = device("r1");
  in.tags = {"a", "b"};
  in.sshPort = 2222;
  devices.create(in, ctx);
  app::DevicePatch p;
  p.address = "r1.example.net";
  p.area = "amer/ams1";
  p.platform = "juniper_junos";
  p.addTags = {"c"};
  p.removeTags = {"a"};
  p.sshPort = std::optional<int>();  // back to the default port
  auto d = devices.update("r1", p, ctx);
  EXPECT_EQ(d.address, "r1.example.net");
  EXPECT_EQ(d.areaId, areas.get("amer/ams1").id);
  EXPECT_EQ(d.platform, "juniper_junos");
  EXPECT_EQ(d.tags, (std::vector<std::string>{"b", "c"}));
  EXPECT_FALSE(d.sshPort);
  EXPECT_EQ(devices.get("r1"), d);
  expectRefused<ValidationError>([&] { devices.update("r1", {.address = "bad host"}, ctx); },
                                 "address");
  expectRefused<ValidationError>([&] { devices.update("r1", {.platform = "x"}, ctx); }, "platform");
  expectRefused<NotFoundError>([&] { devices.update("nope", {.role = "x"}, ctx); }, "");
}

TEST_P(DeviceServiceTest, RemoveRecordsAndForgets) {
  devices.create(device("r1"), ctx);
  devices.remove("r1", ctx);
  EXPECT_THROW(devices.get("r1"), NotFoundError);
  EXPECT_THROW(devices.remove("r1", ctx), NotFoundError);
  auto log = changes.list("device:r1");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "delete");
}

TEST_P(DeviceServiceTest, ListFilters) {
  auto add = [&](std::string name, std::string area, DeviceStatus s, std::string platform,
                 std::vector<std::string> tags, std::string role) {
    auto in = device(name, area);
    in.status = s;
    in.platform = platform;
    in.tags = tags;
    in.role = role;
    devices.create(in, ctx);
  };
  add("a1", "emea/ams1", DeviceStatus::Active, "cisco_ios", {"core"}, "core");
  add("a2", "emea/fra1", DeviceStatus::Active, "juniper_junos", {"edge"}, "edge");
  add("a3", "amer/ams1", DeviceStatus::Staged, "cisco_ios", {"core", "lab"}, "core");
  add("b1", "amer", DeviceStatus::Failed, "juniper_junos", {}, "");
  auto names = [&](app::DeviceQuery q) {
    std::vector<std::string> out;
    for (const auto& d : devices.list(q)) out.push_back(d.name);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names({}), (V{"a1", "a2", "a3", "b1"}));
  EXPECT_EQ(names({.statuses = {DeviceStatus::Active}}), (V{"a1", "a2"}));
  EXPECT_EQ(names({.statuses = {DeviceStatus::Staged, DeviceStatus::Failed}}), (V{"a3", "b1"}));
  EXPECT_EQ(names({.areas = {"emea"}}), (V{"a1", "a2"}));  // the subtree
  EXPECT_EQ(names({.areas = {"amer"}}), (V{"a3", "b1"}));
  EXPECT_EQ(names({.areas = {"emea/fra1", "amer/ams1"}}), (V{"a2", "a3"}));
  EXPECT_EQ(names({.platforms = {"juniper_junos"}}), (V{"a2", "b1"}));
  EXPECT_EQ(names({.tags = {"lab", "edge"}}), (V{"a2", "a3"}));
  EXPECT_EQ(names({.roles = {"core"}}), (V{"a1", "a3"}));
  EXPECT_EQ(names({.statuses = {DeviceStatus::Active}, .tags = {"core"}}), (V{"a1"}));
  EXPECT_EQ(names({.nameContains = "A"}), (V{"a1", "a2", "a3"}));
  EXPECT_EQ(names({.limit = 2, .offset = 1}), (V{"a2", "a3"}));
  EXPECT_EQ(devices.count({.statuses = {DeviceStatus::Active}}), 2);
  EXPECT_THROW(devices.list({.areas = {"nowhere"}}), ValidationError);
}

TEST_P(DeviceServiceTest, OsVersionRoundTripsThroughUpdateAndTheChangeLog) {
  auto in = device("r1");
  in.osVersion = "15.2(4)M7";
  devices.create(in, ctx);
  auto d = devices.update("r1", {.osVersion = "15.2(7)E8"}, ctx);
  EXPECT_EQ(d.osVersion, "15.2(7)E8");
  EXPECT_EQ(d.version, 2);
  EXPECT_EQ(devices.get("r1"), d);
  auto listed = devices.list({});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], d);

  auto log = changes.list("device:r1");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "update");
  EXPECT_NE(log[0].before.find("\"os_version\":\"15.2(4)M7\""), std::string::npos) << log[0].before;
  EXPECT_NE(log[0].after.find("\"os_version\":\"15.2(7)E8\""), std::string::npos) << log[0].after;

  // A patch that names only the OS version is not empty; the same value writes nothing.
  EXPECT_FALSE((app::DevicePatch{.osVersion = "x"}).empty());
  EXPECT_EQ(devices.update("r1", {.osVersion = "15.2(7)E8"}, ctx).version, 2);
  // Cleared: back to the empty text.
  EXPECT_EQ(devices.update("r1", {.osVersion = ""}, ctx).osVersion, "");
  EXPECT_EQ(devices.get("r1").osVersion, "");
  expectRefused<ValidationError>([&] { devices.update("r1", {.osVersion = "20.4\tR3"}, ctx); },
                                 "os_version",
                                 "os_version: '20.4\\x09R3' contains a control character");
  EXPECT_EQ(devices.get("r1").version, 3);
}

TEST_P(DeviceServiceTest, ListOrdersByOsVersion) {
  for (auto [name, version] : {std::pair{"r1", "4.28.3M"}, {"r2", "15.2(4)M7"}, {"r3", ""}}) {
    auto in = device(name);
    in.osVersion = version;
    devices.create(in, ctx);
  }
  auto names = [&](std::string ordering) {
    std::vector<std::string> out;
    for (const auto& d : devices.list({.ordering = ordering})) out.push_back(d.name);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names("os_version"), (V{"r3", "r2", "r1"}));
  EXPECT_EQ(names("-os_version"), (V{"r1", "r2", "r3"}));
  expectRefused<ValidationError>([&] { devices.list({.ordering = "os"}); }, "ordering",
                                 "name, address, status, platform, role, serial, os_version, "
                                 "created_at, updated_at");
}

TEST_P(DeviceServiceTest, StatusGuardRefusesAnotherStatusAndWritesNothing) {
  auto in = device("r1");
  in.status = DeviceStatus::Active;
  in.osVersion = "15.2(4)M7";
  devices.create(in, ctx);
  devices.setStatus("r1", DeviceStatus::Failed, ctx);
  const auto before = devices.get("r1");
  const auto logBefore = changes.list("device:r1");

  app::DevicePatch patch{.osVersion = "15.2(7)E8",
                         .ifStatusIn = std::vector{DeviceStatus::Staged, DeviceStatus::Active}};
  try {
    devices.update("r1", patch, ctx);
    ADD_FAILURE() << "the status guard let a FAILED device through";
  } catch (const PolicyRefusedError& e) {
    EXPECT_EQ(std::string(e.what()),
              "device r1: status FAILED; this update needs STAGED or ACTIVE");
    EXPECT_EQ(e.kind(), domain::ErrorKind::Conflict);
    EXPECT_EQ(e.field(), "devices");
    using Reasons = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(e.reasons(), (Reasons{{"r1", "status FAILED; this update needs STAGED or ACTIVE"}}));
  }
  EXPECT_EQ(devices.get("r1"), before);
  const auto logAfter = changes.list("device:r1");
  ASSERT_EQ(logAfter.size(), logBefore.size());
  EXPECT_EQ(logAfter[0].id, logBefore[0].id);

  // The guard goes with every other field, and with a status change too.
  expectRefused<PolicyRefusedError>(
      [&] {
        devices.update(
            "r1", {.status = DeviceStatus::Staged, .ifStatusIn = std::vector{DeviceStatus::Active}},
            ctx);
      },
      "devices", "device r1: status FAILED; this update needs ACTIVE");
  // An engaged empty list allows no status at all.
  expectRefused<PolicyRefusedError>(
      [&] {
        devices.update("r1", {.osVersion = "x", .ifStatusIn = std::vector<DeviceStatus>{}}, ctx);
      },
      "devices", "device r1: status FAILED; this update allows no status");
  EXPECT_EQ(devices.get("r1"), before);
}

TEST_P(DeviceServiceTest, StatusGuardPassesWhenTheStatusIsOneOfThem) {
  auto in = device("r1");
  in.status = DeviceStatus::Staged;
  devices.create(in, ctx);
  auto d = devices.update("r1",
                          {.osVersion = "20.4R3-S1.3",
                           .ifStatusIn = std::vector{DeviceStatus::Staged, DeviceStatus::Active}},
                          ctx);
  EXPECT_EQ(d.osVersion, "20.4R3-S1.3");
  EXPECT_EQ(d.status, DeviceStatus::Staged);
  EXPECT_EQ(d.version, 2);
  EXPECT_EQ(devices.get("r1"), d);
  auto log = changes.list("device:r1");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].after.find("\"os_version\":\"20.4R3-S1.3\""), std::string::npos);
  // It also passes when the update moves the device out of the allowed statuses.
  d = devices.update(
      "r1", {.status = DeviceStatus::Active, .ifStatusIn = std::vector{DeviceStatus::Staged}}, ctx);
  EXPECT_EQ(d.status, DeviceStatus::Active);
  // A patch with only a guard is empty: it changes nothing, whatever the status.
  EXPECT_TRUE((app::DevicePatch{.ifStatusIn = std::vector{DeviceStatus::Failed}}).empty());
  // The guard reads inside the update's own transaction: a status this unit of work just wrote.
  {
    auto uow = store.begin();
    devices.updateIn(*uow, "r1", {.status = DeviceStatus::Failed}, ctx);
    EXPECT_THROW(
        devices.updateIn(*uow, "r1",
                         {.osVersion = "y", .ifStatusIn = std::vector{DeviceStatus::Active}}, ctx),
        PolicyRefusedError);
  }  // rolled back
  EXPECT_EQ(devices.get("r1").status, DeviceStatus::Active);
}

// Another writer changes the status between the moment an update starts and its write: the
// guard must see that status, not the one from before. PostgreSQL only: SQLite's write
// transaction and the memory store exclude a second writer outright.
TEST_P(DeviceServiceTest, StatusGuardSeesAStatusAnotherConnectionCommitsMeanwhile) {
  if (GetParam() != Backend::Postgres) GTEST_SKIP() << "one writer at a time on this store";
  auto in = device("r1");
  in.status = DeviceStatus::Active;
  devices.create(in, ctx);

  infra::SqlStore other(database_->url());
  app::DeviceService otherDevices(other, clock);
  infra::Database probe(database_->url());
  const std::int64_t guardedPid = database_->db().queryInt("SELECT pg_backend_pid()");

  // The other connection holds the row and moves the device to FAILED, not committed yet.
  auto otherUow = other.begin();
  otherDevices.updateIn(*otherUow, "r1", {.status = DeviceStatus::Failed}, {"test:other", ""});

  std::atomic<bool> done = false;
  std::exception_ptr outcome;
  std::thread guarded([&] {
    try {
      devices.update(
          "r1", {.osVersion = "15.2(7)E8", .ifStatusIn = std::vector{DeviceStatus::Active}}, ctx);
    } catch (...) {
      outcome = std::current_exception();
    }
    done = true;
  });
  // Until the guarded update waits for the other connection's row lock (or, wrongly, is done).
  while (!done && probe.queryInt("SELECT COUNT(*) FROM pg_locks WHERE pid = ? AND NOT granted",
                                 {guardedPid}) == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  otherUow->commit();
  otherUow.reset();
  guarded.join();

  ASSERT_TRUE(outcome) << "the guarded update went through over a FAILED device";
  try {
    std::rethrow_exception(outcome);
  } catch (const PolicyRefusedError& e) {
    EXPECT_EQ(std::string(e.what()), "device r1: status FAILED; this update needs ACTIVE");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected error: " << e.what();
  }
  auto d = devices.get("r1");
  EXPECT_EQ(d.status, DeviceStatus::Failed);
  EXPECT_EQ(d.osVersion, "");
  EXPECT_EQ(d.version, 2);
  EXPECT_EQ(changes.list("device:r1").size(), 2u);
}

NETSPINE_SERVICE_SUITE(DeviceServiceTest);

}  // namespace
}  // namespace netspine::test
