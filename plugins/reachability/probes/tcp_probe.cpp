#include "probes/tcp_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

namespace netspine::reach {
namespace detail {

std::optional<SocketAddress> parseAddress(const std::string& address, std::uint16_t port) {
  SocketAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    return out;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  std::string host = address;
  std::string scope;
  if (const auto percent = address.find('%'); percent != std::string::npos) {
    host = address.substr(0, percent);
    scope = address.substr(percent + 1);
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) != 1) return std::nullopt;
  if (!scope.empty()) {
    const unsigned index = if_nametoindex(scope.c_str());
    if (index == 0) return std::nullopt;
    v6->sin6_scope_id = index;
  }
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(port);
  out.length = sizeof(sockaddr_in6);
  return out;
}

std::size_t socketBudget() {
  static std::once_flag raised;
  std::call_once(raised, [] {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
      limit.rlim_cur = limit.rlim_max;
      setrlimit(RLIMIT_NOFILE, &limit);
    }
  });
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65536;
  // The margin leaves descriptors to the rest of the process (the engine, its logs, its DB).
  constexpr rlim_t kMargin = 256;
  const rlim_t budget =
      limit.rlim_cur > kMargin * 2 ? limit.rlim_cur - kMargin : limit.rlim_cur / 2;
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::min<rlim_t>(budget, 1 << 20)));
}

int openProbeSocket(int family) {
  const int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // close() sends an RST: no TIME_WAIT, so a sweep of many targets does not run out of
  // ephemeral ports (and the peer frees its side at once too).
  const linger off{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof off);
  return fd;
}

std::string badAddressMessage(const std::string& address) {
  return "'" + address + "' is not a numeric IPv4 or IPv6 address";
}

