// Usage errors (exit 2), help at every level and --version: none of them touches a database.

#include "cli_fixture.hpp"

namespace netspine::cli::testing {
namespace {

// A database path that cannot be opened: a usage error must be reported before any access.
const std::string kNoDb = "/nonexistent-netspine-folder/x/netspine.db";

CliResult usage(std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", kNoDb});
  return runNetspine(args);
}

void expectUsageError(const CliResult& r, const std::string& names, const std::string& help) {
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_EQ(r.err.rfind("netspine: error: ", 0), 0u) << r;
  EXPECT_NE(r.err.find(names), std::string::npos) << "expected '" << names << "' in " << r;
  EXPECT_NE(r.err.find("see '" + help + " --help'"), std::string::npos) << r;
  EXPECT_EQ(lines(r.err).size(), 1u) << r;
}

TEST(CliUsageTest, NoCommand) {
  expectUsageError(runNetspine({}), "no command", "netspine");
}

TEST(CliUsageTest, UnknownCommand) {
  expectUsageError(usage({"frobnicate"}), "unknown command 'frobnicate'", "netspine");
}

TEST(CliUsageTest, UnknownSubcommand) {
  expectUsageError(usage({"device", "frob"}), "unknown subcommand 'device frob'",
                   "netspine device");
}

TEST(CliUsageTest, GroupWithoutSubcommand) {
  expectUsageError(usage({"vlan"}), "'vlan' needs a subcommand: add, list, show, update, delete",
                   "netspine vlan");
}

TEST(CliUsageTest, UnknownOptionIsNamed) {
  expectUsageError(usage({"device", "list", "--colour", "red"}), "--colour",
                   "netspine device list");
}

TEST(CliUsageTest, UnknownGlobalOptionIsNamed) {
  expectUsageError(usage({"--bogus", "device", "list"}), "--bogus", "netspine");
}

TEST(CliUsageTest, MissingRequiredOptionIsNamed) {
  expectUsageError(usage({"device", "add", "r1", "--platform", "cisco_ios", "--area", "dc1"}),
                   "--address", "netspine device add");
}

TEST(CliUsageTest, MissingPositionalIsNamed) {
  expectUsageError(usage({"device", "show"}), "missing argument NAME", "netspine device show");
  expectUsageError(usage({"device", "set-status", "r1"}), "missing argument STATUS",
                   "netspine device set-status");
}

TEST(CliUsageTest, TooManyArguments) {
  expectUsageError(usage({"device", "show", "r1", "r2"}), "too many", "netspine device show");
}

TEST(CliUsageTest, BadNumberNamesTheOption) {
  expectUsageError(usage({"vlan", "add", "--area", "dc1", "--vid", "ten", "--name", "users"}),
                   "--vid", "netspine vlan add");
  expectUsageError(usage({"device", "list", "--limit", "many"}), "--limit", "netspine device list");
  expectUsageError(usage({"device", "list", "--limit=-1"}), "--limit", "netspine device list");
}

TEST(CliUsageTest, MissingValueOfGlobalOption) {
  expectUsageError(runNetspine({"--db"}), "--db", "netspine");
}

TEST(CliUsageTest, AbbreviatedOptionsAreRefused) {
  expectUsageError(usage({"area", "add", "x", "--desc", "y"}), "--desc", "netspine area add");
}

TEST(CliUsageTest, RepeatedSingleOption) {
  expectUsageError(usage({"area", "add", "x", "--parent", "a", "--parent", "b"}), "--parent",
                   "netspine area add");
}

TEST(CliUsageTest, ContradictoryOptions) {
  expectUsageError(usage({"area", "update", "dc1", "--parent", "emea", "--root"}), "--root",
                   "netspine area update");
  expectUsageError(usage({"device", "update", "r1", "--ssh-port", "22", "--clear-ssh-port"}),
                   "--clear-ssh-port", "netspine device update");
  expectUsageError(usage({"device", "update", "r1", "--tag", "a", "--clear-tags"}), "--clear-tags",
                   "netspine device update");
}

TEST(CliUsageTest, EmptyUpdateIsRefused) {
  expectUsageError(usage({"device", "update", "r1"}), "nothing to update",
                   "netspine device update");
  expectUsageError(usage({"area", "update", "dc1"}), "nothing to update", "netspine area update");
  expectUsageError(usage({"platform", "update", "lab_os"}), "nothing to update",
                   "netspine platform update");
  expectUsageError(usage({"vlan", "update", "--area", "dc1", "--vid", "10"}), "nothing to update",
                   "netspine vlan update");
}

TEST(CliUsageTest, Version) {
  auto r = runNetspine({"--version"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out.rfind("netspine ", 0), 0u) << r;
  EXPECT_EQ(r.err, "");
}

TEST(CliUsageTest, TopLevelHelpListsCommandsAndGlobalOptions) {
  for (const char* flag : {"--help", "-h"}) {
    auto r = usage({flag});
    EXPECT_EQ(r.code, 0) << r;
    for (const char* word : {"migrate", "area", "platform", "device", "vlan", "import", "changes",
                             "--config", "--db", "--json", "--actor", "--version"}) {
      EXPECT_NE(r.out.find(word), std::string::npos) << word << " missing in\n" << r.out;
    }
  }
}

TEST(CliUsageTest, GroupHelpListsSubcommands) {
  auto r = usage({"device", "--help"});
  EXPECT_EQ(r.code, 0) << r;
  for (const char* sub : {"add", "list", "show", "update", "delete", "set-status"}) {
    EXPECT_NE(r.out.find("  " + std::string(sub) + " "), std::string::npos) << sub << r.out;
  }
  EXPECT_EQ(usage({"--help", "area"}).code, 0);
  EXPECT_NE(usage({"area", "-h"}).out.find("update"), std::string::npos);
}

TEST(CliUsageTest, EveryCommandHasHelp) {
  const std::vector<std::vector<std::string>> commands = {{"migrate"},
                                                          {"import"},
                                                          {"changes"},
                                                          {"area", "add"},
                                                          {"area", "list"},
                                                          {"area", "show"},
                                                          {"area", "update"},
                                                          {"area", "delete"},
                                                          {"platform", "add"},
                                                          {"platform", "list"},
                                                          {"platform", "show"},
                                                          {"platform", "update"},
                                                          {"platform", "delete"},
                                                          {"device", "add"},
                                                          {"device", "list"},
                                                          {"device", "show"},
                                                          {"device", "update"},
                                                          {"device", "delete"},
                                                          {"device", "set-status"},
                                                          {"vlan", "add"},
                                                          {"vlan", "list"},
                                                          {"vlan", "show"},
                                                          {"vlan", "update"},
                                                          {"vlan", "delete"}};
  for (auto args : commands) {
    std::string path;
    for (const auto& a : args) path += (path.empty() ? "" : " ") + a;
    args.push_back("--help");
    auto r = usage(args);
    EXPECT_EQ(r.code, 0) << path << "\n" << r;
    EXPECT_EQ(r.out.rfind("Usage: netspine " + path, 0), 0u) << r;
    EXPECT_NE(r.out.find("--json"), std::string::npos) << r;
  }
}

TEST(CliUsageTest, LeafHelpListsOptions) {
  auto r = usage({"device", "add", "--help"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(
      r.out.rfind("Usage: netspine device add NAME --address ADDR --platform ID --area AREA", 0),
      0u)
      << r.out;
  for (const char* opt :
       {"--address", "--platform", "--area", "--status", "--role", "--serial", "--os-version",
        "--tag", "--credentials", "--ssh-port", "--snmp-port", "--message"}) {
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt << "\n" << r.out;
  }
  // Reads take no --message.
  EXPECT_EQ(usage({"device", "list", "--help"}).out.find("--message"), std::string::npos);
}

}  // namespace
}  // namespace netspine::cli::testing
