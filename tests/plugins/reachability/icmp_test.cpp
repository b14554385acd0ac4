// icmpSweep against the real kernel: loopback answers, and network namespaces the tests create
// for addresses that never answer or have no route. Needs root (or CAP_NET_RAW); skips without.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "probes/icmp_sweep.hpp"

namespace netspine::reach {
namespace {

using plugin::ErrorCategory;
using std::chrono::milliseconds;

#define REQUIRE_ICMP()                                     \
  do {                                                     \
    std::string why;                                       \
    if (icmpSocketKind(&why).empty()) GTEST_SKIP() << why; \
  } while (0)

std::vector<ProbeTarget> targetsOf(const std::vector<std::string>& addresses) {
  std::vector<ProbeTarget> targets;
  for (const auto& a : addresses) targets.push_back({a, 0});
  return targets;
}

IcmpOptions quick() {
  IcmpOptions o;
  o.timeout = milliseconds(100);
  o.retries = 2;
  o.interval = std::chrono::microseconds(0);
  return o;
}

bool hasIpv6Loopback() {
  const int fd = ::socket(AF_INET6, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// What a namespace child reports back: one line per result.
std::string serialize(const std::vector<ProbeResult>& results) {
  std::ostringstream out;
  for (const auto& r : results) {
    std::string error = r.error;
    std::replace(error.begin(), error.end(), '\n', ' ');
    const auto from = r.data.find("reply_from");
    out << static_cast<int>(r.category) << '\t' << r.attempts << '\t' << r.latency.count() << '\t'
        << (from == r.data.end() ? "-" : from->second) << '\t' << error << '\n';
  }
  return out.str();
}

std::vector<ProbeResult> deserialize(const std::string& text) {
  std::vector<ProbeResult> results;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    ProbeResult r;
    int category = 0;
    long latency = 0;
    std::string from;
    fields >> category >> r.attempts >> latency >> from;
    fields.get();
    std::getline(fields, r.error);
    r.category = static_cast<ErrorCategory>(category);
    r.latency = std::chrono::microseconds(latency);
    if (from != "-") r.data["reply_from"] = from;
    results.push_back(r);
  }
  return results;
}

bool run(const std::string& command) {
  return std::system(command.c_str()) == 0;
}

// Runs `body` in a child process inside a new network namespace with lo up and the given `ip`
// commands applied. The child's results come back over a pipe; `setupError` says what failed.
std::vector<ProbeResult> inNamespace(const std::vector<std::string>& ipCommands,
                                     const std::function<std::vector<ProbeResult>()>& body,
                                     std::string& setupError) {
  int pipeFds[2];
  if (::pipe(pipeFds) != 0) {
    setupError = "pipe failed";
    return {};
  }
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipeFds[0]);
    std::string out;
    if (::unshare(CLONE_NEWNET) != 0) {
      out = std::string("!unshare(CLONE_NEWNET): ") + std::strerror(errno);
    } else {
      const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
      ifreq request{};
      std::strcpy(request.ifr_name, "lo");
      ::ioctl(fd, SIOCGIFFLAGS, &request);
      request.ifr_flags |= IFF_UP;
      if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) out = "!bringing lo up failed";
      ::close(fd);
      for (const auto& command : ipCommands) {
        if (out.empty() && !run("ip " + command + " 2>&1")) out = "!ip " + command + " failed";
      }
      if (out.empty()) out = serialize(body());
    }
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
      const ssize_t n = ::write(pipeFds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(pipeFds[1]);
  std::string text;
  char buffer[65536];
  for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  ::close(pipeFds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    setupError = "namespace child failed";
    return {};
  }
  if (!text.empty() && text[0] == '!') {
    setupError = text.substr(1);
    return {};
  }
  return deserialize(text);
}

TEST(IcmpSweep, LoopbackAddressesAnswer) {
  REQUIRE_ICMP();
  std::vector<std::string> addresses = {"127.0.0.1", "127.0.0.2", "127.3.4.5", "127.255.0.9"};
  const bool v6 = hasIpv6Loopback();
  if (v6) addresses.push_back("::1");
  const auto results = icmpSweep(targetsOf(addresses), quick());
  ASSERT_EQ(results.size(), addresses.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE(addresses[i]);
    EXPECT_EQ(results[i].category, ErrorCategory::Ok) << results[i].error;
    EXPECT_GT(results[i].latency.count(), 0);
    EXPECT_EQ(results[i].attempts, 1);
    EXPECT_EQ(results[i].data.at("reply_from"), addresses[i]);
    EXPECT_EQ(results[i].data.at("rtt_us"), std::to_string(results[i].latency.count()));
    EXPECT_TRUE(results[i].data.count("ttl"));
  }
  if (!v6) GTEST_SKIP() << "no ::1 on this host: IPv6 not checked";
}

TEST(IcmpSweep, TwoThousandLoopbackAddressesEachMatchTheirOwnReply) {
  REQUIRE_ICMP();
  std::vector<std::string> addresses;
  for (int i = 0; i < 2000; ++i) {
    addresses.push_back("127.0." + std::to_string(1 + i / 250) + "." + std::to_string(1 + i % 250));
  }
  const auto results = icmpSweep(targetsOf(addresses), quick());
  ASSERT_EQ(results.size(), addresses.size());
  std::size_t ok = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].category != ErrorCategory::Ok) {
      ADD_FAILURE() << addresses[i] << ": " << results[i].error;
      continue;
    }
    ++ok;
    EXPECT_EQ(results[i].data.at("reply_from"), addresses[i]);
    EXPECT_EQ(results[i].attempts, 1) << addresses[i];
  }
  EXPECT_EQ(ok, addresses.size());
}

