#include "application/inventory_json.hpp"
#include "application/vlan_service.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

void printVlan(CliContext& ctx, const app::Vlan& vlan) {
  const auto tree = loadAreaTree(ctx);
  const auto& area = tree.path(vlan.areaId);
  printObject(
      ctx, [&](app::JsonWriter& w) { app::writeJson(w, vlan, area); },
      KeyValueBlock()
          .add("area", area)
          .add("vid", std::to_string(vlan.vid))
          .add("name", vlan.name)
          .add("description", vlan.description)
          .add("id", std::to_string(vlan.id)));
}

int vid(const Args& args) {
  return *args.integer("vid");
}

void add(CliContext& ctx, const Args& args) {
  app::VlanInput input{args.textOr("area"), vid(args), args.textOr("name"),
                       args.textOr("description")};
  printVlan(ctx, app::VlanService(ctx.store()).create(input, ctx.change(args)));
}

void list(CliContext& ctx, const Args& args) {
  auto vlans = app::VlanService(ctx.store()).list(args.textOr("area"));
  const auto tree = loadAreaTree(ctx);
  printList(
      ctx, vlans, {"AREA", "VID", "NAME", "DESCRIPTION"},
      [&](app::JsonWriter& w, const app::Vlan& v) { app::writeJson(w, v, tree.path(v.areaId)); },
      [&](const app::Vlan& v) -> std::vector<std::string> {
        return {tree.path(v.areaId), std::to_string(v.vid), v.name, v.description};
      });
}

void show(CliContext& ctx, const Args& args) {
  printVlan(ctx, app::VlanService(ctx.store()).get(args.textOr("area"), vid(args)));
}

void update(CliContext& ctx, const Args& args) {
  app::VlanPatch patch{args.integer("new-vid"), args.text("name"), args.text("description")};
  if (!patch.vid && !patch.name && !patch.description) {
    throw UsageError("nothing to update: give --new-vid, --name or --description");
  }
  printVlan(ctx, app::VlanService(ctx.store())
                     .update(args.textOr("area"), vid(args), patch, ctx.change(args)));
}

void remove(CliContext& ctx, const Args& args) {
  app::VlanService(ctx.store()).remove(args.textOr("area"), vid(args), ctx.change(args));
  printDeleted(ctx, "vlan", args.textOr("area") + ":" + std::to_string(vid(args)));
}

void areaAndVid(po::options_description& o) {
  o.add_options()("area", po::value<std::string>()->required()->value_name("AREA"),
                  "area path or unique name")("vid", po::value<int>()->required()->value_name("N"),
                                              "VLAN id, 1-4094");
}

}  // namespace

Command vlanCommands() {
  Command group{.name = "vlan", .summary = "manage VLANs (a VID is unique within its area)"};
  group.subcommands.push_back({
      .name = "add",
      .summary = "create a VLAN",
      .synopsis = "--area AREA --vid N --name NAME",
      .options =
          [](po::options_description& o) {
            areaAndVid(o);
            o.add_options()("name", po::value<std::string>()->required()->value_name("NAME"),
                            "VLAN name, unique within the area")(
                "description", po::value<std::string>()->value_name("TEXT"), "free text");
          },
      .writes = true,
      .run = add,
  });
  group.subcommands.push_back({
      .name = "list",
      .summary = "list VLANs, of every area or of one",
      .options =
          [](po::options_description& o) {
            o.add_options()("area", po::value<std::string>()->value_name("AREA"),
                            "only this area's VLANs");
          },
      .run = list,
  });
  group.subcommands.push_back({.name = "show",
                               .summary = "show one VLAN",
                               .synopsis = "--area AREA --vid N",
                               .options = areaAndVid,
                               .run = show});
  group.subcommands.push_back({
      .name = "update",
      .summary = "change a VLAN's VID, name or description",
      .synopsis = "--area AREA --vid N",
      .options =
          [](po::options_description& o) {
            areaAndVid(o);
            o.add_options()("new-vid", po::value<int>()->value_name("N"), "new VLAN id")(
                "name", po::value<std::string>()->value_name("NAME"), "new name")(
                "description", po::value<std::string>()->value_name("TEXT"), "new description");
          },
      .writes = true,
      .run = update,
  });
  group.subcommands.push_back({
      .name = "delete",
      .summary = "delete a VLAN",
      .synopsis = "--area AREA --vid N",
      .options = areaAndVid,
      .writes = true,
      .run = remove,
  });
  return group;
}

}  // namespace netspine::cli
