#include "infra/worker_supervisor.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace netspine::infra {

namespace {

constexpr std::chrono::milliseconds kFirstBackoff{500};
constexpr std::chrono::milliseconds kMaxBackoff{30'000};
constexpr std::chrono::seconds kHealthyAfter{60};  // a child that lived this long restarts at once

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::string workerId(pid_t pid) {
  static const std::string host = hostName();
  return fmt::format("{}:{}", host, pid);
}

std::string describeExit(int status) {
  if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = sigabbrev_np(sig);
    return fmt::format("killed by signal {}{}", sig,
                       abbrev ? fmt::format(" (SIG{})", abbrev) : std::string());
  }
  return fmt::format("status {}", status);
}

WorkerSupervisor::WorkerSupervisor(std::vector<std::string> argv, unsigned count,
                                   ExitHandler onExit, Logger log)
    : argv_(std::move(argv)), slots_(count), onExit_(std::move(onExit)), log_(std::move(log)) {
  for (auto& slot : slots_) spawn(slot);
}

WorkerSupervisor::~WorkerSupervisor() {
  stop(std::chrono::milliseconds(5'000));
}

void WorkerSupervisor::spawn(Slot& slot) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    log_(fmt::format("cannot start a worker: fork: {}", std::strerror(errno)));
    slot.restartAt = Clock::now() + std::max(slot.backoff, kFirstBackoff);
    return;
  }
  if (pid == 0) {
    // The child: dies with the server, so no worker is ever left behind claiming tasks.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(70);
    std::vector<std::string> args = argv_;
    args.push_back("--id");
    args.push_back(workerId(getpid()));
    std::vector<char*> raw;
    for (auto& a : args) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    const std::string message =
        fmt::format("netspine: cannot start a worker: {}: {}\n", raw[0], std::strerror(errno));
    [[maybe_unused]] auto n = write(STDERR_FILENO, message.data(), message.size());
    _exit(127);
  }
  slot.pid = pid;
  slot.id = workerId(pid);
  slot.startedAt = Clock::now();
  ++started_;
  log_(fmt::format("worker {} started", slot.id));
}

void WorkerSupervisor::poll() {
  const auto now = Clock::now();
  for (auto& slot : slots_) {
    if (slot.pid > 0) {
      int status = 0;
      const pid_t r = waitpid(slot.pid, &status, WNOHANG);
      if (r != slot.pid) continue;
      const auto how = describeExit(status);
      const auto pid = slot.pid;
      const auto id = slot.id;
      slot.pid = 0;
      const bool healthy = now - slot.startedAt >= kHealthyAfter;
      slot.backoff = healthy ? kFirstBackoff
                             : std::min(std::max(slot.backoff * 2, kFirstBackoff), kMaxBackoff);
      slot.restartAt = now + (healthy ? std::chrono::milliseconds(0) : slot.backoff);
      log_(fmt::format("worker {} {}; restarting in {} ms", id, how,
                       healthy ? 0 : slot.backoff.count()));
      onExit_(pid, id, how);
    }
    if (slot.pid == 0 && now >= slot.restartAt) spawn(slot);
  }
}

void WorkerSupervisor::stop(std::chrono::milliseconds grace) {
  for (auto& slot : slots_) {
    if (slot.pid > 0) kill(slot.pid, SIGTERM);
  }
  const auto until = Clock::now() + grace;
  for (;;) {
    bool alive = false;
    for (auto& slot : slots_) {
      if (slot.pid <= 0) continue;
      int status = 0;
      if (waitpid(slot.pid, &status, WNOHANG) == slot.pid) {
        const auto pid = slot.pid;
        slot.pid = 0;
        onExit_(pid, slot.id, describeExit(status));
      } else {
        alive = true;
      }
    }
    if (!alive) break;
    if (Clock::now() >= until) {
      for (auto& slot : slots_) {
        if (slot.pid <= 0) continue;
        kill(slot.pid, SIGKILL);
        int status = 0;
        waitpid(slot.pid, &status, 0);
        const auto pid = slot.pid;
        slot.pid = 0;
        onExit_(pid, slot.id, describeExit(status));
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& slot : slots_) slot.restartAt = Clock::time_point::max();
}

std::vector<pid_t> WorkerSupervisor::pids() const {
  std::vector<pid_t> out;
  for (const auto& slot : slots_) {
    if (slot.pid > 0) out.push_back(slot.pid);
  }
  return out;
}

}  // namespace netspine::infra
