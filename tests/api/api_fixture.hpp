#pragma once
// A real `netspine serve` for the API tests: its own config and database (SQLite or PostgreSQL),
// tokens of each role made with the CLI, listening on 127.0.0.1 at a port the kernel picks, and
// an HTTP client (POCO) that talks to it over loopback.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/shell.hpp"
#include "support/temp_folder.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {

/// One HTTP answer.
struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  /// The body as a JSON object (a failed assertion, and an empty object, when it is not one).
  Poco::JSON::Object::Ptr json() const {
    try {
      auto v = Poco::JSON::Parser().parse(body);
      if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
    }
    ADD_FAILURE() << "not a JSON object: " << body.substr(0, 500);
    return new Poco::JSON::Object;
  }
  /// The body as a JSON array.
  Poco::JSON::Array::Ptr array() const {
    try {
      auto v = Poco::JSON::Parser().parse(body);
      if (v.type() == typeid(Poco::JSON::Array::Ptr)) return v.extract<Poco::JSON::Array::Ptr>();
    } catch (const std::exception&) {
    }
    ADD_FAILURE() << "not a JSON array: " << body.substr(0, 500);
    return new Poco::JSON::Array;
  }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  /// error.code of an error body.
  std::string errorCode() const {
    auto e = json()->getObject("error");
    return e ? e->getValue<std::string>("code") : "";
  }
};

/// How a test's server is set up.
struct ServeOptions {
  infra::DatabaseBackend backend = infra::DatabaseBackend::SQLite;
  std::string extraConfig;  // YAML appended to the generated config (inside `server:`)
  int workers = 0;
};

/// A running `netspine serve --workers 0` (or with workers) of its own.
class ServeProcess {
 public:
  using Options = ServeOptions;

  ServeProcess() = default;
  explicit ServeProcess(Options options) : options_(std::move(options)) {}
  ~ServeProcess() { stop(); }

  const std::string& binary() const { return binary_; }
  const std::string& configPath() const { return config_; }
  std::string logPath() const { return folder_.path("serve.log"); }
  const TempFolder& folder() const { return folder_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  TestDatabase& database() { return *db_; }

  /// Creates the database and config, tokens named admin, operate and read, and starts the
  /// server. Fatal failures are reported through gtest (check HasFatalFailure after).
  void start() {
    const char* binary = std::getenv("NETSPINE_BINARY");
    ASSERT_NE(binary, nullptr) << "NETSPINE_BINARY names the netspine executable (ctest sets it)";
    binary_ = binary;
    db_ = freshDatabase(options_.backend);
    config_ = folder_.path("netspine.yaml");
    {
      std::ofstream out(config_);
      out << "database:\n  url: \"" << db_->url() << "\"\n"
          << "data_dir: " << folder_.path("data") << "\n"
          << "server:\n  listen: 127.0.0.1:0\n  threads: 16\n"
          << options_.extraConfig << "\n";
    }
    for (const char* role : {"admin", "operate", "read"}) {
      auto run = cli(std::string("token create ") + role + " --role " + role + " --json");
      ASSERT_EQ(run.status, 0) << run.output;
      auto start = run.output.find("\"token\":\"nst_");
      if (start != std::string::npos) start += 9;
      ASSERT_NE(start, std::string::npos) << run.output;
      tokens_[role] = run.output.substr(start, 44);
    }
    launch();
  }

  /// (Re)starts the process with the current config and waits for its port.
  void launch() {
    std::remove(logPath().c_str());
    pid_ = fork();
    if (pid_ == 0) {
      const std::string log = logPath();
      FILE* f = std::freopen(log.c_str(), "w", stderr);
      (void)f;
      const std::string workers = std::to_string(options_.workers);
      execl(binary_.c_str(), binary_.c_str(), "--config", config_.c_str(), "serve", "--workers",
            workers.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    ASSERT_GT(pid_, 0);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < until) {
      const auto text = log();
      for (const std::string prefix :
           {"listening on http://127.0.0.1:", "listening on https://127.0.0.1:"}) {
        const auto at = text.find(prefix);
        if (at != std::string::npos) {
          port_ = std::stoi(text.substr(at + prefix.size()));
          return;
        }
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        FAIL() << "netspine serve exited before listening:\n" << text;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "netspine serve did not listen within 30 s:\n" << log();
  }

  /// SIGTERM, then waits up to `wait`; returns the exit status (-1: killed or still running).
  int stop(std::chrono::seconds wait = std::chrono::seconds(20)) {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    const auto until = std::chrono::steady_clock::now() + wait;
    int status = 0;
    while (std::chrono::steady_clock::now() < until) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return -1;
  }

  std::string log() const {
    std::ifstream in(logPath());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  /// Runs a netspine CLI command on the same config.
  ShellRun cli(const std::string& args) const {
    return runShell("'" + binary_ + "' --config '" + config_ + "' " + args);
  }

  const std::string& token(const std::string& role) { return tokens_.at(role); }

  /// One request; `token` empty: no Authorization header.
  Reply call(const std::string& method, const std::string& path, const std::string& body = {},
             const std::string& token = {},
             const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    for (const auto& [k, v] : headers) request.set(k, v);
    if (!body.empty() || method == "POST" || method == "PATCH") {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply reply;
    reply.status = static_cast<int>(response.getStatus());
    std::stringstream s;
    s << in.rdbuf();
    reply.body = s.str();
    for (const auto& [k, v] : response) reply.headers[k] = v;
    return reply;
  }

  /// A request as the token of `role` ("admin", "operate", "read").
  Reply as(const std::string& role, const std::string& method, const std::string& path,
           const std::string& body = {},
           const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return call(method, path, body, token(role), headers);
  }

 private:
  Options options_;
  TempFolder folder_;
  std::unique_ptr<TestDatabase> db_;
  std::string binary_;
  std::string config_;
  std::map<std::string, std::string> tokens_;
  pid_t pid_ = 0;
  int port_ = 0;
};

}  // namespace netspine::test
