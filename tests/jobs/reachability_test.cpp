// The reachability and discover operations end to end: the real reachability plugin (and the
// platform plugins) loaded through the plugin host, the worker, JobResultService, SQLite, and
// real peers on 127.0.0.1: TCP ports this test opens, the device simulator over SSH and NETCONF.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>

#include "application/change_log_service.hpp"
#include "domain/errors.hpp"
#include "infra/engine_catalog.hpp"
#include "job_fixture.hpp"
#include "netspine/sim/test_device.hpp"
#include "support/snmpd.hpp"

namespace netspine::test {
namespace {

using domain::DeviceStatus;
using domain::RunState;
using domain::TaskState;

/// A TCP port of 127.0.0.1 that accepts connections while the object lives (the kernel completes
/// the handshake from the backlog; nothing needs to call accept).
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(fd_, 128), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~Listener() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class ReachabilityJobTest : public JobTest {
 protected:
  void SetUp() override {
    JobTest::SetUp();
    loadBuiltPlugins(NETSPINE_BUILD_PLUGIN_DIR,
                     {"reachability", "cisco_ios", "juniper_junos", "arista_eos"});
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_EQ(catalog_.maxBatch("reachability"), 10000u);
  }

  domain::Device device(const std::string& name, std::optional<int> sshPort,
                        DeviceStatus status = DeviceStatus::Active,
                        const std::string& platform = "cisco_ios") {
    app::DeviceInput in;
    in.name = name;
    in.address = "127.0.0.1";
    in.platform = platform;
    in.area = "lab";
    in.status = status;
    in.sshPort = sshPort;
    return app::DeviceService(*inventory_).create(in, ctx_);
  }

  std::map<std::string, domain::DeviceRuntime> runtimeOf(const std::string& name) {
    auto d = *inventory_->begin()->devices().findByName(name);
    std::map<std::string, domain::DeviceRuntime> out;
    for (auto& row : jobs_->begin()->runtime(d.id)) out.emplace(row.check, row);
    return out;
  }
};

TEST_F(ReachabilityJobTest, TcpChecksGiveEachDeviceItsStatusAndTheLogSaysWhatChanged) {
  Listener open;
  int closedPort;
  {
    Listener gone;
    closedPort = gone.port();
  }
  device("up", open.port());
  device("down", closedPort);
  auto first = submit("reachability", {"up", "down"}, {{"checks", "tcp"}, {"timeout_ms", "500"}});
  drain(2);
  EXPECT_EQ(run(first.run.id).state, RunState::Partial);
  const auto up = task(first.run.id, "up");
  EXPECT_EQ(up.category, "ok") << up.message;
  const auto down = task(first.run.id, "down");
  EXPECT_EQ(down.category, "unreachable") << down.message;
  EXPECT_NE(down.message.find("tcp: unreachable"), std::string::npos) << down.message;
  EXPECT_EQ(down.attempts, 1) << "an answer is not retried";
  auto rtUp = runtimeOf("up");
  ASSERT_TRUE(rtUp.count("tcp"));
  EXPECT_TRUE(rtUp["tcp"].up);
  EXPECT_GT(rtUp["tcp"].latencyUs, 0);
  ASSERT_TRUE(rtUp.count("reachability"));
  EXPECT_TRUE(rtUp["reachability"].up);
  auto rtDown = runtimeOf("down");
  EXPECT_FALSE(rtDown["tcp"].up);
  EXPECT_NE(rtDown["tcp"].lastError.find("refused"), std::string::npos) << rtDown["tcp"].lastError;

  open.close();  // "up" goes down
  auto second = submit("reachability", {"up", "down"}, {{"checks", "tcp"}, {"timeout_ms", "500"}});
  drain(2);
  EXPECT_EQ(run(second.run.id).state, RunState::Failed);
  bool wentDown = false;
  for (const auto& line : log(second.run.id)) {
    if (line.device == "up" && line.message.find("tcp went down") != std::string::npos) {
      wentDown = true;
    }
    EXPECT_EQ(line.message.find("came back"), std::string::npos) << line.message;
  }
  EXPECT_TRUE(wentDown);
  EXPECT_FALSE(runtimeOf("up")["tcp"].up);
  EXPECT_FALSE(runtimeOf("up")["tcp"].lastSeen.empty()) << "last seen kept";
}

TEST_F(ReachabilityJobTest, IcmpAnswersOnLoopbackWhenRawSocketsAreAllowed) {
  if (geteuid() != 0) GTEST_SKIP() << "ICMP needs root or CAP_NET_RAW here";
  device("pinged", std::nullopt);
  auto job = submit("reachability", {"pinged"}, {{"checks", "icmp"}});
  drain(1);
  const auto t = task(job.run.id, "pinged");
  EXPECT_EQ(t.category, "ok") << t.message;
  auto rt = runtimeOf("pinged");
  ASSERT_TRUE(rt.count("icmp"));
  EXPECT_TRUE(rt["icmp"].up);
  EXPECT_GT(rt["icmp"].latencyUs, 0);
}

TEST_F(ReachabilityJobTest, SshBannerAndNetconfHelloAgainstTheSimulator) {
  sim::TestDevice junos(sim::OsKind::JuniperJunos);
  device("mx1", junos.port(), DeviceStatus::Active, "juniper_junos");
  preparer = [&](const domain::Device&, plugin::DeviceTarget& target) {
    plugin::Credentials c;
    c.username = junos.username();
    c.password = plugin::Secret(junos.password());
    target.credentials = {c};
    target.attributes["netconf.port"] = std::to_string(junos.port());
  };
  // No checks named: Junos defaults to icmp, ssh and netconf; icmp only as root.
  std::map<std::string, std::string> params;
  if (geteuid() != 0) params["checks"] = "ssh,netconf";
  auto job = submit("reachability", {"mx1"}, params);
  drain(1);
  const auto t = task(job.run.id, "mx1");
  EXPECT_EQ(t.category, "ok") << t.message;
  EXPECT_NE(t.data.find("\"ssh.banner\":\"SSH-2.0-"), std::string::npos) << t.data;
  EXPECT_NE(t.data.find("urn:ietf:params:netconf:base:1.0"), std::string::npos) << t.data;
  auto rt = runtimeOf("mx1");
  ASSERT_TRUE(rt.count("ssh"));
  ASSERT_TRUE(rt.count("netconf"));
  EXPECT_TRUE(rt["ssh"].up);
  EXPECT_TRUE(rt["netconf"].up);
}

TEST_F(ReachabilityJobTest, BadParametersAreRefusedAtSubmitNamingTheParameter) {
  device("any", std::nullopt);
  try {
    submit("reachability", {"any"}, {{"checks", "icmp,telnet"}});
    FAIL() << "accepted an unknown check";
  } catch (const domain::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("checks: unknown check 'telnet'"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(submit("reachability", {"any"}, {{"timeout_ms", "0"}}), domain::ValidationError);
  EXPECT_THROW(submit("discover", {"any"}, {{"checks", "icmp"}}), domain::ValidationError);
}

TEST_F(ReachabilityJobTest, DiscoverUpdatesOnlyStagedAndActiveDevicesAsTheRun) {
  if (!Snmpd::available()) GTEST_SKIP() << "no " << Snmpd::kBinary;
  SnmpdOptions o;
  o.sysName = "edge-9.lab";
  o.sysDescr =
      "Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.2(4)E10, RELEASE "
      "SOFTWARE (fc2)";
  o.sysObjectID = "1.3.6.1.4.1.9.1.516";
  o.strings = {{"1.3.6.1.2.1.47.1.1.1.1.11.1", "FDO1234X0AB"}};
  Snmpd agent(o);
  app::DiscoveryService service(*inventory_, infra::snmpIdentities(host_), policy, testClasses());
  discovery = &service;
  preparer = [&](const domain::Device&, plugin::DeviceTarget& target) {
    plugin::Credentials c;
    c.name = "snmp";
    c.snmpCommunity = plugin::Secret(o.community);
    target.credentials = {c};
    target.attributes["snmp.port"] = std::to_string(agent.port());
  };
  const DeviceStatus statuses[] = {DeviceStatus::Inventory, DeviceStatus::Planned,
                                   DeviceStatus::Staged,    DeviceStatus::Active,
                                   DeviceStatus::Failed,    DeviceStatus::Decommissioning};
  std::map<std::string, domain::Device> before;
  for (auto status : statuses) {
    const std::string name = "d-" + std::string(domain::toString(status));
    before[name] = device(name, std::nullopt, status, "arista_eos");
  }
  auto job = submitSelect("discover", "area=lab");
  drain(2);
  EXPECT_EQ(run(job.run.id).state, RunState::Succeeded);
  app::ChangeLogService changes(*inventory_);
  for (auto status : statuses) {
    const std::string name = "d-" + std::string(domain::toString(status));
    const auto t = task(job.run.id, name);
    const auto after = *inventory_->begin()->devices().findByName(name);
    const auto log = changes.list("device:" + name);
    if (status == DeviceStatus::Staged || status == DeviceStatus::Active) {
      EXPECT_EQ(t.category, "ok") << name << ": " << t.message;
      EXPECT_EQ(after.serial, "FDO1234X0AB") << name;
      EXPECT_EQ(after.osVersion, "15.2(4)E10") << name;
      EXPECT_EQ(after.platform, "cisco_ios") << name;
      ASSERT_EQ(log.size(), 2u) << name;
      EXPECT_EQ(log[0].actor, "run:" + std::to_string(job.run.id));
      bool noted = false;
      for (const auto& line : this->log(job.run.id)) {
        if (line.device == name && line.message == "discovered serial '' -> 'FDO1234X0AB'") {
          noted = true;
        }
      }
      EXPECT_TRUE(noted) << name;
    } else {
      EXPECT_EQ(t.state, TaskState::Skipped) << name;
      EXPECT_EQ(after, before[name]) << name << " must not change";
      EXPECT_EQ(log.size(), 1u) << name << ": only its creation";
    }
  }
}

TEST_F(ReachabilityJobTest, SnmpCheckWithV3AndAWrongPasswordIsAuthFailed) {
  if (!Snmpd::available()) GTEST_SKIP() << "no " << Snmpd::kBinary;
  SnmpdOptions o;
  Snmpd agent(o);
  device("v3-good", std::nullopt);
  device("v3-bad", std::nullopt);
  preparer = [&](const domain::Device& d, plugin::DeviceTarget& target) {
    plugin::Credentials c;
    c.snmpUser = o.user;
    c.snmpAuthPassword = plugin::Secret(d.name == "v3-bad" ? "wrong-password" : o.authPassword);
    c.snmpPrivPassword = plugin::Secret(o.privPassword);
    target.credentials = {c};
    target.attributes["snmp.port"] = std::to_string(agent.port());
  };
  auto job = submit("reachability", {"v3-good", "v3-bad"},
                    {{"checks", "snmp"}, {"timeout_ms", "500"}, {"retries", "0"}});
  drain(1);
  const auto good = task(job.run.id, "v3-good");
  EXPECT_EQ(good.category, "ok") << good.message;
  EXPECT_NE(good.data.find("\"snmp.sys_name\":\"" + o.sysName + "\""), std::string::npos)
      << good.data;
  const auto bad = task(job.run.id, "v3-bad");
  EXPECT_EQ(bad.category, "auth_failed") << bad.message;
  EXPECT_EQ(bad.message.find("wrong-password"), std::string::npos) << "never a secret";
  EXPECT_FALSE(runtimeOf("v3-bad")["snmp"].up);
}

}  // namespace
}  // namespace netspine::test
