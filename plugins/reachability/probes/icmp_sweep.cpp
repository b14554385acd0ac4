// icmpSweep: the whole batch over one ICMP socket per address family, one ppoll loop.
#include "probes/icmp_sweep.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <queue>
#include <random>
#include <string_view>
#include <utility>

namespace netspine::reach {

using plugin::ErrorCategory;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

namespace {

constexpr milliseconds kCancelSlice{20};  // cancellation is checked at least this often
constexpr std::size_t kCookieBytes = 16;  // nonce (8), target index (4), attempt (2), magic (2)
constexpr std::uint16_t kCookieMagic = 0x4e53;  // "NS"
constexpr int kSendBurst = 64;                  // sends between two looks at the receive queue
constexpr int kRecvBatch = 64;                  // messages per recvmmsg
constexpr std::size_t kRecvBytes = 1536;        // an echo reply or an ICMP error with its quote
constexpr int kMaxRetries = 100;
constexpr milliseconds kMaxWait{24 * 3600 * 1000};  // one attempt's wait at most
constexpr std::size_t kMaxPayload = 65000;

// Our ICMP header (the same layout for ICMP and ICMPv6 echo).
struct EchoHeader {
  std::uint8_t type;
  std::uint8_t code;
  std::uint16_t checksum;
  std::uint16_t id;
  std::uint16_t seq;
};
static_assert(sizeof(EchoHeader) == 8);

struct Cookie {
  std::uint64_t nonce;
  std::uint32_t index;
  std::uint16_t attempt;
  std::uint16_t magic;
};
static_assert(sizeof(Cookie) == kCookieBytes);

std::uint16_t checksum(const std::uint8_t* data, std::size_t length) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < length; i += 2) {
    std::uint16_t word;
    std::memcpy(&word, data + i, 2);
    sum += word;
  }
  if (length % 2) sum += data[length - 1];  // little-endian host: the odd byte is the low one
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// One ICMP socket: raw when permitted, else the unprivileged datagram ("ping") socket.
struct IcmpSocket {
  Fd fd;
  bool raw = false;
  std::string error;  // why there is none
};

IcmpSocket openIcmpSocket(int family) {
  const int protocol = family == AF_INET ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
  IcmpSocket s;
  s.fd = Fd(::socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  if (s.fd) {
    s.raw = true;
    return s;
  }
  const int rawErrno = errno;
  s.fd = Fd(::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  if (s.fd) return s;
  const int dgramErrno = errno;
  if (rawErrno == EPERM || rawErrno == EACCES) {
    s.error = std::string("ICMP needs root, CAP_NET_RAW or net.ipv4.ping_group_range (") +
              (family == AF_INET ? "IPv4" : "IPv6") +
              " datagram socket: " + std::strerror(dgramErrno) + ")";
  } else {
    s.error = std::string(family == AF_INET ? "IPv4" : "IPv6") +
              " ICMP socket: " + std::strerror(rawErrno);
  }
  return s;
}

// A big receive buffer: a whole loopback sweep may answer before we read (as root the
// system's rmem_max does not apply).
void configureSocket(IcmpSocket& s, int family, std::size_t targets) {
  const int fd = s.fd.get();
  const int one = 1;
  int buffer = static_cast<int>(std::clamp<std::size_t>(targets * 2048, 1 << 20, 64 << 20));
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  }
  buffer = 4 << 20;
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buffer, sizeof buffer) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  }
  ::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  if (family == AF_INET) {
    if (s.raw) {
      // Only echo replies and the errors that can quote our probe reach us.
      icmp_filter filter{};
      filter.data = ~((1U << ICMP_ECHOREPLY) | (1U << ICMP_DEST_UNREACH) |
                      (1U << ICMP_TIME_EXCEEDED) | (1U << ICMP_PARAMETERPROB));
      ::setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof filter);
    } else {
      // A datagram socket gets ICMP errors only through its error queue.
      ::setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
      ::setsockopt(fd, SOL_IP, IP_RECVTTL, &one, sizeof one);
    }
  } else {
    if (s.raw) {
      icmp6_filter filter;
      ICMP6_FILTER_SETBLOCKALL(&filter);
      ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &filter);
      ::setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
    } else {
      ::setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
    }
    ::setsockopt(fd, SOL_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
  }
}

