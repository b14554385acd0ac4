// netspine config history|show|diff: the configuration backups of a device, from the revisions
// the database records and the text in the Git repository.

#include <fmt/format.h>

#include "application/config_service.hpp"
#include "application/job_json.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

std::string optionalPositional(const Args& args, std::size_t i) {
  return args.positionalCount() > i ? args.positional(i) : std::string();
}

void history(CliContext& ctx, const Args& args) {
  app::ConfigService service(ctx.jobStore(), ctx.archive());
  const auto revisions =
      service.history(args.positional(0), args.count("limit", 50), args.count("offset", 0));
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginArray();
    for (const auto& r : revisions) app::writeJson(w, r);
    w.endArray();
    ctx.printJson(w);
    return;
  }
  std::string out;
  if (auto last = service.lastAttempt(args.positional(0))) {
    out += fmt::format(
        "last backup: {} at {} (run {}){}\n", last->up ? "ok" : last->lastError, last->updatedAt,
        last->runId,
        last->up || last->lastSeen.empty() ? "" : fmt::format("; last success {}", last->lastSeen));
  }
  if (revisions.empty()) {
    ctx.print(out +
              fmt::format("device '{}' has no configuration backup yet\n", args.positional(0)));
    return;
  }
  TextTable table({"COMMIT", "STORED", "BYTES", "RUN", "SHA256"});
  for (const auto& r : revisions) {
    table.addRow({r.commit.substr(0, 12), r.storedAt, std::to_string(r.bytes),
                  std::to_string(r.runId), r.sha256.substr(0, 16)});
  }
  table.render(out);
  ctx.print(out);
}

void show(CliContext& ctx, const Args& args) {
  app::ConfigService service(ctx.jobStore(), ctx.archive());
  const auto config = service.show(args.positional(0), optionalPositional(args, 1));
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject().key("revision");
    app::writeJson(w, config.revision);
    w.key("text").value(config.text).endObject();
    ctx.printJson(w);
    return;
  }
  ctx.print(config.text);
}

void diff(CliContext& ctx, const Args& args) {
  app::ConfigService service(ctx.jobStore(), ctx.archive());
  const auto d =
      service.diff(args.positional(0), optionalPositional(args, 1), optionalPositional(args, 2));
  if (ctx.json()) {
    app::JsonWriter w;
    app::writeJson(w, d);
    ctx.printJson(w);
    return;
  }
  if (d.diff.empty() && ctx.errorStream()) {
    *ctx.errorStream() << fmt::format("no difference between {} and {}\n",
                                      d.from.commit.substr(0, 12), d.to.commit.substr(0, 12));
  }
  ctx.print(d.diff);
}

}  // namespace

Command configCommands() {
  Command group{.name = "config",
                .summary = "configuration backups of a device: history, show, diff"};
  group.subcommands.push_back({
      .name = "history",
      .summary = "the stored revisions of a device's configuration, newest first",
      .positionals = {"DEVICE"},
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("limit", po::value<std::int64_t>()->value_name("N"), "at most N (default 50)");
            opt("offset", po::value<std::int64_t>()->value_name("N"), "skip the first N");
          },
      .run = history,
  });
  group.subcommands.push_back({
      .name = "show",
      .summary = "a device's configuration: the newest, or revision REV (a commit id or prefix)",
      .positionals = {"DEVICE", "[REV]"},
      .run = show,
  });
  group.subcommands.push_back({
      .name = "diff",
      .summary = "unified diff: previous to newest, REV1 to newest, or REV1 to REV2",
      .positionals = {"DEVICE", "[REV1]", "[REV2]"},
      .run = diff,
  });
  return group;
}

}  // namespace netspine::cli
