// Many clients at once against one SshServer, whose fixed pool of event loops carries them all:
// every session gets its whole output exactly once, while other clients hang up in the middle of
// theirs. (A write from inside libssh's poll of a loop's shared context used to crash the
// server, drop sessions whose neighbours hung up, and send a shell's output twice.)

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "netspine/sim/device.hpp"
#include "netspine/sim/device_spec.hpp"
#include "netspine/sim/ssh_server.hpp"
#include "ssh_test_client.hpp"

namespace netspine::sim {
namespace {

using namespace std::chrono_literals;
using test::SshTestClient;

// A clock that stands still: the configurations' timestamps are the same in every session.
std::chrono::system_clock::time_point fixedNow() {
  return std::chrono::system_clock::time_point(std::chrono::hours(24 * 365 * 56));
}

std::string withoutCarriageReturns(std::string text) {
  std::erase(text, '\r');
  return text;
}

std::size_t occurrences(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

const char* configCommand(OsKind os) {
  return os == OsKind::JuniperJunos ? "show configuration" : "show running-config";
}

const char* noPaging(OsKind os) {
  return os == OsKind::JuniperJunos ? "set cli screen-length 0\n" : "terminal length 0\n";
}

std::string promptOf(OsKind os, const std::string& name) {
  return os == OsKind::JuniperJunos ? "admin@" + name + ">" : name + "#";
}

// How one client session goes.
enum class Kind { Exec, Shell, ExecHangsUp, ShellHangsUp };

struct Outcome {
  bool ok = false;
  std::string problem;
};

Outcome runSession(const ServedDevice& device, Kind kind, const std::string& expected) {
  const OsKind os = device.state->profile().os;
  const std::string prompt = promptOf(os, device.name);
  const std::string command = configCommand(os);
  SshTestClient client(device.address, device.port);
  if (!client.connect()) return {false, "connect: " + client.error()};
  if (!client.loginPassword("admin")) return {false, "login: " + client.error()};

  if (kind == Kind::Exec || kind == Kind::ExecHangsUp) {
    if (kind == Kind::ExecHangsUp) {
      // Gone while the device still has most of the configuration to send.
      if (!client.execStart(command) || !client.readUntil("\n", 30s)) {
        return {false, "exec start: " + client.output()};
      }
      client.hangUp();
      return {true, {}};
    }
    const auto result = client.exec(command, 60s);
    if (!result.complete) return {false, "exec did not complete"};
    if (withoutCarriageReturns(result.output) != expected) {
      return {false, "exec output differs: " + std::to_string(result.output.size()) + " bytes"};
    }
    return {true, {}};
  }

  if (!client.openShell() || !client.readUntil(prompt, 30s)) {
    return {false, "no prompt: " + client.output()};
  }
  client.take();
  client.write(noPaging(os));
  if (!client.readUntil(prompt, 30s)) return {false, "paging: " + client.output()};
  client.take();
  client.write(command + "\n");
  if (kind == Kind::ShellHangsUp) {
    // The echo, and the output right behind it: most of it still to come.
    if (!client.readUntil(command + "\r\n", 30s)) {
      return {false, "no echo: " + client.output()};
    }
    client.hangUp();
    return {true, {}};
  }
  if (client.readUntilEndsWith({prompt}, 60s) != 0) {
    return {false, "no prompt after the output: " + std::to_string(client.output().size())};
  }
  const std::string output = withoutCarriageReturns(client.take());
  // The echo, the configuration and the prompt, once each: a repeat would hold another
  // prompt, echo and configuration.
  const auto copies = occurrences(output, expected);
  const auto prompts = occurrences(output, prompt);
  if (!output.starts_with(command + "\n") || copies != 1 || prompts != 1) {
    return {false, "shell output: " + std::to_string(copies) + " configurations, " +
                       std::to_string(prompts) + " prompts in " + std::to_string(output.size()) +
                       " bytes: " + output.substr(0, 80)};
  }
  return {true, {}};
}

TEST(SshServerConcurrency, EverySessionGetsItsWholeOutputOnceWhileOthersHangUp) {
  constexpr int kThreads = 64;
  constexpr int kSessionsPerThread = 3;
  SshServer server(SshServerOptions{.threads = 2});  // some hundred sessions on each loop
  GeneratedDevices what;
  what.count = 8;
  what.baseAddress = "127.79.0.1";
  what.port = 0;
  what.profile.configLines = 1500;  // larger than a client's window: output waits for it
  for (const auto& spec : generateDevices(what)) server.add(spec, fixedNow);
  server.start();
  const auto devices = server.devices();
  ASSERT_EQ(devices.size(), what.count);
  std::vector<std::string> expected;
  for (const auto& d : devices) {
    const auto config = runExec(*d.state, configCommand(d.state->profile().os));
    ASSERT_EQ(config.exitStatus, 0);
    ASSERT_NE(config.output.find(d.state->runningConfig().substr(0, 40)), std::string::npos);
    expected.push_back(withoutCarriageReturns(config.output));
  }

  std::mutex mutex;
  std::vector<std::string> failures;
  std::atomic<int> complete{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int s = 0; s < kSessionsPerThread; ++s) {
        const std::size_t index = static_cast<std::size_t>(t * kSessionsPerThread + s);
        const auto kind = static_cast<Kind>(index % 4);
        const auto& device = devices[index % devices.size()];
        const Outcome outcome = runSession(device, kind, expected[index % devices.size()]);
        if (outcome.ok) {
          if (kind == Kind::Exec || kind == Kind::Shell) complete++;
          continue;
        }
        std::lock_guard lock(mutex);
        failures.push_back(device.name + " session " + std::to_string(index) + ": " +
                           outcome.problem);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  for (const auto& failure : failures) ADD_FAILURE() << failure;
  EXPECT_EQ(complete.load(), kThreads * kSessionsPerThread / 2);
  EXPECT_EQ(server.stats().logins, static_cast<std::uint64_t>(kThreads * kSessionsPerThread));
  // The server still serves after all that.
  SshTestClient last(devices[0].address, devices[0].port);
  ASSERT_TRUE(last.connect()) << last.error();
  ASSERT_TRUE(last.loginPassword("admin"));
  const auto result = last.exec(configCommand(devices[0].state->profile().os));
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(withoutCarriageReturns(result.output), expected[0]);
}

}  // namespace
}  // namespace netspine::sim