TEST(IcmpSweep, DuplicatedTargetsEachGetTheirOwnResult) {
  REQUIRE_ICMP();
  const auto results =
      icmpSweep(targetsOf({"127.0.0.1", "127.0.0.1", "127.0.0.7", "127.0.0.1"}), quick());
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) {
    EXPECT_EQ(r.category, ErrorCategory::Ok) << r.error;
    EXPECT_EQ(r.attempts, 1);
  }
}

TEST(IcmpSweep, BadAddressesArePluginErrorsNamingThemAndTheRestAnswers) {
  REQUIRE_ICMP();
  const std::vector<std::string> addresses = {"127.0.0.1", "not-an-ip", "300.1.1.1",
                                              "",          "127.0.0.3", "1::2::3"};
  const auto results = icmpSweep(targetsOf(addresses), quick());
  ASSERT_EQ(results.size(), addresses.size());
  EXPECT_EQ(results[0].category, ErrorCategory::Ok) << results[0].error;
  EXPECT_EQ(results[4].category, ErrorCategory::Ok) << results[4].error;
  for (std::size_t i : {1, 2, 3, 5}) {
    EXPECT_EQ(results[i].category, ErrorCategory::PluginError) << addresses[i];
    EXPECT_NE(results[i].error.find("'" + addresses[i] + "'"), std::string::npos)
        << results[i].error;
    EXPECT_EQ(results[i].attempts, 0);
  }
}

TEST(IcmpSweep, BadOptionsAreReportedForEveryTarget) {
  IcmpOptions options = quick();
  options.retries = -1;
  auto results = icmpSweep(targetsOf({"127.0.0.1", "::1"}), options);
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_EQ(r.category, ErrorCategory::PluginError);
    EXPECT_NE(r.error.find("retries"), std::string::npos) << r.error;
  }
  options = quick();
  options.timeout = milliseconds(0);
  results = icmpSweep(targetsOf({"127.0.0.1"}), options);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::PluginError);
  EXPECT_NE(results[0].error.find("127.0.0.1"), std::string::npos) << results[0].error;
}

TEST(IcmpSweep, BackoffBelowOneIsABadOption) {
  IcmpOptions options = quick();
  options.backoff = 0.5;
  const auto results = icmpSweep(targetsOf({"127.0.0.1"}), options);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::PluginError);
  EXPECT_NE(results[0].error.find("backoff"), std::string::npos) << results[0].error;
}

TEST(IcmpSweep, PayloadSizesFromNoneToLargeStillMatch) {
  REQUIRE_ICMP();
  for (std::size_t bytes : {0, 15, 56, 1400, 9000}) {
    SCOPED_TRACE(bytes);
    IcmpOptions options = quick();
    options.payloadBytes = bytes;
    const auto results = icmpSweep(targetsOf({"127.0.0.1", "::1"}), options);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].category, ErrorCategory::Ok) << results[0].error;
    if (hasIpv6Loopback()) {
      EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
    }
  }
}

TEST(IcmpSweep, EmptyBatchGivesNoResults) {
  EXPECT_TRUE(icmpSweep({}, quick()).empty());
}

// 198.51.100.0/24 routed to lo in the namespace: the echo goes out, comes back in on lo, is not
// for a local address and is dropped (no forwarding, no ICMP error): it never answers.
const std::vector<std::string> kSilentRoute = {"route add 198.51.100.0/24 dev lo"};

