#pragma once
// Local worker processes of `netspine serve`: started with fork/exec, restarted with backoff when
// they exit, stopped with SIGTERM (then SIGKILL) when the server stops.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace netspine::infra {

/// The id a worker process takes by default: "HOST:PID".
std::string workerId(pid_t pid);

/// "exit status 3", "killed by signal 9 (SIGKILL)": what waitpid's status says.
std::string describeExit(int status);

class WorkerSupervisor {
 public:
  using Clock = std::chrono::steady_clock;
  /// A child that ended: its worker id and how (describeExit).
  using ExitHandler = std::function<void(pid_t pid, const std::string& id, const std::string& how)>;
  using Logger = std::function<void(const std::string& line)>;

  /// `argv` starts a worker (argv[0] the executable); "--id HOST:PID" is appended per child.
  WorkerSupervisor(std::vector<std::string> argv, unsigned count, ExitHandler onExit, Logger log);
  ~WorkerSupervisor();
  WorkerSupervisor(const WorkerSupervisor&) = delete;
  WorkerSupervisor& operator=(const WorkerSupervisor&) = delete;

  /// Reaps children that exited (calling onExit) and starts the ones whose restart is due.
  void poll();
  /// SIGTERM to every child, SIGKILL to those still alive after `grace`; reaps all.
  void stop(std::chrono::milliseconds grace);
  /// The live children's pids.
  std::vector<pid_t> pids() const;
  /// How many children were started in all (restarts included).
  unsigned started() const { return started_; }

 private:
  struct Slot {
    pid_t pid = 0;
    std::string id;
    Clock::time_point startedAt;
    Clock::time_point restartAt;
    std::chrono::milliseconds backoff{0};
  };
  void spawn(Slot& slot);

  std::vector<std::string> argv_;
  std::vector<Slot> slots_;
  ExitHandler onExit_;
  Logger log_;
  unsigned started_ = 0;
};

}  // namespace netspine::infra
