#pragma once
// TCP connect probe: non-blocking connect() to a batch of targets in one poll() loop.

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probe.hpp"

namespace netspine::reach {

struct TcpOptions {
  std::chrono::milliseconds timeout{3000};  // per connect attempt
  int retries = 0;                 // further attempts after a timeout (not after a refusal)
  std::uint16_t defaultPort = 22;  // for targets with port 0
  std::size_t maxInFlight = 0;  // 0: as many as the fd limit allows (soft RLIMIT_NOFILE raised to
                                // the hard limit, minus a margin)
};

/// Connects to every target (connected: Ok, latency = connect time, closed at once with an RST so
/// no TIME_WAIT is left; refused: Unreachable; no answer after every attempt: Timeout).
std::vector<ProbeResult> tcpConnect(const std::vector<ProbeTarget>& targets,
                                    const TcpOptions& options, const CancelCheck& cancelled = {});

namespace detail {

// A numeric IPv4 or IPv6 address with its port, ready for connect().
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  [[nodiscard]] const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  [[nodiscard]] int family() const { return storage.ss_family; }
};

// `address` as a numeric IPv4 or IPv6 address (an IPv6 scope "%eth0" allowed), or nothing.
std::optional<SocketAddress> parseAddress(const std::string& address, std::uint16_t port);

// How many sockets a batch may hold open at once: the soft RLIMIT_NOFILE, raised to the hard
// limit once per process, less a margin for the rest of the process.
std::size_t socketBudget();

// A non-blocking, close-on-exec stream socket whose close() sends an RST (SO_LINGER 0): -1 with
// errno set when none can be made.
int openProbeSocket(int family);

// "'ADDRESS' is not a numeric IPv4 or IPv6 address".
std::string badAddressMessage(const std::string& address);

// "[::1]:22" or "127.0.0.1:22" for messages.
std::string endpoint(const std::string& address, std::uint16_t port);

// The results of a batch of TCP-based probes: one per target, and how many are still owed.
class BatchResults {
 public:
  explicit BatchResults(std::size_t targets)
      : results_(targets), done_(targets, false), remaining_(targets) {}
  ProbeResult& operator[](std::size_t index) { return results_[index]; }
  // The target's final result.
  void finish(std::size_t index, plugin::ErrorCategory category, std::string error) {
    results_[index].category = category;
    results_[index].error = std::move(error);
    done_[index] = true;
    --remaining_;
  }
  [[nodiscard]] std::size_t remaining() const { return remaining_; }
  // The results, every target not finished (the batch was cancelled) as Cancelled.
  std::vector<ProbeResult> take(const std::vector<ProbeTarget>& targets) {
    for (std::size_t i = 0; i < results_.size(); ++i) {
      if (done_[i]) continue;
      results_[i].category = plugin::ErrorCategory::Cancelled;
      results_[i].error = "cancelled before " + targets[i].address + " answered";
    }
    return std::move(results_);
  }

 private:
  std::vector<ProbeResult> results_;
  std::vector<bool> done_;
  std::size_t remaining_;
};

}  // namespace detail
}  // namespace netspine::reach
