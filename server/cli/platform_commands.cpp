#include "application/inventory_json.hpp"
#include "application/platform_service.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

void printPlatform(CliContext& ctx, const app::Platform& platform) {
  printObject(
      ctx, [&](app::JsonWriter& w) { app::writeJson(w, platform); },
      KeyValueBlock()
          .add("id", platform.id)
          .add("name", platform.name)
          .add("vendor", platform.vendor));
}

void add(CliContext& ctx, const Args& args) {
  app::Platform platform{args.positional(0), args.textOr("name"), args.textOr("vendor")};
  printPlatform(ctx, app::PlatformService(ctx.store()).create(platform, ctx.change(args)));
}

void list(CliContext& ctx, const Args&) {
  auto platforms = app::PlatformService(ctx.store()).list();
  printList(
      ctx, platforms, {"ID", "NAME", "VENDOR"},
      [](app::JsonWriter& w, const app::Platform& p) { app::writeJson(w, p); },
      [](const app::Platform& p) -> std::vector<std::string> {
        return {p.id, p.name, p.vendor};
      });
}

void show(CliContext& ctx, const Args& args) {
  printPlatform(ctx, app::PlatformService(ctx.store()).get(args.positional(0)));
}

void update(CliContext& ctx, const Args& args) {
  app::PlatformPatch patch{args.text("name"), args.text("vendor")};
  if (!patch.name && !patch.vendor) throw UsageError("nothing to update: give --name or --vendor");
  printPlatform(
      ctx, app::PlatformService(ctx.store()).update(args.positional(0), patch, ctx.change(args)));
}

void remove(CliContext& ctx, const Args& args) {
  app::PlatformService(ctx.store()).remove(args.positional(0), ctx.change(args));
  printDeleted(ctx, "platform", args.positional(0));
}

void nameAndVendor(po::options_description& o, bool required) {
  auto name = po::value<std::string>()->value_name("NAME");
  auto vendor = po::value<std::string>()->value_name("VENDOR");
  if (required) {
    name->required();
    vendor->required();
  }
  o.add_options()("name", name, "display name (\"Cisco IOS\")")("vendor", vendor,
                                                                "vendor (\"Cisco\")");
}

}  // namespace

Command platformCommands() {
  Command group{.name = "platform", .summary = "manage platforms (device OS families)"};
  group.subcommands.push_back({
      .name = "add",
      .summary = "create a platform; ID is lowercase [a-z0-9_], e.g. cisco_ios",
      .positionals = {"ID"},
      .synopsis = "--name NAME --vendor VENDOR",
      .options = [](po::options_description& o) { nameAndVendor(o, true); },
      .writes = true,
      .run = add,
  });
  group.subcommands.push_back({.name = "list", .summary = "list every platform", .run = list});
  group.subcommands.push_back(
      {.name = "show", .summary = "show one platform", .positionals = {"ID"}, .run = show});
  group.subcommands.push_back({
      .name = "update",
      .summary = "change a platform's name or vendor",
      .positionals = {"ID"},
      .options = [](po::options_description& o) { nameAndVendor(o, false); },
      .writes = true,
      .run = update,
  });
  group.subcommands.push_back({
      .name = "delete",
      .summary = "delete a platform (refused while devices use it)",
      .positionals = {"ID"},
      .writes = true,
      .run = remove,
  });
  return group;
}

}  // namespace netspine::cli
