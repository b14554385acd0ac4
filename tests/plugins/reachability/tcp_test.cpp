// The TCP connect, SSH banner and NETCONF hello probes against real peers on loopback: sockets
// the tests open, scripted TCP servers, the device simulator over SSH, and a network namespace
// (created here) for an address that never answers.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <netspine/sim/test_device.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "probes/ssh_probe.hpp"
#include "probes/tcp_probe.hpp"

namespace netspine::reach {
namespace {

using plugin::ErrorCategory;
using plugin::Secret;

std::string describe(const ProbeResult& r) {
  return std::string(plugin::toString(r.category)) + ": " + r.error;
}

// A listening TCP socket on loopback that accepts and closes (or hands each connection to
// `serve`) on its own thread until destroyed.
class Listener {
 public:
  using Serve = std::function<void(int fd)>;

  explicit Listener(int family = AF_INET, Serve serve = {}, int backlog = 4096)
      : serve_(std::move(serve)) {
    fd_ = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    const int yes = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (family == AF_INET) {
      auto* a = reinterpret_cast<sockaddr_in*>(&storage);
      a->sin_family = AF_INET;
      a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      length = sizeof *a;
    } else {
      auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
      a->sin6_family = AF_INET6;
      a->sin6_addr = in6addr_loopback;
      length = sizeof *a;
    }
    if (bind(fd_, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
        listen(fd_, backlog) != 0) {
      close(fd_);
      fd_ = -1;
      return;
    }
    getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length);
    port_ = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&storage)->sin_port
                                    : reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
    thread_ = std::thread([this] { acceptLoop(); });
  }
  ~Listener() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  [[nodiscard]] bool ok() const { return fd_ >= 0; }
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  void acceptLoop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      if (serve_) serve_(client);
      close(client);
    }
  }

  Serve serve_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A port of 127.0.0.1 nothing listens on: bound, read back, closed.
std::uint16_t closedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t length = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
  close(fd);
  return ntohs(a.sin_port);
}

// Writes `bytes`, then waits (at most 2 s) for the client to close unless `closeAtOnce`.
Listener::Serve script(std::string bytes, bool closeAtOnce = false) {
  return [bytes = std::move(bytes), closeAtOnce](int fd) {
    if (!bytes.empty()) send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (closeAtOnce) return;
    char buffer[256];
    for (int i = 0; i < 100; ++i) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 20) > 0 && recv(fd, buffer, sizeof buffer, 0) <= 0) return;
    }
  };
}

// Runs `body` on a thread of its own network namespace, where 198.51.100.0/24 routes to a
// loopback that never answers for it (the network namespace is per thread in Linux; `ip` run from
// that thread configures it). Returns a reason to skip, or empty.
std::string inBlackholeNamespace(const std::function<void()>& body) {
  std::string skip;
  std::thread([&] {
    if (unshare(CLONE_NEWNET) != 0) {
      skip = std::string("cannot create a network namespace: ") + std::strerror(errno);
      return;
    }
    if (std::system("ip link set lo up && ip route add 198.51.100.0/24 dev lo && "
                    "ip route get 198.51.100.7 | grep -q 'dev lo' && "
                    "! ip addr show | grep -q 198.51.100") != 0) {
      skip = "cannot set up the route of 198.51.100.0/24 in the test's network namespace";
      return;
    }
    body();
  }).join();
  return skip;
}

// --- TCP connect -------------------------------------------------------------------------------

TEST(TcpConnect, OpenPortIsOkWithLatency) {
  Listener listener;
  ASSERT_TRUE(listener.ok());
  const auto results = tcpConnect({{"127.0.0.1", listener.port()}}, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::Ok) << describe(results[0]);
  EXPECT_GT(results[0].latency.count(), 0);
  EXPECT_EQ(results[0].attempts, 1);
}

TEST(TcpConnect, ClosedPortIsUnreachable) {
  const std::uint16_t port = closedPort();
  const auto results = tcpConnect({{"127.0.0.1", port}}, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::Unreachable) << describe(results[0]);
  EXPECT_EQ(results[0].error, "connection refused (port " + std::to_string(port) + ")");
}

TEST(TcpConnect, PortZeroUsesTheDefaultPort) {
  Listener listener;
  ASSERT_TRUE(listener.ok());
  TcpOptions options;
  options.defaultPort = listener.port();
  const auto open = tcpConnect({{"127.0.0.1", 0}}, options);
  EXPECT_EQ(open[0].category, ErrorCategory::Ok) << describe(open[0]);
  options.defaultPort = closedPort();
  const auto closed = tcpConnect({{"127.0.0.1", 0}}, options);
  EXPECT_EQ(closed[0].category, ErrorCategory::Unreachable) << describe(closed[0]);
}

