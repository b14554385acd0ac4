#include "cli/cli.hpp"

#include <Poco/Exception.h>
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdlib>
#include <sstream>

#include "application/inventory_importer.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/usage_error.hpp"
#include "domain/errors.hpp"
#include "infra/database.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

#ifndef NETSPINE_VERSION
#error "NETSPINE_VERSION must be defined by the build"
#endif

// Abbreviated long options are refused: `--desc` must not silently mean `--description`.
constexpr int kStyle =
    po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

constexpr unsigned kHelpWidth = 100;  // columns of --help output

const char* kGlobalValueOptions[] = {"--config", "--db", "--actor"};

std::vector<Command> commandTree() {
  return {migrateCommand(),   areaCommands(),  platformCommands(), deviceCommands(),
          vlanCommands(),     importCommand(), changesCommand(),   pluginCommands(),
          scheduleCommands(), jobCommands(),   runCommands(),      workerCommand(),
          configCommands(),   tokenCommands(), serveCommand(),     openApiCommand()};
}

po::options_description globalOptions() {
  po::options_description o("Global options (before the command)", kHelpWidth);
  auto opt = o.add_options();
  opt("config", po::value<std::string>()->value_name("FILE"),
      "YAML config file (default: $NETSPINE_CONFIG, else built-in defaults)");
  opt("db", po::value<std::string>()->value_name("URL"),
      "database: a SQLite file path, sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB; "
      "overrides the config (default: $NETSPINE_DB, else the config's)");
  opt("json", po::bool_switch(), "machine-readable output (JSON)");
  opt("actor", po::value<std::string>()->value_name("NAME"),
      "who makes the change, for the change log (default: cli:$USER)");
  opt("help,h", po::bool_switch(), "show this help");
  opt("version", po::bool_switch(), "show the version");
  return o;
}

std::string defaultActor() {
  for (const char* var : {"USER", "LOGNAME"}) {
    if (const char* value = std::getenv(var); value && *value) return fmt::format("cli:{}", value);
  }
  if (const passwd* user = getpwuid(getuid()); user && user->pw_name) {
    return fmt::format("cli:{}", user->pw_name);
  }
  return "cli:unknown";
}

std::string listing(const std::vector<Command>& commands) {
  std::size_t width = 0;
  for (const auto& c : commands) width = std::max(width, c.name.size());
  std::string out;
  for (const auto& c : commands) out += fmt::format("  {:<{}}  {}\n", c.name, width, c.summary);
  return out;
}

std::string topHelp(const std::vector<Command>& commands) {
  std::ostringstream s;
  s << "Usage: netspine [GLOBAL OPTIONS] COMMAND [ARGS] [OPTIONS]\n\n"
    << "Keeps an inventory of network devices (areas, platforms, devices, VLANs) in SQLite or\n"
    << "PostgreSQL, enforces its rules and records every change.\n\n"
    << "Commands:\n"
    << listing(commands) << "\n"
    << globalOptions() << "\n"
    << "Run 'netspine COMMAND --help' for the options of a command.\n"
    << "Exit codes: 0 ok, 1 other error, 2 usage error, 3 validation error, 4 not found.\n";
  return s.str();
}

std::string groupHelp(const Command& group) {
  return fmt::format(
      "Usage: netspine {} SUBCOMMAND [ARGS] [OPTIONS]\n\n{}\n\nSubcommands:\n{}\nRun "
      "'netspine {} SUBCOMMAND --help' for the options of a subcommand.\n",
      group.name, group.summary, listing(group.subcommands), group.name);
}

/// The options of a leaf: its own, --message for writes, --json and --help.
po::options_description leafOptions(const Command& leaf) {
  po::options_description o("Options", kHelpWidth);
  if (leaf.options) leaf.options(o);
  if (leaf.writes) {
    o.add_options()("message,m", po::value<std::string>()->value_name("TEXT"),
                    "why: recorded in the change log");
  }
  o.add_options()("json", po::bool_switch(), "machine-readable output (JSON)")(
      "help,h", po::bool_switch(), "show this help");
  return o;
}

std::string leafHelp(const std::string& path, const Command& leaf) {
  std::ostringstream s;
  s << "Usage: netspine " << path;
  for (const auto& p : leaf.positionals) s << ' ' << p;
  if (!leaf.synopsis.empty()) s << ' ' << leaf.synopsis;
  s << " [OPTIONS]\n\n" << leaf.summary << "\n\n" << leafOptions(leaf);
  s << "\nGlobal options (--config, --db, --actor) go before '" << path << "'.\n";
  return s.str();
}

/// Splits `args` into the global options and what follows: the command and its arguments.
std::size_t commandStart(const std::vector<std::string>& args) {
  std::size_t i = 0;
  while (i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
    const auto& arg = args[i];
    bool takesValue = std::find(std::begin(kGlobalValueOptions), std::end(kGlobalValueOptions),
                                arg) != std::end(kGlobalValueOptions);
    i += takesValue ? 2 : 1;
  }
  return std::min(i, args.size());
}

