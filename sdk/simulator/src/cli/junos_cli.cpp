#include "junos_cli.hpp"

#include <array>
#include <cctype>

#include "config_render.hpp"
#include "junos_config.hpp"
#include "show_output.hpp"

namespace netspine::sim {

namespace {

enum Op {
  kShowConfiguration,
  kShowVersion,
  kShowChassis,
  kShowInterfaces,
  kShowUptime,
  kScreenLength,
  kScreenWidth,
  kConfigure,
  kConfigurePrivate,
  kExit,
  kQuiet
};
enum Conf {
  kSet,
  kDelete,
  kShow,
  kCommit,
  kRollback,
  kExitConf,
  kTop,
  kUp,
  kEdit,
  kRun,
  kStatus,
  kNothing
};

const CommandTable& operationalTable() {
  static const CommandTable table = [] {
    CommandTable t;
    t.add(kShowConfiguration, "show configuration [rest]").add(kShowVersion, "show version [rest]");
    t.add(kShowChassis, "show chassis hardware [rest]");
    t.add(kShowInterfaces, "show interfaces [rest]").add(kShowUptime, "show system uptime");
    t.add(kScreenLength, "set cli screen-length <arg>")
        .add(kScreenWidth, "set cli screen-width <arg>");
    t.add(kQuiet, "set cli terminal <arg>").add(kQuiet, "set cli timestamp [rest]");
    t.add(kConfigure, "configure").add(kConfigure, "configure exclusive");
    t.add(kConfigurePrivate, "configure private");
    t.add(kExit, "exit").add(kExit, "quit");
    for (auto decoy :
         {"ping <rest>",        "traceroute <rest>",   "ssh <rest>",
          "telnet <rest>",      "start shell [rest]",  "request <rest>",
          "clear <rest>",       "file <rest>",         "help [rest]",
          "monitor <rest>",     "restart <rest>",      "test <rest>",
          "op <rest>",          "save <rest>",         "show route [rest]",
          "show bgp [rest]",    "show log [rest]",     "show system users",
          "show system alarms", "show chassis alarms", "show chassis environment [rest]"})
      t.add(kQuiet, decoy);
    return t;
  }();
  return table;
}

const CommandTable& configurationTable() {
  static const CommandTable table = [] {
    CommandTable t;
    t.add(kSet, "set <rest>").add(kDelete, "delete <rest>").add(kShow, "show [rest]");
    t.add(kCommit, "commit [rest]").add(kRollback, "rollback [rest]");
    t.add(kExitConf, "exit [rest]").add(kExitConf, "quit [rest]");
    t.add(kTop, "top").add(kUp, "up [rest]").add(kEdit, "edit <rest>").add(kRun, "run <rest>");
    t.add(kStatus, "status");
    for (auto decoy :
         {"activate <rest>", "deactivate <rest>", "annotate <rest>", "copy <rest>", "insert <rest>",
          "load <rest>", "rename <rest>", "replace <rest>", "save <rest>", "wildcard <rest>",
          "help [rest]", "protect <rest>", "unprotect <rest>"})
      t.add(kNothing, decoy);
    return t;
  }();
  return table;
}

// The statements Junos accepts at the top of the hierarchy.
bool isTopLevelStatement(std::string_view word) {
  static constexpr std::array<std::string_view, 26> kTop = {"system",
                                                            "interfaces",
                                                            "protocols",
                                                            "routing-options",
                                                            "policy-options",
                                                            "firewall",
                                                            "security",
                                                            "snmp",
                                                            "chassis",
                                                            "vlans",
                                                            "class-of-service",
                                                            "forwarding-options",
                                                            "routing-instances",
                                                            "groups",
                                                            "apply-groups",
                                                            "services",
                                                            "version",
                                                            "event-options",
                                                            "applications",
                                                            "access",
                                                            "bridge-domains",
                                                            "ethernet-switching-options",
                                                            "switch-options",
                                                            "virtual-chassis",
                                                            "poe",
                                                            "multi-chassis"};
  for (auto top : kTop)
    if (word == top) return true;
  return false;
}

}  // namespace

JunosCli::JunosCli(std::shared_ptr<SimulatedDevice> device)
    : ShellSession(std::move(device), "---(more)---",
                   "\r                                        \r") {}

std::string JunosCli::banner() {
  return showOutput(shellBanner(device())) + "\n";
}

std::string JunosCli::prompt() {
  const std::string who = device().profile().username + "@" + device().hostname();
  if (!config_) return who + "> ";
  std::string level = "[edit";
  for (const auto& word : editPath_) level += " " + word;
  return "\n" + level + "]\n" + who + "# ";
}

Reply JunosCli::execute(std::string_view line) {
  const std::string_view text = trim(line);
  if (text.empty()) return {};
  if (config_) return configuration(text);
  Reply reply = operational(text);
  // Operational output is followed by an empty line before the prompt.
  if (!reply.text.empty() && interactive() && !config_) reply.text += "\n";
  return reply;
}

Reply JunosCli::caret(std::size_t column, const std::string& message) {
  return Reply::error(std::string(promptWidth() + column, ' ') + "^\n" + message + "\n");
}

Reply JunosCli::syntaxError(const CommandTable::Error& error, bool firstWordUnknown) {
  switch (error.kind) {
    case CommandTable::Error::Ambiguous:
      return caret(error.column, "'" + error.word + "' is ambiguous.");
    case CommandTable::Error::Incomplete:
      return caret(error.column, "syntax error, expecting <command>.");
    case CommandTable::Error::Invalid:
      break;
  }
  if (firstWordUnknown && error.wordIndex == 0) return caret(error.column, "unknown command.");
  return caret(error.column, "syntax error, expecting <command>.");
}

ConfigTree JunosCli::candidate() {
  return private_ ? *private_ : device().candidate();
}

void JunosCli::editCandidate(const SimulatedDevice::Edit& edit) {
  if (private_)
    edit(*private_);
  else
    device().editCandidate(edit);
}

bool JunosCli::candidateChanged() {
  if (private_) return *private_ != *device().running();
  return device().candidateChanged();
}

Reply JunosCli::showConfig(const ConfigTree& tree, std::vector<std::string> path,
                           const std::vector<Pipe>& pipes, bool header) {
  bool displaySet = false;
  std::vector<Pipe> rest;
  for (const auto& pipe : pipes) {
    const auto w = words(pipe.text);
    if (w.size() == 2 && abbreviates(w[0], "display") && abbreviates(w[1], "set"))
      displaySet = true;
    else if (w.size() == 2 && abbreviates(w[0], "display") && abbreviates(w[1], "omit"))
      continue;  // nothing here is marked 'apply-flags omit'
    else
      rest.push_back(pipe);
  }
  const std::vector<std::string> statementPath = junosPath(path);
  const ConfigNode* node = path.empty() ? nullptr : junosFindNode(tree, statementPath);
  // A leaf prints itself ('host-name r1;'), a container its contents.
  const std::vector<ConfigNode> leaf =
      node && node->children.empty() ? std::vector<ConfigNode>{*node} : std::vector<ConfigNode>{};
  const std::vector<ConfigNode>* nodes =
      path.empty() ? &tree.nodes : (node ? (leaf.empty() ? &node->children : &leaf) : nullptr);
  std::string text;
  if (nodes) {
    if (displaySet) {
      std::string prefix = "set ";
      const std::size_t parents = leaf.empty() ? statementPath.size() : statementPath.size() - 1;
      for (std::size_t i = 0; i < parents; ++i) prefix += statementPath[i] + " ";
      renderJunosSet(*nodes, prefix, text);
    } else if (header && path.empty()) {
      text = device().runningConfig();
    } else {
      renderJunos(*nodes, 0, text);
    }
  }
  std::size_t errorColumn = 0;
  auto reply = filtered({showOutput(std::move(text))}, rest, errorColumn);
  if (!reply) return caret(errorColumn, "syntax error, expecting <command>.");
  return *reply;
}

Reply JunosCli::operational(std::string_view line) {
  PipedCommand piped = splitPipes(line);
  auto result = operationalTable().match(piped.command);
  if (auto* error = std::get_if<CommandTable::Error>(&result)) return syntaxError(*error, true);
  const auto& match = std::get<CommandTable::Match>(result);
  const bool isShow = match.id == kShowConfiguration || match.id == kShowVersion ||
                      match.id == kShowChassis || match.id == kShowInterfaces ||
                      match.id == kShowUptime;
  if (isShow && device().hasFault(Fault::CommandErrors)) {
    auto tokens = tokenize(piped.command);
    return caret(tokens.size() > 1 ? tokens[1].column : 0, "syntax error, expecting <command>.");
  }
  std::size_t errorColumn = 0;
  auto show = [&](std::string text) -> Reply {
    auto reply = filtered({showOutput(std::move(text))}, piped.pipes, errorColumn);
    if (!reply) return caret(errorColumn, "syntax error, expecting <command>.");
    return *reply;
  };
  switch (match.id) {
    case kShowConfiguration:
      return showConfig(*device().running(), words(match.rest), piped.pipes, true);
    case kShowVersion:
      return show(showVersion(device()));
    case kShowChassis:
      return show(showInventory(device()));
    case kShowInterfaces:
      return show(showInterfaces(device()));
    case kShowUptime:
      return show("Current time: " + junosTime(device().now()) +
                  "\nSystem booted: " + junosTime(device().now() - device().uptime()) + "\n");
    case kScreenLength:
      pageLength_ = parseCount(match.args.at(0), pageLength_);
      return {"Screen length set to " + match.args.at(0) + "\n"};
    case kScreenWidth:
      return {"Screen width set to " + match.args.at(0) + "\n"};
    case kConfigure:
      return enterConfiguration(false);
    case kConfigurePrivate:
      return enterConfiguration(true);
    case kExit:
      finish();
      return {};
  }
  return {};
}

Reply JunosCli::enterConfiguration(bool privateCandidate) {
  std::string text;
  if (privateCandidate) {
    if (device().candidateChanged())
      return Reply::error(
          "error: shared configuration database modified\n"
          "Users currently editing the configuration:\n  " +
          device().profile().username + " terminal pts/0\n");
    private_ = *device().running();
    text = "warning: uncommitted changes will be discarded on exit\n";
  } else if (device().candidateChanged()) {
    text = "The configuration has been changed but not committed\n";
  }
  config_ = true;
  editPath_.clear();
  return {text + "Entering configuration mode\n"};
}

Reply JunosCli::leaveConfiguration() {
  config_ = false;
  private_.reset();
  editPath_.clear();
  return {"Exiting configuration mode\n\n"};
}

Reply JunosCli::commit(const std::string& arguments) {
  const auto w = words(arguments);
  bool check = false, andQuit = false;
  std::optional<std::chrono::seconds> confirmWithin;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (abbreviates(w[i], "check")) {
      check = true;
    } else if (abbreviates(w[i], "and-quit")) {
      andQuit = true;
    } else if (abbreviates(w[i], "confirmed")) {
      std::size_t minutes = 10;
      if (i + 1 < w.size() && std::isdigit(static_cast<unsigned char>(w[i + 1][0])))
        minutes = parseCount(w[++i], 10);
      confirmWithin = std::chrono::minutes(minutes);
    } else if (abbreviates(w[i], "comment") || abbreviates(w[i], "synchronize")) {
      if (w[i][0] == 'c' && i + 1 < w.size()) ++i;  // the comment text
    } else {
      return caret(0, "syntax error.");
    }
  }
  if (check) return {"configuration check succeeds\n"};
  const ConfigTree tree = candidate();
  device().commit(tree, confirmWithin);
  if (private_)
    private_ = tree;
  else
    device().discardCandidate();
  if (confirmWithin && device().hasFault(Fault::DropAfterCommitConfirmed)) {
    // The change cut the management path: the session is gone before 'commit complete' could
    // arrive, and only the commit's own timer can bring the previous configuration back.
    finish();
    return {};
  }
  std::string text;
  if (confirmWithin) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(*confirmWithin).count();
    text = strf(
        "commit confirmed will be automatically rolled back in %lld minutes unless "
        "confirmed\ncommit complete\n\n# commit confirmed will be rolled back in %lld "
        "minutes\n",
        static_cast<long long>(minutes), static_cast<long long>(minutes));
  } else {
    text = "commit complete\n";
  }
  if (andQuit) {
    Reply left = leaveConfiguration();
    return {text + left.text};
  }
  return {text};
}

