#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace netspine::cli {

class CliContext;

/// The parsed arguments of one leaf command: its positionals in order, and its options.
class Args {
 public:
  Args(boost::program_options::variables_map vm, std::vector<std::string> positionals)
      : vm_(std::move(vm)), positionals_(std::move(positionals)) {}

  const std::string& positional(std::size_t i) const { return positionals_.at(i); }
  /// The positionals given: optional ones ("[REV]") may be left out.
  std::size_t positionalCount() const { return positionals_.size(); }
  bool has(const char* name) const { return vm_.count(name) > 0; }
  bool flag(const char* name) const { return has(name) && vm_[name].as<bool>(); }
  std::optional<std::string> text(const char* name) const;
  std::string textOr(const char* name, std::string fallback = {}) const;
  std::vector<std::string> list(const char* name) const;
  std::optional<int> integer(const char* name) const;
  /// A count option (--limit, --offset): a UsageError when negative.
  std::int64_t count(const char* name, std::int64_t fallback) const;

 private:
  boost::program_options::variables_map vm_;
  std::vector<std::string> positionals_;
};

/// One node of the command tree: a group ("device") with subcommands, or a leaf ("device add")
/// with its positionals, options and handler.
struct Command {
  std::string name = {};
  std::string summary = {};
  std::vector<std::string> positionals = {};  // metavars in order: "NAME", "STATUS", "[REV]"
  std::string synopsis = {};                  // the required options, for the usage line
  std::function<void(boost::program_options::options_description&)> options = {};
  bool writes = false;  // adds --message, recorded in the change log
  std::function<void(CliContext&, const Args&)> run = {};
  std::vector<Command> subcommands = {};
};

Command migrateCommand();
Command areaCommands();
Command platformCommands();
Command deviceCommands();
Command vlanCommands();
Command importCommand();
Command changesCommand();
Command pluginCommands();
Command scheduleCommands();
Command jobCommands();
Command runCommands();
Command workerCommand();
Command serveCommand();
Command configCommands();
Command tokenCommands();
Command openApiCommand();

}  // namespace netspine::cli
