// The SSH half of the simulator over real SSH on loopback, driven by libssh's client.

#include "netspine/sim/ssh_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <cerrno>
#include <thread>

#include "netspine/sim/test_device.hpp"
#include "ssh_test_client.hpp"

namespace netspine::sim {
namespace {

using namespace std::chrono_literals;
using test::SshTestClient;

DeviceProfile profileOf(OsKind os, std::set<Fault> faults = {}) {
  DeviceProfile profile;
  profile.name = "r1";
  profile.os = os;
  profile.faults = std::move(faults);
  return profile;
}

// A raw TCP connection to address:port: 0 when it connected, else the errno.
int tcpConnect(const std::string& address, std::uint16_t port, int* fdOut = nullptr) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  ::inet_pton(AF_INET, address.c_str(), &to.sin_addr);
  const int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);
  const int error = rc == 0 ? 0 : errno;
  if (fdOut && rc == 0) {
    *fdOut = fd;
  } else {
    ::close(fd);
  }
  return error;
}

TEST(SshServer, PasswordLoginShowsTheBannerAndThePrompt) {
  TestDevice device(OsKind::CiscoIos);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect()) << client.error();
  ASSERT_TRUE(client.loginPassword(device.password())) << client.error();
  EXPECT_EQ(client.issueBanner(), loginBanner(device.profile()));
  ASSERT_TRUE(client.openShell());
  EXPECT_TRUE(client.readUntil("r1#")) << client.output();
}

TEST(SshServer, WrongPasswordIsRefused) {
  TestDevice device(OsKind::CiscoIos);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  EXPECT_FALSE(client.loginPassword("not-the-password"));
  EXPECT_FALSE(client.openShell());
}

TEST(SshServer, PublicKeyLogin) {
  test::TestKey key;
  test::TestKey otherKey;
  auto profile = profileOf(OsKind::CiscoIos);
  profile.authorizedKey = key.publicLine;
  TestDevice device(profile);

  SshTestClient stranger(device.address(), device.port());
  ASSERT_TRUE(stranger.connect());
  EXPECT_FALSE(stranger.loginKey(otherKey.key));

  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginKey(key.key)) << client.error();
  ASSERT_TRUE(client.openShell());
  EXPECT_TRUE(client.readUntil("r1#"));
}

TEST(SshServer, KeyboardInteractiveTakesThePassword) {
  TestDevice device(OsKind::AristaEos);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginKeyboardInteractive(device.password())) << client.error();
  SshTestClient wrong(device.address(), device.port());
  ASSERT_TRUE(wrong.connect());
  EXPECT_FALSE(wrong.loginKeyboardInteractive("nope"));
}

TEST(SshServer, EachPlatformShowsItsPromptAndIdentification) {
  const std::pair<OsKind, std::string> cases[] = {
      {OsKind::CiscoIos, "r1#"}, {OsKind::JuniperJunos, "admin@r1>"}, {OsKind::AristaEos, "r1#"}};
  for (const auto& [os, prompt] : cases) {
    SCOPED_TRACE(platformId(os));
    TestDevice device(os);
    SshTestClient client(device.address(), device.port());
    ASSERT_TRUE(client.connect());
    EXPECT_TRUE(client.serverIdentification().starts_with("SSH-2.0-"));
    ASSERT_TRUE(client.loginPassword("admin"));
    ASSERT_TRUE(client.openShell());
    EXPECT_TRUE(client.readUntil(prompt)) << client.output();
  }
}

TEST(SshServer, PagingStopsAtTheMarkerUntilSpace) {
  TestDevice device(OsKind::CiscoIos);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginPassword("admin"));
  ASSERT_TRUE(client.openShell());
  ASSERT_TRUE(client.readUntil("r1#"));
  client.take();
  client.write("show running-config\n");
  ASSERT_EQ(client.readUntilEndsWith({"--More--"}), 0) << client.output();
  const auto firstPage = client.take();
  EXPECT_EQ(firstPage.find("\r\nend\r\n"), std::string::npos);
  // Space by space to the end of the configuration and the prompt.
  std::string rest;
  int pages = 1;
  for (int seen = 0; seen == 0 && pages < 500; ++pages) {
    client.write(" ");
    seen = client.readUntilEndsWith({"--More--", "r1#"});
    ASSERT_NE(seen, -1) << client.output();
    rest += client.take();
  }
  EXPECT_GT(pages, 3);
  EXPECT_NE(rest.find("\nend\r\n"), std::string::npos);
}

