#include "infra/config_file.hpp"

#include <cctz/time_zone.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "domain/errors.hpp"
#include "support/temp_folder.hpp"

namespace netspine::infra {
namespace {

using domain::DeviceStatus;
using domain::Operation;
using Ops = std::vector<Operation>;

class ConfigFileTest : public ::testing::Test {
 protected:
  Config load(std::string_view text) {
    path_ = dir_.write("netspine.yaml", text);
    return loadConfig(path_);
  }

  /// The error loading `text` gives, with the temp folder left out of the file names.
  std::string error(std::string_view text) {
    try {
      load(text);
    } catch (const domain::ValidationError& e) {
      std::string message = e.what();
      for (auto at = message.find(path_); at != std::string::npos; at = message.find(path_)) {
        message.replace(at, path_.size(), "netspine.yaml");
      }
      return message;
    }
    ADD_FAILURE() << "expected a ValidationError";
    return {};
  }

  static void expectDefaultPolicy(const Config& config) {
    const auto defaults = domain::AutomationPolicy::defaults();
    for (auto status : domain::kAllStatuses) {
      EXPECT_EQ(config.automationPolicy.allowed(status), defaults.allowed(status))
          << domain::toString(status);
    }
  }

  test::TempFolder dir_;
  std::string path_;
};

TEST_F(ConfigFileTest, DefaultsNeedNoFile) {
  Config config;
  EXPECT_EQ(config.sourcePath, "");
  EXPECT_EQ(config.dataDir, "netspine-data");
  EXPECT_EQ(config.effectiveDatabaseUrl(), "netspine-data/netspine.db");
}

TEST_F(ConfigFileTest, AnEmptyFileGivesTheDefaults) {
  for (auto text : {"", "# nothing set yet\n", "---\n"}) {
    auto config = load(text);
    EXPECT_EQ(config.sourcePath, path_);
    EXPECT_EQ(config.dataDir, dir_.path("netspine-data"));  // next to the file
    EXPECT_EQ(config.databaseUrl, "");
    EXPECT_EQ(config.effectiveDatabaseUrl(), dir_.path("netspine-data/netspine.db"));
    expectDefaultPolicy(config);
  }
}

TEST_F(ConfigFileTest, ReadsEveryKey) {
  auto config = load(R"(data_dir: ../var
database:
  url: postgresql://netspine@db.example.net/netspine
automation_policy:
  active: [read, discover, push, provision]
  Failed: [read]
  decommissioning: []
)");
  EXPECT_EQ(config.dataDir,
            (std::filesystem::path(dir_.path("")).parent_path().parent_path() / "var").string());
  EXPECT_EQ(config.databaseUrl, "postgresql://netspine@db.example.net/netspine");
  EXPECT_EQ(config.effectiveDatabaseUrl(), "postgresql://netspine@db.example.net/netspine");
  const auto& policy = config.automationPolicy;
  EXPECT_EQ(policy.allowed(DeviceStatus::Active),
            (Ops{Operation::Read, Operation::Discover, Operation::Provision, Operation::Push}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Failed), (Ops{Operation::Read}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Decommissioning), Ops{});
  // Statuses not named keep their defaults.
  EXPECT_EQ(policy.allowed(DeviceStatus::Staged),
            (Ops{Operation::Read, Operation::Discover, Operation::Provision}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Inventory), (Ops{Operation::Read}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Planned), (Ops{Operation::Read}));
}

TEST_F(ConfigFileTest, ServerKeys) {
  const auto defaults = load("");
  EXPECT_EQ(defaults.server.host, "127.0.0.1");
  EXPECT_EQ(defaults.server.port, 8080);
  EXPECT_TRUE(defaults.server.tlsCert.empty());
  const auto c = load(
      "server:\n"
      "  listen: \"[::1]:9443\"\n"
      "  tls_cert: certs/api.pem\n"
      "  tls_key: /etc/netspine/api.key\n"
      "  threads: 8\n"
      "  queue: 32\n"
      "  db_connections: 2\n"
      "  max_body_bytes: 2048\n"
      "  keep_alive: false\n"
      "  keep_alive_requests: 10\n"
      "  keep_alive_timeout: 5s\n"
      "  timeout: 2m\n");
  EXPECT_EQ(c.server.host, "::1");
  EXPECT_EQ(c.server.port, 9443);
  EXPECT_EQ(c.server.tlsCert, dir_.path("certs/api.pem"));
  EXPECT_EQ(c.server.tlsKey, "/etc/netspine/api.key");
  EXPECT_EQ(c.server.threads, 8u);
  EXPECT_EQ(c.server.queue, 32u);
  EXPECT_EQ(c.server.connections, 2u);
  EXPECT_EQ(c.server.maxBodyBytes, 2048);
  EXPECT_FALSE(c.server.keepAlive);
  EXPECT_EQ(c.server.keepAliveRequests, 10u);
  EXPECT_EQ(c.server.keepAliveTimeout, std::chrono::seconds(5));
  EXPECT_EQ(c.server.timeout, std::chrono::minutes(2));
  EXPECT_EQ(load("server:\n  listen: 0.0.0.0:0\n").server.port, 0);
}

TEST_F(ConfigFileTest, ServerKeyErrorsNameFileLineAndKey) {
  EXPECT_EQ(error("server:\n  listen: localhost\n"),
            "netspine.yaml:2: server.listen: expected HOST:PORT or [IPv6]:PORT with a port from 0 "
            "(any free port) to 65535, got 'localhost'");
  EXPECT_EQ(error("server:\n  listen: 1.2.3.4:70000\n").substr(0, 30),
            "netspine.yaml:2: server.listen");
  EXPECT_EQ(error("server:\n  threads: 0\n"),
            "netspine.yaml:2: server.threads: must be from 1 to 4096, got 0");
  EXPECT_EQ(error("server:\n  max_body_bytes: 10\n"),
            "netspine.yaml:2: server.max_body_bytes: must be from 1024 to 1073741824, got 10");
  EXPECT_EQ(error("server:\n  keep_alive: maybe\n"),
            "netspine.yaml:2: server.keep_alive: expected true or false, got 'maybe'");
  EXPECT_EQ(error("server:\n  tls_cert: a.pem\n"),
            "netspine.yaml:1: server: tls_cert and tls_key go together: set both for HTTPS or "
            "neither");
  EXPECT_NE(error("server:\n  thread: 4\n").find("server.thread"), std::string::npos);
}

TEST_F(ConfigFileTest, AStatusWithNothingListedAllowsNothing) {
  auto config = load("automation_policy:\n  ACTIVE:\n");
  EXPECT_EQ(config.automationPolicy.allowed(DeviceStatus::Active), Ops{});
  EXPECT_FALSE(config.automationPolicy.allows(DeviceStatus::Active, Operation::Read));
}

TEST_F(ConfigFileTest, AnAbsoluteDataDirStays) {
  auto config = load("data_dir: /srv/netspine\n");
  EXPECT_EQ(config.dataDir, "/srv/netspine");
  EXPECT_EQ(config.effectiveDatabaseUrl(), "/srv/netspine/netspine.db");
}

TEST_F(ConfigFileTest, AnUnknownKeyIsNamedWithASuggestion) {
  EXPECT_EQ(error("data_dir: x\ndatabse:\n  url: x\n"),
            "netspine.yaml:2: unknown key 'databse' (did you mean 'database'?)");
  EXPECT_EQ(error("database:\n  urll: x\n"),
            "netspine.yaml:2: unknown key 'database.urll' (did you mean 'database.url'?)");
  EXPECT_EQ(error("listen: 127.0.0.1:8080\n"),
            "netspine.yaml:1: unknown key 'listen' (known keys: data_dir, secrets_file, backup, "
            "ssh, server, database, automation_policy, plugin_dirs, schedules, operations, jobs)");
}

TEST_F(ConfigFileTest, JobSettingsAndOperationClasses) {
  auto config = load(
      "jobs:\n  workers: 4\n  worker_concurrency: 64\n  max_attempts: 5\n  retry_backoff: 10s\n"
      "  task_timeout: 2m\n  run_time_limit: 1h\n  lease: 20s\n  cancel_grace: 3s\n"
      "  run_concurrency: 100\noperations:\n  show_tech: read\n  backup: PUSH\n");
  EXPECT_EQ(config.workers, 4u);
  EXPECT_EQ(config.workerConcurrency, 64u);
  EXPECT_EQ(config.jobs.maxAttempts, 5);
  EXPECT_EQ(config.jobs.retryBackoff, std::chrono::seconds(10));
  EXPECT_EQ(config.jobs.taskTimeout, std::chrono::minutes(2));
  EXPECT_EQ(config.jobs.runTimeLimit, std::chrono::hours(1));
  EXPECT_EQ(config.jobs.lease, std::chrono::seconds(20));
  EXPECT_EQ(config.jobs.cancelGrace, std::chrono::seconds(3));
  EXPECT_EQ(config.jobs.runConcurrency, 100u);
  EXPECT_EQ(config.operations.of("show_tech"), domain::Operation::Read);
  EXPECT_EQ(config.operations.of("backup"), domain::Operation::Push);
  EXPECT_EQ(config.operations.of("teardown"), domain::Operation::Teardown) << "defaults stay";
  // The defaults without a file.
  const infra::Config defaults;
  EXPECT_EQ(defaults.workers, 2u);
  EXPECT_EQ(defaults.jobs.maxAttempts, 3);
  EXPECT_EQ(defaults.operations.of("noop"), domain::Operation::Read);
  EXPECT_FALSE(defaults.operations.of("show_tech"));
}

TEST_F(ConfigFileTest, BadJobSettingsNameTheLineAndKey) {
  EXPECT_EQ(error("jobs:\n  workers: -1\n"),
            "netspine.yaml:2: jobs.workers: must be from 0 to 256, got -1");
  EXPECT_EQ(error("jobs:\n  lease: 1s\n"),
            "netspine.yaml:2: jobs.lease: must be at least 5s, got 1s");
  EXPECT_EQ(error("jobs:\n  task_timeout: soon\n").rfind("netspine.yaml:2: ", 0), 0u);
  EXPECT_EQ(error("jobs:\n  worker: 3\n"),
            "netspine.yaml:2: unknown key 'jobs.worker' (did you mean 'jobs.workers'?)");
  EXPECT_EQ(error("operations:\n  show_tech: browse\n"),
            "netspine.yaml:2: operations.show_tech: unknown operation class 'browse' (expected "
            "one of read, discover, provision, push, teardown)");
}

TEST_F(ConfigFileTest, BadOperationsAndStatusesNameTheKeyPath) {
  EXPECT_EQ(error("automation_policy:\n  active: [read, discover, pushh]\n"),
            "netspine.yaml:2: automation_policy.active[2]: unknown operation 'pushh' (expected "
            "one of read, discover, provision, push, teardown)");
  EXPECT_EQ(error("automation_policy:\n  actve:\n    - read\n"),
            "netspine.yaml:2: automation_policy.actve: unknown status 'actve' (expected one of "
            "INVENTORY, PLANNED, STAGED, ACTIVE, FAILED, DECOMMISSIONING)");
  EXPECT_EQ(error("automation_policy:\n  active: [read]\n  ACTIVE: [push]\n"),
            "netspine.yaml:3: automation_policy.ACTIVE: status ACTIVE is already set at line 2");
}

TEST_F(ConfigFileTest, OperationsIgnoreCase) {
  auto config = load("automation_policy:\n  staged: [Read, PROVISION]\n");
  EXPECT_EQ(config.automationPolicy.allowed(DeviceStatus::Staged),
            (Ops{Operation::Read, Operation::Provision}));
}

TEST_F(ConfigFileTest, WrongTypesNameTheLineAndKey) {
  EXPECT_EQ(error("data_dir: [a, b]\n"),
            "netspine.yaml:1: data_dir: expected a string, got a list");
  EXPECT_EQ(error("data_dir: ''\n"), "netspine.yaml:1: data_dir: must not be empty");
  EXPECT_EQ(error("database: sqlite\n"),
            "netspine.yaml:1: database: expected an object, got 'sqlite'");
  EXPECT_EQ(error("database:\n  url: {host: x}\n"),
            "netspine.yaml:2: database.url: expected a string, got an object");
  EXPECT_EQ(error("automation_policy: [read]\n"),
            "netspine.yaml:1: automation_policy: expected an object, got a list");
  EXPECT_EQ(error("automation_policy:\n  active: read\n"),
            "netspine.yaml:2: automation_policy.active: expected a list, got 'read'");
  EXPECT_EQ(error("automation_policy:\n  active:\n    - read\n    - [push]\n"),
            "netspine.yaml:4: automation_policy.active[1]: expected a string, got a list");
  EXPECT_EQ(
      error("- data_dir\n"),
      "netspine.yaml:1: expected an object with keys data_dir, secrets_file, backup, ssh, "
      "server, database, automation_policy, plugin_dirs, schedules, operations, jobs, got a list");
}

TEST_F(ConfigFileTest, ReportsEveryProblemOfTheFileAtOnce) {
  EXPECT_EQ(error("databse: x\nautomation_policy:\n  active: [pushh]\n  failed: [x]\n"),
            "netspine.yaml:1: unknown key 'databse' (did you mean 'database'?)\n"
            "netspine.yaml:3: automation_policy.active[0]: unknown operation 'pushh' (expected "
            "one of read, discover, provision, push, teardown)\n"
            "netspine.yaml:4: automation_policy.failed[0]: unknown operation 'x' (expected one "
            "of read, discover, provision, push, teardown)");
}

TEST_F(ConfigFileTest, PluginDirsResolveAgainstTheFilesFolder) {
  auto config = load("plugin_dirs:\n  - plugins\n  - /opt/vendor/netspine-plugins\n");
  EXPECT_EQ(config.effectivePluginDirs(),
            (std::vector<std::string>{dir_.path("plugins"), "/opt/vendor/netspine-plugins"}));
  EXPECT_EQ(load("plugin_dirs: []\n").effectivePluginDirs(), std::vector<std::string>{});
}

TEST_F(ConfigFileTest, PluginDirsDefaultNextToTheExecutable) {
  // <executable's folder>/../lib/netspine/plugins: the build tree and an install share it.
  for (const auto& config : {Config{}, load("data_dir: x\n"), load("plugin_dirs:\n")}) {
    const auto dirs = config.effectivePluginDirs();
    ASSERT_EQ(dirs.size(), 1u);
    EXPECT_TRUE(dirs[0].ends_with("/lib/netspine/plugins")) << dirs[0];
    EXPECT_TRUE(std::filesystem::path(dirs[0]).is_absolute()) << dirs[0];
  }
}

TEST_F(ConfigFileTest, PluginDirsMustBeAListOfFolders) {
  EXPECT_EQ(error("plugin_dirs: /opt/plugins\n"),
            "netspine.yaml:1: plugin_dirs: expected a list, got '/opt/plugins'");
  EXPECT_EQ(error("plugin_dirs:\n  - a\n  - ''\n"),
            "netspine.yaml:3: plugin_dirs[1]: must not be empty");
  EXPECT_EQ(error("plugin_dirs:\n  - [a]\n"),
            "netspine.yaml:2: plugin_dirs[0]: expected a string, got a list");
  EXPECT_EQ(error("plugin_dirs:\n  -\n"),
            "netspine.yaml:1: plugin_dirs[0]: expected a folder, got nothing");
}

TEST_F(ConfigFileTest, ADuplicateKeyIsAProblem) {
  EXPECT_EQ(error("data_dir: a\ndata_dir: b\n"),
            "netspine.yaml:2: duplicate key 'data_dir' (first at line 1)");
}

TEST_F(ConfigFileTest, ASyntaxErrorNamesLineAndColumn) {
  auto message = error("database:\n  url: [x\ndata_dir: y\n");
  EXPECT_TRUE(message.starts_with("netspine.yaml:3:9: syntax error: ")) << message;
}

TEST_F(ConfigFileTest, AMissingFileIsNamed) {
  const auto missing = dir_.path("nope.yaml");
  try {
    loadConfig(missing);
    FAIL() << "expected a ValidationError";
  } catch (const domain::ValidationError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open " + missing + ": No such file or directory");
  }
}

// Schedules: each a name, a kind, a target (devices or select) and a time (cron or every).

using Clock = std::chrono::system_clock;

Clock::time_point utc(const char* text) {
  Clock::time_point t;
  EXPECT_TRUE(cctz::parse("%Y-%m-%d %H:%M", text, cctz::utc_time_zone(), &t)) << text;
  return t;
}

TEST_F(ConfigFileTest, ReadsSchedules) {
  auto config = load(R"(schedules:
  - name: nightly-backup
    kind: backup
    select: status=active area=dc1
    cron: "0 2 * * *"
    timezone: Europe/Zurich
    parameters:
      keep: 30
      compress: true
      label: nightly
  - name: reachability
    kind: check
    devices: [r1, r2]
    every: 1h30m
  - name: monthly
    kind: backup
    devices:
      - core-1
    cron: "@monthly"
)");
  ASSERT_EQ(config.schedules.size(), 3u);
  const auto& nightly = config.schedules[0];
  EXPECT_EQ(nightly.name, "nightly-backup");
  EXPECT_EQ(nightly.kind, "backup");
  ASSERT_TRUE(nightly.selector.has_value());
  EXPECT_EQ(*nightly.selector, domain::DeviceSelector::parse("area=dc1 status=active"));
  EXPECT_TRUE(nightly.devices.empty());
  ASSERT_TRUE(nightly.cron.has_value());
  EXPECT_EQ(nightly.cron->text(), "0 2 * * *");
  EXPECT_FALSE(nightly.every.has_value());
  EXPECT_EQ(nightly.zone.name(), "Europe/Zurich");
  EXPECT_EQ(nightly.zone.name(), "Europe/Zurich");
  EXPECT_EQ(nightly.parameters, (std::map<std::string, std::string>{
                                    {"keep", "30"}, {"compress", "true"}, {"label", "nightly"}}));
  // 02:00 in Zurich is 01:00 UTC in winter.
  EXPECT_EQ(nightly.nextAfter(utc("2026-11-27 12:00")), utc("2026-11-28 01:00"));

  const auto& reach = config.schedules[1];
  EXPECT_EQ(reach.devices, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_FALSE(reach.selector.has_value());
  EXPECT_FALSE(reach.cron.has_value());
  EXPECT_EQ(reach.every, std::chrono::seconds(5400));
  EXPECT_TRUE(reach.parameters.empty());
  EXPECT_EQ(reach.zone.name(), "UTC");

  const auto& monthly = config.schedules[2];
  EXPECT_EQ(monthly.devices, std::vector<std::string>{"core-1"});
  EXPECT_EQ(monthly.zone.name(), "UTC");  // the default
  EXPECT_EQ(monthly.nextAfter(utc("2026-11-27 12:00")), utc("2026-12-01 00:00"));
}

TEST_F(ConfigFileTest, NoSchedulesIsFine) {
  EXPECT_TRUE(load("data_dir: x\n").schedules.empty());
  EXPECT_TRUE(load("schedules:\n").schedules.empty());
  EXPECT_TRUE(load("schedules: []\n").schedules.empty());
}

TEST_F(ConfigFileTest, ScheduleShapesAreChecked) {
  EXPECT_EQ(error("schedules: nightly\n"),
            "netspine.yaml:1: schedules: expected a list, got 'nightly'");
  EXPECT_EQ(error("schedules:\n  - nightly\n"),
            "netspine.yaml:2: schedules[0]: expected an object, got 'nightly'");
  EXPECT_EQ(error("schedules:\n  -\n"),
            "netspine.yaml:1: schedules[0]: expected a schedule, got nothing");
  EXPECT_EQ(
      error("schedules:\n  - name: a\n    kind: backup\n    devices: [r1]\n    every: 1h\n"
            "    evry: 2h\n"),
      "netspine.yaml:6: unknown key 'schedules[0].evry' (did you mean 'schedules[0].every'?)");
  EXPECT_EQ(error("schedules:\n  - name: a\n    kind: backup\n    devices: [r1]\n    every: 1h\n"
                  "    owner: me\n"),
            "netspine.yaml:6: unknown key 'schedules[0].owner' (known keys: name, kind, devices, "
            "select, parameters, cron, every, timezone)");
  EXPECT_EQ(error("schedules:\n  - name: a\n    name: b\n    kind: backup\n    devices: [r1]\n"
                  "    every: 1h\n"),
            "netspine.yaml:3: duplicate key 'schedules[0].name' (first at line 2)");
}

TEST_F(ConfigFileTest, ScheduleRequiredKeysAreNamed) {
  EXPECT_EQ(error("schedules:\n  - kind: backup\n    devices: [r1]\n    every: 1h\n"),
            "netspine.yaml:2: schedules[0]: missing key 'name'");
  EXPECT_EQ(error("schedules:\n  - name: a\n    devices: [r1]\n    every: 1h\n"),
            "netspine.yaml:2: schedules[0]: missing key 'kind' (the job's operation)");
  EXPECT_EQ(error("schedules:\n  - name: a\n    kind: backup\n    every: 1h\n"),
            "netspine.yaml:2: schedules[0]: missing the target: 'devices' (a list of device "
            "names) or 'select'");
  EXPECT_EQ(error("schedules:\n  - name: a\n    kind: backup\n    devices: [r1]\n"),
            "netspine.yaml:2: schedules[0]: missing when to run: 'cron' (with 'timezone') or "
            "'every'");
  EXPECT_EQ(error("schedules:\n  - name:\n    kind:\n    select:\n    cron:\n"),
            "netspine.yaml:2: schedules[0].name: expected a name, got nothing\n"
            "netspine.yaml:3: schedules[0].kind: expected an operation such as backup, got "
            "nothing\n"
            "netspine.yaml:4: schedules[0].select: expected a selector such as 'status=active "
            "area=dc1', got nothing\n"
            "netspine.yaml:5: schedules[0].cron: expected a cron expression such as '0 2 * * *' "
            "or @daily, got nothing");
}

TEST_F(ConfigFileTest, ScheduleExclusiveKeysAreChecked) {
  EXPECT_EQ(error("schedules:\n  - name: a\n    kind: backup\n    devices: [r1]\n"
                  "    select: status=active\n    every: 1h\n"),
            "netspine.yaml:5: schedules[0]: give either 'devices' or 'select', not both");
  EXPECT_EQ(error("schedules:\n  - name: a\n    kind: backup\n    devices: [r1]\n"
                  "    every: 1h\n    cron: '@daily'\n"),
            "netspine.yaml:6: schedules[0]: give either 'cron' or 'every', not both");
  EXPECT_EQ(error("schedules:\n  - name: a\n    kind: backup\n    devices: [r1]\n"
                  "    every: 1h\n    timezone: Europe/Zurich\n"),
            "netspine.yaml:6: schedules[0].timezone: applies only to 'cron'; 'every' counts from "
            "the last run");
}

TEST_F(ConfigFileTest, ScheduleValuesAreChecked) {
  const std::string head = "schedules:\n  - name: a\n    kind: backup\n";
  EXPECT_EQ(error(head + "    devices: [r1]\n    cron: '0 24 * * *'\n"),
            "netspine.yaml:5: schedules[0].cron: '0 24 * * *': hour: 24 is out of range 0-23");
  EXPECT_EQ(error(head + "    devices: [r1]\n    cron: '0 2 * *'\n"),
            "netspine.yaml:5: schedules[0].cron: '0 2 * *': expected 5 fields (minute hour "
            "day-of-month month day-of-week), found 4");
  EXPECT_EQ(error(head + "    devices: [r1]\n    every: 15x\n"),
            "netspine.yaml:5: schedules[0].every: '15x' has an unknown unit 'x' (expected a "
            "duration such as 30s, 15m, 1h30m, 2d, 1w)");
  EXPECT_EQ(error(head + "    devices: [r1]\n    every: 15\n"),
            "netspine.yaml:5: schedules[0].every: '15' has a number without a unit (expected a "
            "duration such as 30s, 15m, 1h30m, 2d, 1w)");
  EXPECT_EQ(error(head + "    devices: [r1]\n    cron: '@daily'\n    timezone: Europe/Zurch\n"),
            "netspine.yaml:6: schedules[0].timezone: unknown time zone 'Europe/Zurch' (expected "
            "an IANA name such as Europe/Zurich, America/New_York or UTC)");
  EXPECT_EQ(error(head + "    devices: [r1]\n    cron: '@daily'\n    timezone: ../../etc/passwd\n"),
            "netspine.yaml:6: schedules[0].timezone: unknown time zone '../../etc/passwd' "
            "(expected an IANA name such as Europe/Zurich, America/New_York or UTC)");
  EXPECT_EQ(error(head + "    select: status=actve\n    every: 1h\n"),
            "netspine.yaml:4: schedules[0].select: unknown status 'actve' (expected one of "
            "INVENTORY, PLANNED, STAGED, ACTIVE, FAILED, DECOMMISSIONING)");
  EXPECT_EQ(error(head + "    select: colour=red\n    every: 1h\n"),
            "netspine.yaml:4: schedules[0].select: unknown key 'colour' (keys: status, area, "
            "platform, role, tag, name)");
  EXPECT_EQ(error(head + "    devices: []\n    every: 1h\n"),
            "netspine.yaml:4: schedules[0].devices: must name at least one device");
  EXPECT_EQ(error(head + "    devices: r1\n    every: 1h\n"),
            "netspine.yaml:4: schedules[0].devices: expected a list, got 'r1'");
  EXPECT_EQ(
      error(head + "    devices:\n      - r1\n      - 'bad name'\n      - r1\n    every: 1h\n"),
      "netspine.yaml:6: schedules[0].devices[1]: device name 'bad name' contains a space "
      "(allowed: letters, digits, '.', '_', '-')\n"
      "netspine.yaml:7: schedules[0].devices[2]: device 'r1' is listed twice");
  EXPECT_EQ(error(head + "    devices: [r1]\n    every: 1h\n    parameters: [keep]\n"),
            "netspine.yaml:6: schedules[0].parameters: expected an object, got a list");
  EXPECT_EQ(error(head + "    devices: [r1]\n    every: 1h\n    parameters:\n      keep: [1]\n"),
            "netspine.yaml:7: schedules[0].parameters.keep: expected a text, number or "
            "true/false, got a list");
  EXPECT_EQ(error("schedules:\n  - name: night backup\n    kind: backup\n    devices: [r1]\n"
                  "    every: 1h\n"),
            "netspine.yaml:2: schedules[0].name: schedule name 'night backup' contains a space "
            "(allowed: letters, digits, '.', '_', '-')");
  EXPECT_EQ(error("schedules:\n  - name: a\n    kind: [backup]\n    devices: [r1]\n"
                  "    every: 1h\n"),
            "netspine.yaml:3: schedules[0].kind: expected a string, got a list");
}

TEST_F(ConfigFileTest, ADuplicateScheduleNameNamesBothLines) {
  EXPECT_EQ(error("schedules:\n"
                  "  - name: nightly\n    kind: backup\n    devices: [r1]\n    every: 1h\n"
                  "  - name: other\n    kind: backup\n    devices: [r1]\n    every: 1h\n"
                  "  - name: nightly\n    kind: check\n    devices: [r2]\n    every: 2h\n"),
            "netspine.yaml:10: schedules[2].name: schedule 'nightly' is already declared at "
            "line 2");
}

TEST_F(ConfigFileTest, EverySchedulesProblemIsReportedAtOnce) {
  EXPECT_EQ(error("schedules:\n"
                  "  - name: a\n    kind: backup\n    devices: [r1]\n    cron: '61 * * * *'\n"
                  "  - name: b\n    kind: backup\n    select: status=active\n    every: 0m\n"
                  "    timezone: Mars/Olympus\n"),
            "netspine.yaml:5: schedules[0].cron: '61 * * * *': minute: 61 is out of range 0-59\n"
            "netspine.yaml:9: schedules[1].every: '0m' must be longer than 0s (expected a "
            "duration such as 30s, 15m, 1h30m, 2d, 1w)\n"
            "netspine.yaml:10: schedules[1].timezone: unknown time zone 'Mars/Olympus' "
            "(expected an IANA name such as Europe/Zurich, America/New_York or UTC)\n"
            "netspine.yaml:10: schedules[1].timezone: applies only to 'cron'; 'every' counts "
            "from the last run");
}

TEST_F(ConfigFileTest, TheExampleConfigLoads) {
  const auto example = test::sourceDir() / "examples/netspine.yaml";
  auto config = loadConfig(example.string());
  // Run from the repository root, the demo keeps its data under ./var.
  EXPECT_EQ(config.dataDir, (test::sourceDir() / "examples/../var").lexically_normal().string());
  EXPECT_EQ(config.databaseUrl, "");
  EXPECT_EQ(config.effectiveDatabaseUrl(), config.dataDir + "/netspine.db");
  expectDefaultPolicy(config);
  // The schedules use only what netspine bundles (the noop and ssh_cli engines), so `serve`
  // starts with them.
  ASSERT_EQ(config.schedules.size(), 2u);
  EXPECT_EQ(config.schedules[0].name, "pipeline-check");
  EXPECT_EQ(config.schedules[0].kind, "noop");
  EXPECT_EQ(config.schedules[0].every, std::chrono::minutes(15));
  EXPECT_EQ(config.schedules[1].name, "nightly-backup");
  EXPECT_EQ(config.schedules[1].kind, "backup");
  // The lab's secrets are next to it; backups go under the data folder.
  EXPECT_EQ(config.secretsFile, (test::sourceDir() / "examples/secrets.yaml").string());
  EXPECT_EQ(config.effectiveBackupRepository(), config.dataDir + "/configs");
}

}  // namespace
}  // namespace netspine::infra

namespace netspine::infra {
namespace {

class BackupConfigTest : public ConfigFileTest {};

TEST_F(BackupConfigTest, SecretsBackupAndSsh) {
  const auto c = load(R"(data_dir: data
secrets_file: secrets.yaml
backup:
  path: "{platform}/{device}.cfg"
  author: "Backup Bot <backup@example.net>"
  remote: ../mirror.git
ssh:
  connect_timeout: 5s
  auth_timeout: 7s
  command_timeout: 2m
  device_timeout: 4m
  host_key_policy: strict
  profiles:
    - platforms: [cisco_ios]
      kex: [diffie-hellman-group14-sha1, diffie-hellman-group1-sha1]
      host_key_algorithms: ssh-rsa
      command_timeout: 5m
    - devices: [old-r1]
      ciphers: [aes128-cbc]
      macs: [hmac-sha1]
      host_key_policy: tofu
      netconf_port: 2830
)");
  const auto folder = std::filesystem::path(path_).parent_path();
  EXPECT_EQ(c.secretsFile, (folder / "secrets.yaml").string());
  EXPECT_EQ(c.effectiveBackupRepository(), (folder / "data" / "configs").string());
  EXPECT_EQ(c.backup.pathTemplate, "{platform}/{device}.cfg");
  EXPECT_EQ(c.backup.authorName, "Backup Bot");
  EXPECT_EQ(c.backup.authorEmail, "backup@example.net");
  EXPECT_EQ(c.backupRemote, (folder.parent_path() / "mirror.git").string());
  EXPECT_EQ(c.ssh.connectTimeout, std::chrono::seconds(5));
  EXPECT_EQ(c.ssh.authTimeout, std::chrono::seconds(7));
  EXPECT_EQ(c.ssh.commandTimeout, std::chrono::minutes(2));
  EXPECT_EQ(c.ssh.deviceTimeout, std::chrono::minutes(4));
  EXPECT_EQ(c.ssh.hostKeyPolicy, "strict");
  ASSERT_EQ(c.ssh.profiles.size(), 2u);
  EXPECT_EQ(c.ssh.profiles[0].platforms, std::vector<std::string>{"cisco_ios"});
  EXPECT_EQ(c.ssh.profiles[0].attributes.at("ssh.kex"),
            "diffie-hellman-group14-sha1,diffie-hellman-group1-sha1");
  EXPECT_EQ(c.ssh.profiles[0].attributes.at("ssh.hostkeys"), "ssh-rsa");
  EXPECT_EQ(c.ssh.profiles[0].commandTimeout, std::chrono::minutes(5));
  EXPECT_EQ(c.ssh.profiles[1].devices, std::vector<std::string>{"old-r1"});
  EXPECT_EQ(c.ssh.profiles[1].attributes.at("ssh.ciphers"), "aes128-cbc");
  EXPECT_EQ(c.ssh.profiles[1].attributes.at("ssh.macs"), "hmac-sha1");
  EXPECT_EQ(c.ssh.profiles[1].attributes.at("ssh.host_key_policy"), "tofu");
  EXPECT_EQ(c.ssh.profiles[1].attributes.at("netconf.port"), "2830");
}

TEST_F(BackupConfigTest, DefaultsWithoutTheKeys) {
  const auto c = load("data_dir: data\n");
  EXPECT_EQ(c.secretsFile, "");
  EXPECT_EQ(c.backup.pathTemplate, "{area}/{device}.cfg");
  EXPECT_EQ(c.backup.authorName, "netspine");
  EXPECT_EQ(c.backupRemote, "");
  EXPECT_EQ(c.ssh.hostKeyPolicy, "tofu");
  EXPECT_FALSE(c.ssh.deviceTimeout);
  EXPECT_TRUE(c.ssh.profiles.empty());
}

TEST_F(BackupConfigTest, BadValuesNameTheLineAndKey) {
  EXPECT_EQ(error("backup:\n  path: \"{area}/config.txt\"\n"),
            "netspine.yaml:2: backup.path: must contain {device}: every device needs its own "
            "file");
  EXPECT_EQ(error("backup:\n  path: \"{site}/{device}\"\n"),
            "netspine.yaml:2: backup.path: unknown placeholder '{site}' (known: {area}, "
            "{device}, {platform})");
  EXPECT_EQ(error("backup:\n  path: \"../{device}\"\n"),
            "netspine.yaml:2: backup.path: must not contain a '..' folder");
  EXPECT_EQ(error("backup:\n  author: nobody\n"),
            "netspine.yaml:2: backup.author: expected 'Name <email>', got 'nobody'");
  EXPECT_EQ(
      error("backup:\n  branch: main\n").rfind("netspine.yaml:2: unknown key 'backup.branch'", 0),
      0u);
  EXPECT_EQ(
      error("ssh:\n  profiles:\n    - platforms: [juniper_junos]\n      netconf_port: 0\n"),
      "netspine.yaml:4: ssh.profiles[0].netconf_port: expected a port from 1 to 65535, got 0");
  EXPECT_EQ(error("ssh:\n  host_key_policy: yes\n"),
            "netspine.yaml:2: ssh.host_key_policy: expected tofu (trust on first use) or strict, "
            "got 'yes'");
  EXPECT_EQ(
      error("ssh:\n  connect_timeout: 0s\n").rfind("netspine.yaml:2: ssh.connect_timeout: ", 0),
      0u);
  // Legacy algorithms are never for every device.
  EXPECT_EQ(error("ssh:\n  profiles:\n    - kex: [diffie-hellman-group1-sha1]\n"),
            "netspine.yaml:3: ssh.profiles[0]: name the devices it is for with 'platforms' or "
            "'devices' (options for every device belong under ssh:)");
  EXPECT_EQ(error("ssh:\n  profiles:\n    - platforms: [cisco_ios]\n      kex: [\"a b\"]\n"),
            "netspine.yaml:4: ssh.profiles[0].kex: 'a b' is not a name (letters, digits, - _ . @)");
  EXPECT_EQ(error("ssh:\n  profiles:\n    - platforms: [cisco_ios]\n      kexx: [a]\n")
                .rfind("netspine.yaml:4: unknown key 'ssh.profiles[0].kexx' (did you mean "
                       "'ssh.profiles[0].kex'?)",
                       0),
            0u);
}

}  // namespace
}  // namespace netspine::infra