const Command* find(const std::vector<Command>& commands, const std::string& name) {
  for (const auto& c : commands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string names(const std::vector<Command>& commands) {
  std::string out;
  for (const auto& c : commands) out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

/// Runs of white space, line breaks included, as one space: a message for one line.
std::string oneLine(const std::string& message) {
  std::string line;
  line.reserve(message.size());
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else {
      line += c;
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

void printError(std::ostream& err, const std::string& message) {
  std::string line = "netspine: error: " + message + "\n";
  err.write(line.data(), static_cast<std::streamsize>(line.size()));
  err.flush();
}

/// A message of several lines (a config file's problems) as one error line each.
void printErrorLines(std::ostream& err, const std::string& message) {
  std::size_t start = 0;
  while (start <= message.size()) {
    auto end = std::min(message.find('\n', start), message.size());
    auto line = oneLine(message.substr(start, end - start));
    if (!line.empty()) printError(err, line);
    start = end + 1;
  }
}

/// Runs a leaf command with its arguments (after the command name).
int runLeaf(const std::string& path, const Command& leaf, const std::vector<std::string>& args,
            CliContext& ctx, std::ostream& out) {
  auto visible = leafOptions(leaf);
  po::options_description all;
  all.add(visible);
  po::positional_options_description positional;
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < leaf.positionals.size(); ++i) {
    keys.push_back("arg" + std::to_string(i));
    all.add_options()(keys.back().c_str(), po::value<std::string>());
    positional.add(keys.back().c_str(), 1);
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).style(kStyle).run(),
            vm);
  if (vm["help"].as<bool>()) {
    out << leafHelp(path, leaf);
    return kExitOk;
  }
  std::vector<std::string> values;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!vm.count(keys[i])) {
      if (leaf.positionals[i].starts_with('[')) break;  // optional, and so are the ones after it
      throw UsageError("missing argument " + leaf.positionals[i]);
    }
    values.push_back(vm[keys[i]].as<std::string>());
  }
  po::notify(vm);
  if (vm["json"].as<bool>()) ctx.setJson();
  leaf.run(ctx, Args(std::move(vm), std::move(values)));
  return ctx.exitCode();
}

int dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
             std::string& helpPath, std::unique_ptr<CliContext>& ctx) {
  const auto commands = commandTree();
  auto start = commandStart(args);
  po::variables_map vm;
  po::store(po::command_line_parser(std::vector<std::string>(args.begin(), args.begin() + start))
                .options(globalOptions())
                .style(kStyle)
                .run(),
            vm);
  po::notify(vm);

  std::vector<std::string> rest(args.begin() + start, args.end());
  if (vm["version"].as<bool>()) {
    out << "netspine " << NETSPINE_VERSION << "\n";
    return kExitOk;
  }
  bool help = vm["help"].as<bool>();
  if (rest.empty()) {
    if (help) {
      out << topHelp(commands);
      return kExitOk;
    }
    throw UsageError("no command given; commands: " + names(commands));
  }

  const Command* command = find(commands, rest[0]);
  if (!command) {
    throw UsageError(fmt::format("unknown command '{}'; commands: {}", rest[0], names(commands)));
  }
  helpPath = "netspine " + command->name;
  std::string path = command->name;
  std::size_t next = 1;
  if (!command->subcommands.empty()) {
    bool wantsHelp = help || (rest.size() > 1 && (rest[1] == "--help" || rest[1] == "-h"));
    if (wantsHelp) {
      out << groupHelp(*command);
      return kExitOk;
    }
    if (rest.size() < 2) {
      throw UsageError(
          fmt::format("'{}' needs a subcommand: {}", command->name, names(command->subcommands)));
    }
    const Command* sub = find(command->subcommands, rest[1]);
    if (!sub) {
      throw UsageError(fmt::format("unknown subcommand '{} {}'; subcommands: {}", command->name,
                                   rest[1], names(command->subcommands)));
    }
    path += " " + sub->name;
    helpPath = "netspine " + path;
    command = sub;
    next = 2;
  }
  if (help) {
    out << leafHelp(path, *command);
    return kExitOk;
  }

  GlobalOptions globals;
  if (vm.count("config")) globals.configPath = vm["config"].as<std::string>();
  if (vm.count("db")) {
    globals.databaseUrl = vm["db"].as<std::string>();
  } else if (const char* env = std::getenv("NETSPINE_DB"); env && *env) {
    // How `serve` hands its database to its workers: not on a command line that `ps` shows.
    globals.databaseUrl = env;
  }
  globals.json = vm["json"].as<bool>();
  globals.actor = vm.count("actor") ? vm["actor"].as<std::string>() : defaultActor();
  ctx = std::make_unique<CliContext>(out, std::move(globals), &err);
  return runLeaf(path, *command, std::vector<std::string>(rest.begin() + next, rest.end()), *ctx,
                 out);
}

}  // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string helpPath = "netspine";
  std::unique_ptr<CliContext> ctx;
  auto redact = [&](std::string message) {
    return ctx ? ctx->redact(std::move(message)) : infra::redactSecrets(std::move(message));
  };
  auto usage = [&](const std::string& message) {
    printError(err, fmt::format("{} (see '{} --help')", oneLine(redact(message)), helpPath));
    return kExitUsage;
  };
  try {
    int code = dispatch(args, out, err, helpPath, ctx);
    out.flush();
    return code;
  } catch (const UsageError& e) {
    return usage(e.what());
  } catch (const po::error& e) {
    return usage(e.what());
  } catch (const app::ImportError& e) {
    for (const auto& problem : e.problems()) printError(err, oneLine(redact(problem)));
    if (e.problems().empty()) printErrorLines(err, redact(e.what()));
    printError(err, fmt::format("import refused, nothing was written ({} problem{})",
                                e.problems().size(), e.problems().size() == 1 ? "" : "s"));
    return kExitValidation;
  } catch (const domain::Error& e) {
    printErrorLines(err, redact(e.what()));
    return e.kind() == domain::ErrorKind::NotFound ? kExitNotFound : kExitValidation;
  } catch (const Poco::Exception& e) {
    printError(err, oneLine(redact(e.displayText())));
  } catch (const std::exception& e) {
    printError(err, oneLine(redact(e.what())));
  } catch (...) {
    printError(err, "unexpected error");
  }
  return kExitFailure;
}

}  // namespace netspine::cli