TEST(TcpConnect, Ipv6Loopback) {
  Listener listener(AF_INET6);
  if (!listener.ok()) GTEST_SKIP() << "no IPv6 loopback here";
  const auto results = tcpConnect({{"::1", listener.port()}, {"::1", closedPort()}}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::Ok) << describe(results[0]);
  EXPECT_GT(results[0].latency.count(), 0);
  // closedPort() is a free IPv4 port; nothing listens on it for IPv6 either.
  EXPECT_EQ(results[1].category, ErrorCategory::Unreachable) << describe(results[1]);
}

TEST(TcpConnect, BadAddressIsPluginErrorNamingIt) {
  Listener listener;
  ASSERT_TRUE(listener.ok());
  const auto results = tcpConnect(
      {{"router1.example", 22}, {"127.0.0.1", listener.port()}, {"300.1.1.1", 22}, {"", 22}}, {});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].category, ErrorCategory::PluginError);
  EXPECT_NE(results[0].error.find("'router1.example'"), std::string::npos) << results[0].error;
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << describe(results[1]);
  EXPECT_EQ(results[2].category, ErrorCategory::PluginError);
  EXPECT_NE(results[2].error.find("'300.1.1.1'"), std::string::npos) << results[2].error;
  EXPECT_EQ(results[3].category, ErrorCategory::PluginError);
}

TEST(TcpConnect, ThreeThousandMixedTargetsEachGetTheirOwnResult) {
  std::vector<std::unique_ptr<Listener>> listeners;
  std::vector<std::uint16_t> open;
  for (int i = 0; i < 8; ++i) {
    listeners.push_back(std::make_unique<Listener>());
    ASSERT_TRUE(listeners.back()->ok());
    open.push_back(listeners.back()->port());
  }
  std::vector<std::uint16_t> closed;
  while (closed.size() < 8) {
    const auto port = closedPort();
    if (std::find(open.begin(), open.end(), port) == open.end()) closed.push_back(port);
  }
  std::vector<ProbeTarget> targets;
  std::vector<bool> expectOpen;
  for (int i = 0; i < 3000; ++i) {
    const bool isOpen = i % 3 != 0;
    targets.push_back({"127.0.0.1", isOpen ? open[i % open.size()] : closed[i % closed.size()]});
    expectOpen.push_back(isOpen);
  }
  std::vector<std::size_t> order(targets.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(20261127));
  std::vector<ProbeTarget> shuffled;
  std::vector<bool> shuffledOpen;
  for (auto i : order) {
    shuffled.push_back(targets[i]);
    shuffledOpen.push_back(expectOpen[i]);
  }
  TcpOptions options;
  options.timeout = std::chrono::milliseconds(10000);  // a loaded CI machine is slow, not wrong
  const auto results = tcpConnect(shuffled, options);
  ASSERT_EQ(results.size(), shuffled.size());
  int ok = 0;
  int refused = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (shuffledOpen[i]) {
      EXPECT_EQ(results[i].category, ErrorCategory::Ok)
          << "port " << shuffled[i].port << ": " << describe(results[i]);
      ok += results[i].category == ErrorCategory::Ok;
    } else {
      EXPECT_EQ(results[i].error,
                "connection refused (port " + std::to_string(shuffled[i].port) + ")");
      refused += results[i].category == ErrorCategory::Unreachable;
    }
  }
  EXPECT_EQ(ok, 2000);
  EXPECT_EQ(refused, 1000);
}

TEST(TcpConnect, OutOfDescriptorsWaitsInsteadOfFailing) {
  Listener listener;
  ASSERT_TRUE(listener.ok());
  (void)tcpConnect({}, {});  // the probe raises the soft limit once; lower it after that
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = std::min<rlim_t>(saved.rlim_cur, 2048);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  // The rest of the process holds all descriptors but three: far fewer than the probe's budget.
  std::vector<int> held;
  for (int fd; (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) held.push_back(fd);
  for (int i = 0; i < 3 && !held.empty(); ++i) {
    close(held.back());
    held.pop_back();
  }
  const auto results =
      tcpConnect(std::vector<ProbeTarget>(300, {"127.0.0.1", listener.port()}), {});
  for (int fd : held) close(fd);
  setrlimit(RLIMIT_NOFILE, &saved);
  ASSERT_EQ(results.size(), 300u);
  for (const auto& r : results) ASSERT_EQ(r.category, ErrorCategory::Ok) << describe(r);
}

TEST(TcpConnect, SilentTargetTimesOutAfterEveryAttempt) {
  std::vector<ProbeResult> results;
  const std::string skip = inBlackholeNamespace([&] {
    TcpOptions options;
    options.timeout = std::chrono::milliseconds(200);
    options.retries = 1;
    results = tcpConnect({{"198.51.100.7", 22}}, options);
  });
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::Timeout) << describe(results[0]);
  EXPECT_EQ(results[0].attempts, 2);
  EXPECT_NE(results[0].error.find("198.51.100.7:22"), std::string::npos) << results[0].error;
}

