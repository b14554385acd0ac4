// netspine plugin list | check FILE | install FILE: the plugin host seen from the command line.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/shared_json.hpp"
#include "domain/errors.hpp"
#include "infra/plugin_host.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace netspine::cli {
namespace {

using infra::LoadedPlugin;
using infra::PluginHost;

std::string joined(const std::vector<std::string>& items, const char* separator = ",") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string apiVersion(const LoadedPlugin& p) {
  return fmt::format("{}.{}", p.handshake.apiMajor, p.handshake.apiMinor);
}

}  // namespace

void writePluginJson(app::JsonWriter& w, const LoadedPlugin& p) {
  w.beginObject();
  w.key("id").value(p.manifest.id);
  w.key("kind").value(plugin::toString(p.manifest.kind));
  w.key("version").value(p.manifest.version);
  w.key("description").value(p.manifest.description);
  w.key("file").value(p.file);
  w.key("provides").beginArray();
  for (const auto& item : p.manifest.provides) w.value(item);
  w.endArray();
  w.key("min_host_version").value(p.manifest.minHostVersion);
  w.key("api_version").value(apiVersion(p));
  w.endObject();
}

namespace {

/// "platform mikrotik_routeros 1.0.0 (provides mikrotik_routeros; plugin API 1.0)"
std::string summary(const LoadedPlugin& p) {
  return fmt::format("{} {} {} (provides {}; plugin API {})", plugin::toString(p.manifest.kind),
                     p.manifest.id, p.manifest.version, joined(p.manifest.provides, ", "),
                     apiVersion(p));
}

void list(CliContext& ctx, const Args&) {
  PluginHost host;
  const auto dirs = ctx.config().effectivePluginDirs();
  const auto report = host.loadDirectories(dirs);
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject().key("plugin_dirs").beginArray();
    for (const auto& dir : dirs) w.value(dir);
    w.endArray().key("plugins").beginArray();
    for (const auto& p : report.loaded) writePluginJson(w, p);
    w.endArray().key("refused").beginArray();
    for (const auto& r : report.refused) {
      w.beginObject().key("file").value(r.file).key("reason").value(r.reason).endObject();
    }
    w.endArray().endObject();
    ctx.printJson(w);
    return;
  }
  TextTable table({"ID", "KIND", "VERSION", "FILE", "PROVIDES"});
  for (const auto& p : report.loaded) {
    table.addRow({p.manifest.id, plugin::toString(p.manifest.kind), p.manifest.version, p.file,
                  joined(p.manifest.provides)});
  }
  std::string out;
  table.render(out);
  ctx.print(out);
  for (const auto& r : report.refused) ctx.warn("refused " + r.line());
}

/// The check of a file given on the command line; a refusal is the command's error.
LoadedPlugin checked(const std::string& file, bool checkPermissions) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw domain::NotFoundError(file + ": no such file");
  auto result = PluginHost::check(file, checkPermissions);
  if (!result.ok()) throw domain::ValidationError(file + ": " + *result.refusal);
  return *result.plugin;
}

void check(CliContext& ctx, const Args& args) {
  const auto plugin = checked(args.positional(0), true);
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject().key("ok").value(true).key("plugin");
    writePluginJson(w, plugin);
    w.endObject();
    ctx.printJson(w);
    return;
  }
  ctx.print(fmt::format("{}: ok: {}\n", plugin.file, summary(plugin)));
}

std::string readBytes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}: {}", file, std::strerror(errno)));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Writes `content` to `target` so that a reader sees the old file or the new one, never half
/// of one: a temporary file in the same folder (not named *.so, so no host loads it), renamed.
void writeAtomically(const std::string& target, const std::string& content) {
  const fs::path path(target);
  std::string temp = (path.parent_path() / ("." + path.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    throw std::runtime_error(fmt::format("cannot create a file in {}: {}",
                                         path.parent_path().string(), std::strerror(errno)));
  }
  auto fail = [&](const char* what) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(temp.c_str());
    throw std::runtime_error(fmt::format("cannot {} {}: {}", what, temp, reason));
  };
  if (::fchmod(fd, 0644) != 0) fail("set the mode of");
  for (std::size_t done = 0; done < content.size();) {
    auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("write");
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("sync");
  if (::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    throw std::runtime_error(fmt::format("cannot write {}: {}", temp, reason));
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", temp, target, reason));
  }
}

void install(CliContext& ctx, const Args& args) {
  const std::string file = args.positional(0);
  // The copy gets its own mode: only the content has to pass.
  const auto plugin = checked(file, false);
  const auto dirs = ctx.config().effectivePluginDirs();
  if (dirs.empty()) {
    throw domain::ValidationError("plugin_dirs is empty: there is no folder to install into");
  }
  const std::string dir = dirs.front();
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
  }
  if (auto problem = PluginHost::checkDirectory(dir)) {
    throw domain::ValidationError(fmt::format("{}: {}", dir, *problem));
  }
  const std::string target = (fs::path(dir) / fs::path(file).filename()).string();
  const std::string content = readBytes(file);

  // Another file with this id would be refused at load as a duplicate: say so now.
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto other = it->path().string();
    if (it->path().extension() != ".so" || it->path().filename() == fs::path(target).filename()) {
      continue;
    }
    auto result = PluginHost::check(other);
    if (result.ok() && result.plugin->manifest.id == plugin.manifest.id) {
      throw domain::ConflictError(
          fmt::format("plugin '{}' is already installed as {}; remove that file first",
                      plugin.manifest.id, other));
    }
  }

  if (fs::exists(target, ec)) {
    if (readBytes(target) == content) {
      ctx.print(fmt::format("{} is already installed as {}\n", plugin.manifest.id, target));
      return;
    }
    if (!args.flag("force")) {
      auto installed = PluginHost::check(target);
      throw domain::ConflictError(fmt::format(
          "{} exists and differs ({}); give --force to replace it", target,
          installed.ok() ? summary(*installed.plugin) : "refused: " + *installed.refusal));
    }
  }
  writeAtomically(target, content);
  // The installed file, as the host will see it: permissions, folder and all.
  auto result = PluginHost::check(target);
  if (!result.ok()) {
    throw domain::ValidationError(fmt::format("{}: installed, but {}", target, *result.refusal));
  }
  ctx.print(fmt::format("installed {} as {}\n", summary(*result.plugin), target));
}

}  // namespace

Command pluginCommands() {
  Command group{.name = "plugin", .summary = "list, check and install platform and engine plugins"};
  group.subcommands.push_back({
      .name = "list",
      .summary = "load the plugin folders (config plugin_dirs) and list the plugins; refused "
                 "files are warnings on stderr",
      .run = list,
  });
  group.subcommands.push_back({
      .name = "check",
      .summary = "validate a plugin file as the host would, without installing it",
      .positionals = {"FILE"},
      .run = check,
  });
  group.subcommands.push_back({
      .name = "install",
      .summary = "check a plugin file, then copy it into the first plugin folder",
      .positionals = {"FILE"},
      .options =
          [](po::options_description& o) {
            o.add_options()("force", po::bool_switch(),
                            "replace a different file of the same name");
          },
      .run = install,
  });
  return group;
}

}  // namespace netspine::cli