TEST(SshServer, ExecChannelRunsOneCommandWithoutPagingOrPrompt) {
  TestDevice device(OsKind::CiscoIos);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginPassword("admin"));
  const auto result = client.exec("show running-config");
  ASSERT_TRUE(result.complete);
  EXPECT_EQ(result.exitStatus, 0);
  EXPECT_EQ(result.output.find("--More--"), std::string::npos);
  EXPECT_NE(result.output.find("hostname r1"), std::string::npos);
  // The same configuration as in process, but for its volatile lines (timestamps).
  const auto local = runExec(device.state(), "show running-config").output;
  EXPECT_NEAR(static_cast<double>(result.output.size()), static_cast<double>(local.size()), 200.0);
}

TEST(SshServer, NetconfSubsystemSendsTheHello) {
  TestDevice device(OsKind::JuniperJunos);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginPassword("admin"));
  ASSERT_TRUE(client.openSubsystem("netconf"));
  ASSERT_TRUE(client.readUntil("]]>]]>")) << client.output();
  EXPECT_NE(client.output().find("<capabilities>"), std::string::npos);
  EXPECT_NE(client.output().find("<session-id>"), std::string::npos);
  client.take();
  client.write(
      "<?xml version=\"1.0\"?><hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
      "<capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities>"
      "</hello>]]>]]>");
  client.write(
      "<rpc message-id=\"7\"><get-config><source><running/></source></get-config></rpc>"
      "]]>]]>");
  ASSERT_TRUE(client.readUntil("]]>]]>"));
  EXPECT_NE(client.output().find("message-id=\"7\""), std::string::npos);
  EXPECT_NE(client.output().find("<rpc-error>"), std::string::npos);
  client.take();
  client.write("<rpc message-id=\"8\"><close-session/></rpc>]]>]]>");
  ASSERT_TRUE(client.readUntil("]]>]]>"));
  EXPECT_NE(client.output().find("<ok/>"), std::string::npos);
  EXPECT_TRUE(client.readToEof(5s));
}

TEST(SshServer, ManyDevicesEachOnItsOwnLoopbackAddress) {
  SshServer server(SshServerOptions{.threads = 2});
  GeneratedDevices what;
  what.count = 6;
  what.baseAddress = "127.77.0.1";
  what.port = 0;
  for (auto& spec : generateDevices(what)) server.add(spec);
  server.start();
  const auto devices = server.devices();
  ASSERT_EQ(devices.size(), 6u);
  EXPECT_EQ(devices[5].address, "127.77.0.6");
  for (const auto& d : devices) {
    SCOPED_TRACE(d.name);
    SshTestClient client(d.address, d.port);
    ASSERT_TRUE(client.connect()) << client.error();
    ASSERT_TRUE(client.loginPassword("admin"));
    const auto result =
        client.exec(d.state->profile().os == OsKind::JuniperJunos ? "show configuration"
                                                                  : "show running-config");
    EXPECT_TRUE(result.complete);
    EXPECT_NE(result.output.find(d.name), std::string::npos);
  }
  EXPECT_EQ(server.stats().logins, 6u);
}

TEST(SshServer, TwoHundredConcurrentSessions) {
  constexpr int kSessions = 200;
  TestDevice device(OsKind::CiscoIos);
  std::barrier allOpen(kSessions + 1);
  std::barrier mayClose(kSessions + 1);
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kSessions; ++i) {
    threads.emplace_back([&] {
      bool ok = false;
      {
        SshTestClient client(device.address(), device.port());
        if (client.connect() && client.loginPassword("admin") && client.openShell() &&
            client.readUntil("r1#", 30s)) {
          client.take();
          client.write("terminal length 0\n");
          ok = client.readUntil("r1#", 30s);
        }
        allOpen.arrive_and_wait();
        mayClose.arrive_and_wait();
        if (ok) {
          client.take();
          client.write("show running-config\n");
          ok = client.readUntil("\r\nend\r\n", 30s) && client.readUntil("r1#", 30s);
        }
      }
      if (ok) good++;
    });
  }
  allOpen.arrive_and_wait();
  EXPECT_EQ(device.stats().openSessions, static_cast<std::uint64_t>(kSessions));
  mayClose.arrive_and_wait();
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kSessions);
}

