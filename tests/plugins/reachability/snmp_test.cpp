// The SNMP GET probe against a real snmpd the tests start on loopback.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../../support/snmpd.hpp"
#include "probes/snmp_probe.hpp"

namespace netspine::reach {
namespace {

using plugin::ErrorCategory;
using plugin::Secret;

constexpr const char* kSerialOid = "1.3.6.1.2.1.47.1.1.1.1.11.1";

// One agent for the whole suite: starting snmpd costs a few hundred milliseconds.
class SnmpProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!test::Snmpd::available()) return;
    test::SnmpdOptions o;
    o.sysName = "edge-7";
    o.sysDescr = "netspine fixture agent (Linux)";
    o.sysObjectID = "1.3.6.1.4.1.8072.3.2.10";
    o.sysLocation = "rack 4";
    o.strings = {{kSerialOid, "SN-4711"}};
    try {
      agent_ = new test::Snmpd(o);
    } catch (const std::exception& e) {
      startError_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete agent_;
    agent_ = nullptr;
  }
  void SetUp() override {
    if (!startError_.empty()) FAIL() << startError_;
    if (!agent_) GTEST_SKIP() << "no " << test::Snmpd::kBinary;
  }

  static SnmpTarget v2c(const std::string& community = "") {
    SnmpTarget t;
    t.target = {agent_->address(), agent_->port()};
    t.credentials.community = Secret(community.empty() ? agent_->options().community : community);
    return t;
  }
  static SnmpTarget v3(const std::string& user = "", const std::string& auth = "") {
    SnmpTarget t;
    t.target = {agent_->address(), agent_->port()};
    t.credentials.version = SnmpCredentials::Version::V3;
    t.credentials.user = user.empty() ? agent_->options().user : user;
    t.credentials.authPassword = Secret(auth.empty() ? agent_->options().authPassword : auth);
    t.credentials.privPassword = Secret(agent_->options().privPassword);
    return t;
  }
  static SnmpOptions fast() {
    SnmpOptions o;
    o.timeout = std::chrono::milliseconds(300);
    o.retries = 1;
    return o;
  }
  static void expectSystem(const ProbeResult& r) {
    ASSERT_EQ(r.category, ErrorCategory::Ok) << r.error;
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.data.at("sys_name"), "edge-7");
    EXPECT_EQ(r.data.at("sys_descr"), "netspine fixture agent (Linux)");
    EXPECT_EQ(r.data.at("sys_object_id"), "1.3.6.1.4.1.8072.3.2.10");
    const auto& uptime = r.data.at("sys_uptime");
    ASSERT_FALSE(uptime.empty());
    EXPECT_EQ(uptime.find_first_not_of("0123456789"), std::string::npos) << uptime;
    EXPECT_GT(r.latency.count(), 0);
    EXPECT_EQ(r.attempts, 1);
  }

  static test::Snmpd* agent_;
  static std::string startError_;
};
test::Snmpd* SnmpProbeTest::agent_ = nullptr;
std::string SnmpProbeTest::startError_;

TEST_F(SnmpProbeTest, V2cGetsTheFourSystemObjects) {
  const auto results = snmpGet({v2c()}, fast());
  ASSERT_EQ(results.size(), 1u);
  expectSystem(results[0]);
  EXPECT_EQ(results[0].data.size(), 4u);
}

TEST_F(SnmpProbeTest, V3AuthPrivShaAesGetsTheSameValues) {
  const auto results = snmpGet({v3()}, fast());
  ASSERT_EQ(results.size(), 1u);
  expectSystem(results[0]);
}

TEST_F(SnmpProbeTest, V3WrongAuthPasswordIsAuthFailed) {
  // Next to a right one on the same agent engine and user: the keys must not be shared.
  const auto results =
      snmpGet({v3("", "wrong-password-1"), v3(), v3("", "wrong-password-1")}, fast());
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].category, ErrorCategory::AuthFailed) << results[0].error;
  EXPECT_NE(results[0].error.find("usmStatsWrongDigests"), std::string::npos) << results[0].error;
  EXPECT_EQ(results[0].error.find("wrong-password-1"), std::string::npos);
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
  EXPECT_EQ(results[2].category, ErrorCategory::AuthFailed) << results[2].error;
  // And a right one after, in a new batch.
  expectSystem(snmpGet({v3()}, fast()).at(0));
}

