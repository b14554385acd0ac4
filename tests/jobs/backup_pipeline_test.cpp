// Configurations returned by tasks, through JobResultService into the Git repository and the
// revision rows: one commit per batch, nothing for an unchanged or failed device, host keys
// pinned on first contact, and a failed push that makes the run PARTIAL.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "application/config_service.hpp"
#include "infra/git_config_archive.hpp"
#include "job_fixture.hpp"
#include "support/shell.hpp"

namespace netspine::test {
namespace {

using domain::RunState;

class BackupPipelineTest : public JobTest {
 protected:
  void SetUp() override {
    JobTest::SetUp();
    repoPath = temp_.path("configs");
    git = std::make_unique<infra::GitConfigArchive>(repoPath, backup, remote);
    archive = git.get();
    configs = temp_.path("device-configs");
    std::filesystem::create_directories(configs);
  }

  /// The next configuration test_read returns for `device`.
  void setConfig(const std::string& device, const std::string& text) {
    std::ofstream(configs + "/" + device, std::ios::trunc) << text;
  }

  /// Runs test_read on `devices` to the end and returns the run.
  domain::JobRun backupRun(const std::vector<std::string>& devices,
                           std::map<std::string, std::string> params = {}) {
    params["artifact_dir"] = configs;
    auto accepted = submit("test_read", devices, params);
    drain();
    return run(accepted.run.id);
  }

  ShellRun gitCli(const std::string& args) { return runShell("git -C '" + repoPath + "' " + args); }

  std::vector<app::ConfigRevision> history(const std::string& device) {
    return app::ConfigService(*jobs_, *archive).history(device);
  }

  std::string taskData(app::Id runId, const std::string& device) {
    for (const auto& t : tasks(runId)) {
      if (t.device == device) return t.data;
    }
    return {};
  }

