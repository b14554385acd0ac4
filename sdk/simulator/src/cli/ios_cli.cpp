#include "ios_cli.hpp"

#include <algorithm>
#include <ctime>

#include "show_output.hpp"

namespace netspine::sim {

namespace {

// "flash:NAME" or "flash:/NAME" -> "NAME"; nullopt for another file system or no name.
std::optional<std::string> flashFile(std::string_view path) {
  if (path.size() <= 6 || !iequals(path.substr(0, 6), "flash:")) return std::nullopt;
  std::string_view name = path.substr(6);
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

std::string utcStamp(TimePoint time, const char* format) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

CommandTable makeIosTable(bool privileged, bool eos) {
  CommandTable t;
  t.add(IosCli::kExit, "exit").add(IosCli::kExit, "logout").add(IosCli::kExit, "quit");
  t.add(IosCli::kEnable, "enable [rest]");
  t.add(IosCli::kTerminalLength, "terminal length <arg>")
      .add(IosCli::kTerminalWidth, "terminal width <arg>")
      .add(IosCli::kTerminalOther, "terminal monitor")
      .add(IosCli::kTerminalOther, "terminal no monitor")
      .add(IosCli::kTerminalOther, "terminal history [rest]");
  t.add(IosCli::kShowVersion, "show version").add(IosCli::kShowClock, "show clock [rest]");
  t.add(IosCli::kShowInventory, "show inventory [rest]");
  t.add(IosCli::kShowPrivilege, "show privilege");
  t.add(IosCli::kShowInterfacesBrief, "show ip interface brief");
  t.add(IosCli::kShowOther, "show users [rest]").add(IosCli::kShowOther, "show history");
  t.add(IosCli::kShowOther, "show ip route [rest]").add(IosCli::kShowOther, "show ip bgp [rest]");
  t.add(IosCli::kShowOther, "show interfaces [rest]").add(IosCli::kShowOther, "show logging");
  // Real commands outside the simulation: they keep abbreviations as ambiguous as on IOS.
  for (auto decoy :
       {"ping <rest>", "traceroute <rest>", "ssh <rest>", "telnet <rest>", "connect <rest>",
        "disconnect [rest]", "send <rest>", "systat", "set [rest]", "show reload",
        "show rom-monitor", "show route-map [rest]", "show tech-support"})
    t.add(IosCli::kQuiet, decoy);
  if (eos) {
    t.add(IosCli::kEosConfigureSession, "configure session <arg>");
    t.add(IosCli::kEosSessionCommit, "configure session <arg> commit");
    t.add(IosCli::kEosSessionAbort, "configure session <arg> abort");
    t.add(IosCli::kEosShowSessions, "show configuration sessions [rest]");
    t.add(IosCli::kQuiet, "bash [rest]").add(IosCli::kQuiet, "show lldp [rest]");
  }
  if (!privileged) return t;
  t.add(IosCli::kDisable, "disable [rest]");
  t.add(IosCli::kConfigureTerminal, "configure terminal").add(IosCli::kConfigure, "configure");
  t.add(IosCli::kConfigureTerminal, "configure memory");
  t.add(IosCli::kShowRunning, "show running-config [rest]");
  t.add(IosCli::kShowStartup, "show startup-config");
  t.add(IosCli::kWriteMemory, "write memory").add(IosCli::kWriteMemory, "write");
  t.add(IosCli::kCopyRunStart, "copy running-config startup-config");
  t.add(IosCli::kCopyRunStart, "copy system:running-config nvram:startup-config");
  // Before the decoys: the flash files the rollbacks use; other forms stay quiet decoys.
  t.add(IosCli::kCopyRunFile, "copy running-config <arg>");
  t.add(IosCli::kCopyRunFile, "copy system:running-config <arg>");
  t.add(IosCli::kConfigureReplace, "configure replace <arg>");
  t.add(IosCli::kConfigureReplaceForce, "configure replace <arg> force");
  t.add(IosCli::kDeleteFileForce, "delete /force <arg>").add(IosCli::kDeleteFile, "delete <arg>");
  t.add(IosCli::kDir, "dir").add(IosCli::kDir, "dir flash:");
  for (auto decoy : {"write erase", "write terminal", "write network", "copy <rest>",
                     "clear <rest>", "debug <rest>", "undebug <rest>", "dir [rest]",
                     "delete <rest>", "reload [rest]", "setup", "tclsh", "show archive [rest]"})
    t.add(IosCli::kQuiet, decoy);
  return t;
}

}  // namespace

IosCli::IosCli(std::shared_ptr<SimulatedDevice> device)
    : IosCli(std::move(device), CiscoDialect::Ios) {}

IosCli::IosCli(std::shared_ptr<SimulatedDevice> device, CiscoDialect dialect)
    : ShellSession(std::move(device), " --More-- ",
                   "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b"),
      dialect_(dialect),
      privileged_(this->device().profile().startPrivileged) {}

std::string IosCli::banner() {
  return showOutput(shellBanner(device()));
}

std::string IosCli::prompt() {
  const std::string host = device().hostname();
  if (config_) return host + "(" + configMode() + ")#";
  return host + (privileged_ ? "#" : ">");
}

std::string IosCli::configMode() const {
  return ciscoModeName(context_, dialect_);
}

const CommandTable& IosCli::execTable() const {
  static const CommandTable user = makeIosTable(false, false);
  static const CommandTable privileged = makeIosTable(true, false);
  static const CommandTable eosUser = makeIosTable(false, true);
  static const CommandTable eosPrivileged = makeIosTable(true, true);
  if (dialect_ == CiscoDialect::Eos) return privileged_ ? eosPrivileged : eosUser;
  return privileged_ ? privileged : user;
}

Reply IosCli::execute(std::string_view line) {
  const std::string_view text = trim(line);
  if (text.empty()) return {};
  if (config_) return configLine(text);
  PipedCommand piped = splitPipes(text);
  auto result = execTable().match(piped.command);
  if (auto* error = std::get_if<CommandTable::Error>(&result))
    return errorReply(*error, piped.command, true);
  return runCommand(std::get<CommandTable::Match>(result).id, std::get<CommandTable::Match>(result),
                    piped.pipes);
}

Reply IosCli::invalidAt(std::size_t column) {
  if (dialect_ == CiscoDialect::Eos) return Reply::error("% Invalid input\n");
  return Reply::error(std::string(promptWidth() + column, ' ') +
                      "^\n% Invalid input detected at '^' marker.\n\n");
}

Reply IosCli::errorReply(const CommandTable::Error& error, std::string_view line, bool execMode) {
  switch (error.kind) {
    case CommandTable::Error::Incomplete:
      return Reply::error("% Incomplete command.\n\n");
    case CommandTable::Error::Ambiguous:
      return Reply::error("% Ambiguous command:  \"" + std::string(trim(line)) + "\"\n");
    case CommandTable::Error::Invalid:
      break;
  }
  // A lone unknown word in exec mode is taken for a host name to telnet to.
  if (execMode && error.wordIndex == 0 && tokenize(line).size() == 1)
    return Reply::error("Translating \"" + error.word +
                        "\"\n% Unknown command or computer name, or unable to find computer "
                        "address\n");
  return invalidAt(error.column);
}

Reply IosCli::show(std::string text, const std::vector<Pipe>& pipes, std::string_view command) {
  if (device().hasFault(Fault::CommandErrors)) {
    auto tokens = tokenize(command);
    return invalidAt(tokens.size() > 1 ? tokens[1].column : 0);
  }
  std::size_t errorColumn = 0;
  auto reply = filtered({showOutput(std::move(text))}, pipes, errorColumn);
  if (!reply) return invalidAt(errorColumn);
  return *reply;
}

Reply IosCli::runCommand(int id, const CommandTable::Match& match, const std::vector<Pipe>& pipes) {
  const std::string command = match.rest;  // for carets only
  switch (id) {
    case kExit:
      finish();
      return {};
    case kEnable:
      if (!privileged_) askEnableSecret();
      return {};
    case kDisable:
      privileged_ = false;
      return {};
    case kConfigureTerminal:
      return enterConfig();
    case kConfigure:
      ask("Configuring from terminal, memory, or network [terminal]? ",
          [this](std::string_view answer) -> Reply {
            if (trim(answer).empty() || abbreviates(trim(answer), "terminal")) return enterConfig();
            return Reply::error("?Must be \"terminal\", \"memory\" or \"network\"\n");
          });
      return {};
    case kTerminalLength:
      return terminalLength(parseCount(match.args.at(0), pageLength_));
    case kTerminalWidth:
      return terminalWidth(parseCount(match.args.at(0), 80));
    case kTerminalOther:
    case kQuiet:
      return {};
    case kShowRunning: {
      std::string config = device().runningConfig();
      if (!match.rest.empty() && startsWith(lower(match.rest), "int")) {
        // 'show running-config interface X': that section only.
        Filter section{
            FilterKind::Section,
            "^interface " +
                normalizeCiscoLine("interface " + joinWords(words(match.rest), 1), dialect_)
                    .substr(10) +
                "$"};
        config = applyFilter(device().profile().os, section, config);
      }
      return show(std::move(config), pipes, "show running-config");
    }
    case kShowStartup:
      return show(device().startupConfig(), pipes, "show startup-config");
    case kShowVersion:
      return show(showVersion(device()), pipes, "show version");
    case kShowInventory:
      return show(showInventory(device()), pipes, "show inventory");
    case kShowClock:
      return show(showClock(device()), pipes, "show clock");
    case kShowInterfacesBrief:
      return show(showInterfaces(device()), pipes, "show ip interface brief");
    case kShowPrivilege:
      return show(
          privileged_ ? "Current privilege level is 15\n" : "Current privilege level is 1\n", pipes,
          "show privilege");
    case kShowOther:
      return show("", pipes, "show other");
    case kWriteMemory:
      return saveConfig();
    case kCopyRunStart:
      ask("Destination filename [startup-config]? ", [this](std::string_view answer) -> Reply {
        if (!trim(answer).empty() && trim(answer) != "startup-config")
          return Reply::error("%Error opening flash:" + std::string(trim(answer)) +
                              " (Permission denied)\n");
        return saveConfig();
      });
      return {};
    case kCopyRunFile:
      return copyRunningToFile(match.args.at(0));
    case kConfigureReplace:
    case kConfigureReplaceForce:
      return configureReplace(match.args.at(0), id == kConfigureReplaceForce);
    case kDeleteFile:
    case kDeleteFileForce:
      return deleteFile(match.args.at(0));
    case kDir:
      return show(directory(), pipes, "dir");
  }
  return {};
}

Reply IosCli::copyRunningToFile(const std::string& destination) {
  const auto name = flashFile(destination);
  if (!name) return {};  // tftp:, scp:, ...: outside the simulation, as the decoys
  const SimulatedDevice::File file = device().saveRunningToFile(*name);
  if (dialect_ == CiscoDialect::Eos) return {"Copy completed successfully.\n"};
  // 'file prompt quiet': no 'Destination filename [NAME]?' question.
  return {
      strf("%zu bytes copied in 0.012 secs (%zu bytes/sec)\n", file.bytes, file.bytes * 1000 / 12)};
}

Reply IosCli::configureReplace(const std::string& source, bool force) {
  const auto name = flashFile(source);
  const auto files = device().files();
  const bool exists = name && std::any_of(files.begin(), files.end(),
                                          [&](const auto& file) { return file.name == *name; });
  if (dialect_ == CiscoDialect::Eos) {
    if (!exists) return Reply::error("% Error: file " + source + " does not exist\n");
    return replaceNow(source);  // EOS asks nothing; 'force' changes nothing
  }
  if (!exists) return Reply::error("%Error opening " + source + " (No such file or directory)\n");
  if (force) return replaceNow(source);
  ask("This will apply all necessary additions and deletions\n"
      "to replace the current running configuration with the\n"
      "contents of the specified configuration file, which is\n"
      "assumed to be a complete configuration, not a partial\n"
      "configuration. Enter Y if you are sure you want to proceed. ? [no]: ",
      [this, source](std::string_view answer) -> Reply {
        if (abbreviates(trim(answer), "yes") && !trim(answer).empty()) return replaceNow(source);
        return {};
      });
  return {};
}

Reply IosCli::replaceNow(const std::string& source) {
  const auto name = flashFile(source);
  const bool replaced = name && device().replaceRunningFromFile(*name);
  if (dialect_ == CiscoDialect::Eos) {
    if (!replaced) return Reply::error("% Error: file " + source + " does not exist\n");
    return {};
  }
  // Deleted in between (another session): the same error as a missing file.
  if (!replaced) return Reply::error("%Error opening " + source + " (No such file or directory)\n");
  return {"Total number of passes: 1\nRollback Done\n\n"};
}

Reply IosCli::deleteFile(const std::string& path) {
  const auto name = flashFile(path);
  if (name && device().deleteFile(*name)) return {};
  if (dialect_ == CiscoDialect::Eos)
    return Reply::error("% Error: file " + path + " does not exist\n");
  return Reply::error("%Error deleting " + path + " (No such file or directory)\n");
}

std::string IosCli::directory() {
  std::string out = "Directory of flash:/\n\n";
  std::size_t used = 0, index = 1;
  for (const auto& file : device().files()) {
    used += file.bytes;
    if (dialect_ == CiscoDialect::Eos)
      out += strf("       -rw-  %10zu  %s  %s\n", file.bytes,
                  utcStamp(file.saved, "%b %e %H:%M").c_str(), file.name.c_str());
    else
      out += strf("%5zu  -rw-  %10zu  %s  %s\n", index++, file.bytes,
                  utcStamp(file.saved, "%b %e %Y %H:%M:%S +00:00").c_str(), file.name.c_str());
  }
  const std::size_t total = dialect_ == CiscoDialect::Eos ? 3957878784u : 7999729664u;
  return out + strf("\n%zu bytes total (%zu bytes free)\n", total, total - 19210240 - used);
}

void IosCli::askEnableSecret() {
  ask(
      "Password: ",
      [this](std::string_view secret) -> Reply {
        if (secret != device().profile().enableSecret) return denied();
        privileged_ = true;
        enableTries_ = 0;
        return {};
      },
      true);
}

Reply IosCli::denied() {
  // IOS asks three times before giving up.
  if (++enableTries_ < 3) {
    askEnableSecret();
    return {};
  }
  enableTries_ = 0;
  return Reply::error("% Bad secrets\n\n");
}

Reply IosCli::enterConfig() {
  config_ = true;
  context_.clear();
  return {interactive() ? "Enter configuration commands, one per line.  End with CNTL/Z.\n" : ""};
}

Reply IosCli::leaveConfig() {
  config_ = false;
  context_.clear();
  return {};
}

Reply IosCli::terminalLength(std::size_t lines) {
  pageLength_ = lines;
  return {};
}

Reply IosCli::terminalWidth(std::size_t) {
  return {};
}

Reply IosCli::saveConfig() {
  device().saveStartup();
  return {"Building configuration...\n[OK]\n"};
}

void IosCli::editConfig(const SimulatedDevice::Edit& edit) {
  device().editRunning(edit);
}

Reply IosCli::configLine(std::string_view line) {
  const auto tokens = tokenize(line);
  const std::string first = lower(tokens.front().text);
  if (first == "end" && tokens.size() == 1) return leaveConfig();
  if (first == "do" && tokens.size() > 1) {
    PipedCommand piped = splitPipes(line.substr(tokens[1].column));
    auto result = execTable().match(piped.command);
    if (auto* error = std::get_if<CommandTable::Error>(&result)) {
      CommandTable::Error shifted = *error;
      shifted.column += tokens[1].column;
      return errorReply(shifted, line, false);
    }
    const auto& match = std::get<CommandTable::Match>(result);
    if (match.id == kConfigureTerminal || match.id == kConfigure || match.id == kExit) return {};
    return runCommand(match.id, match, piped.pipes);
  }
  if ((first == "exit" || first == "quit") && tokens.size() == 1 && context_.empty())
    return leaveConfig();
  CiscoEdit result;
  editConfig([&](ConfigTree& tree) { result = applyCiscoLine(tree, context_, line, dialect_); });
  if (!result.accepted) return invalidAt(tokens.front().column);
  context_ = std::move(result.context);
  return {};
}

Reply IosCli::interrupt() {
  if (config_) return leaveConfig();
  return {};
}

Reply IosCli::suspend() {
  if (config_) return leaveConfig();
  return {};
}

}  // namespace netspine::sim