TEST_F(SnmpProbeTest, V3UnknownUserIsAuthFailed) {
  const auto r = snmpGet({v3("nobody-here")}, fast()).at(0);
  EXPECT_EQ(r.category, ErrorCategory::AuthFailed) << r.error;
  EXPECT_NE(r.error.find("usmStatsUnknownUserNames"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("nobody-here"), std::string::npos) << r.error;
}

TEST_F(SnmpProbeTest, V2cWrongCommunityTimesOutAfterEveryTry) {
  auto options = fast();
  options.retries = 2;
  const auto r = snmpGet({v2c("not-the-community")}, options).at(0);
  EXPECT_EQ(r.category, ErrorCategory::Timeout) << r.error;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_NE(r.error.find("no SNMP response after 3 tries"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("not-the-community"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(agent_->address()), std::string::npos) << r.error;
}

TEST_F(SnmpProbeTest, ClosedPortTimesOut) {
  // net-snmp's UDP client socket is not connected, so the ICMP port unreachable that loopback
  // sends back never reaches it: a closed port looks like a silent one.
  auto target = v2c();
  target.target.port =
      static_cast<std::uint16_t>(agent_->port() == 65535 ? 65534 : agent_->port() + 1);
  if (test::Snmpd::answers("127.0.0.1", target.target.port, "public",
                           std::chrono::milliseconds(50))) {
    GTEST_SKIP() << "something answers on port " << target.target.port;
  }
  // v3 too: the engine discovery is one of the loop's requests (net-snmp would otherwise probe
  // synchronously inside snmp_sess_async_send and fail the send when nobody answers).
  auto v3target = v3();
  v3target.target.port = target.target.port;
  const auto results = snmpGet({target, v3target}, fast());
  for (const auto& r : results) {
    EXPECT_EQ(r.category, ErrorCategory::Timeout) << r.error;
    EXPECT_EQ(r.attempts, 2);
    EXPECT_NE(r.error.find("no SNMP response after 2 tries"), std::string::npos) << r.error;
  }
}

TEST_F(SnmpProbeTest, MissingObjectIsAbsentAndExtraObjectsArePresent) {
  auto options = fast();
  options.oids = {{"sys_name", "1.3.6.1.2.1.1.5.0"},
                  {"serial", kSerialOid},
                  {"missing", "1.3.6.1.4.1.99999.1.2.3.0"},
                  {"location", ".1.3.6.1.2.1.1.6.0"}};
  for (const auto& target : {v2c(), v3()}) {
    const auto r = snmpGet({target}, options).at(0);
    ASSERT_EQ(r.category, ErrorCategory::Ok) << r.error;
    EXPECT_EQ(r.data.count("missing"), 0u);
    EXPECT_EQ(r.data.at("serial"), "SN-4711");
    EXPECT_EQ(r.data.at("location"), "rack 4");
    EXPECT_EQ(r.data.at("sys_name"), "edge-7");
  }
}

TEST_F(SnmpProbeTest, Ipv6TargetIsProbedNotRefused) {
  // The fixture's agent listens on IPv4 only: ::1 is a valid target that gets no answer.
  auto target = v2c();
  target.target.address = "::1";
  const auto r = snmpGet({target}, fast()).at(0);
  EXPECT_EQ(r.category, ErrorCategory::Timeout) << r.error;
  EXPECT_NE(r.error.find("[::1]:"), std::string::npos) << r.error;
}

TEST_F(SnmpProbeTest, ManyTargetsBeyondFdSetSize) {
  // More sessions (sockets) at once than select()'s FD_SETSIZE of 1,024.
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < 1600) {
    GTEST_SKIP() << "RLIMIT_NOFILE hard limit " << limit.rlim_max << " is below 1,600";
  }
  std::vector<SnmpTarget> targets(1500, v2c());
  for (std::size_t i = 0; i < targets.size(); i += 10) targets[i] = v3();
  SnmpOptions options;
  options.timeout = std::chrono::milliseconds(2000);
  options.retries = 3;
  options.maxInFlight = 1500;
  // The cancel check runs inside the loop: count the process's open descriptors there.
  std::size_t mostFds = 0;
  const auto results = snmpGet(targets, options, [&] {
    std::size_t fds = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
      ++fds;
    }
    mostFds = std::max(mostFds, fds);
    return false;
  });
  EXPECT_GT(mostFds, 1500u);  // one socket per target, all open at once, beyond FD_SETSIZE
  ASSERT_EQ(results.size(), targets.size());
  std::size_t ok = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].category == ErrorCategory::Ok && results[i].data.at("sys_name") == "edge-7") {
      ++ok;
    } else {
      ADD_FAILURE() << i << ": " << results[i].error;
      if (i > 20) break;
    }
  }
  EXPECT_EQ(ok, targets.size());
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_GT(limit.rlim_cur, 1500u);  // the probe raised it to hold every socket
}