  std::string repoPath;
  std::string remote;
  std::string configs;
  std::unique_ptr<infra::GitConfigArchive> git;
};

TEST_F(BackupPipelineTest, FirstBackupIsOneCommitWithEveryDeviceAndARowEach) {
  for (auto name : {"r1", "r2", "r3"}) {
    addDevice(name);
    setConfig(name, std::string("hostname ") + name + "\n!\nend\n");
  }
  const auto r = backupRun({"r1", "r2", "r3"});
  ASSERT_EQ(r.state, RunState::Succeeded);

  auto log = gitCli("log --format=%s");
  ASSERT_EQ(log.status, 0) << log.output;
  EXPECT_EQ(log.output, "test_read run " + std::to_string(r.id) + ": 3 changed: r1, r2, r3\n");
  EXPECT_EQ(gitCli("show HEAD:lab/r2.cfg").output, "hostname r2\n!\nend\n");
  EXPECT_EQ(gitCli("fsck --strict").status, 0);
  EXPECT_EQ(gitCli("status --porcelain").output, "");  // the working tree shows the backups

  for (auto name : {"r1", "r2", "r3"}) {
    auto revisions = history(name);
    ASSERT_EQ(revisions.size(), 1u) << name;
    EXPECT_EQ(revisions[0].path, std::string("lab/") + name + ".cfg");
    EXPECT_EQ(revisions[0].runId, r.id);
    EXPECT_EQ(revisions[0].bytes, static_cast<std::int64_t>(std::strlen("hostname r1\n!\nend\n")));
    EXPECT_EQ(revisions[0].sha256, app::sha256Hex(std::string("hostname ") + name + "\n!\nend\n"));
    EXPECT_EQ(revisions[0].commit, gitCli("rev-parse HEAD").output.substr(0, 40));
  }
  EXPECT_NE(taskData(r.id, "r1").find(R"("config_changed":"true")"), std::string::npos)
      << taskData(r.id, "r1");
}

TEST_F(BackupPipelineTest, UnchangedConfigMakesNoCommitAndNoRow) {
  addDevice("r1");
  setConfig("r1", "hostname r1\n");
  backupRun({"r1"});
  const auto second = backupRun({"r1"});
  EXPECT_EQ(second.state, RunState::Succeeded);
  EXPECT_EQ(gitCli("rev-list --count HEAD").output, "1\n");
  EXPECT_EQ(history("r1").size(), 1u);
  EXPECT_NE(taskData(second.id, "r1").find(R"("config_changed":"false")"), std::string::npos);
}

TEST_F(BackupPipelineTest, ChangeOfOneDeviceIsOneCommitAndTheDiffShowsIt) {
  addDevice("r1");
  addDevice("r2");
  setConfig("r1", "hostname r1\ninterface Gi1\n description old\n");
  setConfig("r2", "hostname r2\n");
  backupRun({"r1", "r2"});
  setConfig("r1", "hostname r1\ninterface Gi1\n description new\n");
  const auto second = backupRun({"r1", "r2"});

  EXPECT_EQ(gitCli("rev-list --count HEAD").output, "2\n");
  EXPECT_EQ(gitCli("log -1 --format=%s").output,
            "test_read run " + std::to_string(second.id) + ": 1 changed: r1\n");
  EXPECT_EQ(gitCli("log --format=%H -- lab/r2.cfg").output.size(), 41u);  // one commit
  ASSERT_EQ(history("r1").size(), 2u);
  EXPECT_EQ(history("r2").size(), 1u);

  app::ConfigService service(*jobs_, *archive);
  const auto d = service.diff("r1");
  EXPECT_NE(d.diff.find("- description old\n+ description new\n"), std::string::npos) << d.diff;
  EXPECT_EQ(d.to.runId, second.id);
  // The same diff as git prints it, and one revision read back by a commit prefix.
  EXPECT_EQ(gitCli("diff " + d.from.commit + " " + d.to.commit + " -- lab/r1.cfg").output, d.diff);
  EXPECT_EQ(service.show("r1", d.from.commit.substr(0, 8)).text,
            "hostname r1\ninterface Gi1\n description old\n");
  EXPECT_EQ(service.show("r1").text, "hostname r1\ninterface Gi1\n description new\n");
}

TEST_F(BackupPipelineTest, FailedTaskNeverReplacesTheLastGoodBackup) {
  addDevice("r1");
  setConfig("r1", "hostname r1\nend\n");
  backupRun({"r1"});
  setConfig("r1", "hostname r1\n");  // cut short, and the engine says so
  const auto failed = backupRun({"r1"}, {{"result", "incomplete_output"}});
  EXPECT_EQ(failed.state, RunState::Failed);
  EXPECT_EQ(gitCli("rev-list --count HEAD").output, "1\n");
  EXPECT_EQ(gitCli("show HEAD:lab/r1.cfg").output, "hostname r1\nend\n");
  ASSERT_EQ(history("r1").size(), 1u);
  EXPECT_EQ(app::ConfigService(*jobs_, *archive).show("r1").text, "hostname r1\nend\n");
}

TEST_F(BackupPipelineTest, EmptyOutputIsNotStored) {
  addDevice("r1");
  setConfig("r1", "");
  const auto r = backupRun({"r1"});
  EXPECT_EQ(r.state, RunState::Succeeded);  // the engine said ok; there is nothing to archive
  EXPECT_TRUE(history("r1").empty());
  EXPECT_NE(gitCli("rev-parse --verify -q HEAD").status, 0);  // no commit at all
}

/// An archive whose writes fail, like a full disk.
class BrokenArchive : public app::ConfigArchive {
 public:
  std::string store(const std::vector<File>&, const std::string&) override {
    throw std::runtime_error("no space left on device");
  }
  std::optional<std::string> push() override { return std::nullopt; }
  std::optional<std::string> read(const std::string&, const std::string&) override {
    return std::nullopt;
  }
  std::string diff(const std::string&, const std::string&, const std::string&) override {
    return {};
  }
};

TEST_F(BackupPipelineTest, ArchiveFailureFailsTheTaskAndKeepsThePreviousRevision) {
  addDevice("r1");
  setConfig("r1", "hostname r1\n");
  backupRun({"r1"});
  BrokenArchive broken;
  archive = &broken;
  setConfig("r1", "hostname r1-new\n");
  const auto r = backupRun({"r1"});
  archive = git.get();
  EXPECT_EQ(r.state, RunState::Failed);
  const auto t = tasks(r.id);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].category, "plugin_error");
  EXPECT_NE(t[0].message.find("no space left on device"), std::string::npos) << t[0].message;
  EXPECT_NE(t[0].message.find("previous revision stays current"), std::string::npos);
  ASSERT_EQ(history("r1").size(), 1u);
  EXPECT_EQ(app::ConfigService(*jobs_, *archive).show("r1").text, "hostname r1\n");
}