Reply JunosCli::configuration(std::string_view line) {
  PipedCommand piped = splitPipes(line);
  auto result = configurationTable().match(piped.command);
  if (auto* error = std::get_if<CommandTable::Error>(&result)) return syntaxError(*error, true);
  const auto& match = std::get<CommandTable::Match>(result);
  switch (match.id) {
    case kSet:
    case kDelete: {
      std::vector<std::string> full = editPath_;
      for (auto& word : words(match.rest)) full.push_back(std::move(word));
      if (!isTopLevelStatement(full.front())) {
        auto tokens = tokenize(piped.command);
        return caret(tokens.at(1).column, "syntax error.");
      }
      const auto path = junosPath(full);
      if (match.id == kSet) {
        editCandidate([&](ConfigTree& tree) { junosSet(tree, path); });
        return {};
      }
      bool found = false;
      editCandidate([&](ConfigTree& tree) { found = junosDelete(tree, path); });
      return found ? Reply{} : Reply{"warning: statement not found\n"};
    }
    case kShow: {
      if (device().hasFault(Fault::CommandErrors))
        return caret(0, "syntax error, expecting <command>.");
      for (const auto& pipe : piped.pipes) {
        if (abbreviates(firstWord(pipe.text), "compare")) {
          const auto rollbackWords = words(pipe.text);
          std::size_t n = rollbackWords.size() > 2 ? parseCount(rollbackWords[2], 0) : 0;
          auto base = device().rollback(n);
          if (!base) return Reply::error("error: rollback " + std::to_string(n) + " not found\n");
          std::string diff = junosCompare(*base, candidate());
          return {diff};
        }
      }
      std::vector<std::string> path = editPath_;
      for (auto& word : words(match.rest)) path.push_back(std::move(word));
      return showConfig(candidate(), path, piped.pipes, false);
    }
    case kCommit:
      return commit(match.rest);
    case kRollback: {
      const std::size_t n = match.rest.empty() ? 0 : parseCount(match.rest, 50);
      auto tree = device().rollback(n);
      if (!tree) return Reply::error("error: Requested rollback configuration not found\n");
      if (private_)
        private_ = std::move(*tree);
      else if (n == 0)
        device().discardCandidate();
      else
        device().setCandidate(std::move(*tree));
      return {"load complete\n"};
    }
    case kExitConf: {
      const bool wholeMode = abbreviates(firstWord(match.rest), "configuration-mode");
      if (!wholeMode && !editPath_.empty()) {
        editPath_.clear();
        return {};
      }
      if (!candidateChanged()) return leaveConfiguration();
      ask("Exit with uncommitted changes? [yes,no] (yes) ", [this](std::string_view answer) {
        const std::string_view a = trim(answer);
        if (a.empty() || abbreviates(a, "yes")) return leaveConfiguration();
        return Reply{};
      });
      return {"The configuration has been changed but not committed\n"};
    }
    case kTop:
      editPath_.clear();
      return {};
    case kUp:
      if (!editPath_.empty()) {
        const auto path = junosPath(editPath_);
        editPath_ = words(joinWords([&] {
          std::vector<std::string> shorter(path.begin(), path.end() - 1);
          return shorter;
        }()));
      }
      return {};
    case kEdit: {
      std::vector<std::string> full = editPath_;
      for (auto& word : words(match.rest)) full.push_back(std::move(word));
      if (!isTopLevelStatement(full.front()))
        return caret(tokenize(piped.command).at(1).column, "syntax error.");
      editPath_ = std::move(full);
      return {};
    }
    case kRun:
      return operational(trim(line.substr(tokenize(line).at(1).column)));
    case kStatus:
      return {"Users currently editing the configuration:\n  " + device().profile().username +
              " terminal pts/0 (pid 4242) on since " + junosTime(device().now()) + "\n"};
    case kNothing:
      return {};
  }
  return {};
}

}  // namespace netspine::sim