TEST(IcmpSweep, SilentAddressTimesOutAfterEveryAttemptNextToOneThatAnswers) {
  REQUIRE_ICMP();
  std::string setup;
  const auto results = inNamespace(
      kSilentRoute,
      [] {
        return icmpSweep(targetsOf({"198.51.100.7", "127.0.0.1", "198.51.100.8"}), quick());
      },
      setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  ASSERT_EQ(results.size(), 3u);
  for (std::size_t i : {0, 2}) {
    EXPECT_EQ(results[i].category, ErrorCategory::Timeout) << results[i].error;
    EXPECT_EQ(results[i].attempts, 3);
    EXPECT_NE(results[i].error.find("198.51.100."), std::string::npos) << results[i].error;
    EXPECT_NE(results[i].error.find("3 probes"), std::string::npos) << results[i].error;
  }
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
  EXPECT_EQ(results[1].attempts, 1);
}

TEST(IcmpSweep, AddressWithoutRouteIsUnreachable) {
  REQUIRE_ICMP();
  std::string setup;
  const auto results = inNamespace(
      {},
      [] {
        return icmpSweep(targetsOf({"203.0.113.5", "127.0.0.1"}), quick());
      },
      setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].category, ErrorCategory::Unreachable) << results[0].error;
  EXPECT_NE(results[0].error.find("203.0.113.5"), std::string::npos) << results[0].error;
  EXPECT_NE(results[0].error.find("unreachable"), std::string::npos) << results[0].error;
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
}

bool dropNetRaw() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  data[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
  data[CAP_NET_RAW / 32].permitted &= ~(1u << (CAP_NET_RAW % 32));
  return ::syscall(SYS_capset, &header, data) == 0;
}

// A router that answers with ICMP host unreachable: a second namespace behind a veth pair,
// forwarding on, an "unreachable" route for 198.51.100.0/24. Both namespaces are the test's own.
std::vector<ProbeResult> behindRejectingRouter(bool datagram, std::string& setup) {
  const std::string router = "nsicmp" + std::to_string(::getpid());
  auto results = inNamespace(
      {"netns add " + router, "link add nsa type veth peer name nsb netns " + router,
       "addr add 192.0.2.1/24 dev nsa", "link set nsa up",
       "-n " + router + " addr add 192.0.2.2/24 dev nsb", "-n " + router + " link set nsb up",
       "-n " + router + " link set lo up",
       "netns exec " + router + " sysctl -qw net.ipv4.ip_forward=1",
       "-n " + router + " route add unreachable 198.51.100.0/24",
       "route add 198.51.100.0/24 via 192.0.2.2"},
      [&] {
        std::vector<ProbeResult> results;
        if (datagram) {
          std::ofstream("/proc/sys/net/ipv4/ping_group_range") << "0 2147483647\n";
          if (!dropNetRaw()) return results;
        }
        results = icmpSweep(targetsOf({"198.51.100.20", "192.0.2.2", "198.51.100.21"}), quick());
        return results;
      },
      setup);
  run("ip netns del " + router + " 2>/dev/null");
  return results;
}

void expectRejected(const std::vector<ProbeResult>& results) {
  ASSERT_EQ(results.size(), 3u);
  for (std::size_t i : {0, 2}) {
    EXPECT_EQ(results[i].category, ErrorCategory::Unreachable) << results[i].error;
    EXPECT_NE(results[i].error.find("198.51.100.2"), std::string::npos) << results[i].error;
    EXPECT_NE(results[i].error.find("host unreachable"), std::string::npos) << results[i].error;
    EXPECT_NE(results[i].error.find("from 192.0.2.2"), std::string::npos) << results[i].error;
    EXPECT_EQ(results[i].attempts, 1);
  }
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
  EXPECT_EQ(results[1].data.at("reply_from"), "192.0.2.2");
}

