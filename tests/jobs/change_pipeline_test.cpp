// Runs that change devices, through the pipeline with the test engine: the canary, stop on the
// first failure, no automatic retry, the low default concurrency, the lines or template each
// device gets (rendered at submit, so that a template error queues nothing), the gate right
// before the first command, the configuration kept before a change, and a provision that moves
// its device to ACTIVE.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "application/change_log_service.hpp"
#include "application/config_service.hpp"
#include "domain/errors.hpp"
#include "infra/git_config_archive.hpp"
#include "infra/plugin_host.hpp"
#include "job_fixture.hpp"
#include "support/shell.hpp"

namespace netspine::test {
namespace {

using domain::DeviceStatus;
using domain::RunState;
using domain::TaskState;

class ChangePipelineTest : public JobTest {
 protected:
  /// The devices the engine was called for, in order (test engine's state_dir "calls").
  std::vector<std::string> calls(const std::string& dir) {
    std::vector<std::string> out;
    std::ifstream in(dir + "/calls");
    std::string device, pid;
    while (in >> device >> pid) out.push_back(device);
    return out;
  }

  std::string stateDir() {
    const auto dir = temp_.path("state-" + std::to_string(++dirs_));
    std::filesystem::create_directories(dir);
    return dir;
  }

  bool logHas(app::Id runId, const std::string& text) {
    for (const auto& line : log(runId)) {
      if (line.message.find(text) != std::string::npos) return true;
    }
    return false;
  }

