// push, provision and teardown end to end: the real ssh_cli engine and platform plugins loaded
// through the plugin host, the worker, JobResultService, SQLite, a Git repository, and simulated
// Cisco IOS, Juniper Junos and Arista EOS devices over SSH on 127.0.0.1. What the devices end up
// running is read back from the simulator itself.

#include <gtest/gtest.h>

#include <map>

#include "application/change_log_service.hpp"
#include "application/config_service.hpp"
#include "domain/errors.hpp"
#include "infra/git_config_archive.hpp"
#include "job_fixture.hpp"
#include "netspine/sim/test_device.hpp"
#include "support/shell.hpp"

namespace netspine::test {
namespace {

using domain::DeviceStatus;
using domain::Operation;
using domain::RunState;
using domain::TaskState;
using sim::OsKind;

/// A configuration line each platform takes, and one it rejects.
struct PlatformCase {
  OsKind os;
  std::string platform;
  std::string good;     // what is pushed
  std::string present;  // how the running configuration shows it (runningHasLine)
  std::string bad;
};

const PlatformCase kCases[] = {
    {OsKind::CiscoIos, "cisco_ios", "snmp-server location ams1-rack12",
     "snmp-server location ams1-rack12", "frobnicate 1"},
    {OsKind::AristaEos, "arista_eos", "snmp-server location ams1-rack12",
     "snmp-server location ams1-rack12", "frobnicate 1"},
    {OsKind::JuniperJunos, "juniper_junos", "set snmp location ams1-rack12",
     "set snmp location ams1-rack12", "set frobnicate 1"},
};

void PrintTo(const PlatformCase& c, std::ostream* os) {
  *os << c.platform;
}

class ChangeJobTest : public JobTest {
 protected:
  void SetUp() override {
    JobTest::SetUp();
    loadBuiltPlugins(NETSPINE_BUILD_PLUGIN_DIR,
                     {"ssh_cli", "cisco_ios", "juniper_junos", "arista_eos"});
    ASSERT_FALSE(HasFatalFailure());
    repo = temp_.path("configs");
    git = std::make_unique<infra::GitConfigArchive>(repo, backup, "");
    archive = git.get();
    preparer = [](const domain::Device&, plugin::DeviceTarget& target) {
      plugin::Credentials c;
      c.name = "lab";
      c.username = "admin";
      c.password = plugin::Secret("admin");
      c.enableSecret = plugin::Secret("enable");
      target.credentials = {c};
    };
  }

  void TearDown() override { archive = nullptr; }

  /// A simulated device and its inventory entry (named as the simulator names it: r1).
  sim::TestDevice& simulate(const std::string& name, OsKind os, const std::string& platform,
                            DeviceStatus status = DeviceStatus::Active) {
    sim::DeviceProfile profile;
    profile.name = name;
    profile.os = os;
    auto& d = *sims.emplace(name, std::make_unique<sim::TestDevice>(profile)).first->second;
    app::DeviceInput in;
    in.name = name;
    in.address = d.address();
    in.platform = platform;
    in.area = "lab";
    in.status = status;
    in.sshPort = d.port();
    app::DeviceService(*inventory_).create(in, ctx_);
    return d;
  }

  /// The device's running configuration without its volatile lines (IOS prints the time of the
  /// last change, which moves with the clock even when nothing changed), as the platform says.
  std::string running(sim::TestDevice& device) {
    const auto platform = catalog_.platform(sim::platformId(device.profile().os));
    EXPECT_TRUE(platform);
    if (!platform) return device.state().runningConfig();
    return platform->normalize(device.state().runningConfig(), plugin::SecretMode::Keep);
  }

  std::string gitLog() { return runShell("git -C '" + repo + "' log --format=%s").output; }

