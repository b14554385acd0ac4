#include "event_loop.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ssh_connection.hpp"

namespace netspine::sim {
namespace {

// What a real device of the platform sends as its SSH identification.
const char* identification(OsKind os) {
  switch (os) {
    case OsKind::CiscoIos:
      return "Cisco-1.25";
    case OsKind::JuniperJunos:
      return "OpenSSH_7.5";
    case OsKind::AristaEos:
      return "OpenSSH_8.4";
  }
  return "netspine-sim";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
  return out;
}

}  // namespace

std::optional<std::string> restrictAlgorithms(ssh_bind bind, const TransportOptions& transport) {
  std::optional<std::string> problem;
  const auto set = [&](ssh_bind_options_e option, const std::vector<std::string>& names) {
    if (names.empty()) return;
    if (ssh_bind_options_set(bind, option, joined(names).c_str()) != SSH_OK && !problem) {
      problem = "unsupported SSH algorithm in '" + joined(names) + "'";
    }
  };
  set(SSH_BIND_OPTIONS_KEY_EXCHANGE, transport.kex);
  set(SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS, transport.hostKeys);
  set(SSH_BIND_OPTIONS_CIPHERS_C_S, transport.ciphers);
  set(SSH_BIND_OPTIONS_CIPHERS_S_C, transport.ciphers);
  return problem;
}

namespace {

ssh_bind newBind(OsKind os, ssh_key ed25519, ssh_key rsa) {
  ssh_bind bind = ssh_bind_new();
  if (!bind) throw std::runtime_error("ssh_bind_new failed");
  bool processConfig = false;  // never read /etc/ssh/libssh_server_config
  ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &processConfig);
  ssh_bind_options_set(bind, SSH_BIND_OPTIONS_BANNER, identification(os));
  // The bind owns the keys it imports.
  ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY, ssh_key_dup(ed25519));
  if (rsa) ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY, ssh_key_dup(rsa));
  return bind;
}

constexpr auto kSweepInterval = std::chrono::milliseconds(100);

}  // namespace

EventLoop::EventLoop(std::shared_ptr<const HostKeys> keys, ServerCounters& counters,
                     std::chrono::seconds loginGraceTime)
    : keys_(std::move(keys)), counters_(counters), loginGraceTime_(loginGraceTime) {
  event_ = ssh_event_new();
  wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (!event_ || wakeFd_ < 0) throw std::runtime_error("cannot create an SSH event loop");
  ssh_event_add_fd(event_, wakeFd_, POLLIN, &EventLoop::onWake, this);
}

EventLoop::~EventLoop() {
  stop();
  ssh_event_remove_fd(event_, wakeFd_);
  ::close(wakeFd_);
  for (auto& [os, bind] : binds_) ssh_bind_free(bind);
  for (auto& [device, bind] : deviceBinds_) ssh_bind_free(bind);
  ssh_event_free(event_);
}

void EventLoop::start() {
  thread_ = std::thread([this] { run(); });
}

void EventLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wakeFd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  // Sockets handed over but never taken.
  for (const auto& in : incoming_) {
    ::close(in.fd);
    in.device->sessions--;
  }
  incoming_.clear();
}

void EventLoop::adopt(int fd, DeviceEndpoint& device) {
  {
    std::lock_guard lock(mutex_);
    incoming_.push_back({fd, &device});
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wakeFd_, &one, sizeof one);
}

void EventLoop::after(std::chrono::milliseconds delay, std::function<void()> task) {
  timers_.emplace(Clock::now() + delay, std::move(task));
}

std::uint32_t EventLoop::nextNetconfSessionId() {
  static std::atomic<std::uint32_t> next{1};
  return next++;
}

ssh_bind EventLoop::bindFor(const DeviceEndpoint& device, bool& owned) {
  const OsKind os = device.spec.profile.os;
  if (device.has(Fault::HostKeyChanges)) {
    owned = true;
    auto fresh = HostKeys::generateEd25519();
    ssh_bind bind = newBind(os, fresh.get(), nullptr);
    restrictAlgorithms(bind, device.spec.transport);
    return bind;
  }
  owned = false;
  if (device.spec.transport.restrictsAlgorithms()) {
    // A legacy device has a listener of its own, kept for the loop's lifetime.
    auto& bind = deviceBinds_[&device];
    if (!bind) {
      bind = newBind(os, keys_->ed25519(), keys_->rsa());
      restrictAlgorithms(bind, device.spec.transport);
    }
    return bind;
  }
  auto& bind = binds_[os];
  if (!bind) bind = newBind(os, keys_->ed25519(), keys_->rsa());
  return bind;
}

int EventLoop::onWake(socket_t fd, int, void* userdata) {
  std::uint64_t count = 0;
  [[maybe_unused]] auto got = ::read(fd, &count, sizeof count);
  // Taken after the poll: starting a session changes the poll context being iterated.
  static_cast<EventLoop*>(userdata)->wakeup_ = true;
  return SSH_OK;
}

void EventLoop::takeIncoming() {
  std::vector<Incoming> incoming;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    incoming.swap(incoming_);
  }
  for (const auto& in : incoming) {
    auto connection = std::make_shared<SshConnection>(*this, *in.device, in.fd);
    connections_.push_back(connection);
    const auto delay = in.device->has(Fault::SlowBanner) ? in.device->spec.transport.bannerDelay
                                                         : std::chrono::milliseconds(0);
    std::weak_ptr<SshConnection> weak = connection;
    if (delay.count() == 0) {
      connection->begin();
    } else {
      after(delay, [weak] {
        if (auto c = weak.lock()) c->begin();
      });
    }
  }
}

int EventLoop::runDueTimers() {
  for (;;) {
    if (timers_.empty()) return static_cast<int>(kSweepInterval.count());
    const auto now = Clock::now();
    auto first = timers_.begin();
    if (first->first > now) {
      const auto wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(first->first - now).count() + 1;
      return static_cast<int>(std::min<long long>(wait, kSweepInterval.count()));
    }
    auto task = std::move(first->second);
    timers_.erase(first);
    task();
  }
}

void EventLoop::flushRequested() {
  // A flush may poll, and the callbacks run by that poll may ask again: those wait for the
  // next turn (which then polls without waiting).
  auto queue = std::exchange(flushQueue_, {});
  for (auto& weak : queue) {
    if (auto connection = weak.lock()) connection->flushAll();
  }
}

void EventLoop::sweep() {
  lastSweep_ = Clock::now();
  dirty_ = false;
  for (auto& c : connections_) c->tick();
  std::erase_if(connections_, [](const std::shared_ptr<SshConnection>& c) { return c->ended(); });
}

void EventLoop::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    // Everything that writes to a session runs here, between polls: timers, new sessions,
    // requested flushes, the sweep. The callbacks run inside ssh_event_dopoll only read input
    // and queue output.
    const int timeout = runDueTimers();
    if (std::exchange(wakeup_, false)) takeIncoming();
    flushRequested();
    if (dirty_ || Clock::now() - lastSweep_ >= kSweepInterval) sweep();
    const bool busy = dirty_ || wakeup_ || !flushQueue_.empty();
    ssh_event_dopoll(event_, busy ? 0 : timeout);
    // A window adjust may have come in: retry the connections that waited for one.
    for (auto& weak : std::exchange(waitingForWindow_, {})) {
      if (auto connection = weak.lock()) connection->requestFlush();
    }
  }
  // Destroying a connection disconnects its session; timers may hold the last references.
  connections_.clear();
  timers_.clear();
  flushQueue_.clear();
  waitingForWindow_.clear();
}

}  // namespace netspine::sim