std::string icmpErrorText(bool v6, int type, int code) {
  if (!v6) {
    if (type == ICMP_DEST_UNREACH) {
      static constexpr std::array<const char*, 16> kCodes = {
          "network unreachable",
          "host unreachable",
          "protocol unreachable",
          "port unreachable",
          "fragmentation needed",
          "source route failed",
          "destination network unknown",
          "destination host unknown",
          "source host isolated",
          "network administratively prohibited",
          "host administratively prohibited",
          "network unreachable for TOS",
          "host unreachable for TOS",
          "communication administratively prohibited",
          "host precedence violation",
          "precedence cutoff in effect"};
      if (code >= 0 && code < static_cast<int>(kCodes.size())) {
        return std::string("ICMP destination unreachable: ") + kCodes[code];
      }
      return "ICMP destination unreachable (code " + std::to_string(code) + ")";
    }
    if (type == ICMP_TIME_EXCEEDED) {
      return code == 0 ? "ICMP time exceeded: TTL expired in transit"
                       : "ICMP time exceeded: fragment reassembly";
    }
    if (type == ICMP_PARAMETERPROB) return "ICMP parameter problem";
  } else {
    if (type == ICMP6_DST_UNREACH) {
      static constexpr std::array<const char*, 8> kCodes = {
          "no route to destination",
          "communication administratively prohibited",
          "beyond scope of source address",
          "address unreachable",
          "port unreachable",
          "source address failed ingress/egress policy",
          "reject route to destination",
          "error in source routing header"};
      if (code >= 0 && code < static_cast<int>(kCodes.size())) {
        return std::string("ICMPv6 destination unreachable: ") + kCodes[code];
      }
      return "ICMPv6 destination unreachable (code " + std::to_string(code) + ")";
    }
    if (type == ICMP6_PACKET_TOO_BIG) return "ICMPv6 packet too big";
    if (type == ICMP6_TIME_EXCEEDED) {
      return code == 0 ? "ICMPv6 time exceeded: hop limit exceeded in transit"
                       : "ICMPv6 time exceeded: fragment reassembly";
    }
    if (type == ICMP6_PARAM_PROB) return "ICMPv6 parameter problem";
  }
  return std::string(v6 ? "ICMPv6" : "ICMP") + " error type " + std::to_string(type) + " code " +
         std::to_string(code);
}

std::string addressText(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text,
                sizeof text);
  } else if (address.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
                sizeof text);
  }
  return text;
}

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, s < 10 ? "%.3g s" : "%.1f s", s);
  return text;
}

enum class State : std::uint8_t { Waiting, Done };

struct Target {
  sockaddr_storage address{};
  socklen_t length = 0;
  int family = 0;  // 0: bad address (already has its result)
  int sent = 0;
  State state = State::Waiting;
};

struct Deadline {
  Clock::time_point when;
  std::uint32_t index;
  int attempt;
  bool operator>(const Deadline& other) const { return when > other.when; }
};