TEST(TcpConnect, CancelledTargetsAreReportedCancelled) {
  std::vector<ProbeResult> results;
  int checks = 0;
  const std::string skip = inBlackholeNamespace([&] {
    Listener listener;  // inside the namespace: its own 127.0.0.1
    ASSERT_TRUE(listener.ok());
    TcpOptions options;
    options.timeout = std::chrono::milliseconds(60000);
    results = tcpConnect({{"198.51.100.7", 22}, {"127.0.0.1", listener.port()}}, options,
                         [&] { return ++checks > 3; });
  });
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].category, ErrorCategory::Cancelled) << describe(results[0]);
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << describe(results[1]);
  EXPECT_GT(checks, 3);
}

TEST(TcpConnect, CancelledBeforeStartCancelsEveryTarget) {
  const auto results = tcpConnect({{"127.0.0.1", closedPort()}, {"127.0.0.1", closedPort()}}, {},
                                  [] { return true; });
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) EXPECT_EQ(r.category, ErrorCategory::Cancelled) << describe(r);
}

// --- SSH banner ----------------------------------------------------------------------------------

TEST(SshBanner, SimulatorBanner) {
  sim::TestDevice device;
  const auto results = sshBanner({{device.address(), device.port()}}, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::Ok) << describe(results[0]);
  EXPECT_EQ(results[0].data.at("banner"), "SSH-2.0-Cisco-1.25");
  EXPECT_GT(results[0].latency.count(), 0);
}

TEST(SshBanner, HttpServerIsProtocolError) {
  Listener http(AF_INET, script("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", true));
  ASSERT_TRUE(http.ok());
  const auto results = sshBanner({{"127.0.0.1", http.port()}}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::ProtocolError) << describe(results[0]);
  EXPECT_NE(results[0].error.find("HTTP/1.1 400 Bad Request"), std::string::npos)
      << results[0].error;
}

TEST(SshBanner, LinesBeforeTheBannerAreSkipped) {
  Listener server(AF_INET, script("Welcome to r1\r\nAuthorized use only\r\n\r\nSSH-2.0-test\r\n"));
  ASSERT_TRUE(server.ok());
  const auto results = sshBanner({{"127.0.0.1", server.port()}}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::Ok) << describe(results[0]);
  EXPECT_EQ(results[0].data.at("banner"), "SSH-2.0-test");
}

TEST(SshBanner, CloseAtOnceIsProtocolError) {
  Listener server(AF_INET, script("", true));
  ASSERT_TRUE(server.ok());
  const auto results = sshBanner({{"127.0.0.1", server.port()}}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::ProtocolError) << describe(results[0]);
  EXPECT_NE(results[0].error.find("nothing received"), std::string::npos) << results[0].error;
}

TEST(SshBanner, GarbageIsProtocolErrorShowingWhatCame) {
  Listener server(AF_INET, script(std::string("\x01\x02garbage\xff", 11), true));
  ASSERT_TRUE(server.ok());
  const auto results = sshBanner({{"127.0.0.1", server.port()}}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::ProtocolError) << describe(results[0]);
  EXPECT_NE(results[0].error.find("\\x01\\x02garbage\\xff"), std::string::npos) << results[0].error;
}

TEST(SshBanner, OverlongLineIsProtocolError) {
  Listener server(AF_INET, script(std::string(600, 'x')));
  ASSERT_TRUE(server.ok());
  const auto results = sshBanner({{"127.0.0.1", server.port()}}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::ProtocolError) << describe(results[0]);
}

TEST(SshBanner, SilentServerTimesOut) {
  Listener server(AF_INET, script(""));  // accepts, says nothing, waits for us to close
  ASSERT_TRUE(server.ok());
  BannerOptions options;
  options.timeout = std::chrono::milliseconds(300);
  const auto results = sshBanner({{"127.0.0.1", server.port()}}, options);
  EXPECT_EQ(results[0].category, ErrorCategory::Timeout) << describe(results[0]);
}