  std::string repo;
  std::unique_ptr<infra::GitConfigArchive> git;
  std::map<std::string, std::unique_ptr<sim::TestDevice>> sims;
};

class ChangeJobPlatformTest : public ChangeJobTest,
                              public ::testing::WithParamInterface<PlatformCase> {};

TEST_P(ChangeJobPlatformTest, DryRunStoresTheDiffAndChangesNothing) {
  const auto& c = GetParam();
  auto& d = simulate("r1", c.os, c.platform);
  const auto before = running(d);
  auto job = submit("push", {"r1"}, {{"lines", c.good + "\n"}, {"dry_run", "true"}});
  drain(1);
  const auto t = task(job.run.id, "r1");
  ASSERT_EQ(t.category, "ok") << t.message;
  EXPECT_NE(t.data.find(R"("dry_run":"true")"), std::string::npos) << t.data;
  EXPECT_NE(t.data.find("ams1-rack12"), std::string::npos) << t.data;  // in the diff
  EXPECT_EQ(running(d), before);
  EXPECT_FALSE(d.state().runningHasLine(c.present));
  // Only the configuration before the change went into Git.
  EXPECT_EQ(gitLog(), "before push push run " + std::to_string(job.run.id) + ": 1 changed: r1\n");
}

TEST_P(ChangeJobPlatformTest, ApplyChangesTheDeviceAndStoresARevisionNamingTheRun) {
  const auto& c = GetParam();
  auto& d = simulate("r1", c.os, c.platform);
  auto job = submit("push", {"r1"}, {{"lines", c.good + "\n"}});
  drain(1);
  const auto t = task(job.run.id, "r1");
  ASSERT_EQ(t.category, "ok") << t.message;
  EXPECT_EQ(run(job.run.id).state, RunState::Succeeded);
  EXPECT_TRUE(d.state().runningHasLine(c.present)) << d.state().runningConfig();
  const auto id = std::to_string(job.run.id);
  EXPECT_EQ(gitLog(),
            "push run " + id + ": 1 changed: r1\nbefore push push run " + id + ": 1 changed: r1\n");
  app::ConfigService configs(*jobs_, *git);
  EXPECT_NE(configs.show("r1").text.find("ams1-rack12"), std::string::npos);
  const auto diff = configs.diff("r1").diff;
  EXPECT_NE(diff.find("ams1-rack12"), std::string::npos) << diff;
  // The same push again: nothing to change.
  auto again = submit("push", {"r1"}, {{"lines", c.good + "\n"}});
  drain(1);
  const auto second = task(again.run.id, "r1");
  EXPECT_EQ(second.category, "ok") << second.message;
  EXPECT_NE(second.data.find(R"("changed":"false")"), std::string::npos) << second.data;
}

TEST_P(ChangeJobPlatformTest, ARejectedLineFailsTheTaskAndTheDeviceEndsAsItBegan) {
  const auto& c = GetParam();
  auto& d = simulate("r1", c.os, c.platform);
  const auto before = running(d);
  auto job = submit("push", {"r1"}, {{"lines", c.good + "\n" + c.bad + "\n"}});
  drain(1);
  const auto t = task(job.run.id, "r1");
  EXPECT_EQ(t.category, "command_error") << t.message;
  EXPECT_NE(t.message.find(c.bad), std::string::npos) << t.message;
  EXPECT_EQ(t.attempts, 1);  // a failed change is not retried
  EXPECT_EQ(running(d), before);
  EXPECT_EQ(run(job.run.id).state, RunState::Failed);
  // Only the backup before the change was stored.
  EXPECT_EQ(gitLog(), "before push push run " + std::to_string(job.run.id) + ": 1 changed: r1\n");
}

TEST_F(ChangeJobTest, TemplateErrorsAreCaughtBeforeAnyDeviceIsTouched) {
  auto& r1 = simulate("r1", OsKind::CiscoIos, "cisco_ios");
  auto& r2 = simulate("r2", OsKind::CiscoIos, "cisco_ios");
  EXPECT_THROW(submit("push", {"r1", "r2"},
                      {{"template", "hostname {{ device.name }}\nntp server {{ ntp_server }}\n"}}),
               domain::ValidationError);
  drain(1);
  EXPECT_EQ(r1.stats().accepted, 0u);
  EXPECT_EQ(r2.stats().accepted, 0u);
  EXPECT_EQ(jobs_->begin()->countJobs(), 0);
}

/// A line the engine sends itself (here `end`, which would leave configuration mode and run the
/// next lines as exec commands) is refused for every device before anything is queued.
TEST_F(ChangeJobTest, SessionCommandsInTheLinesAreRefusedBeforeAnyDeviceIsTouched) {
  auto& r1 = simulate("r1", OsKind::CiscoIos, "cisco_ios");
  auto& r2 = simulate("r2", OsKind::AristaEos, "arista_eos");
  try {
    submit("push", {"r1", "r2"}, {{"lines", "snmp-server location lab\nend\nreload\n"}});
    ADD_FAILURE() << "accepted";
  } catch (const domain::ValidationError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.field(), "lines");
    EXPECT_NE(message.find("lines: nothing queued, 2 of 2 devices cannot take these lines"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("device r1: line 2 'end': moves between configuration levels"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("device r2: line 2 'end'"), std::string::npos) << message;
  }
  drain(1);
  EXPECT_EQ(r1.stats().accepted, 0u);
  EXPECT_EQ(r2.stats().accepted, 0u);
  EXPECT_EQ(jobs_->begin()->countJobs(), 0);
}

/// The worker renders the template again and checks its lines again: a device whose inventory
/// now renders a session command fails before it is contacted.
TEST_F(ChangeJobTest, TheWorkerChecksTheRenderedLinesAgain) {
  auto& d = simulate("r1", OsKind::CiscoIos, "cisco_ios");
  const auto setRole = [&](const std::string& role) {
    auto uow = inventory_->begin();
    auto device = *uow->devices().findByName("r1");
    device.role = role;
    uow->devices().update(device);
    uow->commit();
  };
  setRole("core");  // "core memory" at submit: not a session command
  auto job = submit("push", {"r1"}, {{"template", "{{ device.role }} memory\n"}});
  setRole("write");  // "write memory" by the time the worker renders it
  drain(1);
  const auto t = task(job.run.id, "r1");
  EXPECT_EQ(t.category, "plugin_error");
  EXPECT_EQ(t.message,
            "device r1: line 1 'write memory': a session command (write…) that netspine sends "
            "itself around the change; push configuration statements only");
  EXPECT_EQ(d.stats().accepted, 0u);  // never contacted
}

TEST_F(ChangeJobTest, ATemplateIsRenderedPerDeviceFromItsInventoryFields) {
  auto& r1 = simulate("r1", OsKind::CiscoIos, "cisco_ios");
  auto& r2 = simulate("r2", OsKind::CiscoIos, "cisco_ios");
  auto job = submit("push", {"r1", "r2"},
                    {{"template",
                      "snmp-server location {{ device.area }}-{{ device.name }}\n"
                      "snmp-server contact {{ contact }}\n"},
                     {"contact", "noc@example.net"}});
  drain(2);
  EXPECT_EQ(run(job.run.id).state, RunState::Succeeded);
  EXPECT_TRUE(r1.state().runningHasLine("snmp-server location lab-r1"));
  EXPECT_TRUE(r2.state().runningHasLine("snmp-server location lab-r2"));
  EXPECT_TRUE(r2.state().runningHasLine("snmp-server contact noc@example.net"));
}

TEST_F(ChangeJobTest, ACanaryThatFailsStopsTheRunAndTheOthersAreNeverContacted) {
  auto& c1 = simulate("c1", OsKind::CiscoIos, "cisco_ios");
  auto& c2 = simulate("c2", OsKind::CiscoIos, "cisco_ios");
  auto& c3 = simulate("c3", OsKind::CiscoIos, "cisco_ios");
  const auto before2 = running(c2);
  auto job = submit("push", {"c1", "c2", "c3"},
                    {{"template",
                      "snmp-server location rack-{{ device.name }}\n"
                      "{% if device.name == 'c1' %}\nfrobnicate 1\n{% endif %}\n"}},
                    1);
  drain(2);
  EXPECT_EQ(task(job.run.id, "c1").category, "command_error");
  for (auto name : {"c2", "c3"}) {
    const auto t = task(job.run.id, name);
    EXPECT_EQ(t.state, TaskState::Skipped) << name;
    EXPECT_EQ(t.message, "not run: canary c1 ended command_error") << name;
  }
  EXPECT_EQ(c2.stats().accepted, 0u);
  EXPECT_EQ(c3.stats().accepted, 0u);
  EXPECT_EQ(running(c2), before2);
  EXPECT_FALSE(c1.state().runningHasLine("snmp-server location rack-c1"));  // rolled back
  EXPECT_EQ(run(job.run.id).state, RunState::Failed);
}

/// Every status x push, provision and teardown: refused at acceptance unless the status allows
/// the operation, and refused again by the worker when the status changed after acceptance. A
/// refused device is never contacted and its configuration is unchanged.
TEST_P(ChangeJobPlatformTest, TheGateAtAcceptanceAndAgainBeforeTheFirstCommand) {
  const auto& c = GetParam();
  auto& d = simulate("r1", c.os, c.platform);
  const auto before = running(d);
  const std::pair<std::string, DeviceStatus> ops[] = {{"push", DeviceStatus::Active},
                                                      {"provision", DeviceStatus::Staged},
                                                      {"teardown", DeviceStatus::Decommissioning}};
  const DeviceStatus statuses[] = {DeviceStatus::Inventory, DeviceStatus::Planned,
                                   DeviceStatus::Staged,    DeviceStatus::Active,
                                   DeviceStatus::Failed,    DeviceStatus::Decommissioning};
  const std::map<std::string, std::string> params = {{"lines", c.good + "\n"}};
  for (const auto& [kind, allowed] : ops) {
    auto p = params;
    if (kind == "teardown") p = {{"confirm", "yes"}};
    for (auto status : statuses) {
      setStatus("r1", status);
      const std::string what = kind + " on " + std::string(domain::toString(status));
      if (status == allowed) continue;  // accepted below, once per other status
      try {
        submit(kind, {"r1"}, p);
        ADD_FAILURE() << what << " was accepted";
      } catch (const domain::PolicyRefusedError& e) {
        EXPECT_NE(std::string(e.what()).find("nothing queued"), std::string::npos) << what;
      }
      // Accepted while the status allowed it, then the status changed: skipped, nothing sent.
      setStatus("r1", allowed);
      auto job = submit(kind, {"r1"}, p);
      setStatus("r1", status);
      drain(1);
      const auto t = task(job.run.id, "r1");
      EXPECT_EQ(t.state, TaskState::Skipped) << what;
      EXPECT_EQ(t.category, "policy_skipped") << what;
      EXPECT_EQ(t.message, "skipped: status " + std::string(domain::toString(status)) +
                               " allows no " + kind +
                               " (its status changed after the job was queued)")
          << what;
    }
  }
  EXPECT_EQ(d.stats().accepted, 0u);
  EXPECT_EQ(running(d), before);
}

TEST_P(ChangeJobPlatformTest, TheEngineAsksTheGateAgainAfterLoggingIn) {
  const auto& c = GetParam();
  auto& d = simulate("r1", c.os, c.platform);
  const auto before = running(d);
  // The device turns FAILED after the worker's own check, right before the engine starts.
  auto inner = preparer;
  preparer = [&](const domain::Device& device, plugin::DeviceTarget& target) {
    inner(device, target);
    setStatus("r1", DeviceStatus::Failed);
  };
  auto job = submit("push", {"r1"}, {{"lines", c.good + "\n"}});
  drain(1);
  const auto t = task(job.run.id, "r1");
  EXPECT_EQ(t.state, TaskState::Skipped);
  EXPECT_EQ(t.message,
            "skipped: status FAILED allows no push (its status changed after the job was queued)");
  EXPECT_EQ(running(d), before);
  // Not even the backup before the change: the repository has no commit.
  EXPECT_EQ(runShell("git -C '" + repo + "' rev-list --all --count").output, "0\n");
}

INSTANTIATE_TEST_SUITE_P(Platforms, ChangeJobPlatformTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.platform; });

TEST_F(ChangeJobTest, TeardownNeedsConfirmationAndKeepsAFinalBackupFirst) {
  auto& d = simulate("r1", OsKind::CiscoIos, "cisco_ios", DeviceStatus::Decommissioning);
  try {
    submit("teardown", {"r1"}, {});
    ADD_FAILURE() << "teardown accepted without confirm=yes";
  } catch (const domain::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("confirm"), std::string::npos) << e.what();
  }
  const auto before = running(d);
  auto job = submit("teardown", {"r1"}, {{"confirm", "yes"}});
  drain(1);
  const auto t = task(job.run.id, "r1");
  ASSERT_EQ(t.category, "ok") << t.message;
  EXPECT_NE(running(d), before);
  const auto id = std::to_string(job.run.id);
  const auto log = gitLog();
  EXPECT_NE(log.find("before teardown teardown run " + id + ": 1 changed: r1\n"), std::string::npos)
      << log;
  // The final backup is the configuration as it was before the teardown.
  const auto first = runShell("git -C '" + repo + "' show $(git -C '" + repo +
                              "' rev-list --max-parents=0 HEAD):lab/r1.cfg");
  EXPECT_NE(first.output.find("interface"), std::string::npos);
}

TEST_F(ChangeJobTest, ProvisionAppliesTheDay0ConfigurationAndMakesTheDeviceActive) {
  app::DiscoveryService service(*inventory_, {}, policy, testClasses());
  discovery = &service;
  auto& d = simulate("new1", OsKind::AristaEos, "arista_eos", DeviceStatus::Staged);
  auto job = submit("provision", {"new1"},
                    {{"template", "snmp-server location {{ site }}\n"}, {"site", "fra2"}});
  drain(1);
  const auto t = task(job.run.id, "new1");
  ASSERT_EQ(t.category, "ok") << t.message;
  EXPECT_TRUE(d.state().runningHasLine("snmp-server location fra2"));
  EXPECT_EQ(inventory_->begin()->devices().findByName("new1")->status, DeviceStatus::Active);
  const auto changes = app::ChangeLogService(*inventory_).list("device:new1");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].actor, "run:" + std::to_string(job.run.id));
  discovery = nullptr;
}

}  // namespace
}  // namespace netspine::test