TEST_F(SnmpProbeTest, WildcardAgentAnswersAtEveryLoopbackAddress) {
  // The fixture bound to udp:0.0.0.0 (a free port), as the benchmark and discovery tests use it.
  test::SnmpdOptions o;
  o.bindAddress = "udp:0.0.0.0:0";
  o.sysName = "wildcard";
  test::Snmpd wildcard(o);
  ASSERT_NE(wildcard.port(), 0);
  std::vector<SnmpTarget> targets;
  for (int i = 1; i <= 10; ++i) {
    SnmpTarget t = v2c();
    t.target = {"127.3.0." + std::to_string(i), wildcard.port()};
    targets.push_back(t);
  }
  auto v3target = v3();
  v3target.target = {"127.3.1.1", wildcard.port()};
  targets.push_back(v3target);
  const auto results = snmpGet(targets, fast());
  for (const auto& r : results) {
    ASSERT_EQ(r.category, ErrorCategory::Ok) << r.error;
    EXPECT_EQ(r.data.at("sys_name"), "wildcard");
  }
}

TEST_F(SnmpProbeTest, BatchesOnSeveralThreadsAtOnce) {
  // net-snmp's USM user list and engine times are process-wide: batches on other threads, with
  // right and wrong passwords for the same engine and user, must not disturb each other.
  std::vector<std::vector<ProbeResult>> results(4);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < results.size(); ++k) {
    threads.emplace_back([&, k] {
      std::vector<SnmpTarget> batch;
      for (int i = 0; i < 25; ++i) {
        batch.push_back(i % 5 == 0 ? v3("", "wrong-password-" + std::to_string(k))
                                   : (i % 2 ? v3() : v2c()));
      }
      results[k] = snmpGet(batch, fast());
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t k = 0; k < results.size(); ++k) {
    ASSERT_EQ(results[k].size(), 25u);
    for (std::size_t i = 0; i < 25; ++i) {
      const auto want = i % 5 == 0 ? ErrorCategory::AuthFailed : ErrorCategory::Ok;
      EXPECT_EQ(results[k][i].category, want) << k << "/" << i << ": " << results[k][i].error;
    }
  }
}

TEST_F(SnmpProbeTest, BadAddressAndBadCredentialsArePluginErrorsPerTarget) {
  auto bad = v2c();
  bad.target.address = "not-an-address";
  auto noCommunity = v2c();
  noCommunity.credentials.community = Secret();
  auto shortPassword = v3("", "short");
  const auto results = snmpGet({bad, v2c(), noCommunity, shortPassword}, fast());
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].category, ErrorCategory::PluginError);
  EXPECT_NE(results[0].error.find("not-an-address"), std::string::npos) << results[0].error;
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
  EXPECT_EQ(results[2].category, ErrorCategory::PluginError);
  EXPECT_EQ(results[3].category, ErrorCategory::PluginError);
  EXPECT_EQ(results[3].error.find("short"), results[3].error.find("shorter"));
}

