// `netspine serve` with its supervised worker processes, as a user runs it: workers killed with
// SIGKILL and a plugin that segfaults lose no task, and the server goes on.

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <fstream>
#include <sstream>

#include "job_fixture.hpp"

namespace netspine::test {
namespace {

using domain::RunState;
using domain::TaskState;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs argv with stdout and stderr to `log`; returns the pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> raw;
    for (const auto& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  return pid;
}

/// Runs the netspine binary to its end; returns the exit code, output in `out`.
int runCli(const std::vector<std::string>& args, std::string& out) {
  std::string command = std::string(NETSPINE_BINARY_PATH);
  for (const auto& a : args) command += " '" + a + "'";
  command += " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  char buffer[4096];
  out.clear();
  while (auto n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class ServeTest : public JobTest {
 protected:
  void SetUp() override {
    JobTest::SetUp();
    config_ = temp_.write("netspine.yaml", fmt::format(R"(database:
  url: {}
plugin_dirs: [{}]
jobs:
  workers: 2
  worker_concurrency: 4
  lease: 5s
  retry_backoff: 1s
  max_attempts: 3
  cancel_grace: 1s
operations:
  test_noop: read
  test_push: push
)",
                                                       db_->url(), NETSPINE_TEST_ENGINE_DIR));
    log_ = temp_.path("serve.log");
    // Any free port: the API is not under test, and tests run side by side.
    serve_ = spawn({NETSPINE_BINARY_PATH, "--config", config_, "serve", "--listen", "127.0.0.1:0"},
                   log_);
    ASSERT_GT(serve_, 0);
  }

  void TearDown() override {
    if (serve_ > 0) {
      kill(serve_, SIGTERM);
      int status = 0;
      if (!eventually([&] { return waitpid(serve_, &status, WNOHANG) == serve_; },
                      std::chrono::seconds(20))) {
        kill(serve_, SIGKILL);
        waitpid(serve_, &status, 0);
        ADD_FAILURE() << "serve did not stop on SIGTERM";
      }
    }
    if (HasFailure()) std::cerr << "--- serve log\n" << readFile(log_) << "---\n";
  }

  bool serveAlive() {
    int status = 0;
    return waitpid(serve_, &status, WNOHANG) == 0;
  }

  /// The pid of a worker running a task of the run, from its id "host:pid".
  pid_t runningWorkerPid(app::Id runId) {
    for (const auto& t : tasks(runId)) {
      if (t.state != TaskState::Running || t.worker.empty()) continue;
      return static_cast<pid_t>(std::stol(t.worker.substr(t.worker.rfind(':') + 1)));
    }
    return 0;
  }

  std::string config_;
  std::string log_;
  pid_t serve_ = 0;
};

TEST_F(ServeTest, AWorkerKilledMidRunLosesNothingAndTheServerGoesOn) {
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) names.push_back(addDevice(fmt::format("k{:02}", i)).name);
  const auto dir = temp_.path("state");
  std::filesystem::create_directories(dir);
  auto job = submit("test_noop", names, {{"delay_ms", "700"}, {"state_dir", dir}});
  pid_t victim = 0;
  ASSERT_TRUE(eventually([&] { return (victim = runningWorkerPid(job.run.id)) > 0; }));
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return finished(job.run.id); }));
  const auto r = run(job.run.id);
  EXPECT_EQ(r.state, RunState::Succeeded);
  EXPECT_EQ(r.tally.ok, 12u);
  int retried = 0;
  for (const auto& t : tasks(job.run.id)) {
    EXPECT_EQ(t.state, TaskState::Done) << t.device;
    EXPECT_EQ(t.category, "ok") << t.device;
    if (t.attempts > 1) ++retried;
  }
  EXPECT_GE(retried, 1) << "the killed worker's tasks ran again";
  bool crashLogged = false;
  for (const auto& e : log(job.run.id)) {
    crashLogged = crashLogged || e.message.find("killed by signal 9") != std::string::npos;
  }
  EXPECT_TRUE(crashLogged);
  EXPECT_TRUE(serveAlive());
  // The server still runs jobs: the supervisor restarted the worker.
  auto next = submit("test_noop", {names[0]});
  ASSERT_TRUE(eventually([&] { return finished(next.run.id); }));
  EXPECT_EQ(run(next.run.id).state, RunState::Succeeded);
  EXPECT_NE(readFile(log_).find("killed by signal 9 (SIGKILL); restarting"), std::string::npos);
}