TEST(SshServer, TwentyMegabyteConfigThroughOneChannel) {
  TestDevice device(profileOf(OsKind::CiscoIos, {Fault::HugeConfig}));
  const auto expected = runExec(device.state(), "show running-config").output.size();
  ASSERT_GE(expected, 19'000'000u);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginPassword("admin"));
  ASSERT_TRUE(client.openShell());
  ASSERT_TRUE(client.readUntil("r1#"));
  client.write("terminal length 0\n");
  ASSERT_TRUE(client.readUntil("r1#"));
  client.take();
  client.write("show running-config\n");
  ASSERT_TRUE(client.readUntil("\r\nend\r\n", 60s)) << client.output().size();
  EXPECT_GE(client.output().size(), expected - 1000);
}

// ---- transport faults

TEST(SshServerFaults, WrongPasswordRefusesTheAdvertisedPassword) {
  TestDevice device(profileOf(OsKind::CiscoIos, {Fault::WrongPassword}));
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  EXPECT_FALSE(client.loginPassword(device.password()));
}

TEST(SshServerFaults, SlowBannerDelaysTheIdentificationOnly) {
  TransportOptions transport;
  transport.bannerDelay = 400ms;
  TestDevice device(profileOf(OsKind::CiscoIos, {Fault::SlowBanner}), transport);
  const auto start = std::chrono::steady_clock::now();
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect()) << client.error();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 400ms);
  EXPECT_TRUE(client.loginPassword("admin"));
}

TEST(SshServerFaults, HangAfterLoginNeverShowsAPrompt) {
  TestDevice device(profileOf(OsKind::CiscoIos, {Fault::HangAfterLogin}));
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginPassword("admin"));
  ASSERT_TRUE(client.openShell());
  client.write("\n");
  EXPECT_FALSE(client.readUntil("r1", 700ms));
  EXPECT_TRUE(client.output().empty());
}

TEST(SshServerFaults, DisconnectMidOutputCutsTheOutputAndTheConnection) {
  TransportOptions transport;
  transport.disconnectAfter = 2000;
  TestDevice device(profileOf(OsKind::CiscoIos, {Fault::DisconnectMidOutput}), transport);
  const auto full = runExec(device.state(), "show running-config").output;
  ASSERT_GT(full.size(), 4000u);
  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginPassword("admin"));
  const auto result = client.exec("show running-config", 10s);
  EXPECT_FALSE(result.complete);
  EXPECT_GT(result.output.size(), 0u);
  EXPECT_LT(result.output.size(), full.size());
}

TEST(SshServerFaults, TrickleSendsFewBytesAtATimeWithoutHoldingOthersUp) {
  TransportOptions transport;
  transport.trickleBytes = 8;
  transport.trickleInterval = 4ms;
  SshServer server(SshServerOptions{.threads = 1});  // both devices on one event loop
  DeviceSpec slow{profileOf(OsKind::CiscoIos, {Fault::Trickle}), "127.0.0.1", 0, transport};
  slow.profile.configLines = 200;  // some 6 KB: seconds of trickling
  DeviceSpec normal{profileOf(OsKind::CiscoIos), "127.0.0.1", 0, {}};
  normal.profile.name = "r2";
  const auto trickling = server.add(slow);
  const auto other = server.add(normal);
  server.start();

  SshTestClient client(trickling.address, trickling.port);
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.loginPassword("admin"));
  std::atomic<bool> trickleDone{false};
  std::thread reader([&] {
    EXPECT_TRUE(client.exec("show running-config", 120s).complete);
    trickleDone = true;
  });
  std::this_thread::sleep_for(100ms);

  // An ordering, not a time bound: the other device's whole login happens while the trickle
  // is still going, which it could not if the trickle held the shared event loop.
  SshTestClient quick(other.address, other.port);
  ASSERT_TRUE(quick.connect());
  ASSERT_TRUE(quick.loginPassword("admin"));
  ASSERT_TRUE(quick.openShell());
  EXPECT_TRUE(quick.readUntil("r2#", 30s));
  EXPECT_FALSE(trickleDone.load());
  reader.join();
  EXPECT_LE(client.largestRead(), 8u);
}

