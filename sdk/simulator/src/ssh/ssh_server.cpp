#include "netspine/sim/ssh_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "device_endpoint.hpp"
#include "event_loop.hpp"
#include "host_keys.hpp"

namespace netspine::sim {
namespace {

// libssh's global state, set up once per process and kept until exit: its teardown is not
// safe while another SshServer (or a client in the same test) still uses it.
void initLibssh() {
  static const bool done = [] {
    ssh_init();
    return true;
  }();
  (void)done;
}

// A listening TCP socket on address:port (port 0: a free one); returns the fd and the port.
std::pair<int, std::uint16_t> listenOn(const DeviceSpec& spec) {
  const auto fail = [&](const char* what) {
    const std::string message = "device '" + spec.profile.name + "': cannot " + what + " " +
                                spec.address + " port " + std::to_string(spec.port) + ": " +
                                std::strerror(errno);
    throw std::runtime_error(message);
  };
  sockaddr_storage storage{};
  socklen_t length = 0;
  const bool v6 = spec.address.find(':') != std::string::npos;
  if (v6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(spec.port);
    if (::inet_pton(AF_INET6, spec.address.c_str(), &in6->sin6_addr) != 1) {
      errno = EINVAL;
      fail("parse the address");
    }
    length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(spec.port);
    if (::inet_pton(AF_INET, spec.address.c_str(), &in4->sin_addr) != 1) {
      errno = EINVAL;
      fail("parse the address");
    }
    length = sizeof(sockaddr_in);
  }
  const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("create a socket for");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || ::listen(fd, 512) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    fail("listen on");
  }
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
  const std::uint16_t port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                                      : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  return {fd, port};
}

}  // namespace

struct SshServer::Impl {
  SshServerOptions options;
  ServerCounters counters;
  std::shared_ptr<const HostKeys> keys;
  std::deque<DeviceEndpoint> devices;  // stable addresses: epoll and loops point at them
  std::vector<std::unique_ptr<EventLoop>> loops;
  int epollFd = -1;
  int stopFd = -1;
  std::thread acceptor;
  std::size_t nextLoop = 0;
  bool started = false;
  bool stopped = false;
  std::mutex stopMutex;

  void acceptFrom(DeviceEndpoint& device);
  void runAcceptor();
};

void SshServer::Impl::acceptFrom(DeviceEndpoint& device) {
  for (;;) {
    const int fd = ::accept4(device.listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: all taken; anything else: try again at the next event
    counters.accepted++;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof one);
    if (device.has(Fault::ConnectionReset)) {
      // SO_LINGER 0: close() sends a RST instead of a FIN.
      const linger reset{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      ::close(fd);
      continue;
    }
    if (device.has(Fault::MaxSessions) && device.sessions >= device.spec.profile.maxSessions) {
      ::close(fd);  // as a device with every vty busy: the connection closes at once
      continue;
    }
    device.sessions++;
    loops[nextLoop++ % loops.size()]->adopt(fd, device);
  }
}

void SshServer::Impl::runAcceptor() {
  epoll_event events[64];
  for (;;) {
    const int n = ::epoll_wait(epollFd, events, 64, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == nullptr) return;  // stopFd
      acceptFrom(*static_cast<DeviceEndpoint*>(events[i].data.ptr));
    }
  }
}

SshServer::SshServer(SshServerOptions options) : impl_(std::make_unique<Impl>()) {
  initLibssh();
  impl_->options = std::move(options);
  if (impl_->options.threads == 0) impl_->options.threads = 1;
  impl_->keys = HostKeys::load(impl_->options.stateDir);
}

SshServer::~SshServer() {
  stop();
}

ServedDevice SshServer::add(const DeviceSpec& spec, Clock clock) {
  if (impl_->started) throw std::logic_error("SshServer::add after start()");
  if (spec.transport.restrictsAlgorithms()) {
    ssh_bind probe = ssh_bind_new();
    const auto problem = probe ? restrictAlgorithms(probe, spec.transport) : std::nullopt;
    if (probe) ssh_bind_free(probe);
    if (problem) throw std::runtime_error("device '" + spec.profile.name + "': " + *problem);
  }
  auto& device = impl_->devices.emplace_back();
  device.spec = spec;
  try {
    std::tie(device.listenFd, device.spec.port) = listenOn(spec);
  } catch (...) {
    impl_->devices.pop_back();
    throw;
  }
  if (spec.profile.faults.contains(Fault::ConnectionRefused)) {
    // The port was free a moment ago and nothing listens on it now: connections are refused.
    ::close(device.listenFd);
    device.listenFd = -1;
  }
  device.state = DeviceState::create(spec.profile, std::move(clock));
  return {device.spec.profile.name, device.spec.address, device.spec.port, device.listenFd >= 0,
          device.state};
}

void SshServer::start() {
  auto& impl = *impl_;
  if (impl.started) return;
  impl.started = true;
  for (unsigned i = 0; i < impl.options.threads; ++i) {
    impl.loops.push_back(
        std::make_unique<EventLoop>(impl.keys, impl.counters, impl.options.loginGraceTime));
    impl.loops.back()->start();
  }
  impl.epollFd = ::epoll_create1(EPOLL_CLOEXEC);
  impl.stopFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event stop{};
  stop.events = EPOLLIN;
  stop.data.ptr = nullptr;
  ::epoll_ctl(impl.epollFd, EPOLL_CTL_ADD, impl.stopFd, &stop);
  for (auto& device : impl.devices) {
    if (device.listenFd < 0) continue;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &device;
    ::epoll_ctl(impl.epollFd, EPOLL_CTL_ADD, device.listenFd, &ev);
  }
  impl.acceptor = std::thread([&impl] { impl.runAcceptor(); });
}

void SshServer::stop() {
  auto& impl = *impl_;
  std::lock_guard lock(impl.stopMutex);
  if (impl.stopped) return;
  impl.stopped = true;
  if (impl.acceptor.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(impl.stopFd, &one, sizeof one);
    impl.acceptor.join();
  }
  for (auto& device : impl.devices) {
    if (device.listenFd >= 0) ::close(device.listenFd);
    device.listenFd = -1;
  }
  impl.loops.clear();  // each stops: its sessions end
  if (impl.epollFd >= 0) ::close(impl.epollFd);
  if (impl.stopFd >= 0) ::close(impl.stopFd);
  impl.epollFd = impl.stopFd = -1;
}

std::vector<ServedDevice> SshServer::devices() const {
  std::vector<ServedDevice> out;
  out.reserve(impl_->devices.size());
  for (const auto& d : impl_->devices) {
    out.push_back({d.spec.profile.name, d.spec.address, d.spec.port,
                   !d.spec.profile.faults.contains(Fault::ConnectionRefused), d.state});
  }
  return out;
}

SshServerStats SshServer::stats() const {
  return {impl_->counters.accepted.load(), impl_->counters.openSessions.load(),
          impl_->counters.logins.load()};
}

}  // namespace netspine::sim