TEST(IcmpSweep, IcmpHostUnreachableFromARouterIsUnreachable) {
  REQUIRE_ICMP();
  std::string setup;
  const auto results = behindRejectingRouter(false, setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  expectRejected(results);
}

TEST(IcmpSweep, IcmpHostUnreachableReachesTheDatagramSocketToo) {
  REQUIRE_ICMP();
  std::string setup;
  const auto results = behindRejectingRouter(true, setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  if (results.empty()) GTEST_SKIP() << "cannot drop CAP_NET_RAW";
  expectRejected(results);
}

std::uint16_t icmpChecksum(const std::uint8_t* data, std::size_t length) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < length; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (length % 2) sum += data[length - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// Plays another pinger on the host: sees the sweep's echo requests to 198.51.100.0/24 on lo and
// sends forged echo replies built from them (a raw socket with IP_HDRINCL picks the source).
void forgeReplies(int listen, int out, const std::atomic<bool>& stop, std::atomic<int>& forged) {
  std::uint8_t packet[2048];
  while (!stop) {
    pollfd fd{listen, POLLIN, 0};
    if (::poll(&fd, 1, 10) <= 0) continue;
    const ssize_t n = ::recv(listen, packet, sizeof packet, 0);
    if (n < 28 || packet[9] != IPPROTO_ICMP) continue;
    const std::size_t ihl = (packet[0] & 0x0f) * 4u;
    if (packet[ihl] != 8 || packet[16] != 198 || packet[17] != 51 || packet[18] != 100) continue;
    const std::uint8_t target = packet[19];
    auto send = [&](std::uint8_t source, std::size_t flipByte) {
      std::vector<std::uint8_t> reply(packet, packet + n);
      std::memcpy(&reply[16], &packet[12], 4);  // to the sweep
      reply[12] = 198, reply[13] = 51, reply[14] = 100, reply[15] = source;
      std::uint8_t* icmp = reply.data() + ihl;
      icmp[0] = 0;  // echo reply
      if (flipByte) icmp[flipByte] ^= 0x5a;
      icmp[2] = icmp[3] = 0;
      const std::uint16_t sum = icmpChecksum(icmp, reply.size() - ihl);
      icmp[2] = sum >> 8, icmp[3] = sum & 0xff;
      sockaddr_in to{};
      to.sin_family = AF_INET;
      std::memcpy(&to.sin_addr, &reply[16], 4);
      if (::sendto(out, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&to),
                   sizeof to) > 0) {
        ++forged;
      }
    };
    if (target == 7) {
      send(8, 0);   // the exact reply, from another address
      send(7, 7);   // sequence changed
      send(7, 9);   // cookie nonce changed
      send(7, 16);  // cookie target index changed
      send(7, 4);   // identifier changed
    } else if (target == 9) {
      send(9, 0);  // the exact reply from the target: must count
    }
  }
}

TEST(IcmpSweep, RepliesThatDoNotMatchExactlyAreIgnored) {
  REQUIRE_ICMP();
  std::string setup;
  const auto results = inNamespace(
      kSilentRoute,
      [] {
        std::atomic<bool> stop{false};
        std::atomic<int> forged{0};
        // Open before the sweep starts, so that every probe is seen.
        const int listen = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_ICMP);
        const int out = ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
        std::thread forger(forgeReplies, listen, out, std::cref(stop), std::ref(forged));
        IcmpOptions options = quick();
        options.timeout = milliseconds(300);
        options.retries = 1;
        auto results = icmpSweep(targetsOf({"198.51.100.7", "198.51.100.9"}), options);
        stop = true;
        forger.join();
        ::close(listen);
        ::close(out);
        ProbeResult count;
        count.attempts = forged;
        results.push_back(count);
        return results;
      },
      setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  ASSERT_EQ(results.size(), 3u);
  EXPECT_GE(results[2].attempts, 11) << "forged replies sent";
  EXPECT_EQ(results[0].category, ErrorCategory::Timeout) << results[0].error;
  EXPECT_EQ(results[0].attempts, 2);
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
  EXPECT_EQ(results[1].data.at("reply_from"), "198.51.100.9");
}

// Answering and silent addresses shuffled in one sweep: a reply matched to the wrong target
// would turn a silent one Ok (or leave an answering one without its reply).
TEST(IcmpSweep, ShuffledAnsweringAndSilentTargetsAreToldApart) {
  REQUIRE_ICMP();
  std::vector<std::string> addresses;
  std::set<std::string> answering;
  for (int i = 0; i < 600; ++i) {
    const std::string live = "127.2." + std::to_string(i / 200) + "." + std::to_string(i % 200);
    answering.insert(live);
    addresses.push_back(live);
    addresses.push_back("198.18." + std::to_string(i / 200) + "." + std::to_string(i % 200));
  }
  std::mt19937 random(12345);
  std::shuffle(addresses.begin(), addresses.end(), random);
  std::string setup;
  const auto results = inNamespace(
      {"route add 198.18.0.0/16 dev lo"},
      [&] {
        IcmpOptions options = quick();
        options.retries = 1;
        return icmpSweep(targetsOf(addresses), options);
      },
      setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  ASSERT_EQ(results.size(), addresses.size());
  std::size_t ok = 0, timeouts = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (answering.count(addresses[i])) {
      EXPECT_EQ(results[i].category, ErrorCategory::Ok) << addresses[i] << ": " << results[i].error;
      EXPECT_EQ(results[i].data.at("reply_from"), addresses[i]);
      ok += results[i].category == ErrorCategory::Ok;
    } else {
      EXPECT_EQ(results[i].category, ErrorCategory::Timeout) << addresses[i];
      EXPECT_EQ(results[i].attempts, 2) << addresses[i];
      timeouts += results[i].category == ErrorCategory::Timeout;
    }
  }
  EXPECT_EQ(ok, 600u);
  EXPECT_EQ(timeouts, 600u);
}

TEST(IcmpSweep, CancelledSweepReportsEveryUnfinishedTargetCancelled) {
  REQUIRE_ICMP();
  std::string setup;
  const auto results = inNamespace(
      kSilentRoute,
      [] {
        std::vector<std::string> addresses;
        for (int i = 1; i <= 200; ++i) addresses.push_back("198.51.100." + std::to_string(i));
        IcmpOptions options;
        options.timeout = milliseconds(30000);
        options.retries = 2;
        options.interval = std::chrono::microseconds(100);
        const auto start = std::chrono::steady_clock::now();
        // Cancelled a moment after every probe went out.
        return icmpSweep(targetsOf(addresses), options, [start] {
          return std::chrono::steady_clock::now() - start > milliseconds(300);
        });
      },
      setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  ASSERT_EQ(results.size(), 200u);
  for (const auto& r : results) {
    EXPECT_EQ(r.category, ErrorCategory::Cancelled) << r.error;
    EXPECT_NE(r.error.find("198.51.100."), std::string::npos) << r.error;
    EXPECT_LE(r.attempts, 1);  // probes not answered, not retried within 30 s
  }
}

// Without CAP_NET_RAW but inside net.ipv4.ping_group_range: the unprivileged datagram socket,
// whose identifier the kernel picks; the cookie alone matches replies and errors.
TEST(IcmpSweep, DatagramSocketWithoutRawPrivilege) {
  REQUIRE_ICMP();
  std::string setup;
  std::vector<ProbeResult> results = inNamespace(
      kSilentRoute,
      [] {
        std::ofstream("/proc/sys/net/ipv4/ping_group_range") << "0 2147483647\n";
        ProbeResult kind;
        if (!dropNetRaw()) {
          kind.error = "!capset";
        } else {
          kind.error = icmpSocketKind();
        }
        auto results = icmpSweep(
            targetsOf({"127.0.0.1", "198.51.100.9", "203.0.113.5", "127.0.0.4"}), quick());
        results.insert(results.begin(), kind);
        return results;
      },
      setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  ASSERT_EQ(results.size(), 5u);
  if (results[0].error == "!capset") GTEST_SKIP() << "cannot drop CAP_NET_RAW";
  EXPECT_EQ(results[0].error, "datagram");
  EXPECT_EQ(results[1].category, ErrorCategory::Ok) << results[1].error;
  EXPECT_EQ(results[1].data["reply_from"], "127.0.0.1");
  EXPECT_EQ(results[2].category, ErrorCategory::Timeout) << results[2].error;
  EXPECT_EQ(results[2].attempts, 3);
  EXPECT_EQ(results[3].category, ErrorCategory::Unreachable) << results[3].error;
  EXPECT_EQ(results[4].category, ErrorCategory::Ok) << results[4].error;
}

TEST(IcmpSweep, NoIcmpSocketIsAPluginErrorWithTheReason) {
  REQUIRE_ICMP();
  std::string setup;
  std::vector<ProbeResult> results = inNamespace(
      {},
      [] {
        std::ofstream("/proc/sys/net/ipv4/ping_group_range") << "1 0\n";
        if (!dropNetRaw()) return std::vector<ProbeResult>{};
        return icmpSweep(targetsOf({"127.0.0.1"}), quick());
      },
      setup);
  if (!setup.empty()) GTEST_SKIP() << "namespace: " << setup;
  if (results.empty()) GTEST_SKIP() << "cannot drop CAP_NET_RAW";
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].category, ErrorCategory::PluginError);
  EXPECT_NE(results[0].error.find("CAP_NET_RAW"), std::string::npos) << results[0].error;
  EXPECT_NE(results[0].error.find("127.0.0.1"), std::string::npos) << results[0].error;
}

}  // namespace
}  // namespace netspine::reach