TEST(SshBanner, ClosedPortAndBadAddressInOneBatch) {
  sim::TestDevice device;
  const std::uint16_t closed = closedPort();
  const auto results =
      sshBanner({{"127.0.0.1", closed}, {"not-an-ip", 22}, {device.address(), device.port()}}, {});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].category, ErrorCategory::Unreachable) << describe(results[0]);
  EXPECT_EQ(results[0].error, "connection refused (port " + std::to_string(closed) + ")");
  EXPECT_EQ(results[1].category, ErrorCategory::PluginError) << describe(results[1]);
  EXPECT_NE(results[1].error.find("'not-an-ip'"), std::string::npos);
  EXPECT_EQ(results[2].category, ErrorCategory::Ok) << describe(results[2]);
}

// --- NETCONF hello -------------------------------------------------------------------------------

NetconfTarget netconfTarget(const sim::TestDevice& device, const std::string& password) {
  NetconfTarget t;
  t.target = {device.address(), device.port()};
  t.logins.push_back(NetconfLogin{device.username(), Secret(password), {}, {}});
  return t;
}

// A valid ed25519 key that no simulator has.
constexpr const char* kOtherKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFJDQHNcZ+o0Zeam5KY3fsLkg34YvD2BM9HfkGwFSR//";

TEST(NetconfHello, SimulatorCapabilitiesAndSessionId) {
  sim::TestDevice device;
  const auto results = netconfHello({netconfTarget(device, device.password())}, {});
  ASSERT_EQ(results.size(), 1u);
  const auto& r = results[0];
  ASSERT_EQ(r.category, ErrorCategory::Ok) << describe(r);
  const std::string& caps = r.data.at("capabilities");
  EXPECT_NE(caps.find("urn:ietf:params:netconf:base:1.0\n"), std::string::npos) << caps;
  EXPECT_NE(caps.find("urn:ietf:params:netconf:capability:candidate:1.0"), std::string::npos);
  EXPECT_EQ(caps.find("<"), std::string::npos) << caps;
  const std::string& id = r.data.at("session_id");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(id.find_first_not_of("0123456789"), std::string::npos) << id;
  EXPECT_EQ(r.data.at("ssh.host_key").rfind("ssh-", 0), 0u) << r.data.at("ssh.host_key");
  EXPECT_GT(r.latency.count(), 0);
  EXPECT_EQ(device.stats().logins, 1u);
}

TEST(NetconfHello, WrongPasswordIsAuthFailedWithoutTheSecret) {
  sim::TestDevice device;
  const std::string wrong = "not-the-password-4711";
  const auto results = netconfHello({netconfTarget(device, wrong)}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::AuthFailed) << describe(results[0]);
  EXPECT_EQ(results[0].error.find(wrong), std::string::npos);
  for (const auto& [key, value] : results[0].data) EXPECT_EQ(value.find(wrong), std::string::npos);
  EXPECT_EQ(device.stats().logins, 0u);
}

TEST(NetconfHello, SecondLoginIsTriedAfterTheFirstIsRefused) {
  sim::TestDevice device;
  NetconfTarget t = netconfTarget(device, "wrong");
  t.logins.push_back(NetconfLogin{device.username(), Secret(device.password()), {}, {}});
  const auto results = netconfHello({t}, {});
  EXPECT_EQ(results[0].category, ErrorCategory::Ok) << describe(results[0]);
}

TEST(NetconfHello, WrongPinnedHostKeySendsNoCredentials) {
  sim::TestDevice device;
  NetconfTarget t = netconfTarget(device, device.password());
  t.pinnedHostKey = kOtherKey;
  const auto mismatch = netconfHello({t}, {});
  EXPECT_EQ(mismatch[0].category, ErrorCategory::HostKeyMismatch) << describe(mismatch[0]);
  const auto stats = device.stats();
  EXPECT_GE(stats.accepted, 1u);  // it did connect...
  EXPECT_EQ(stats.logins, 0u);    // ...and did not log in
  ASSERT_FALSE(mismatch[0].data.at("ssh.host_key").empty());

  // The key it reported, pinned, lets the same login through.
  t.pinnedHostKey = mismatch[0].data.at("ssh.host_key");
  const auto pinned = netconfHello({t}, {});
  EXPECT_EQ(pinned[0].category, ErrorCategory::Ok) << describe(pinned[0]);
  EXPECT_EQ(device.stats().logins, 1u);
}

