#pragma once
// The platform interface: the command map and parsers of one device OS.
//
// A platform does no IO. An engine (the SSH CLI engine, the backup and push engines) drives the
// session and asks the platform what to send, what a prompt or an error looks like, and how to
// turn command outputs into one stored configuration. Patterns are ECMAScript regular
// expressions (std::regex syntax), matched against text from which ANSI escape sequences and
// carriage returns have been removed (see text.hpp).

#include <netspine/plugin/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netspine::plugin {

// What to do with secrets in a stored configuration.
enum class SecretMode {
  Mask,    // replace the secret value with "<secret hidden>" and keep the line (the default)
  Keep,    // store as the device printed it
  Remove,  // drop every line that holds a secret
};

inline const char* toString(SecretMode mode) {
  switch (mode) {
    case SecretMode::Mask:
      return "mask";
    case SecretMode::Keep:
      return "keep";
    case SecretMode::Remove:
      return "remove";
  }
  return "mask";
}

inline std::optional<SecretMode> parseSecretMode(std::string_view text) {
  if (text == "mask") return SecretMode::Mask;
  if (text == "keep") return SecretMode::Keep;
  if (text == "remove") return SecretMode::Remove;
  return std::nullopt;
}

inline constexpr const char* kSecretMask = "<secret hidden>";

// Prompts, each matched against the end of the received text (the pattern is anchored at the
// end by the engine, so it should not end with '$'). A login banner or MOTD before the prompt
// and ANSI colour codes around it must not prevent a match. The engine searches "(?:PATTERN)$"
// in the cleaned text (text.hpp: compilePrompt, endsWithPrompt); a pattern describes the last
// line and starts it with "(?:^|\n)", so a banner line ending in '>' or '#' is no prompt.
struct Prompts {
  std::string user;         // unprivileged exec: "router1>"
  std::string privileged;   // privileged exec:   "router1#"  (same as user where there is none)
  std::string config;       // any configuration mode: "router1(config-if)#", "[edit]\nuser@r1#"
  std::string password;     // the escalation password prompt: "Password:"
  std::string pager;        // a pager marker if paging was not disabled: " --More-- "
  std::string pagerAnswer;  // what to send to a pager marker to get the next page: " "
};

// Commands to make an interactive session predictable.
struct Session {
  std::vector<std::string> prepare;  // paging off, terminal width: run after login
  std::string enable;                // privilege escalation command, empty if none
  std::string logout;                // leaves the session
  bool prefersExec = false;          // exec channels work as well as a shell (no prompts needed)
};

// One command whose output is part of the stored configuration.
struct BackupCommand {
  std::string command;
  bool asComment = false;  // stored as comment lines (facts such as show version), not config
};

// A regular expression over single lines of a configuration or output.
struct LineRule {
  std::string name;     // what it is, for tests and logs: "ios last-change timestamp"
  std::string pattern;  // matched against the whole line (std::regex_search)
  int group = 0;        // the capture group that is the volatile or secret part (0 = the line)
};

// How to change configuration. Templates may contain {session} (a session or candidate name
// the engine chooses), {minutes} / {seconds} / {hh:mm:ss} (commit-confirmed timeout) and {file}
// (a configuration file on the device).
struct Configuration {
  std::string enter;    // "configure terminal", "configure private", "configure session {session}"
  std::string leave;    // back to exec, keeping what was committed: "end", "exit"
  std::string check;    // validates the candidate without applying; empty if none
  std::string compare;  // candidate diff, the platform's own way; empty if none
  std::string commit;   // applies the candidate; empty where lines apply immediately
  std::string commitConfirmed;  // commit that rolls back unless confirmed; empty if none
  std::string confirm;          // confirms a commit-confirmed; empty if none
  std::string abort;            // discards the candidate: "rollback 0" + exit, "abort"
  std::string rollback;         // undoes the last commit: "rollback 1" then commit; empty if none
  std::string save;             // persists running to startup: "write memory"; empty if none
  std::string replace;  // replaces the running config with a file: "configure replace {file} force"
};

// The SNMP identity of devices of this platform.
struct Snmp {
  std::vector<std::string> sysObjectIdPrefixes;  // "1.3.6.1.4.1.9.1." (numeric, with trailing dot)
  std::string sysDescrPattern;                   // confirms the match: "Cisco IOS Software"
};

// Everything declarative about one OS.
struct PlatformSpec {
  std::string id;           // platform id, as in the inventory: "cisco_ios"
  std::string displayName;  // "Cisco IOS / IOS XE"
  Prompts prompts;
  Session session;
  std::vector<BackupCommand> backup;    // in order; the last non-comment output is the config body
  std::string commentPrefix;            // how the OS comments a config line: "! " or "# "
  std::vector<LineRule> volatileLines;  // group 0 drops the line; group N masks that part
  std::vector<LineRule> secrets;        // group N is the secret value
  std::vector<LineRule> errors;         // a line matching one means the command failed
  Configuration configuration;
  std::vector<std::string> factsCommands;  // "show version"; parseFacts gets their outputs joined
  Snmp snmp;
};

// Facts parsed from the platform's version output.
struct Facts {
  std::string hostname;
  std::string osVersion;
  std::string model;
  std::string serial;
};

// The stored configuration assembled from the backup commands' outputs.
struct BackupText {
  std::string config;                     // what goes into Git
  std::optional<std::string> incomplete;  // why the config is not complete, if it is not
};

// One OS. Methods are const and thread-safe: engines call them from many sessions at once.
class Platform : public Plugin {
 public:
  Platform* asPlatform() override { return this; }

  [[nodiscard]] virtual const PlatformSpec& spec() const = 0;

  // Joins the outputs of spec().backup (same order, command echo and prompts already removed),
  // drops or masks volatile lines, applies the secret mode and checks completeness.
  [[nodiscard]] virtual BackupText assembleBackup(const std::vector<std::string>& outputs,
                                                  SecretMode mode) const = 0;

  // Volatile lines dropped or masked, secrets handled as the mode says; nothing else changes.
  [[nodiscard]] virtual std::string normalize(std::string_view config, SecretMode mode) const = 0;

  // Why a configuration is cut short, or nothing when it is complete.
  [[nodiscard]] virtual std::optional<std::string> incompleteReason(
      std::string_view config) const = 0;

  // The first line of a command's output that the CLI uses to report an error, if any.
  [[nodiscard]] virtual std::optional<std::string> findError(std::string_view output) const = 0;

  // versionOutput: the outputs of spec().factsCommands, in order, joined by newlines.
  [[nodiscard]] virtual Facts parseFacts(std::string_view versionOutput) const = 0;

  // Configuration lines that take a device out of service, derived from its running config
  // (shut its interfaces, remove its service configuration). Applied in configuration mode.
  [[nodiscard]] virtual std::vector<std::string> teardownLines(
      std::string_view runningConfig) const = 0;
};

}  // namespace netspine::plugin
