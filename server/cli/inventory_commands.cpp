// The commands over the whole inventory: migrate, import, changes.

#include <fmt/format.h>

#include "application/change_log_service.hpp"
#include "application/inventory_importer.hpp"
#include "application/inventory_json.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "infra/database.hpp"
#include "infra/inventory_reader.hpp"
#include "infra/migrations.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

void migrate(CliContext& ctx, const Args&) {
  infra::Migrator migrator(ctx.database());
  auto applied = migrator.migrate();
  auto version = migrator.currentVersion();
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject().key("applied").beginArray();
    for (const auto& m : applied) {
      w.beginObject().key("version").value(m.version).key("name").value(m.description).endObject();
    }
    w.endArray().key("version").value(version).endObject();
    ctx.printJson(w);
    return;
  }
  std::string out;
  for (const auto& m : applied) out += fmt::format("applied {:>4}  {}\n", m.version, m.description);
  out += applied.empty() ? fmt::format("schema is up to date at version {}\n", version)
                         : fmt::format("schema now at version {}\n", version);
  ctx.print(out);
}

void import(CliContext& ctx, const Args& args) {
  auto& store = ctx.store();
  auto document = infra::readInventoryFile(args.positional(0));
  auto mode = args.flag("upsert") ? app::ImportMode::Upsert : app::ImportMode::Create;
  auto summary = app::InventoryImporter(store).run(document, ctx.change(args), mode);
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject()
        .key("areas")
        .value(summary.areas)
        .key("platforms")
        .value(summary.platforms)
        .key("devices_created")
        .value(summary.devicesCreated)
        .key("devices_updated")
        .value(summary.devicesUpdated)
        .key("vlans")
        .value(summary.vlans)
        .endObject();
    ctx.printJson(w);
    return;
  }
  ctx.print(fmt::format(
      "imported {}: {} areas, {} platforms, {} devices created, {} devices updated, {} vlans\n",
      args.positional(0), summary.areas, summary.platforms, summary.devicesCreated,
      summary.devicesUpdated, summary.vlans));
}

void changes(CliContext& ctx, const Args& args) {
  auto object = args.textOr("object");
  auto entries = app::ChangeLogService(ctx.store())
                     .list(object, args.count("limit", 100), args.count("offset", 0));
  printList(
      ctx, entries, {"TIME", "ACTOR", "ACTION", "OBJECT", "MESSAGE"},
      [](app::JsonWriter& w, const app::ChangeEntry& e) { app::writeJson(w, e); },
      [](const app::ChangeEntry& e) -> std::vector<std::string> {
        return {e.time, e.actor, e.action,
                e.objectType + ":" + (e.objectName.empty() ? e.objectId : e.objectName), e.message};
      });
}

}  // namespace

Command migrateCommand() {
  return {
      .name = "migrate",
      .summary = "create or upgrade the database schema",
      .run = migrate,
  };
}

Command importCommand() {
  return {
      .name = "import",
      .summary = "import an inventory file (.csv, .json, .yaml), all or nothing",
      .positionals = {"FILE"},
      .options =
          [](po::options_description& o) {
            o.add_options()("upsert", po::bool_switch(),
                            "update devices that exist already (by name) instead of refusing");
          },
      .writes = true,
      .run = import,
  };
}

Command changesCommand() {
  return {
      .name = "changes",
      .summary = "show the change log, newest first",
      .options =
          [](po::options_description& o) {
            o.add_options()(
                "object", po::value<std::string>()->value_name("TYPE:ID"),
                "only this object (device:r1, area:emea/dc1, vlan:emea/dc1:10) or type (device)")(
                "limit", po::value<std::int64_t>()->value_name("N"),
                "at most N entries (default 100; 0: all)")(
                "offset", po::value<std::int64_t>()->value_name("N"), "skip the newest N");
          },
      .run = changes,
  };
}

}  // namespace netspine::cli