class Sweep {
 public:
  Sweep(const std::vector<ProbeTarget>& targets, const IcmpOptions& options,
        const CancelCheck& cancelled)
      : options_(options),
        cancelled_(cancelled),
        results_(targets.size()),
        targets_(targets.size()) {
    attemptsPerTarget_ = options.retries + 1;
    for (int a = 0; a < attemptsPerTarget_; ++a) {
      // Capped so that a large backoff to a high power cannot overflow the clock.
      const double ms =
          std::min(static_cast<double>(options.timeout.count()) * std::pow(options.backoff, a),
                   static_cast<double>(kMaxWait.count()));
      waits_.push_back(
          duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(ms)));
    }
    std::random_device random;
    nonce_ = (std::uint64_t{random()} << 32) | random();
    id_ = static_cast<std::uint16_t>(random());
    sendTimes_.resize(targets.size() * attemptsPerTarget_);
    payload_.resize(sizeof(EchoHeader) + std::max(options.payloadBytes, kCookieBytes));
    for (std::size_t i = sizeof(EchoHeader) + kCookieBytes; i < payload_.size(); ++i) {
      payload_[i] = static_cast<std::uint8_t>(i);
    }
    parse(targets);
  }

  std::vector<ProbeResult> run() {
    if (remaining_ > 0) openSockets();
    if (remaining_ > 0) {
      // Pacing wakes up every `interval`: the default 50 us timer slack of this thread would
      // stretch each gap, so it is lowered for the sweep and put back after.
      const int slack = ::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
      if (slack > 0) ::prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
      loop();
      if (slack > 0) ::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(slack), 0, 0, 0);
    }
    return std::move(results_);
  }

 private:
  void parse(const std::vector<ProbeTarget>& targets) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const std::string& text = targets[i].address;
      Target& t = targets_[i];
      auto* v4 = reinterpret_cast<sockaddr_in*>(&t.address);
      auto* v6 = reinterpret_cast<sockaddr_in6*>(&t.address);
      if (::inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        t.length = sizeof(sockaddr_in);
        t.family = AF_INET;
      } else if (text.find(':') != std::string::npos) {
        // getaddrinfo for the scope of a link-local address ("fe80::1%eth0").
        addrinfo hints{};
        hints.ai_family = AF_INET6;
        hints.ai_flags = AI_NUMERICHOST;
        hints.ai_socktype = SOCK_DGRAM;
        addrinfo* info = nullptr;
        if (::getaddrinfo(text.c_str(), nullptr, &hints, &info) == 0 && info) {
          std::memcpy(v6, info->ai_addr, sizeof(sockaddr_in6));
          v6->sin6_port = 0;
          t.length = sizeof(sockaddr_in6);
          t.family = AF_INET6;
        }
        if (info) ::freeaddrinfo(info);
      }
      if (t.family == 0) {
        finish(i, ErrorCategory::PluginError,
               "'" + text + "' is not a numeric IPv4 or IPv6 address");
        continue;
      }
      ++remaining_;
      if (t.family == AF_INET) needV4_ = true;
      if (t.family == AF_INET6) needV6_ = true;
    }
  }

  void openSockets() {
    if (needV4_) {
      v4_ = openIcmpSocket(AF_INET);
      if (v4_.fd) configureSocket(v4_, AF_INET, targets_.size());
    }
    if (needV6_) {
      v6_ = openIcmpSocket(AF_INET6);
      if (v6_.fd) configureSocket(v6_, AF_INET6, targets_.size());
    }
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      Target& t = targets_[i];
      if (t.state == State::Done) continue;
      IcmpSocket& s = socketFor(t.family);
      if (!s.fd) {
        finish(i, ErrorCategory::PluginError,
               s.error + " (pinging " + addressText(t.address) + ")");
      } else {
        ready_.push_back(static_cast<std::uint32_t>(i));
      }
    }
  }

  IcmpSocket& socketFor(int family) { return family == AF_INET ? v4_ : v6_; }

  void finish(std::size_t index, ErrorCategory category, std::string error) {
    Target& t = targets_[index];
    if (t.state == State::Done) return;
    if (t.family != 0) --remaining_;
    t.state = State::Done;
    ProbeResult& r = results_[index];
    r.category = category;
    r.error = std::move(error);
    r.attempts = t.sent;
  }

  std::uint16_t sequence(std::size_t index, int attempt) const {
    return static_cast<std::uint16_t>(index * attemptsPerTarget_ + attempt);
  }

  // Sends the target's next probe. False: the socket is full, try again on POLLOUT.
  bool send(std::uint32_t index, Clock::time_point& now) {
    Target& t = targets_[index];
    const bool v6 = t.family == AF_INET6;
    IcmpSocket& s = socketFor(t.family);
    const int attempt = t.sent;
    EchoHeader header{};
    header.type = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
    header.id = htons(id_);
    header.seq = htons(sequence(index, attempt));
    const Cookie cookie{nonce_, index, static_cast<std::uint16_t>(attempt), kCookieMagic};
    std::memcpy(payload_.data(), &header, sizeof header);
    std::memcpy(payload_.data() + sizeof header, &cookie, sizeof cookie);
    // The kernel computes the ICMPv6 checksum, and ICMP's on datagram sockets.
    if (!v6 && s.raw) {
      const std::uint16_t sum = checksum(payload_.data(), payload_.size());
      std::memcpy(payload_.data() + 2, &sum, 2);
    }
    const auto* to = reinterpret_cast<const sockaddr*>(&t.address);
    // On loopback the kernel answers inside sendto: the probe leaves at its start.
    lastSendStart_ = Clock::now();
    ssize_t n = ::sendto(s.fd.get(), payload_.data(), payload_.size(), 0, to, t.length);
    if (n < 0 && !s.raw && errno != EAGAIN && errno != ENOBUFS) {
      // A datagram socket with IP_RECVERR also reports an ICMP error for an earlier probe (to
      // another target) through the next send; that report clears it, so send again.
      n = ::sendto(s.fd.get(), payload_.data(), payload_.size(), 0, to, t.length);
    }
    now = Clock::now();
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR) {
        return false;
      }
      ++t.sent;
      finish(index, ErrorCategory::Unreachable,
             addressText(t.address) + ": " + std::strerror(errno));
      return true;
    }
    sendTimes_[index * attemptsPerTarget_ + attempt] = lastSendStart_;
    ++t.sent;
    deadlines_.push({now + waits_[attempt], index, attempt});
    return true;
  }

  void loop() {
    auto now = Clock::now();
    auto nextCancelCheck = now;
    auto nextSend = now;
    bool sendBlocked = false;  // waiting for POLLOUT
    bool backoffWait = false;  // ENOBUFS: no POLLOUT comes, wait a moment
    while (remaining_ > 0) {
      now = Clock::now();
      if (now >= nextCancelCheck) {
        if (cancelled_ && cancelled_()) {
          for (std::size_t i = 0; i < targets_.size(); ++i) {
            if (targets_[i].state == State::Done) continue;
            finish(i, ErrorCategory::Cancelled,
                   "cancelled before " + addressText(targets_[i].address) + " answered");
          }
          return;
        }
        nextCancelCheck = now + kCancelSlice;
      }
      expire(now);
      if (remaining_ == 0) break;
      if (backoffWait && now >= nextSend) backoffWait = false;
      int burst = 0;
      while (!ready_.empty() && !sendBlocked && !backoffWait && now >= nextSend &&
             burst < kSendBurst) {
        const std::uint32_t index = ready_.front();
        if (targets_[index].state == State::Done) {
          ready_.pop_front();
          continue;
        }
        if (!send(index, now)) {
          if (errno == ENOBUFS) {
            backoffWait = true;
            nextSend = now + microseconds(500);
          } else {
            sendBlocked = true;
            blockedFamily_ = targets_[index].family;
          }
          break;
        }
        ready_.pop_front();
        ++burst;
        if (options_.interval.count() > 0) nextSend = lastSendStart_ + options_.interval;
      }
      if (remaining_ == 0) break;

      // Wait for replies, the next send, the next deadline or the next cancellation check.
      auto wake = nextCancelCheck;
      if (!deadlines_.empty()) wake = std::min(wake, deadlines_.top().when);
      const bool canSend = !ready_.empty() && !sendBlocked;
      if (canSend) wake = std::min(wake, nextSend);
      if (canSend && burst >= kSendBurst && now >= nextSend) wake = now;
      std::array<pollfd, 2> fds{};
      nfds_t count = 0;
      for (IcmpSocket* s : {&v4_, &v6_}) {
        if (!s->fd) continue;
        short events = POLLIN;
        if (sendBlocked && blockedFamily_ == (s == &v4_ ? AF_INET : AF_INET6)) events |= POLLOUT;
        fds[count++] = {s->fd.get(), events, 0};
      }
      const auto wait = std::max(Clock::duration::zero(), wake - Clock::now());
      const auto ns = duration_cast<nanoseconds>(wait).count();
      timespec timeout{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
      const int ready = ::ppoll(fds.data(), count, &timeout, nullptr);
      if (ready <= 0) continue;
      for (nfds_t i = 0; i < count; ++i) {
        IcmpSocket& s = fds[i].fd == v4_.fd.get() ? v4_ : v6_;
        const bool v6 = &s == &v6_;
        if (fds[i].revents & POLLOUT) sendBlocked = false;
        if (fds[i].revents & POLLIN) receive(s, v6);
        if (fds[i].revents & POLLERR) receiveErrors(s, v6);
      }
    }
  }

  void expire(Clock::time_point now) {
    if (deadlines_.empty() || deadlines_.top().when > now) return;
    // Replies that came while we were not scheduled count before any deadline passes.
    for (IcmpSocket* s : {&v4_, &v6_}) {
      if (!s->fd) continue;
      receive(*s, s == &v6_);
      if (!s->raw) receiveErrors(*s, s == &v6_);
    }
    while (!deadlines_.empty() && deadlines_.top().when <= now) {
      const Deadline d = deadlines_.top();
      deadlines_.pop();
      Target& t = targets_[d.index];
      if (t.state == State::Done || t.sent != d.attempt + 1) continue;
      if (t.sent < attemptsPerTarget_) {
        ready_.push_back(d.index);
      } else {
        std::string waits;
        for (int a = 0; a < attemptsPerTarget_; ++a) {
          waits += (a ? ", " : "") + seconds(std::chrono::duration<double>(waits_[a]).count());
        }
        finish(d.index, ErrorCategory::Timeout,
               "no reply from " + addressText(t.address) + " after " + std::to_string(t.sent) +
                   (t.sent == 1 ? " probe (" : " probes (") + waits + ")");
      }
    }
  }

  struct Match {
    long index = -1;
    int attempt = 0;
  };

  // Checks the cookie after an echo header (ours, or the one an ICMP error quotes).
  Match matchCookie(const std::uint8_t* echo, std::size_t length, bool checkId) const {
    if (length < sizeof(EchoHeader) + kCookieBytes) return {};
    EchoHeader header;
    Cookie cookie;
    std::memcpy(&header, echo, sizeof header);
    std::memcpy(&cookie, echo + sizeof header, sizeof cookie);
    if (cookie.nonce != nonce_ || cookie.magic != kCookieMagic) return {};
    if (cookie.index >= targets_.size()) return {};
    if (checkId && ntohs(header.id) != id_) return {};
    const Target& t = targets_[cookie.index];
    if (t.state == State::Done || cookie.attempt >= t.sent) return {};
    if (ntohs(header.seq) != sequence(cookie.index, cookie.attempt)) return {};
    return {static_cast<long>(cookie.index), cookie.attempt};
  }

  // An ICMP error that quotes only the echo header: the sequence and destination decide.
  Match matchSequence(const std::uint8_t* echo, int family, const void* destination) const {
    EchoHeader header;
    std::memcpy(&header, echo, sizeof header);
    if (ntohs(header.id) != id_) return {};
    const std::size_t probes = targets_.size() * attemptsPerTarget_;
    for (std::size_t probe = ntohs(header.seq); probe < probes; probe += 65536) {
      const std::size_t index = probe / attemptsPerTarget_;
      const int attempt = static_cast<int>(probe % attemptsPerTarget_);
      const Target& t = targets_[index];
      if (t.state != State::Done && attempt < t.sent && sameAddress(t, family, destination)) {
        return {static_cast<long>(index), attempt};
      }
    }
    return {};
  }

  static bool sameAddress(const Target& t, int family, const void* address) {
    if (t.family != family) return false;
    if (family == AF_INET) {
      return std::memcmp(&reinterpret_cast<const sockaddr_in&>(t.address).sin_addr, address, 4) ==
             0;
    }
    return std::memcmp(&reinterpret_cast<const sockaddr_in6&>(t.address).sin6_addr, address, 16) ==
           0;
  }

  struct Slot {
    std::array<std::uint8_t, kRecvBytes> data;
    alignas(cmsghdr) std::array<char, 256> control;
    sockaddr_storage from;
    iovec iov;
  };

  void receive(IcmpSocket& s, bool v6) {
    if (slots_.empty()) slots_.resize(kRecvBatch);
    std::array<mmsghdr, kRecvBatch> messages{};
    // Bounded, so that sends and deadlines go on under a flood.
    for (int round = 0; round < 16; ++round) {
      for (int i = 0; i < kRecvBatch; ++i) {
        Slot& slot = slots_[i];
        slot.iov = {slot.data.data(), slot.data.size()};
        msghdr& m = messages[i].msg_hdr;
        m = {};
        m.msg_name = &slot.from;
        m.msg_namelen = sizeof slot.from;
        m.msg_iov = &slot.iov;
        m.msg_iovlen = 1;
        m.msg_control = slot.control.data();
        m.msg_controllen = slot.control.size();
      }
      const int n = ::recvmmsg(s.fd.get(), messages.data(), kRecvBatch, MSG_DONTWAIT, nullptr);
      if (n <= 0) return;
      const auto now = Clock::now();
      timespec realNow{};
      ::clock_gettime(CLOCK_REALTIME, &realNow);
      for (int i = 0; i < n; ++i) {
        handlePacket(s, v6, slots_[i], messages[i].msg_hdr, messages[i].msg_len, now, realNow);
      }
      if (n < kRecvBatch) return;
    }
  }

  void handlePacket(const IcmpSocket& s, bool v6, const Slot& slot, const msghdr& m,
                    std::size_t length, Clock::time_point now, const timespec& realNow) {
    const std::uint8_t* p = slot.data.data();
    const int family = v6 ? AF_INET6 : AF_INET;
    const void* source =
        v6 ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6&>(slot.from).sin6_addr)
           : &reinterpret_cast<const sockaddr_in&>(slot.from).sin_addr;
    int ttl = -1;
    if (!v6 && s.raw) {  // a raw IPv4 socket hands us the IP header too
      if (length < 20) return;
      const std::size_t ihl = (p[0] & 0x0f) * 4u;
      if (ihl < 20 || length < ihl + sizeof(EchoHeader)) return;
      ttl = p[8];
      source = p + 12;
      p += ihl;
      length -= ihl;
    }
    if (length < sizeof(EchoHeader)) return;
    std::optional<timespec> stamp;
    for (const cmsghdr* c = CMSG_FIRSTHDR(&m); c;
         c = CMSG_NXTHDR(const_cast<msghdr*>(&m), const_cast<cmsghdr*>(c))) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts;
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        stamp = ts;
      } else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_TTL) ||
                 (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
        std::memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
      }
    }
    const int type = p[0];
    if (type == (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)) {
      const Match match = matchCookie(p, length, s.raw);
      if (match.index < 0 || !sameAddress(targets_[match.index], family, source)) return;
      auto rtt = now - sendTimes_[match.index * attemptsPerTarget_ + match.attempt];
      if (stamp) {
        // The kernel's receive stamp leaves out the time the reply waited in our queue.
        const auto queued = nanoseconds((realNow.tv_sec - stamp->tv_sec) * 1000000000LL +
                                        (realNow.tv_nsec - stamp->tv_nsec));
        if (queued > nanoseconds::zero() && queued < rtt) rtt -= queued;
      }
      const auto latency = std::max(microseconds(1), duration_cast<microseconds>(rtt));
      const auto index = static_cast<std::size_t>(match.index);
      finish(index, ErrorCategory::Ok, {});
      ProbeResult& r = results_[index];
      r.latency = latency;
      r.data["rtt_us"] = std::to_string(latency.count());
      if (ttl >= 0) r.data["ttl"] = std::to_string(ttl);
      char from[INET6_ADDRSTRLEN] = "";
      ::inet_ntop(family, source, from, sizeof from);  // the packet's source, not the target's
      r.data["reply_from"] = from;
      return;
    }
    if (!s.raw) return;  // a datagram socket reports errors through its error queue
    // An ICMP error: after its 8-byte header, the IP header and the start of our probe.
    const std::uint8_t* quoted = p + 8;
    std::size_t quotedLength = length - 8;
    const void* destination = nullptr;
    if (!v6) {
      if (quotedLength < 20 || quoted[9] != IPPROTO_ICMP) return;
      const std::size_t ihl = (quoted[0] & 0x0f) * 4u;
      if (ihl < 20 || quotedLength < ihl + sizeof(EchoHeader)) return;
      destination = quoted + 16;
      quoted += ihl;
      quotedLength -= ihl;
      if (quoted[0] != ICMP_ECHO) return;
    } else {
      if (quotedLength < 40 + sizeof(EchoHeader) || quoted[6] != IPPROTO_ICMPV6) return;
      destination = quoted + 24;
      quoted += 40;
      quotedLength -= 40;
      if (quoted[0] != ICMP6_ECHO_REQUEST) return;
    }
    Match match = matchCookie(quoted, quotedLength, true);
    if (match.index < 0 && quotedLength < sizeof(EchoHeader) + kCookieBytes) {
      match = matchSequence(quoted, family, destination);
    }
    if (match.index < 0 || !sameAddress(targets_[match.index], family, destination)) return;
    char from[INET6_ADDRSTRLEN] = "";
    ::inet_ntop(family, source, from, sizeof from);
    const auto index = static_cast<std::size_t>(match.index);
    finish(index, ErrorCategory::Unreachable,
           addressText(targets_[index].address) + ": " + icmpErrorText(v6, type, p[1]) + " (from " +
               from + ")");
  }

  // A datagram socket's ICMP errors: the quoted probe, its destination and the offender.
  void receiveErrors(IcmpSocket& s, bool v6) {
    const int family = v6 ? AF_INET6 : AF_INET;
    for (int round = 0; round < 1024; ++round) {
      std::array<std::uint8_t, kRecvBytes> data;
      alignas(cmsghdr) std::array<char, 512> control;
      sockaddr_storage destination{};
      iovec iov{data.data(), data.size()};
      msghdr m{};
      m.msg_name = &destination;
      m.msg_namelen = sizeof destination;
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      m.msg_control = control.data();
      m.msg_controllen = control.size();
      const ssize_t n = ::recvmsg(s.fd.get(), &m, MSG_ERRQUEUE | MSG_DONTWAIT);
      if (n < 0) {
        // The queue is empty: clear a pending socket error too, or POLLERR would stay up.
        int pending = 0;
        socklen_t length = sizeof pending;
        ::getsockopt(s.fd.get(), SOL_SOCKET, SO_ERROR, &pending, &length);
        return;
      }
      const sock_extended_err* error = nullptr;
      for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
            (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
          error = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
        }
      }
      if (!error || destination.ss_family != family) continue;
      const Match match = matchCookie(data.data(), static_cast<std::size_t>(n), false);
      const void* address = v6 ? static_cast<const void*>(
                                     &reinterpret_cast<const sockaddr_in6&>(destination).sin6_addr)
                               : &reinterpret_cast<const sockaddr_in&>(destination).sin_addr;
      if (match.index < 0 || !sameAddress(targets_[match.index], family, address)) continue;
      std::string text;
      if (error->ee_origin == SO_EE_ORIGIN_ICMP || error->ee_origin == SO_EE_ORIGIN_ICMP6) {
        text = icmpErrorText(v6, error->ee_type, error->ee_code);
        sockaddr_storage offender{};
        std::memcpy(&offender, SO_EE_OFFENDER(error),
                    v6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
        if (offender.ss_family == family) text += " (from " + addressText(offender) + ")";
      } else {
        text = std::strerror(static_cast<int>(error->ee_errno));
      }
      const auto index = static_cast<std::size_t>(match.index);
      finish(index, ErrorCategory::Unreachable, addressText(targets_[index].address) + ": " + text);
    }
  }

  const IcmpOptions& options_;
  const CancelCheck& cancelled_;
  std::vector<ProbeResult> results_;
  std::vector<Target> targets_;
  std::vector<Clock::duration> waits_;
  std::vector<Clock::time_point> sendTimes_;
  std::vector<std::uint8_t> payload_;
  std::deque<std::uint32_t> ready_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  int attemptsPerTarget_ = 1;
  Clock::time_point lastSendStart_;
  std::uint64_t nonce_ = 0;
  std::uint16_t id_ = 0;
  std::size_t remaining_ = 0;
  bool needV4_ = false;
  bool needV6_ = false;
  int blockedFamily_ = 0;
  IcmpSocket v4_;
  IcmpSocket v6_;
  std::vector<Slot> slots_;
};

}  // namespace

