// changeDevice: push, provision and teardown. A fresh backup is kept first, then the lines go
// into the platform's candidate (a private candidate, a configuration session) or, where there
// is none, straight into the running configuration with a file copy on the device to return
// to; the result is verified and committed the safest way the platform offers.
#include <netspine/plugin/text.hpp>

#include <chrono>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "cli_session.hpp"
#include "config_diff.hpp"
#include "ssh_cli_engine.hpp"

namespace netspine::plugins::ssh_cli {

using namespace netspine::plugin;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string replaceAll(std::string text, const std::string& what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
  return text;
}

// A line that normalize() gave back, without its line end.
std::string oneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string twoDigits(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

class DeviceChange {
 public:
  DeviceChange(const DeviceTarget& device, const ChangeOptions& options, RunContext& context)
      : device_(device),
        options_(options),
        context_(context),
        session_(device, context, result_, options.maxConfigBytes) {
    result_.deviceId = device.id;
    result_.device = device.name;
    const auto ms = std::chrono::duration_cast<milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    name_ = "netspine-" + std::to_string(device.id) + "-" + std::to_string(ms);
  }

  DeviceResult run() {
    const auto start = Clock::now();
    try {
      change();
    } catch (const Failure& failure) {
      result_.category = failure.category;
      result_.message = failure.message;
      result_.artifact.clear();
      undo(failure);
    } catch (const std::exception& e) {
      result_.category = ErrorCategory::PluginError;
      result_.message = std::string("ssh_cli failed: ") + e.what();
      result_.artifact.clear();
      undo(Failure{ErrorCategory::PluginError, result_.message});
    }
    session_.logout();
    result_.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    return std::move(result_);
  }

 private:
  // Where the device is, for undo().
  enum class State {
    Untouched,  // nothing sent that changes the device
    Candidate,  // in a candidate (private, session) that is not committed
    Direct,     // lines went into the running configuration (no candidate): the file restores it
    Pending,    // committed, waiting for the confirmation
    Done,       // confirmed, or rolled back
  };

  const Configuration& cfg() const { return session_.platform().spec().configuration; }

  std::string fill(const std::string& templ) const {
    const int m = options_.confirmMinutes;
    std::string out = replaceAll(templ, "{session}", name_);
    out = replaceAll(out, "{minutes}", std::to_string(m));
    out = replaceAll(out, "{seconds}", std::to_string(m * 60));
    out = replaceAll(out, "{hh:mm:ss}", twoDigits(m / 60) + ":" + twoDigits(m % 60) + ":00");
    return replaceAll(out, "{file}", file_);
  }

  // A line as it may be shown: secrets masked.
  std::string shown(const std::string& line) const {
    const std::string masked(
        trim(oneLine(session_.platform().normalize(trim(line), SecretMode::Mask))));
    return masked.empty() ? "<a line holding a secret>" : masked;
  }

  std::string maskedDiff(const std::string& diff) const {
    if (options_.secretMode == SecretMode::Keep) return diff;
    std::string out;
    for (auto line : splitLines(diff)) {
      if (!line.empty() && (line[0] == '+' || line[0] == '-' || line[0] == ' ') &&
          !line.starts_with("+++") && !line.starts_with("---")) {
        const std::string body(line.substr(1));
        const std::string kept = session_.platform().normalize(body, options_.secretMode);
        if (trim(kept).empty() && !trim(body).empty()) continue;
        out += line[0] + oneLine(kept) + "\n";
      } else {
        out += std::string(line) + "\n";
      }
    }
    return out;
  }

  // Sends one command in any mode; its output, or nothing and the CLI's error in `error`.
  std::string send(const std::string& command, std::optional<std::string>* error = nullptr) {
    std::string output = session_.execute(command, CliSession::Expect::AnyMode);
    auto found = session_.platform().findError(output);
    if (error)
      *error = found;
    else if (found)
      fail(ErrorCategory::CommandError, "'" + command + "' failed: " + *found);
    return output;
  }

  // The command that prints the running configuration: the backup's configuration command
  // (the last one not stored as comments); for Junos-style lines its '| display set' form.
  std::string showRunning(bool setStyle) const {
    std::string command;
    for (const auto& b : session_.platform().spec().backup) {
      if (!b.asComment) command = b.command;
    }
    if (!setStyle) return command;
    return command.substr(0, command.find(" | ")) + " | display set";
  }

  std::vector<std::string> backupOutputs() {
    const bool cancellable = state_ == State::Untouched;
    session_.setCancellable(cancellable);
    auto outputs = runBackupCommands(session_);
    return outputs;
  }

  void change() {
    const std::string& op = options_.operation;
    session_.open();
    if (auto reason = context_.refusal(device_)) {
      result_.category = ErrorCategory::PolicySkipped;
      result_.message = "skipped: " + *reason;
      session_.log(LogLevel::Info, result_.message);
      return;
    }
    session_.prepare();

    // The configuration before the change, stored before anything changes.
    const std::vector<std::string> before = backupOutputs();
    const std::string config =
        assembleConfig(session_.platform(), before, options_.secretMode, options_.maxConfigBytes);
    const KeptConfig kept = context_.keep(device_, config, "before " + op);
    if (!kept.ok) {
      fail(ErrorCategory::PluginError,
           "the configuration before the change could not be stored: " + kept.problem);
    }
    if (!kept.revision.empty()) result_.data["backup_commit"] = kept.revision;
    session_.log(LogLevel::Info, "configuration before the " + op + " kept" +
                                     (kept.revision.empty() ? "" : " (" + kept.revision + ")"));
    std::string running;  // the configuration body as the device printed it
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (!session_.platform().spec().backup[i].asComment) running = before[i];
    }

    const auto attribute = device_.attributes.find("change.lines");
    if (op == "teardown") lines_ = session_.platform().teardownLines(running);
    if (attribute != device_.attributes.end()) {
      for (auto& line : changeLines(attribute->second)) lines_.push_back(std::move(line));
    }
    if (lines_.empty()) {
      fail(ErrorCategory::PluginError,
           op == "teardown" ? "no configuration lines: the platform's teardown found nothing to "
                              "change and the attribute change.lines is empty"
                            : "no configuration lines: the device attribute change.lines is empty");
    }
    result_.data["lines"] = std::to_string(lines_.size());
    session_.checkCancelled();
    if (!cfg().compare.empty() || !cfg().commit.empty()) {
      withCandidate();
    } else {
      direct(running);
    }
  }

  // Sends the lines; the first the CLI rejects fails the change with its error text.
  void sendLines() {
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      std::optional<std::string> error;
      send(lines_[i], &error);
      if (error) {
        fail(ErrorCategory::CommandError,
             "line " + std::to_string(i + 1) + " '" + shown(lines_[i]) + "' rejected: " + *error);
      }
    }
    session_.log(LogLevel::Info, std::to_string(lines_.size()) + " lines accepted");
  }

