#pragma once
// Test helper: a blocking libssh client for the simulator's SSH tests.

#include <libssh/libssh.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace netspine::sim::test {

using namespace std::chrono_literals;

class SshTestClient {
 public:
  SshTestClient(const std::string& address, std::uint16_t port, std::string user = "admin");
  ~SshTestClient();
  SshTestClient(const SshTestClient&) = delete;
  SshTestClient& operator=(const SshTestClient&) = delete;

  // TCP connect and key exchange; false with error() set when either fails.
  bool connect();
  bool loginPassword(const std::string& password);
  bool loginKey(ssh_key privateKey);
  bool loginKeyboardInteractive(const std::string& password);
  [[nodiscard]] std::string error() const { return ssh_get_error(session_); }
  // The SSH_MSG_USERAUTH_BANNER text, after a login attempt.
  [[nodiscard]] std::string issueBanner() const;
  [[nodiscard]] std::string serverIdentification() const;
  // SHA-256 of the server's host key.
  [[nodiscard]] std::string hostKeyHash() const;

  // An interactive shell on a pty.
  bool openShell();
  bool openSubsystem(const std::string& name);
  void write(std::string_view bytes);
  // Reads until `marker` is in what was read (true) or `timeout` passes or the channel ends.
  bool readUntil(std::string_view marker, std::chrono::milliseconds timeout = 10s);
  // Reads until the output ends with one of `markers` (ignoring trailing spaces); its index, or
  // -1 after `timeout` or at the channel's end.
  int readUntilEndsWith(std::initializer_list<std::string_view> markers,
                        std::chrono::milliseconds timeout = 10s);
  // Everything the channel has printed so far; cleared by take().
  [[nodiscard]] const std::string& output() const { return output_; }
  std::string take();
  // Reads until EOF; false when the connection broke first.
  bool readToEof(std::chrono::milliseconds timeout = 30s);
  // Largest single read so far (to see output trickle).
  [[nodiscard]] std::size_t largestRead() const { return largestRead_; }
  [[nodiscard]] bool channelClosed() const;

  struct Exec {
    std::string output;
    int exitStatus = -1;
    bool complete = false;  // reached EOF (false: the connection broke)
  };
  Exec exec(const std::string& command, std::chrono::milliseconds timeout = 30s);
  // Opens an exec channel running `command`; its output is read as a shell's (readUntil...).
  bool execStart(const std::string& command);
  // Ends the TCP connection at once, without an SSH goodbye, as a client that dies.
  void hangUp();

 private:
  // One read with a timeout; 0 on timeout, -1 at EOF or on error.
  int readSome(std::chrono::milliseconds timeout);

  ssh_session session_;
  ssh_channel channel_ = nullptr;
  std::string output_;
  std::size_t largestRead_ = 0;
};

// A fresh ED25519 key pair: the private key and its "ssh-ed25519 BASE64" public line.
struct TestKey {
  ssh_key key = nullptr;
  std::string publicLine;
  TestKey();
  ~TestKey();
  TestKey(const TestKey&) = delete;
  TestKey& operator=(const TestKey&) = delete;
};

}  // namespace netspine::sim::test