TEST(NetconfHello, SeveralDevicesInOneBatch) {
  sim::TestDevice ios(sim::OsKind::CiscoIos);
  sim::TestDevice junos(sim::OsKind::JuniperJunos);
  sim::TestDevice eos(sim::OsKind::AristaEos);
  NetconfTarget closed;
  closed.target = {"127.0.0.1", closedPort()};
  closed.logins.push_back(NetconfLogin{"admin", Secret("admin"), {}, {}});
  NetconfTarget bad = closed;
  bad.target = {"r1.example", 830};
  NetconfOptions options;
  options.maxInFlight = 3;
  const auto results =
      netconfHello({netconfTarget(junos, junos.password()), closed, netconfTarget(ios, "wrong"),
                    bad, netconfTarget(eos, eos.password()), netconfTarget(ios, ios.password())},
                   options);
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].category, ErrorCategory::Ok) << describe(results[0]);
  EXPECT_NE(results[0].data.at("capabilities").find("http://xml.juniper.net/netconf/junos/1.0"),
            std::string::npos);
  EXPECT_EQ(results[1].category, ErrorCategory::Unreachable) << describe(results[1]);
  EXPECT_EQ(results[2].category, ErrorCategory::AuthFailed) << describe(results[2]);
  EXPECT_EQ(results[3].category, ErrorCategory::PluginError) << describe(results[3]);
  EXPECT_EQ(results[4].category, ErrorCategory::Ok) << describe(results[4]);
  EXPECT_NE(results[4].data.at("capabilities").find("openconfig-interfaces"), std::string::npos);
  EXPECT_EQ(results[4].data.at("capabilities").find("&amp;"), std::string::npos);
  EXPECT_EQ(results[5].category, ErrorCategory::Ok) << describe(results[5]);
  EXPECT_NE(results[0].data.at("session_id"), results[5].data.at("session_id"));
}

TEST(NetconfHello, ManySessionsInOneLoop) {
  sim::TestDevice a(sim::OsKind::CiscoIos);
  sim::TestDevice b(sim::OsKind::JuniperJunos);
  std::vector<NetconfTarget> batch;
  for (int i = 0; i < 24; ++i) {
    const auto& device = i % 2 ? b : a;
    batch.push_back(netconfTarget(device, i % 5 == 4 ? "wrong" : device.password()));
  }
  NetconfOptions options;
  options.maxInFlight = 10;
  const auto results = netconfHello(batch, options);
  ASSERT_EQ(results.size(), batch.size());
  std::set<std::string> sessionIds;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i % 5 == 4) {
      EXPECT_EQ(results[i].category, ErrorCategory::AuthFailed) << i << " " << describe(results[i]);
      continue;
    }
    ASSERT_EQ(results[i].category, ErrorCategory::Ok) << i << " " << describe(results[i]);
    const bool junos = results[i].data.at("capabilities").find("junos") != std::string::npos;
    EXPECT_EQ(junos, i % 2 == 1) << i;
    sessionIds.insert((junos ? "b" : "a") + results[i].data.at("session_id"));
  }
  EXPECT_EQ(sessionIds.size(), 20u);  // every session its own
  EXPECT_EQ(a.stats().logins + b.stats().logins, 20u);
}

TEST(NetconfHello, CancelledWhileConnecting) {
  std::vector<ProbeResult> results;
  int checks = 0;
  // The probe's workers are started from the namespaced thread, so they share its namespace.
  const std::string skip = inBlackholeNamespace([&] {
    NetconfTarget silent;
    silent.target = {"198.51.100.9", 830};
    silent.logins.push_back(NetconfLogin{"admin", Secret("admin"), {}, {}});
    NetconfOptions options;
    options.timeout = std::chrono::milliseconds(60000);
    options.maxInFlight = 1;
    results = netconfHello({silent, silent}, options, [&] { return ++checks > 3; });
  });
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].category, ErrorCategory::Cancelled) << describe(results[0]);
  EXPECT_EQ(results[1].category, ErrorCategory::Cancelled) << describe(results[1]);
}

TEST(NetconfHello, SilentTargetTimesOut) {
  std::vector<ProbeResult> results;
  const std::string skip = inBlackholeNamespace([&] {
    NetconfTarget silent;
    silent.target = {"198.51.100.9", 830};
    silent.logins.push_back(NetconfLogin{"admin", Secret("admin"), {}, {}});
    NetconfOptions options;
    options.timeout = std::chrono::milliseconds(300);
    results = netconfHello({silent}, options);
  });
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::Timeout) << describe(results[0]);
}

}  // namespace
}  // namespace netspine::reach
