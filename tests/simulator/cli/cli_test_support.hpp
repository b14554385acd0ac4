#pragma once
// Helpers for the simulator CLI tests: a device with a clock the test moves, and a terminal.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <netspine/sim/device.hpp>

namespace netspine::sim::test {

// A clock the test advances; starts at 2024-03-04 10:00:00 UTC.
class FakeClock {
 public:
  FakeClock() : now_(std::make_shared<std::atomic<std::int64_t>>(1709546400)) {}
  Clock clock() const {
    auto now = now_;
    return
        [now] { return std::chrono::system_clock::time_point(std::chrono::seconds(now->load())); };
  }
  void advance(std::chrono::seconds by) { *now_ += by.count(); }

 private:
  std::shared_ptr<std::atomic<std::int64_t>> now_;
};

inline DeviceProfile profileFor(OsKind os, std::string name = "r1") {
  DeviceProfile profile;
  profile.name = std::move(name);
  profile.os = os;
  return profile;
}

// A shell as a user at a terminal sees it: what each typed line prints.
class Terminal {
 public:
  explicit Terminal(std::shared_ptr<DeviceState> device)
      : device_(std::move(device)), session_(openShell(device_)) {
    greeting_ = session_->start();
  }
  // Types `line` and Enter; returns everything printed (echo included).
  std::string type(const std::string& line, const std::string& enter = "\n") {
    return session_->input(line + enter);
  }
  std::string raw(const std::string& bytes) { return session_->input(bytes); }
  const std::string& greeting() const { return greeting_; }
  CliSession& session() { return *session_; }

 private:
  std::shared_ptr<DeviceState> device_;
  std::unique_ptr<CliSession> session_;
  std::string greeting_;
};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace netspine::sim::test