TEST_F(ServeTest, APluginThatSegfaultsFailsItsDeviceAsWorkerCrashed) {
  std::vector<std::string> names;
  for (int i = 0; i < 4; ++i) names.push_back(addDevice(fmt::format("s{}", i)).name);
  auto job = submit("test_noop", names, {{"crash", "segv"}, {"devices", "s2"}});
  ASSERT_TRUE(eventually([&] { return finished(job.run.id); }, std::chrono::seconds(90)));
  const auto r = run(job.run.id);
  EXPECT_EQ(r.state, RunState::Partial);
  EXPECT_EQ(r.tally.ok + r.tally.failed, 4u) << "every task accounted for exactly once";
  for (const auto& t : tasks(job.run.id)) {
    EXPECT_EQ(t.state, TaskState::Done) << t.device;
    if (t.device == "s2") {
      EXPECT_EQ(t.category, "plugin_error");
      EXPECT_NE(t.message.find("worker crashed"), std::string::npos) << t.message;
      // SIGSEGV; SIGABRT under AddressSanitizer, which turns the fault into an abort.
      EXPECT_TRUE(t.message.find("killed by signal 11 (SIGSEGV)") != std::string::npos ||
                  t.message.find("killed by signal 6 (SIGABRT)") != std::string::npos)
          << t.message;
      EXPECT_EQ(t.attempts, 3);
    } else {
      EXPECT_EQ(t.category, "ok") << t.device << ": " << t.message;
    }
  }
  EXPECT_TRUE(serveAlive());
  if (HasFailure()) {
    for (const auto& e : log(job.run.id))
      std::cerr << e.time << " " << e.device << ": " << e.message << "\n";
  }
}

TEST_F(ServeTest, JobRunWaitReportsTheOutcomeInItsExitCode) {
  addDevice("w1");
  addDevice("w2");
  std::string out;
  EXPECT_EQ(runCli({"--config", config_, "job", "run", "test_noop", "--device", "w1", "--device",
                    "w2", "--wait"},
                   out),
            0)
      << out;
  EXPECT_NE(out.find("SUCCEEDED"), std::string::npos) << out;
  EXPECT_NE(out.find("2 ok, 0 failed"), std::string::npos) << out;
  EXPECT_EQ(runCli({"--config", config_, "job", "run", "test_noop", "--select", "name=w", "--param",
                    "result=auth_failed", "--param", "devices=w2", "--wait"},
                   out),
            1)
      << out;
  EXPECT_NE(out.find("PARTIAL"), std::string::npos) << out;
  EXPECT_NE(out.find("w2: auth_failed: as the test asked"), std::string::npos) << out;
  // run list / show see what ran.
  EXPECT_EQ(runCli({"--config", config_, "run", "list"}, out), 0) << out;
  EXPECT_NE(out.find("PARTIAL"), std::string::npos) << out;
  EXPECT_EQ(runCli({"--config", config_, "run", "show", "2", "--log", "--level", "error"}, out), 0)
      << out;
  EXPECT_NE(out.find("w2: auth_failed"), std::string::npos) << out;
  EXPECT_EQ(out.find(" info "), std::string::npos) << "--level error shows no info line\n" << out;
}

TEST_F(ServeTest, JobRunTakesAChangeFromAFileWithItsOptionsAndShowsEachDevice) {
  addDevice("p1");
  addDevice("p2");
  addDevice("p3");
  const auto lines = temp_.write("change.txt", "snmp-server location ams1\n");
  std::string out;
  EXPECT_EQ(runCli({"--config", config_, "job", "run", "test_push", "--device", "p1", "--device",
                    "p2", "--device", "p3", "--lines-file", lines, "--dry-run", "--canary", "1",
                    "--stop-on-failure", "--wait"},
                   out),
            0)
      << out;
  EXPECT_NE(out.find("3 ok, 0 failed"), std::string::npos) << out;
  for (auto name : {"p1", "p2", "p3"}) {
    EXPECT_NE(out.find(std::string(name) + ": would change (dry run, nothing sent)"),
              std::string::npos)
        << out;
  }
  const auto job = *jobs_->begin()->job(1);
  EXPECT_EQ(job.parameters.at("lines"), "snmp-server location ams1\n");
  EXPECT_EQ(job.parameters.at("dry_run"), "true");
  const auto r = run(1);
  EXPECT_EQ(r.canary, 1u);
  EXPECT_TRUE(r.stopOnFailure);
  EXPECT_EQ(r.concurrency, 4u);  // jobs.change_concurrency's default

  // Bad input names the option and the file; nothing is queued.
  EXPECT_EQ(runCli({"--config", config_, "job", "run", "test_push", "--device", "p1",
                    "--lines-file", temp_.path("missing.txt")},
                   out),
            2);
  EXPECT_NE(out.find("--lines-file: cannot read '" + temp_.path("missing.txt") + "'"),
            std::string::npos)
      << out;
  const auto tmpl = temp_.write("t.j2", "snmp-server location {{ site }}\n");
  EXPECT_EQ(runCli({"--config", config_, "job", "run", "test_push", "--device", "p1",
                    "--lines-file", lines, "--template", tmpl},
                   out),
            2);
  EXPECT_NE(out.find("give --lines-file or --template, not both"), std::string::npos) << out;
  EXPECT_NE(
      runCli({"--config", config_, "job", "run", "test_push", "--device", "p1", "--template", tmpl},
             out),
      0);
  EXPECT_NE(out.find("device p1: template line 1: undefined variable 'site'"), std::string::npos)
      << out;
  EXPECT_EQ(jobs_->begin()->countJobs(), 1);
  EXPECT_EQ(runCli({"--config", config_, "run", "show", "1"}, out), 0) << out;
  EXPECT_NE(out.find("p2: would change (dry run, nothing sent)"), std::string::npos) << out;
}

}  // namespace
}  // namespace netspine::test