std::string endpoint(const std::string& address, std::uint16_t port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace detail

namespace {

using plugin::ErrorCategory;

struct Pending {
  std::size_t index;
  detail::SocketAddress address;
  std::uint16_t port;
};

struct InFlight {
  int fd;
  Pending target;
  Clock::time_point started;
  Clock::time_point deadline;
};

constexpr auto kCancelInterval = std::chrono::milliseconds(50);

// Errors from connect() or SO_ERROR that say the target cannot be reached.
bool unreachableError(int error) {
  return error == ECONNREFUSED || error == ENETUNREACH || error == EHOSTUNREACH ||
         error == EHOSTDOWN || error == ENETDOWN || error == ECONNRESET || error == EACCES ||
         error == EPERM;
}

std::string unreachableMessage(int error, std::uint16_t port, const std::string& address) {
  if (error == ECONNREFUSED) return "connection refused (port " + std::to_string(port) + ")";
  return "cannot connect to " + detail::endpoint(address, port) + ": " + std::strerror(error);
}

// Out of descriptors or local ports: wait for a socket of the batch to close, then try again.
bool resourceShortage(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM ||
         error == EADDRNOTAVAIL || error == EAGAIN;
}

}  // namespace

std::vector<ProbeResult> tcpConnect(const std::vector<ProbeTarget>& targets,
                                    const TcpOptions& options, const CancelCheck& cancelled) {
  detail::BatchResults results(targets.size());

  std::deque<Pending> queue;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::uint16_t port = targets[i].port ? targets[i].port : options.defaultPort;
    auto address = detail::parseAddress(targets[i].address, port);
    if (!address) {
      results.finish(i, ErrorCategory::PluginError, detail::badAddressMessage(targets[i].address));
      continue;
    }
    queue.push_back(Pending{i, *address, port});
  }
  if (options.timeout.count() <= 0) {
    for (const auto& p : queue) {
      results.finish(p.index, ErrorCategory::PluginError,
                     "tcp: timeout must be positive (target " + targets[p.index].address + ")");
    }
    return results.take(targets);  // every target has its result
  }

  const std::size_t budget = detail::socketBudget();
  const std::size_t limit = options.maxInFlight ? std::min(options.maxInFlight, budget) : budget;
  std::vector<InFlight> flying;
  std::vector<pollfd> fds;
  flying.reserve(std::min(limit, queue.size()));
  bool starved = false;  // the last socket()/connect() ran out of descriptors or ports

  const auto attemptFailed = [&](InFlight& f) {
    // Only a timeout is retried: a refusal is an answer.
    if (results[f.target.index].attempts <= options.retries) {
      queue.push_front(f.target);
      return;
    }
    const int attempts = results[f.target.index].attempts;
    results.finish(
        f.target.index, ErrorCategory::Timeout,
        "no answer from " + detail::endpoint(targets[f.target.index].address, f.target.port) +
            " after " + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") +
            " of " + std::to_string(options.timeout.count()) + " ms");
  };

  while (results.remaining() > 0) {
    // Each turn waits at most kCancelInterval, so this runs at least that often.
    if (cancelled && cancelled()) break;

    // Start as many connects as the budget allows.
    starved = false;
    while (!queue.empty() && flying.size() < limit) {
      Pending next = queue.front();
      const int fd = detail::openProbeSocket(next.address.family());
      if (fd < 0) {
        const int error = errno;
        if (resourceShortage(error)) {
          starved = true;
          break;
        }
        queue.pop_front();
        results.finish(next.index, ErrorCategory::PluginError,
                       "cannot open a socket for " + targets[next.index].address + ": " +
                           std::strerror(error));
        continue;
      }
      const auto started = Clock::now();
      ++results[next.index].attempts;
      if (connect(fd, next.address.get(), next.address.length) == 0) {
        queue.pop_front();
        results[next.index].latency =
            std::max(std::chrono::microseconds(1),
                     std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
        close(fd);
        results.finish(next.index, ErrorCategory::Ok, {});
        continue;
      }
      const int error = errno;
      if (error == EINPROGRESS) {
        queue.pop_front();
        flying.push_back(InFlight{fd, next, started, started + options.timeout});
        continue;
      }
      close(fd);
      if (resourceShortage(error)) {
        --results[next.index].attempts;  // not tried: it waits for a free port
        starved = true;
        break;
      }
      queue.pop_front();
      if (unreachableError(error)) {
        results.finish(next.index, ErrorCategory::Unreachable,
                       unreachableMessage(error, next.port, targets[next.index].address));
      } else {
        results.finish(next.index, ErrorCategory::PluginError,
                       "cannot connect to " +
                           detail::endpoint(targets[next.index].address, next.port) + ": " +
                           std::strerror(error));
      }
    }
    if (results.remaining() == 0) break;

    // Wait for connects to finish, a deadline, or the next cancellation check.
    auto now = Clock::now();
    auto wake = now + kCancelInterval;
    if (starved) wake = std::min(wake, now + std::chrono::milliseconds(5));
    fds.resize(flying.size());
    for (std::size_t i = 0; i < flying.size(); ++i) {
      fds[i] = pollfd{flying[i].fd, POLLOUT, 0};
      wake = std::min(wake, flying[i].deadline);
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
    const int ready =
        poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait.count())));
    if (ready < 0 && errno != EINTR) {
      const int error = errno;
      for (auto& f : flying) {
        close(f.fd);
        results.finish(f.target.index, ErrorCategory::PluginError,
                       std::string("tcp: poll failed: ") + std::strerror(error));
      }
      flying.clear();
      continue;
    }

    now = Clock::now();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < flying.size(); ++i) {
      InFlight& f = flying[i];
      const short revents = ready > 0 ? fds[i].revents : 0;
      if (revents != 0) {
        // Writable without an error or hang-up is a finished connect (saves a syscall a target).
        int error = 0;
        if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
          socklen_t length = sizeof error;
          if (getsockopt(f.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
          if (error == 0 && (revents & POLLNVAL)) error = EBADF;
          if (error == 0 && (revents & POLLHUP)) error = ECONNRESET;
        }
        close(f.fd);
        auto& result = results[f.target.index];
        if (error == 0) {
          result.latency =
              std::max(std::chrono::microseconds(1),
                       std::chrono::duration_cast<std::chrono::microseconds>(now - f.started));
          results.finish(f.target.index, ErrorCategory::Ok, {});
        } else if (error == ETIMEDOUT) {
          attemptFailed(f);  // the kernel gave up before our timeout
        } else if (unreachableError(error)) {
          results.finish(f.target.index, ErrorCategory::Unreachable,
                         unreachableMessage(error, f.target.port, targets[f.target.index].address));
        } else if (resourceShortage(error)) {
          --result.attempts;
          queue.push_front(f.target);
        } else {
          results.finish(f.target.index, ErrorCategory::PluginError,
                         "cannot connect to " +
                             detail::endpoint(targets[f.target.index].address, f.target.port) +
                             ": " + std::strerror(error));
        }
        continue;
      }
      if (now >= f.deadline) {
        close(f.fd);
        attemptFailed(f);
        continue;
      }
      flying[kept++] = f;
    }
    flying.resize(kept);
  }

  // Cancelled: whatever has no result yet.
  for (auto& f : flying) close(f.fd);
  return results.take(targets);
}

}  // namespace netspine::reach
