// Configuration backups end to end: `netspine job run backup` and `netspine worker` (real
// processes, the bundled ssh_cli engine and platform plugins) against simulated IOS, Junos and
// EOS devices served over real SSH on 127.0.0.1 by this test, into Git and the database.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "netspine/sim/device.hpp"
#include "netspine/sim/ssh_server.hpp"
#include "support/shell.hpp"
#include "support/temp_folder.hpp"

namespace netspine::test {
namespace {

namespace sim = netspine::sim;

constexpr const char* kUser = "e2e-operator";
constexpr const char* kPassword = "E2e-Pass-7731";
constexpr const char* kEnable = "E2e-Enable-4419";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The secret values in a raw configuration the simulator prints, found by their formats, not
/// by the platform plugins under test: type 5/7/9 and sha512 secrets, keys, communities, Junos
/// $9$ and encrypted passwords.
std::set<std::string> secretsIn(const std::string& config) {
  static const std::regex formats[] = {
      std::regex(R"((?:secret|password|key|md5)\s+(?:sha512\s+|[0-9]\s+)(\S{6,}))"),
      std::regex(R"(community\s+(\S{6,}))"),
      std::regex(R"(isakmp key\s+(\S{6,}))"),
      std::regex(R"re("(\$[0-9]\$[^"]{6,})")re"),
  };
  std::set<std::string> found;
  for (const auto& format : formats) {
    for (std::sregex_iterator it(config.begin(), config.end(), format), end; it != end; ++it) {
      found.insert((*it)[1].str());
    }
  }
  return found;
}

struct Twin {
  sim::Fault fault;
  std::string expected;  // the category the backup must end with
};

class BackupEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* binary = std::getenv("NETSPINE_BINARY");
    ASSERT_NE(binary, nullptr) << "NETSPINE_BINARY names the netspine executable (ctest sets it)";
    binary_ = binary;
    ASSERT_EQ(runShell("which git > /dev/null").status, 0) << "the tests need the git CLI";

    // One host key for both servers: a twin differs from its healthy self in its fault only.
    good_ = std::make_unique<sim::SshServer>(sim::SshServerOptions{.stateDir = temp_.path("keys")});
    faulty_ =
        std::make_unique<sim::SshServer>(sim::SshServerOptions{.stateDir = temp_.path("keys")});
    for (auto [name, os] : {std::pair{"r-ios", sim::OsKind::CiscoIos},
                            {"r-junos", sim::OsKind::JuniperJunos},
                            {"r-eos", sim::OsKind::AristaEos}}) {
      devices_[name] = good_->add(spec(name, os), clock());
    }
    for (const auto& [name, twin] : twins_) {
      devices_[name] = good_->add(spec(name, sim::OsKind::CiscoIos), clock());
      auto faulty = spec(name, sim::OsKind::CiscoIos);
      faulty.profile.faults = {twin.fault};
      faulty.transport.bannerDelay = std::chrono::milliseconds(3000);
      faultyTwins_[name] = faulty_->add(faulty, clock());
    }
    // An old device: only SHA-1 key exchange and an ssh-rsa host key.
    auto legacy = spec("r-legacy", sim::OsKind::CiscoIos);
    legacy.transport.kex = {"diffie-hellman-group14-sha1"};
    legacy.transport.hostKeys = {"ssh-rsa"};
    devices_["r-legacy"] = good_->add(legacy, clock());
    good_->start();
    faulty_->start();

    config_ = temp_.write("netspine.yaml", R"(data_dir: data
secrets_file: secrets.yaml
backup:
  author: "netspine e2e <e2e@localhost>"
jobs:
  max_attempts: 1
  task_timeout: 60s
ssh:
  connect_timeout: 20s
  command_timeout: 30s
  profiles:
    - devices: [f-slow-banner, f-hang, f-paging]
      connect_timeout: 1s
      command_timeout: 2s
)");
    const auto secrets = temp_.write("secrets.yaml", std::string("credentials:\n  lab:\n") +
                                                         "    - username: nobody\n"
                                                         "      password: Wrong-Pass-1\n"
                                                         "    - username: " +
                                                         kUser + "\n      password: " + kPassword +
                                                         "\n      enable: " + kEnable + "\n");
    std::filesystem::permissions(
        secrets, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::ofstream(config_, std::ios::app) << profiles_;
    ASSERT_EQ(ns("migrate").status, 0);
    ASSERT_EQ(ns("area add lab").status, 0);
    for (const auto& [name, served] : devices_) {
      const std::string platform = name == "r-junos" ? "juniper_junos"
                                   : name == "r-eos" ? "arista_eos"
                                                     : "cisco_ios";
      const auto added = ns("device add " + name + " --address 127.0.0.1 --platform " + platform +
                            " --area lab --status active --credentials lab --ssh-port " +
                            std::to_string(served.port));
      ASSERT_EQ(added.status, 0) << added.output;
    }
  }

  sim::DeviceSpec spec(const std::string& name, sim::OsKind os) {
    sim::DeviceSpec s;
    s.profile.name = name;
    s.profile.os = os;
    s.profile.username = kUser;
    s.profile.password = kPassword;
    s.profile.enableSecret = kEnable;
    s.profile.startPrivileged = os == sim::OsKind::JuniperJunos;  // IOS and EOS need enable
    return s;
  }

  /// The devices' clock: a fixed day, moved on by the test to change volatile lines only.
  sim::Clock clock() {
    return [this] {
      return std::chrono::system_clock::time_point(std::chrono::hours(24 * 20'000)) +
             std::chrono::minutes(minutes_.load());
    };
  }

  ShellRun ns(const std::string& args) {
    auto run = runShell(binary_ + " --config '" + config_ + "' " + args);
    transcript_ += run.output;
    return run;
  }

  /// Runs a backup of `devices` (comma-separated) through the queue and one worker; the run id.
  std::string backup(const std::string& devices) {
    std::string args;
    std::stringstream list(devices);
    for (std::string name; std::getline(list, name, ',');) args += " --device " + name;
    const auto accepted = ns("--json job run backup" + args);
    EXPECT_EQ(accepted.status, 0) << accepted.output;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(accepted.output, m, std::regex(R"("run_id":([0-9]+))")))
        << accepted.output;
    const auto worker = ns("worker --drain --quiet --concurrency 16");
    EXPECT_EQ(worker.status, 0) << worker.output;
    return m.size() > 1 ? m[1].str() : "0";
  }

  /// Each device's category in a run, from `run show --json`.
  std::map<std::string, std::string> categories(const std::string& run) {
    const auto shown = ns("--json run show " + run);
    std::map<std::string, std::string> out;
    static const std::regex task(
        R"re("device":"([^"]+)","state":"[a-z]+","category":"([a-z_]*)")re");
    for (std::sregex_iterator it(shown.output.begin(), shown.output.end(), task), end; it != end;
         ++it) {
      out[(*it)[1].str()] = (*it)[2].str();
    }
    return out;
  }

  ShellRun git(const std::string& args) { return runShell("git -C '" + repo() + "' " + args); }
  std::string repo() { return temp_.path("data/configs"); }
  int commits() { return std::stoi(git("rev-list --count HEAD").output); }

  /// Types configuration lines into a device's CLI, as an operator would.
  void configure(const std::string& device, const std::vector<std::string>& lines) {
    auto shell = sim::openShell(devices_.at(device).state);
    shell->start();
    if (devices_.at(device).state->profile().os != sim::OsKind::JuniperJunos) {
      shell->input("enable\r");
      shell->input(std::string(kEnable) + "\r");
    }
    for (const auto& line : lines) shell->input(line + "\r");
    ASSERT_TRUE(devices_.at(device).state->runningHasLine(lines[1])) << lines[1];
  }

  /// More `ssh.profiles` entries for the config file, set by a test before SetUp.
  std::string profiles_;
  TempFolder temp_;
  std::string binary_;
  std::string config_;
  std::string transcript_;  // everything netspine printed
  std::atomic<int> minutes_{0};
  std::unique_ptr<sim::SshServer> good_;
  std::unique_ptr<sim::SshServer> faulty_;
  std::map<std::string, sim::ServedDevice> devices_;
  std::map<std::string, sim::ServedDevice> faultyTwins_;
  const std::map<std::string, Twin> twins_ = {
      {"f-wrong-password", {sim::Fault::WrongPassword, "auth_failed"}},
      {"f-slow-banner", {sim::Fault::SlowBanner, "timeout"}},
      {"f-hang", {sim::Fault::HangAfterLogin, "timeout"}},
      {"f-disconnect", {sim::Fault::DisconnectMidOutput, "protocol_error"}},
      {"f-host-key", {sim::Fault::HostKeyChanges, "host_key_mismatch"}},
      {"f-refused", {sim::Fault::ConnectionRefused, "unreachable"}},
      {"f-reset", {sim::Fault::ConnectionReset, "unreachable"}},
      {"f-paging", {sim::Fault::EndlessPaging, "timeout"}},
      {"f-garbage", {sim::Fault::Garbage, "protocol_error"}},
      {"f-errors", {sim::Fault::CommandErrors, "command_error"}},
      {"f-truncated", {sim::Fault::TruncatedConfig, "incomplete_output"}},
  };
};

TEST_F(BackupEndToEndTest, BacksUpThreePlatformsIntoGitThenOnlyRealChanges) {
  // First backup: one commit with every device's file.
  const auto first = backup("r-ios,r-junos,r-eos");
  EXPECT_EQ(categories(first), (std::map<std::string, std::string>{
                                   {"r-eos", "ok"}, {"r-ios", "ok"}, {"r-junos", "ok"}}))
      << transcript_;
  ASSERT_EQ(commits(), 1);
  EXPECT_EQ(git("ls-files").output, "lab/r-eos.cfg\nlab/r-ios.cfg\nlab/r-junos.cfg\n");
  EXPECT_EQ(git("fsck --strict").status, 0);
  EXPECT_EQ(git("log -1 --format=%an").output, "netspine e2e\n");
  const auto subject = git("log -1 --format=%s").output;
  EXPECT_EQ(subject, "backup run " + first + ": 3 changed: r-eos, r-ios, r-junos\n");
  EXPECT_NE(readFile(repo() + "/lab/r-ios.cfg").find("hostname r-ios"), std::string::npos);
  EXPECT_NE(readFile(repo() + "/lab/r-junos.cfg").find("host-name r-junos"), std::string::npos);
  EXPECT_NE(readFile(repo() + "/lab/r-eos.cfg").find("hostname r-eos"), std::string::npos);
  // netspine's own history matches git's.
  const auto history = ns("config history r-ios");
  EXPECT_NE(history.output.find(git("rev-parse --short=12 HEAD").output.substr(0, 12)),
            std::string::npos)
      << history.output;

  // Nothing changed: no commit.
  backup("r-ios,r-junos,r-eos");
  EXPECT_EQ(commits(), 1) << git("log -p -2 --format=%s").output;

  // Only the volatile lines changed (the devices' clocks moved on): no commit.
  minutes_ += 90;
  const auto volatileRun = backup("r-ios,r-junos,r-eos");
  EXPECT_EQ(categories(volatileRun).at("r-ios"), "ok");
  EXPECT_EQ(commits(), 1) << git("log -p -2").output;

  // A real change on one device: one commit, and the diff shows exactly it.
  configure("r-ios",
            {"configure terminal", "interface Loopback99", " description e2e change", "end"});
  const auto changed = backup("r-ios,r-junos,r-eos");
  EXPECT_EQ(commits(), 2);
  EXPECT_EQ(git("log -1 --format=%s").output, "backup run " + changed + ": 1 changed: r-ios\n");
  const auto diff = ns("config diff r-ios");
  EXPECT_EQ(diff.status, 0) << diff.output;
  EXPECT_NE(diff.output.find("+interface Loopback99\n+ description e2e change\n"),
            std::string::npos)
      << diff.output;
  EXPECT_EQ(git("log --format=%H -- lab/r-junos.cfg").output.size(), 41u);  // still one commit
  EXPECT_EQ(git("fsck --strict").status, 0);

  // The first revision is still there to read.
  const auto revisions = ns("--json config history r-ios");
  std::smatch m;
  const std::string text = revisions.output;
  ASSERT_TRUE(std::regex_search(
      text, m, std::regex(R"re("commit":"([0-9a-f]{40})"[^\]]*"commit":"([0-9a-f]{40})")re")))
      << text;
  const auto old = ns("config show r-ios " + m[2].str().substr(0, 10));
  EXPECT_EQ(old.status, 0) << old.output;
  EXPECT_EQ(old.output.find("Loopback99"), std::string::npos);
  EXPECT_NE(ns("config show r-ios").output.find("Loopback99"), std::string::npos);

  // No secret of the devices' configurations, and no login credential, is in the repository,
  // the database or anything netspine printed.
  std::set<std::string> secrets = {kPassword, kEnable, "Wrong-Pass-1"};
  for (const auto& name : {"r-ios", "r-junos", "r-eos"}) {
    for (const auto& s : secretsIn(devices_.at(name).state->runningConfig())) secrets.insert(s);
  }
  ASSERT_GT(secrets.size(), 10u);
  const auto everything =
      runShell("cat '" + repo() + "'/lab/*.cfg; git -C '" + repo() + "' log -p --all; cat '" +
               temp_.path("data/netspine.db") + "'* | strings");
  ASSERT_EQ(everything.status, 0);
  ASSERT_GT(everything.output.size(), 10'000u);
  const auto runs = ns("--json run show " + changed + " --log");
  for (const auto& secret : secrets) {
    EXPECT_EQ(everything.output.find(secret), std::string::npos) << "secret " << secret;
    EXPECT_EQ(transcript_.find(secret), std::string::npos) << "secret " << secret;
  }
}

TEST_F(BackupEndToEndTest, EveryFaultEndsInItsCategoryAndKeepsTheLastGoodBackup) {
  std::string all = "r-ios";
  for (const auto& [name, twin] : twins_) all += "," + name;
  const auto first = backup(all);
  for (const auto& [name, category] : categories(first)) {
    EXPECT_EQ(category, "ok") << name << ns("run show " + first).output;
  }
  const auto goodCommit = git("rev-parse HEAD").output;
  std::map<std::string, std::string> good;
  for (const auto& [name, twin] : twins_) good[name] = ns("config show " + name).output;

  // Each twin turns faulty: same name, same host key, its fault.
  for (const auto& [name, twin] : twins_) {
    const auto moved =
        ns("device update " + name + " --ssh-port " + std::to_string(faultyTwins_.at(name).port));
    ASSERT_EQ(moved.status, 0) << moved.output;
  }
  configure("r-ios", {"configure terminal", "interface Loopback98", "end"});
  const auto second = backup(all);
  const auto results = categories(second);
  EXPECT_EQ(results.at("r-ios"), "ok");  // the healthy device of the same run is unaffected
  for (const auto& [name, twin] : twins_) {
    EXPECT_EQ(results.at(name), twin.expected) << name << "\n" << ns("run show " + second).output;
    // The last good backup is still the current one.
    EXPECT_EQ(ns("config show " + name).output, good[name]) << name;
  }
  // The history says what the last attempt was and when the last success.
  const auto history = ns("config history f-truncated").output;
  EXPECT_EQ(history.rfind("last backup: incomplete_output: ", 0), 0u) << history;
  EXPECT_NE(history.find("; last success 20"), std::string::npos) << history;
  // One commit for the one real change, touching r-ios only.
  EXPECT_EQ(git("diff --name-only " + goodCommit.substr(0, 40) + " HEAD").output,
            "lab/r-ios.cfg\n");
  EXPECT_EQ(git("fsck --strict").status, 0);
}

TEST_F(BackupEndToEndTest, HostKeyIsPinnedAndAChangedKeyIsRefusedUntilForgotten) {
  backup("f-host-key");
  const auto pinned = ns("device host-key f-host-key");
  EXPECT_EQ(pinned.output.rfind("ssh-ed25519 ", 0), 0u) << pinned.output;
  ASSERT_EQ(ns("device update f-host-key --ssh-port " +
               std::to_string(faultyTwins_.at("f-host-key").port))
                .status,
            0);
  const auto refused = backup("f-host-key");
  EXPECT_EQ(categories(refused).at("f-host-key"), "host_key_mismatch");
  EXPECT_EQ(ns("device host-key f-host-key").output, pinned.output);  // the pin did not move
  EXPECT_EQ(faultyTwins_.at("f-host-key").state->profile().name, "f-host-key");
  // No login reached the faulty twin: credentials were never sent to the changed key.
  EXPECT_EQ(faulty_->stats().logins, 0u);

  // Back on the healthy twin after `--forget`: the next contact pins anew and works.
  ASSERT_EQ(
      ns("device update f-host-key --ssh-port " + std::to_string(devices_.at("f-host-key").port))
          .status,
      0);
  EXPECT_EQ(ns("device host-key f-host-key --forget").status, 0);
  EXPECT_EQ(categories(backup("f-host-key")).at("f-host-key"), "ok");
}

TEST_F(BackupEndToEndTest, LegacyAlgorithmsOnlyForTheDevicesAProfileNames) {
  // Without a profile the old device is refused: libssh's defaults have no SHA-1 key exchange.
  const auto refused = backup("r-legacy,r-ios");
  const auto before = categories(refused);
  EXPECT_EQ(before.at("r-legacy"), "protocol_error") << ns("run show " + refused).output;
  EXPECT_EQ(before.at("r-ios"), "ok");

  // A profile for that one device enables them; the others keep the modern defaults.
  std::ofstream(config_, std::ios::app)
      << "    - devices: [r-legacy]\n      kex: [diffie-hellman-group14-sha1]\n"
         "      host_key_algorithms: [ssh-rsa]\n";
  const auto allowed = backup("r-legacy,r-ios");
  EXPECT_EQ(categories(allowed),
            (std::map<std::string, std::string>{{"r-ios", "ok"}, {"r-legacy", "ok"}}))
      << ns("run show " + allowed).output;
  EXPECT_EQ(ns("device host-key r-legacy").output.rfind("ssh-rsa ", 0), 0u);
}

}  // namespace
}  // namespace netspine::test