  void reportDiff(const std::string& diff, bool changed) {
    result_.data["diff"] = changed ? maskedDiff(diff) : "";
    result_.data["changed"] = changed ? "true" : "false";
  }

  // The platform's candidate: enter, lines, its own diff (and check), then commit.
  void withCandidate() {
    send(fill(cfg().enter));
    state_ = State::Candidate;
    sendLines();
    std::string diff;
    if (!cfg().compare.empty()) diff = send(fill(cfg().compare));
    bool changed = false;
    for (auto line : splitLines(diff)) {
      if ((line.starts_with('+') && !line.starts_with("+++")) ||
          (line.starts_with('-') && !line.starts_with("---"))) {
        changed = true;
      }
    }
    std::string text;
    for (auto line : splitLines(diff)) {
      if (!trim(line).empty()) text += std::string(trimRight(line)) + "\n";
    }
    reportDiff(text, changed || cfg().compare.empty());
    if (!cfg().check.empty()) {
      std::optional<std::string> error;
      send(cfg().check, &error);
      if (error) fail(ErrorCategory::CommandError, "'" + cfg().check + "' failed: " + *error);
      session_.log(LogLevel::Info, "'" + cfg().check + "' passed");
    }
    if (options_.dryRun || (!changed && !cfg().compare.empty())) {
      discard();
      result_.data["dry_run"] = options_.dryRun ? "true" : "false";
      session_.log(LogLevel::Info,
                   options_.dryRun ? "dry run: the candidate was discarded" : "nothing to change");
      result_.category = ErrorCategory::Ok;
      return;
    }
    session_.checkCancelled();
    session_.setCancellable(false);  // from here on a change is finished or undone
    const bool confirmed = !cfg().commitConfirmed.empty();
    const std::string commit = fill(confirmed ? cfg().commitConfirmed : cfg().commit);
    std::optional<std::string> error;
    committing_ = commit;
    try {
      send(commit, &error);
    } catch (const Failure&) {
      // The session dropped or timed out: the commit may have been made.
      if (confirmed) state_ = State::Pending;
      throw;
    }
    if (error) fail(ErrorCategory::CommandError, "'" + commit + "' failed: " + *error);
    state_ = confirmed ? State::Pending : State::Done;
    commitInConfig_ = session_.inConfigMode();
    session_.log(LogLevel::Info, "'" + commit + "' done");
    if (session_.inConfigMode()) send(cfg().leave);
    cancelPoint();
    verify();
    if (confirmed) {
      const std::string confirm = fill(cfg().confirm);
      if (commitInConfig_) send(fill(cfg().enter));
      send(confirm);
      if (session_.inConfigMode()) send(cfg().leave);
      state_ = State::Done;
      session_.log(LogLevel::Info, "'" + confirm + "' confirmed the change");
    }
    finish();
  }

