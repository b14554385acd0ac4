#pragma once
// Test helper: child processes for the simulator's fidelity tests (netspine-sim itself, Netmiko,
// OpenSSH, netspine).

#include <sys/types.h>

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace netspine::sim::test {

struct ProcessResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::ostream& operator<<(std::ostream& out, const ProcessResult& r) {
  return out << "exit " << r.code << "\n--- stdout\n" << r.out << "\n--- stderr\n" << r.err;
}

// Runs `program` with `args` to its end, `input` on its stdin.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& input = "",
                         const std::map<std::string, std::string>& env = {});

// netspine-sim started with `args` and ready (its "ready" line read); SIGTERM in the destructor.
class SimProcess {
 public:
  explicit SimProcess(const std::vector<std::string>& args);
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  [[nodiscard]] bool ready() const { return ready_; }
  // What it printed up to "ready".
  [[nodiscard]] const std::string& banner() const { return banner_; }
  // SIGTERM, then its exit code (-1 when it had to be killed).
  int stop();

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  bool ready_ = false;
  std::string banner_;
};

// The one CSV row of `csv` whose first field is `name`, split at commas (no quoting in ours).
std::vector<std::string> inventoryRow(const std::string& csv, const std::string& name);
std::string readFile(const std::string& path);

}  // namespace netspine::sim::test