std::string icmpSocketKind(std::string* why) {
  IcmpSocket s = openIcmpSocket(AF_INET);
  if (!s.fd) {
    if (why) *why = s.error;
    return {};
  }
  if (why) why->clear();
  return s.raw ? "raw" : "datagram";
}

std::vector<ProbeResult> icmpSweep(const std::vector<ProbeTarget>& targets,
                                   const IcmpOptions& options, const CancelCheck& cancelled) {
  std::string bad;
  if (options.timeout.count() <= 0) bad = "timeout must be positive";
  if (options.retries < 0 || options.retries > kMaxRetries) {
    bad = "retries must be 0 to " + std::to_string(kMaxRetries);
  }
  if (!(options.backoff >= 1.0 && options.backoff <= 10.0)) bad = "backoff must be 1 to 10";
  if (options.interval.count() < 0) bad = "interval must not be negative";
  if (options.payloadBytes > kMaxPayload) {
    bad = "payload must be at most " + std::to_string(kMaxPayload) + " bytes";
  }
  if (!bad.empty()) {
    std::vector<ProbeResult> results(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
      results[i].category = ErrorCategory::PluginError;
      results[i].error = "bad ICMP option: " + bad + " (pinging " + targets[i].address + ")";
    }
    return results;
  }
  return Sweep(targets, options, cancelled).run();
}

}  // namespace netspine::reach
