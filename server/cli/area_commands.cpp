#include "application/area_service.hpp"
#include "application/inventory_json.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

void printArea(CliContext& ctx, const app::Area& area) {
  const auto tree = loadAreaTree(ctx);
  const auto& path = tree.path(area.id);
  auto parent = tree.parentPath(area);
  printObject(
      ctx, [&](app::JsonWriter& w) { app::writeJson(w, area, path, parent); },
      KeyValueBlock()
          .add("name", area.name)
          .add("path", path)
          .add("parent", parent)
          .add("description", area.description)
          .add("id", std::to_string(area.id)));
}

void add(CliContext& ctx, const Args& args) {
  app::AreaInput input{args.positional(0), args.textOr("parent"), args.textOr("description")};
  printArea(ctx, app::AreaService(ctx.store()).create(input, ctx.change(args)));
}

void list(CliContext& ctx, const Args&) {
  const auto tree = loadAreaTree(ctx);
  auto areas = tree.areas();
  printList(
      ctx, areas, {"PATH", "NAME", "PARENT", "DESCRIPTION"},
      [&](app::JsonWriter& w, const app::Area& a) {
        app::writeJson(w, a, tree.path(a.id), tree.parentPath(a));
      },
      [&](const app::Area& a) -> std::vector<std::string> {
        return {tree.path(a.id), a.name, tree.parentPath(a), a.description};
      });
}

void show(CliContext& ctx, const Args& args) {
  printArea(ctx, app::AreaService(ctx.store()).get(args.positional(0)));
}

void update(CliContext& ctx, const Args& args) {
  app::AreaPatch patch;
  patch.name = args.text("name");
  patch.parent = args.text("parent");
  patch.description = args.text("description");
  if (args.flag("root")) {
    if (patch.parent) throw UsageError("options '--parent' and '--root' cannot be used together");
    patch.parent = std::string();
  }
  if (!patch.name && !patch.parent && !patch.description) {
    throw UsageError("nothing to update: give --name, --parent, --root or --description");
  }
  printArea(ctx, app::AreaService(ctx.store()).update(args.positional(0), patch, ctx.change(args)));
}

void remove(CliContext& ctx, const Args& args) {
  app::AreaService(ctx.store()).remove(args.positional(0), ctx.change(args));
  printDeleted(ctx, "area", args.positional(0));
}

}  // namespace

Command areaCommands() {
  Command group{.name = "area", .summary = "manage areas (sites, regions; they nest)"};
  group.subcommands.push_back({
      .name = "add",
      .summary = "create an area",
      .positionals = {"NAME"},
      .options =
          [](po::options_description& o) {
            o.add_options()("parent", po::value<std::string>()->value_name("AREA"),
                            "parent area (path or unique name); default: a root area")(
                "description", po::value<std::string>()->value_name("TEXT"), "free text");
          },
      .writes = true,
      .run = add,
  });
  group.subcommands.push_back(
      {.name = "list", .summary = "list every area with its path", .run = list});
  group.subcommands.push_back(
      {.name = "show", .summary = "show one area", .positionals = {"AREA"}, .run = show});
  group.subcommands.push_back({
      .name = "update",
      .summary = "rename, move or describe an area",
      .positionals = {"AREA"},
      .options =
          [](po::options_description& o) {
            o.add_options()("name", po::value<std::string>()->value_name("NAME"), "new name")(
                "parent", po::value<std::string>()->value_name("AREA"), "move below this area")(
                "root", po::bool_switch(), "move to the top of the tree")(
                "description", po::value<std::string>()->value_name("TEXT"), "new description");
          },
      .writes = true,
      .run = update,
  });
  group.subcommands.push_back({
      .name = "delete",
      .summary = "delete an area (refused while devices, VLANs or child areas depend on it)",
      .positionals = {"AREA"},
      .writes = true,
      .run = remove,
  });
  return group;
}

}  // namespace netspine::cli