TEST_F(BackupPipelineTest, PushToARemoteRepository) {
  const auto bare = temp_.path("remote.git");
  ASSERT_EQ(runShell("git init -q --bare '" + bare + "'").status, 0);
  git = std::make_unique<infra::GitConfigArchive>(repoPath, backup, bare);
  archive = git.get();
  addDevice("r1");
  setConfig("r1", "hostname r1\n");
  const auto r = backupRun({"r1"});
  EXPECT_EQ(r.state, RunState::Succeeded) << r.problem;
  const auto pushed = runShell("git -C '" + bare + "' log --all --format=%H");
  EXPECT_EQ(pushed.output, gitCli("rev-parse HEAD").output) << pushed.output;
}

TEST_F(BackupPipelineTest, FailedPushMakesTheRunPartialWithTheReason) {
  git =
      std::make_unique<infra::GitConfigArchive>(repoPath, backup, temp_.path("no-such-remote.git"));
  archive = git.get();
  addDevice("r1");
  setConfig("r1", "hostname r1\n");
  const auto r = backupRun({"r1"});
  EXPECT_EQ(r.state, RunState::Partial);
  EXPECT_NE(r.problem.find("pushing the configuration repository failed"), std::string::npos)
      << r.problem;
  // The backup itself is stored: the local repository and the revision row have it.
  EXPECT_EQ(history("r1").size(), 1u);
  bool logged = false;
  for (const auto& line : log(r.id)) {
    logged = logged ||
             line.message.find("pushing the configuration repository failed") != std::string::npos;
  }
  EXPECT_TRUE(logged);
}

TEST_F(BackupPipelineTest, HostKeyPinnedOnFirstContactAndPassedToLaterTasks) {
  addDevice("r1");
  setConfig("r1", "hostname r1\n");
  const auto first = backupRun({"r1"}, {{"host_key", "ssh-ed25519 AAAAfirst"}});
  EXPECT_EQ(taskData(first.id, "r1").find("pinned_host_key"), std::string::npos);
  const auto other = addDevice("r9").id;
  auto keys = jobs_->begin()->hostKeys({other});
  EXPECT_TRUE(keys.empty());

  // A later contact offering another key does not move the pin: the engine sees the first one.
  const auto second = backupRun({"r1"}, {{"host_key", "ssh-ed25519 AAAAsecond"}});
  EXPECT_NE(taskData(second.id, "r1").find(R"("pinned_host_key":"ssh-ed25519 AAAAfirst")"),
            std::string::npos)
      << taskData(second.id, "r1");
}

TEST_F(BackupPipelineTest, PathTemplateWithPlatformAndNestedAreas) {
  app::AreaService(*inventory_).create({"dc1", "lab", ""}, ctx_);
  app::DeviceInput in;
  in.name = "core1";
  in.address = "127.0.0.1";
  in.platform = "juniper_junos";
  in.area = "lab/dc1";
  in.status = domain::DeviceStatus::Active;
  app::DeviceService(*inventory_).create(in, ctx_);
  backup.pathTemplate = "{platform}/{area}/{device}.conf";
  setConfig("core1", "system { host-name core1; }\n");
  const auto r = backupRun({"core1"});
  ASSERT_EQ(r.state, RunState::Succeeded);
  EXPECT_EQ(gitCli("ls-files").output, "juniper_junos/lab/dc1/core1.conf\n");
}

}  // namespace
}  // namespace netspine::test