  // No candidate (IOS): the diff is computed here, a copy of the running configuration on the
  // device is the way back.
  void direct(const std::string& running) {
    const IndentedDiff diff = indentedDiff(running, lines_);
    reportDiff(diff.text, diff.changed());
    if (options_.dryRun || !diff.changed()) {
      result_.data["dry_run"] = options_.dryRun ? "true" : "false";
      session_.log(LogLevel::Info, options_.dryRun ? "dry run: nothing was sent to the device"
                                                   : "nothing to change");
      result_.category = ErrorCategory::Ok;
      return;
    }
    if (!cfg().replace.empty()) {
      const std::string file = "flash:" + name_ + ".cfg";
      send("copy running-config " + file);
      file_ = file;
      session_.log(LogLevel::Info, "running configuration copied to " + file_);
    }
    session_.checkCancelled();
    session_.setCancellable(false);
    send(fill(cfg().enter));
    state_ = State::Direct;
    sendLines();
    send(cfg().leave);
    verify();
    state_ = State::Done;
    removeFile();
    finish();
  }

  void cancelPoint() {
    if (context_.cancelled()) fail(ErrorCategory::Cancelled, "cancelled while applying");
  }

  // The running configuration reflects every line, or the change fails naming those it lacks.
  void verify() {
    const bool setStyle = isSetStyle(lines_);
    const std::string command = showRunning(setStyle);
    const std::string output = session_.execute(command, CliSession::Expect::AnyMode, true);
    if (auto error = session_.platform().findError(output)) {
      fail(ErrorCategory::CommandError, "'" + command + "' failed: " + *error);
    }
    const auto missing =
        setStyle ? missingSetLines(output, lines_) : missingIndented(output, lines_);
    if (!missing.empty()) {
      std::string names;
      for (const auto& line : missing) names += (names.empty() ? "'" : ", '") + shown(line) + "'";
      fail(ErrorCategory::CommandError,
           "verification failed: the running configuration does not reflect " + names);
    }
    session_.log(LogLevel::Info, "verified: the running configuration reflects every line");
  }

  // Saved, backed up again: the artifact.
  void finish() {
    result_.data["applied"] = "true";
    if (options_.save && !cfg().save.empty()) {
      std::optional<std::string> error;
      send(cfg().save, &error);
      if (error) {
        session_.log(LogLevel::Warning, "'" + cfg().save + "' failed: " + *error);
        result_.data["saved"] = "false";
      } else {
        result_.data["saved"] = "true";
        session_.log(LogLevel::Info, "saved with '" + cfg().save + "'");
      }
    }
    try {
      const std::string config = assembleConfig(session_.platform(), backupOutputs(),
                                                options_.secretMode, options_.maxConfigBytes);
      describeConfig(config, result_.data);
      result_.data["lines"] = std::to_string(lines_.size());
      result_.artifact = config;
    } catch (const Failure& failure) {
      session_.log(LogLevel::Warning,
                   "the configuration after the change could not be read: " + failure.message);
    }
    result_.category = ErrorCategory::Ok;
  }

