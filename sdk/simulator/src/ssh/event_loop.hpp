#pragma once
// One thread running one libssh event loop for many SSH sessions, with timers for the faults
// that wait (slow banner, trickle) so that a waiting session never blocks the others.

#include <libssh/libssh.h>
#include <libssh/server.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "device_endpoint.hpp"
#include "host_keys.hpp"

namespace netspine::sim {

class SshConnection;

// Limits the algorithms `bind` offers to those `transport` names; the problem, if one is unknown.
std::optional<std::string> restrictAlgorithms(ssh_bind bind, const TransportOptions& transport);

class EventLoop {
 public:
  using Clock = std::chrono::steady_clock;

  EventLoop(std::shared_ptr<const HostKeys> keys, ServerCounters& counters,
            std::chrono::seconds loginGraceTime);
  ~EventLoop();  // stops
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void start();
  // Ends every session and joins the thread (any thread but the loop's own).
  void stop();
  // Takes an accepted socket to `device` over (any thread).
  void adopt(int fd, DeviceEndpoint& device);

  // The rest is for the loop's own thread.
  void after(std::chrono::milliseconds delay, std::function<void()> task);
  void post(std::function<void()> task) { after(std::chrono::milliseconds(0), std::move(task)); }
  // `connection` has output to write: written after the current poll returned, never from
  // inside one. libssh's writes (ssh_channel_write, ssh_channel_close) flush by polling the
  // session's poll context, the loop's shared ssh_event: a write from inside a callback nests
  // one poll of it in another, which runs other sessions' callbacks that write in turn (libssh
  // crashes, output goes out twice). So callbacks only queue output and ask for a flush here.
  void requestFlush(std::weak_ptr<SshConnection> connection) {
    flushQueue_.push_back(std::move(connection));
  }
  // `connection` has output held back by a full client window: retried after every poll, since
  // libssh 0.10 tells nobody when a window adjust arrives.
  void waitForWindow(std::weak_ptr<SshConnection> connection) {
    waitingForWindow_.push_back(std::move(connection));
  }
  // Something ended: look for finished connections at the next turn.
  void markDirty() { dirty_ = true; }
  [[nodiscard]] ssh_event event() const { return event_; }
  // The ssh_bind a session of `device` is accepted with: the shared host keys and the
  // platform's identification string, or a fresh key with Fault::HostKeyChanges (free it);
  // restricted to the device's algorithms when its transport options name some.
  ssh_bind bindFor(const DeviceEndpoint& device, bool& owned);
  [[nodiscard]] ServerCounters& counters() { return counters_; }
  [[nodiscard]] std::chrono::seconds loginGraceTime() const { return loginGraceTime_; }
  std::uint32_t nextNetconfSessionId();

 private:
  struct Incoming {
    int fd;
    DeviceEndpoint* device;
  };
  void run();
  void takeIncoming();
  // Writes the output of every connection that asked for it (outside any poll).
  void flushRequested();
  int runDueTimers();  // returns the poll timeout in ms until the next timer
  void sweep();
  static int onWake(socket_t fd, int revents, void* userdata);

  std::shared_ptr<const HostKeys> keys_;
  ServerCounters& counters_;
  std::chrono::seconds loginGraceTime_;
  ssh_event event_ = nullptr;
  int wakeFd_ = -1;
  std::thread thread_;

  std::mutex mutex_;  // guards incoming_ and stopping_
  std::vector<Incoming> incoming_;
  bool stopping_ = false;

  std::multimap<Clock::time_point, std::function<void()>> timers_;
  std::vector<std::shared_ptr<SshConnection>> connections_;
  std::vector<std::weak_ptr<SshConnection>> flushQueue_;
  std::vector<std::weak_ptr<SshConnection>> waitingForWindow_;
  bool wakeup_ = false;  // the wake fd fired: sockets may be waiting in incoming_
  std::map<OsKind, ssh_bind> binds_;
  std::map<const DeviceEndpoint*, ssh_bind> deviceBinds_;  // devices with restricted algorithms
  bool dirty_ = false;
  Clock::time_point lastSweep_{};
};

}  // namespace netspine::sim