TEST(SnmpCredentialsCheck, NamesTheProblem) {
  SnmpCredentials c;
  EXPECT_NE(checkCredentials(c), "");  // v2c without community
  c.community = Secret("public");
  EXPECT_EQ(checkCredentials(c), "");
  c.version = SnmpCredentials::Version::V3;
  EXPECT_NE(checkCredentials(c).find("user"), std::string::npos);
  c.user = "ops";
  c.authPassword = Secret("12345678");
  c.privPassword = Secret("1234567");
  EXPECT_NE(checkCredentials(c).find("privacy password"), std::string::npos);
  c.privPassword = Secret("12345678");
  EXPECT_EQ(checkCredentials(c), "");
  for (const char* proto : {"MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"}) {
    c.authProtocol = proto;
    EXPECT_EQ(checkCredentials(c), "") << proto;
  }
  c.authProtocol = "SHA-999";
  EXPECT_NE(checkCredentials(c).find("SHA-999"), std::string::npos);
  c.authProtocol = "SHA";
  c.privProtocol = "3DES";
  EXPECT_NE(checkCredentials(c).find("3DES"), std::string::npos);
  c.privProtocol = "DES";
  EXPECT_EQ(checkCredentials(c), "");
  EXPECT_EQ(checkCredentials(c).find("12345678"), std::string::npos);
}

TEST_F(SnmpProbeTest, OtherAuthAndPrivProtocolsAgainstAnAgentUser) {
  // The fixture's user is SHA/AES: MD5 keys are refused with a REPORT, not a crash.
  auto target = v3();
  target.credentials.authProtocol = "MD5";
  const auto r = snmpGet({target}, fast()).at(0);
  EXPECT_EQ(r.category, ErrorCategory::AuthFailed) << r.error;
}

TEST_F(SnmpProbeTest, CancelReportsEveryUnfinishedTarget) {
  // Silent targets (wrong community) would take seconds; the cancel ends them at once.
  std::vector<SnmpTarget> targets(20, v2c("silent-community"));
  targets.push_back(v2c());
  SnmpOptions options;
  options.timeout = std::chrono::milliseconds(5000);
  std::atomic<int> calls{0};
  const auto results = snmpGet(targets, options, [&] { return ++calls > 3; });
  ASSERT_EQ(results.size(), targets.size());
  for (std::size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(results[i].category, ErrorCategory::Cancelled) << i << results[i].error;
  }
  // The answered one may have finished before the cancel.
  EXPECT_TRUE(results[20].category == ErrorCategory::Ok ||
              results[20].category == ErrorCategory::Cancelled);
  EXPECT_GT(calls.load(), 3);
}

TEST(SnmpProbe, EmptyBatchAndBadOptions) {
  EXPECT_TRUE(snmpGet({}, SnmpOptions{}).empty());
  SnmpTarget t;
  t.target = {"127.0.0.1", 9};
  t.credentials.community = Secret("public");
  SnmpOptions options;
  options.oids = {{"x", "1.3.six"}};
  const auto r = snmpGet({t, t}, options);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].category, ErrorCategory::PluginError);
  EXPECT_NE(r[1].error.find("1.3.six"), std::string::npos) << r[1].error;
}

TEST(SnmpProbe, DefaultOidsAreTheSystemObjects) {
  const auto oids = defaultSystemOids();
  ASSERT_EQ(oids.size(), 4u);
  EXPECT_EQ(oids[0], (std::pair<std::string, std::string>{"sys_descr", "1.3.6.1.2.1.1.1.0"}));
  EXPECT_EQ(oids[3], (std::pair<std::string, std::string>{"sys_name", "1.3.6.1.2.1.1.5.0"}));
}

}  // namespace
}  // namespace netspine::reach