  // Out of configuration mode, the candidate dropped.
  void discard() {
    if (!cfg().abort.empty()) send(cfg().abort);
    if (session_.inConfigMode()) send(cfg().leave);
    state_ = State::Untouched;
  }

  void removeFile() {
    if (file_.empty()) return;
    std::optional<std::string> error;
    try {
      send("delete /force " + file_, &error);
      if (error) send("delete " + file_, &error);
    } catch (const Failure& failure) {
      error = failure.message;
    }
    if (error) {
      session_.log(LogLevel::Warning, "cannot delete " + file_ + ": " + *error);
    } else {
      session_.log(LogLevel::Info, file_ + " deleted");
    }
    file_.clear();
  }

  // After a failure: the device back as it was, as far as the state allows.
  void undo(const Failure& failure) {
    if (state_ == State::Untouched || state_ == State::Done) {
      if (state_ == State::Untouched && !file_.empty() && session_.isOpen()) removeFile();
      return;
    }
    if (state_ == State::Pending && (failure.sessionLost || !session_.isOpen())) {
      result_.category = ErrorCategory::ProtocolError;
      result_.message = "the session dropped after '" + committing_ +
                        "': the device restores the previous configuration by itself in " +
                        std::to_string(options_.confirmMinutes) + " min unless someone confirms";
      result_.data["rollback"] = "commit confirmed expires";
      return;
    }
    if (!session_.isOpen()) {
      result_.data["rollback"] = state_ == State::Candidate ? "not needed: nothing was committed"
                                                            : "not possible: the "
                                                              "session dropped";
      if (state_ == State::Direct && !file_.empty()) {
        result_.message += "; the configuration before the change is in " + file_;
      }
      return;
    }
    session_.setCancellable(false);
    session_.extendDeadline(device_.timeouts.command * 4);
    try {
      switch (state_) {
        case State::Candidate:
          discard();
          result_.data["rollback"] = "candidate discarded";
          break;
        case State::Pending:
          rollbackPending();
          result_.data["rollback"] = "done";
          break;
        case State::Direct:
          if (session_.inConfigMode()) send(cfg().leave);
          if (file_.empty()) {
            result_.data["rollback"] = "not possible: the platform has no configuration replace";
            break;
          }
          send(fill(cfg().replace));
          result_.data["rollback"] = "done";
          removeFile();
          break;
        default:
          break;
      }
      session_.log(LogLevel::Warning, "rollback: " + result_.data["rollback"]);
    } catch (const Failure& again) {
      result_.data["rollback"] = "failed: " + again.message;
      session_.log(LogLevel::Error, "rollback failed: " + again.message);
    }
    state_ = State::Done;
  }

  // A commit that waits for its confirmation, undone now.
  void rollbackPending() {
    if (!cfg().rollback.empty()) {
      // Junos: the previous configuration loaded and committed.
      if (!session_.inConfigMode()) send(fill(cfg().enter));
      send(cfg().rollback);
      send(cfg().commit.empty() ? fill(cfg().confirm) : cfg().commit);
      if (session_.inConfigMode()) send(cfg().leave);
    } else if (cfg().enter.find("{session}") != std::string::npos && !cfg().abort.empty()) {
      // EOS: aborting the session of a pending commit timer rolls it back at once.
      if (session_.inConfigMode()) send(cfg().leave);
      send(fill(cfg().enter) + " " + cfg().abort);
    } else {
      fail(ErrorCategory::CommandError, "the platform has no way to roll a commit back");
    }
  }

  const DeviceTarget& device_;
  const ChangeOptions& options_;
  RunContext& context_;
  DeviceResult result_;
  CliSession session_;
  std::string name_;  // the session or file name, unique per device and run
  std::string file_;  // the copy of the running configuration on the device, if made
  std::vector<std::string> lines_;
  std::string committing_;
  bool commitInConfig_ = false;
  State state_ = State::Untouched;
};

}  // namespace

DeviceResult changeDevice(const DeviceTarget& device, const ChangeOptions& options,
                          RunContext& context) {
  try {
    return DeviceChange(device, options, context).run();
  } catch (...) {
    DeviceResult result;
    result.deviceId = device.id;
    result.device = device.name;
    result.category = ErrorCategory::PluginError;
    result.message = "ssh_cli failed";
    return result;
  }
}

}  // namespace netspine::plugins::ssh_cli
