#include "eos_cli.hpp"

#include <charconv>

#include "config_render.hpp"
#include "line_diff.hpp"

namespace netspine::sim {

namespace {

// "hh:mm:ss" -> seconds.
std::optional<std::chrono::seconds> parseTimer(std::string_view text) {
  unsigned h = 0, m = 0, s = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (unsigned* part : {&h, &m, &s}) {
    auto result = std::from_chars(p, end, *part);
    if (result.ec != std::errc()) return std::nullopt;
    p = result.ptr;
    if (part != &s) {
      if (p == end || *p != ':') return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  return std::chrono::seconds(h * 3600 + m * 60 + s);
}

}  // namespace

EosCli::EosCli(std::shared_ptr<SimulatedDevice> device)
    : IosCli(std::move(device), CiscoDialect::Eos) {}

Reply EosCli::errorReply(const CommandTable::Error& error, std::string_view, bool) {
  switch (error.kind) {
    case CommandTable::Error::Incomplete:
      return Reply::error("% Incomplete command\n");
    case CommandTable::Error::Ambiguous:
      return Reply::error("% Ambiguous command\n");
    case CommandTable::Error::Invalid:
      break;
  }
  return Reply::error("% Invalid input\n");
}

Reply EosCli::runCommand(int id, const CommandTable::Match& match, const std::vector<Pipe>& pipes) {
  switch (id) {
    case kConfigure:  // EOS needs no 'terminal'
      return enterConfig();
    case kCopyRunStart:
      return saveConfig();
    case kEosConfigureSession:
      session_ = match.args.at(0);
      device().editSession(session_, [](ConfigTree&) {});  // opens it
      config_ = true;
      context_.clear();
      return {};
    case kEosSessionCommit: {
      // Confirms a 'commit timer', or commits a pending session from exec mode.
      if (device().confirmCommit()) return {};
      if (!device().hasSession(match.args.at(0)))
        return Reply::error("% Session " + match.args.at(0) + " does not exist\n");
      session_ = match.args.at(0);
      Reply reply = commitSession(std::nullopt);
      return reply;
    }
    case kEosSessionAbort:
      // The session whose 'commit timer' is pending: its previous configuration comes back now.
      device().rollbackPending(match.args.at(0));
      device().endSession(match.args.at(0));
      return {};
    case kEosShowSessions:
      return show(std::string("Maximum number of completed sessions: 1\n"
                              "Maximum number of pending sessions: 5\n\n"
                              "  Name      State         User    Terminal\n"
                              "  --------- ------------- ------- --------\n") +
                      (session_.empty() ? ""
                                        : strf("* %-9s pending       %-7s vty3\n", session_.c_str(),
                                               device().profile().username.c_str())),
                  pipes, "show configuration sessions");
  }
  return IosCli::runCommand(id, match, pipes);
}

std::string EosCli::sessionDiffs() {
  const std::string running = renderBody(OsKind::AristaEos, *device().running()) + "end\n";
  const std::string session = renderBody(OsKind::AristaEos, device().session(session_)) + "end\n";
  return unifiedDiff(running, session, "system:/running-config",
                     "session:/" + session_ + "-session-config");
}

Reply EosCli::commitSession(std::optional<std::chrono::seconds> timer) {
  device().commit(device().session(session_), timer, session_);
  device().endSession(session_);
  session_.clear();
  config_ = false;
  context_.clear();
  return {};
}

Reply EosCli::configLine(std::string_view line) {
  const auto tokens = tokenize(line);
  const std::string first = lower(tokens.front().text);
  if (!session_.empty()) {
    if (first == "commit" && tokens.size() == 1) return commitSession(std::nullopt);
    if (first == "commit" && tokens.size() == 3 && abbreviates(tokens[1].text, "timer")) {
      auto timer = parseTimer(tokens[2].text);
      if (!timer) return Reply::error("% Invalid input\n");
      return commitSession(timer);
    }
    if (first == "abort" && tokens.size() == 1) {
      device().endSession(session_);
      return leaveConfig();
    }
    if (tokens.size() >= 3 && abbreviates(first, "show") &&
        abbreviates(tokens[1].text, "session-config") && abbreviates(tokens[2].text, "diffs"))
      return show(sessionDiffs(), splitPipes(line).pipes, "show session-config diffs");
  }
  // EOS runs exec commands in configuration mode without 'do'.
  if (tokens.size() >= 2 && abbreviates(first, "show") && first.size() >= 2)
    return IosCli::configLine("do " + std::string(line));
  return IosCli::configLine(line);
}

void EosCli::editConfig(const SimulatedDevice::Edit& edit) {
  if (session_.empty())
    device().editRunning(edit);
  else
    device().editSession(session_, edit);
}

std::string EosCli::configMode() const {
  const std::string mode = IosCli::configMode();
  if (session_.empty()) return mode;
  // "config-if-Et1" -> "config-s-NAME-if-Et1"
  return "config-s-" + session_ + (mode.size() > 6 ? mode.substr(6) : "");
}

Reply EosCli::enterConfig() {
  config_ = true;
  context_.clear();
  return {};
}

Reply EosCli::leaveConfig() {
  session_.clear();  // a session left with 'end' stays pending on the device
  return IosCli::leaveConfig();
}

Reply EosCli::terminalLength(std::size_t lines) {
  pageLength_ = lines;
  return {lines == 0 ? "Pagination disabled.\n" : strf("Pagination set to %zu lines.\n", lines)};
}

Reply EosCli::terminalWidth(std::size_t columns) {
  return {strf("Width set to %zu columns.\n", columns)};
}

Reply EosCli::saveConfig() {
  device().saveStartup();
  return {"Copy completed successfully.\n"};
}

Reply EosCli::denied() {
  return Reply::error("% Access denied\n");
}

}  // namespace netspine::sim
