#pragma once
// One interactive SSH CLI session to one device, driven by its platform plugin: connect, check
// the host key, log in with the credential sets in order, open a shell, wait for prompts
// (answering the pager), enable, execute commands, log out. Every limit of the device's
// Timeouts bounds it; a problem ends the device's run by throwing Failure.

#include <netspine/plugin/engine.hpp>
#include <netspine_ssh/handles.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace netspine::plugins::ssh_cli {

// How a device's run ends early: the result's category and message.
struct Failure {
  plugin::ErrorCategory category;
  std::string message;
  bool sessionLost = false;  // the device closed the session (or a write to it failed)
};

[[noreturn]] void fail(plugin::ErrorCategory category, std::string message,
                       bool sessionLost = false);

// "5 s", "2.5 s".
std::string seconds(std::chrono::milliseconds ms);

struct CompiledPrompts;

class CliSession {
 public:
  using Clock = std::chrono::steady_clock;

  // `result` receives the log lines and the data the session learns ("ssh.host_key",
  // "credentials"); `maxOutputBytes` bounds one output read with a size limit (0: none).
  CliSession(const plugin::DeviceTarget& device, const plugin::RunContext& context,
             plugin::DeviceResult& result, std::size_t maxOutputBytes);
  ~CliSession();
  CliSession(const CliSession&) = delete;
  CliSession& operator=(const CliSession&) = delete;

  // Checks the device's SSH attributes, connects, logs in, opens the shell and waits for the
  // first prompt. Nothing but the credentials is sent.
  void open();
  // The platform's session.prepare commands (paging off...), then enable when needed.
  void prepare();

  // What execute waits for after a command.
  enum class Expect {
    Exec,     // the user or privileged prompt
    AnyMode,  // also a configuration-mode prompt; a question ("[confirm]", "[yes,no]") is
              // answered with Enter (its default)
  };
  // Sends `command` and returns its output, echo and prompt removed. `sized`: the output is
  // checked for binary bytes and bounded by maxOutputBytes (a configuration).
  std::string execute(const std::string& command, Expect expect = Expect::Exec, bool sized = false);
  // The last prompt seen was a configuration-mode prompt.
  [[nodiscard]] bool inConfigMode() const { return configMode_; }
  // Leaves politely, without waiting long for the device to close. Never throws.
  void logout();
  [[nodiscard]] bool isOpen() const;

  // While false, cancellation is not checked (a change being applied or rolled back finishes).
  void setCancellable(bool cancellable) { cancellable_ = cancellable; }
  void checkCancelled() const;
  // Moves the device's total deadline to at least `from now`: a rollback gets its time.
  void extendDeadline(std::chrono::milliseconds fromNow);

  void log(plugin::LogLevel level, std::string message);
  [[nodiscard]] const plugin::Platform& platform() const { return *platform_; }
  [[nodiscard]] const plugin::DeviceTarget& device() const { return device_; }

 private:
  struct Limit {
    Clock::time_point end;
    std::string message;
  };
  enum class Attempt { Accepted, Refused, Disconnected };
  // PromptInLine: the last line ends with the session's prompt text without starting with it
  // (an output cut short without its final newline), and nothing followed for a moment.
  enum class Wait { Prompt, PromptInLine, Closed, TimedOut, TooLarge, Garbage };

  [[nodiscard]] Limit limit(std::chrono::milliseconds step, std::string message) const;
  void bound(const Limit& l);
  [[nodiscard]] bool expired(const Limit& l) const { return Clock::now() >= l.end; }
  void readAttributes();
  void connect();
  void setAlgorithms();
  void checkHostKey();
  const plugin::Credentials& login();
  Attempt authenticate(const plugin::Credentials& c);
  void openShell();
  void enable(const plugin::Credentials& credentials);
  void resetBuffer();
  [[nodiscard]] std::string cleanedTail(std::size_t keep) const;
  void append(std::string_view bytes);
  void send(const std::string& text);
  Wait waitFor(const std::regex& prompt, const Limit& l, bool checkGarbage, std::size_t maxBytes,
               const std::regex* question = nullptr);
  void rememberPrompt(std::string_view tail);

  const plugin::DeviceTarget& device_;
  const plugin::RunContext& context_;
  plugin::DeviceResult& result_;
  const std::size_t maxOutputBytes_;
  Clock::time_point deviceEnd_;

  const plugin::Platform* platform_ = nullptr;
  std::shared_ptr<const CompiledPrompts> prompts_;
  const plugin::Credentials* credentials_ = nullptr;
  bool privileged_ = false;
  bool configMode_ = false;
  bool cancellable_ = true;
  unsigned port_ = 22;
  sshsupport::Key pinned_;
  sshsupport::Key firstKey_;
  bool strict_ = false;
  bool connectedLogged_ = false;
  std::string promptLine_;  // the prompt text last seen, for Wait::PromptInLine
  sshsupport::Session session_;
  sshsupport::Channel channel_;

  std::string cleaned_;  // cleaned complete lines since the last command was sent
  std::string partial_;  // raw bytes of the last, unfinished line
  std::size_t rawBytes_ = 0;
};

// The backup steps, shared by "backup" and the change operations (device_backup.cpp).
//
// Runs the platform's backup commands in exec mode and returns their outputs; a command the CLI
// rejects logs out and fails CommandError.
std::vector<std::string> runBackupCommands(CliSession& session);
// The stored configuration assembled from those outputs; incomplete, empty or over `maxBytes`
// fails IncompleteOutput.
std::string assembleConfig(const plugin::Platform& platform,
                           const std::vector<std::string>& outputs, plugin::SecretMode mode,
                           std::size_t maxBytes);
// "sha256", "bytes" and "lines" of an assembled configuration, into `data`.
void describeConfig(const std::string& config, std::map<std::string, std::string>& data);

}  // namespace netspine::plugins::ssh_cli