TEST(SshServerFaults, HostKeyChangesOnEveryConnection) {
  TestDevice changing(profileOf(OsKind::CiscoIos, {Fault::HostKeyChanges}));
  TestDevice steady(OsKind::CiscoIos);
  const auto hashOf = [](const TestDevice& device) {
    SshTestClient client(device.address(), device.port());
    EXPECT_TRUE(client.connect());
    return client.hostKeyHash();
  };
  EXPECT_NE(hashOf(changing), hashOf(changing));
  EXPECT_EQ(hashOf(steady), hashOf(steady));
}

TEST(SshServerFaults, ConnectionRefusedHasNoListener) {
  TestDevice device(profileOf(OsKind::CiscoIos, {Fault::ConnectionRefused}));
  ASSERT_NE(device.port(), 0);
  EXPECT_EQ(tcpConnect(device.address(), device.port()), ECONNREFUSED);
}

TEST(SshServerFaults, ConnectionResetAcceptsThenResets) {
  TestDevice device(profileOf(OsKind::CiscoIos, {Fault::ConnectionReset}));
  int fd = -1;
  ASSERT_EQ(tcpConnect(device.address(), device.port(), &fd), 0);
  char byte = 0;
  const auto n = ::recv(fd, &byte, 1, 0);
  const int error = errno;
  ::close(fd);
  EXPECT_EQ(n, -1);
  EXPECT_EQ(error, ECONNRESET);
}

TEST(SshServerFaults, MaxSessionsRefusesOneMore) {
  auto profile = profileOf(OsKind::CiscoIos, {Fault::MaxSessions});
  profile.maxSessions = 2;
  TestDevice device(profile);
  SshTestClient first(device.address(), device.port());
  SshTestClient second(device.address(), device.port());
  ASSERT_TRUE(first.connect() && first.loginPassword("admin"));
  ASSERT_TRUE(second.connect() && second.loginPassword("admin"));
  SshTestClient third(device.address(), device.port());
  EXPECT_FALSE(third.connect() && third.loginPassword("admin"));
}

TEST(SshServerFaults, DropAfterCommitConfirmedClosesTheChannelAndTheCommitExpires) {
  // A clock the test moves, so the commit expires without waiting minutes.
  auto seconds = std::make_shared<std::atomic<std::int64_t>>(1709546400);
  Clock clock = [seconds] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(seconds->load()));
  };
  TestDevice device(profileOf(OsKind::JuniperJunos, {Fault::DropAfterCommitConfirmed}), {}, clock);
  auto withoutStamp = [](const std::string& config) {  // '## Last commit' follows the clock
    return config.substr(config.find('\n') + 1);
  };
  const std::string before = device.state().runningConfig();

  SshTestClient client(device.address(), device.port());
  ASSERT_TRUE(client.connect()) << client.error();
  ASSERT_TRUE(client.loginPassword("admin"));
  ASSERT_TRUE(client.openShell());
  ASSERT_TRUE(client.readUntil("admin@r1> ")) << client.output();
  client.write("configure private\n");
  ASSERT_TRUE(client.readUntil("admin@r1# ")) << client.output();
  client.take();
  client.write("set system host-name r2\n");
  ASSERT_TRUE(client.readUntil("[edit]\r\nadmin@r1# ")) << client.output();
  client.take();
  client.write("commit confirmed 5\n");
  EXPECT_TRUE(client.readToEof(10s));
  EXPECT_TRUE(client.channelClosed());
  // The echo only: no 'commit complete' and no prompt before the channel closed.
  EXPECT_EQ(client.output(), "commit confirmed 5\r\n");

  EXPECT_TRUE(device.state().runningHasLine("host-name r2;"));
  *seconds += 4 * 60;
  EXPECT_TRUE(device.state().runningHasLine("host-name r2;"));
  *seconds += 2 * 60;
  EXPECT_EQ(withoutStamp(device.state().runningConfig()), withoutStamp(before));
}

}  // namespace
}  // namespace netspine::sim