  int dirs_ = 0;
};

TEST_F(ChangePipelineTest, CanaryRunsFirstAndReleasesTheRestWhenAllOfThemEndOk) {
  for (auto name : {"r1", "r2", "r3", "r4", "r5"}) addDevice(name);
  const auto dir = stateDir();
  auto job = submit("test_push", {"r1", "r2", "r3", "r4", "r5"},
                    {{"state_dir", dir}, {"lines", "hostname x"}}, 2);
  for (auto name : {"r3", "r4", "r5"}) {
    EXPECT_EQ(task(job.run.id, name).notBeforeMs, domain::kHeldBack) << name;
  }
  EXPECT_NE(task(job.run.id, "r1").notBeforeMs, domain::kHeldBack);
  EXPECT_EQ(run(job.run.id).canary, 2u);
  drain(4);
  const auto r = run(job.run.id);
  EXPECT_EQ(r.state, RunState::Succeeded);
  EXPECT_EQ(r.tally.ok, 5u);
  const auto order = calls(dir);
  ASSERT_EQ(order.size(), 5u);
  // The canaries were called before any held device.
  EXPECT_EQ(std::set<std::string>(order.begin(), order.begin() + 2),
            (std::set<std::string>{"r1", "r2"}));
  EXPECT_TRUE(logHas(job.run.id, "canary: r1, r2 first; the other 3 only if all of them end ok"));
  EXPECT_TRUE(logHas(job.run.id, "canary passed: 2 devices ok; 3 more released"));
}

TEST_F(ChangePipelineTest, CanaryThatFailsStopsTheRunAndTheHeldDevicesAreNeverCalled) {
  for (auto name : {"r1", "r2", "r3", "r4"}) addDevice(name);
  const auto dir = stateDir();
  auto job = submit("test_push", {"r1", "r2", "r3", "r4"},
                    {{"state_dir", dir},
                     {"lines", "hostname x"},
                     {"devices", "r1"},
                     {"result", "command_error"},
                     {"message", "% Invalid input detected at '^' marker."}},
                    2);
  drain(4);
  const auto r = run(job.run.id);
  EXPECT_EQ(r.state, RunState::Partial);  // r2 ok, r1 failed, r3 and r4 not run
  EXPECT_EQ(r.tally.ok, 1u);
  EXPECT_EQ(r.tally.failed, 1u);
  EXPECT_EQ(r.tally.skipped, 2u);
  for (auto name : {"r3", "r4"}) {
    const auto t = task(job.run.id, name);
    EXPECT_EQ(t.state, TaskState::Skipped) << name;
    EXPECT_EQ(t.attempts, 0) << name;
    EXPECT_EQ(t.message, "not run: canary r1 ended command_error") << name;
  }
  const auto order = calls(dir);
  EXPECT_EQ(std::set<std::string>(order.begin(), order.end()), (std::set<std::string>{"r1", "r2"}));
  EXPECT_TRUE(logHas(job.run.id, "2 devices not run: canary r1 ended command_error"));
}

TEST_F(ChangePipelineTest, CanaryThatWasSkippedProvesNothing) {
  for (auto name : {"r1", "r2", "r3"}) addDevice(name);
  const auto dir = stateDir();
  // r1 (the canary) turns FAILED after the job was accepted: the worker skips it.
  auto job = submit("test_push", {"r1", "r2", "r3"}, {{"state_dir", dir}, {"lines", "x"}}, 1);
  setStatus("r1", DeviceStatus::Failed);
  drain(2);
  EXPECT_EQ(task(job.run.id, "r1").state, TaskState::Skipped);
  for (auto name : {"r2", "r3"}) {
    EXPECT_EQ(task(job.run.id, name).message, "not run: canary r1 ended policy_skipped") << name;
  }
  EXPECT_TRUE(calls(dir).empty());
}

TEST_F(ChangePipelineTest, StopOnFailureRunsNoFurtherDevice) {
  for (auto name : {"r1", "r2", "r3", "r4"}) addDevice(name);
  const auto dir = stateDir();
  auto job =
      submit("test_push", {"r1", "r2", "r3", "r4"},
             {{"state_dir", dir}, {"lines", "x"}, {"devices", "r2"}, {"result", "command_error"}},
             0, true, 1);
  EXPECT_TRUE(run(job.run.id).stopOnFailure);
  drain(1);
  EXPECT_EQ(calls(dir), (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(task(job.run.id, "r1").category, "ok");
  EXPECT_EQ(task(job.run.id, "r2").category, "command_error");
  for (auto name : {"r3", "r4"}) {
    const auto t = task(job.run.id, name);
    EXPECT_EQ(t.state, TaskState::Skipped) << name;
    EXPECT_EQ(t.message, "not run: r2 failed and the run stops on the first failure") << name;
  }
  EXPECT_EQ(run(job.run.id).state, RunState::Partial);
}

TEST_F(ChangePipelineTest, WithoutStopOnFailureEveryDeviceRuns) {
  for (auto name : {"r1", "r2", "r3"}) addDevice(name);
  const auto dir = stateDir();
  auto job =
      submit("test_push", {"r1", "r2", "r3"},
             {{"state_dir", dir}, {"lines", "x"}, {"devices", "r1"}, {"result", "command_error"}},
             0, false, 1);
  drain(1);
  EXPECT_EQ(calls(dir).size(), 3u);
  EXPECT_EQ(run(job.run.id).tally.ok, 2u);
}

TEST_F(ChangePipelineTest, AChangeIsNotRetriedButAReadIs) {
  addDevice("r1");
  settings.maxAttempts = 3;
  auto push = submit("test_push", {"r1"}, {{"lines", "x"}, {"result", "timeout"}});
  auto read = submit("test_read", {"r1"}, {{"result", "timeout"}});
  ASSERT_TRUE(eventually([&] {
    drain(2);
    return finished(push.run.id) && finished(read.run.id);
  }));
  EXPECT_EQ(task(push.run.id, "r1").attempts, 1);
  EXPECT_EQ(task(push.run.id, "r1").category, "timeout");
  EXPECT_EQ(task(read.run.id, "r1").attempts, 3);
}

TEST_F(ChangePipelineTest, ChangesGetTheLowDefaultConcurrency) {
  addDevice("r1");
  settings.changeConcurrency = 3;
  settings.runConcurrency = 0;
  EXPECT_EQ(submit("test_push", {"r1"}, {{"lines", "x"}}).run.concurrency, 3u);
  EXPECT_EQ(submit("test_push", {"r1"}, {{"lines", "x"}}, 0, false, 7).run.concurrency, 7u);
  EXPECT_EQ(submit("test_read", {"r1"}).run.concurrency, 0u);
  setStatus("r1", DeviceStatus::Decommissioning);
  EXPECT_EQ(submit("test_teardown", {"r1"}, {}).run.concurrency, 3u);
}

TEST_F(ChangePipelineTest, EachDeviceGetsItsOwnRenderedLines) {
  addDevice("r1");
  addDevice("r2");
  auto job = submit("test_push", {"r1", "r2"},
                    {{"template",
                      "hostname {{ device.name }}\n"
                      "{% for v in vlans %}\n"
                      "vlan {{ v }}\n"
                      " name {{ prefix }}-{{ v }}\n"
                      "{% endfor %}\n"},
                     {"vlans", "10,20"},
                     {"prefix", "users"}});
  drain(2);
  for (auto name : {"r1", "r2"}) {
    const auto t = task(job.run.id, name);
    EXPECT_EQ(t.category, "ok") << t.message;
    EXPECT_NE(t.data.find(std::string(R"("change.lines":"hostname )") + name +
                          R"(\nvlan 10\n name users-10\nvlan 20\n name users-20\n")"),
              std::string::npos)
        << t.data;
  }
}

TEST_F(ChangePipelineTest, PlainLinesAreGivenAsTheyAre) {
  addDevice("r1");
  auto job = submit("test_push", {"r1"}, {{"lines", "interface Gi1\n shutdown\n"}});
  drain(1);
  EXPECT_NE(task(job.run.id, "r1").data.find(R"("change.lines":"interface Gi1\n shutdown\n")"),
            std::string::npos);
}

TEST_F(ChangePipelineTest, ATemplateErrorOnOneDeviceQueuesNothing) {
  addDevice("r1");
  addDevice("r2");
  try {
    submit("test_push", {"r1", "r2"},
           {{"template",
             "hostname {{ device.name }}\n"
             "{% if device.name == 'r2' %}\n"
             "snmp-server location {{ site }}\n"
             "{% endif %}\n"}});
    FAIL() << "accepted a template with an undefined variable";
  } catch (const domain::ValidationError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.field(), "template");
    EXPECT_NE(message.find("nothing queued, 1 of 2 devices cannot take the template"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("device r2: template line 3: undefined variable 'site'"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("device r1"), std::string::npos) << message;
  }
  EXPECT_EQ(jobs_->begin()->countJobs(), 0);
}

TEST_F(ChangePipelineTest, ATemplateSyntaxErrorAndLinesWithATemplateAreRefused) {
  addDevice("r1");
  EXPECT_THROW(submit("test_push", {"r1"}, {{"template", "{% if x %}\nno end\n"}}),
               domain::ValidationError);
  EXPECT_THROW(submit("test_push", {"r1"}, {{"template", "a"}, {"lines", "b"}}),
               domain::ValidationError);
  EXPECT_EQ(jobs_->begin()->countJobs(), 0);
}

TEST_F(ChangePipelineTest,
       TheGateRightBeforeTheFirstCommandSeesAStatusChangedAfterTheWorkersCheck) {
  addDevice("r1");
  addDevice("r2");
  // The worker checked the status when it claimed; the device turns FAILED between that check and
  // the engine's first command (here: while the target is prepared).
  preparer = [&](const domain::Device& d, plugin::DeviceTarget&) {
    if (d.name == "r1") setStatus("r1", DeviceStatus::Failed);
  };
  auto job = submit("test_push", {"r1", "r2"}, {{"lines", "x"}, {"gate", "1"}});
  drain(1);
  const auto t = task(job.run.id, "r1");
  EXPECT_EQ(t.state, TaskState::Skipped);
  EXPECT_EQ(t.category, "policy_skipped");
  EXPECT_EQ(t.message,
            "skipped: status FAILED allows no push (its status changed after the job was queued)");
  EXPECT_EQ(task(job.run.id, "r2").category, "ok");
}

TEST_F(ChangePipelineTest, KeepStoresTheConfigurationBeforeTheChangeWithTheRunNamed) {
  const auto repo = temp_.path("configs");
  infra::GitConfigArchive git(repo, backup, "");
  archive = &git;
  addDevice("r1");
  auto job = submit("test_push", {"r1"}, {{"lines", "x"}, {"keep", "1"}});
  drain(1);
  const auto t = task(job.run.id, "r1");
  EXPECT_EQ(t.category, "ok") << t.message;
  const auto log = runShell("git -C '" + repo + "' log --format=%s");
  EXPECT_EQ(log.output,
            "before test test_push run " + std::to_string(job.run.id) + ": 1 changed: r1\n");
  const auto head = runShell("git -C '" + repo + "' rev-parse HEAD").output.substr(0, 40);
  EXPECT_NE(t.data.find(R"("kept":")" + head + "\""), std::string::npos) << t.data;
  const auto history = app::ConfigService(*jobs_, git).history("r1");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].commit, head);
  EXPECT_EQ(app::ConfigService(*jobs_, git).show("r1").text, "kept r1\n");
  EXPECT_TRUE(logHas(job.run.id, "configuration before test: 8 bytes stored in lab/r1.cfg"));

  // The same text again: no new commit, the current revision is named.
  auto again = submit("test_push", {"r1"}, {{"lines", "x"}, {"keep", "1"}});
  drain(1);
  EXPECT_EQ(runShell("git -C '" + repo + "' rev-list --count HEAD").output, "1\n");
  EXPECT_NE(task(again.run.id, "r1").data.find(R"("kept":")" + head + "\""), std::string::npos);
  archive = nullptr;
}

TEST_F(ChangePipelineTest, ProvisionThatEndsOkMovesTheDeviceToActiveAsTheRun) {
  app::DiscoveryService service(*inventory_, {}, policy, testClasses());
  discovery = &service;
  addDevice("s1", DeviceStatus::Staged);
  addDevice("s2", DeviceStatus::Staged);
  addDevice("s3", DeviceStatus::Staged);
  auto job = submit("test_provision", {"s1", "s2"},
                    {{"lines", "x"}, {"devices", "s2"}, {"result", "command_error"}});
  auto dry = submit("test_provision", {"s3"}, {{"lines", "x"}, {"dry_run", "true"}});
  drain(2);
  const auto device = [&](const std::string& name) {
    return *inventory_->begin()->devices().findByName(name);
  };
  EXPECT_EQ(device("s1").status, DeviceStatus::Active);
  EXPECT_EQ(device("s2").status, DeviceStatus::Staged);  // its provision failed
  EXPECT_EQ(device("s3").status, DeviceStatus::Staged);  // a dry run changes nothing
  const auto changes = app::ChangeLogService(*inventory_).list("device:s1");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].actor, "run:" + std::to_string(job.run.id));
  EXPECT_TRUE(logHas(job.run.id, "provisioned: status STAGED -> ACTIVE"));
  discovery = nullptr;
}

TEST_F(ChangePipelineTest, ProvisionOfADeviceNoLongerStagedLeavesItsStatus) {
  app::DiscoveryService service(*inventory_, {}, policy, testClasses());
  discovery = &service;
  addDevice("s1", DeviceStatus::Staged);
  // The provision ran; by the time its result is recorded the device is FAILED.
  preparer = [&](const domain::Device&, plugin::DeviceTarget&) {
    setStatus("s1", DeviceStatus::Failed);
  };
  auto job = submit("test_provision", {"s1"}, {{"lines", "x"}});
  drain(1);
  EXPECT_EQ(inventory_->begin()->devices().findByName("s1")->status, DeviceStatus::Failed);
  EXPECT_TRUE(logHas(job.run.id, "the device was not moved to ACTIVE"));
  discovery = nullptr;
}

}  // namespace
}  // namespace netspine::test
