#include <fmt/format.h>

#include "application/device_service.hpp"
#include "application/inventory_json.hpp"
#include "application/job_json.hpp"
#include "application/job_service.hpp"
#include "application/job_store.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"
#include "domain/device_status.hpp"
#include "domain/errors.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

std::string port(const std::optional<int>& port) {
  return port ? std::to_string(*port) : std::string("default");
}

void printDevice(CliContext& ctx, const app::Device& device) {
  const auto tree = loadAreaTree(ctx);
  const auto& area = tree.path(device.areaId);
  printObject(
      ctx, [&](app::JsonWriter& w) { app::writeJson(w, device, area); },
      KeyValueBlock()
          .add("name", device.name)
          .add("address", device.address)
          .add("platform", device.platform)
          .add("area", area)
          .add("status", std::string(domain::toString(device.status)))
          .add("role", device.role)
          .add("serial", device.serial)
          .add("os version", device.osVersion)
          .add("tags", joinComma(device.tags))
          .add("credentials", device.credentialsRef)
          .add("ssh port", port(device.sshPort))
          .add("snmp port", port(device.snmpPort))
          .add("id", std::to_string(device.id))
          .add("version", std::to_string(device.version))
          .add("created", device.createdAt)
          .add("updated", device.updatedAt));
}

std::vector<domain::DeviceStatus> statuses(const std::vector<std::string>& names) {
  std::vector<domain::DeviceStatus> out;
  for (const auto& name : names) out.push_back(domain::requireDeviceStatus(name));
  return out;
}

void add(CliContext& ctx, const Args& args) {
  app::DeviceInput input;
  input.name = args.positional(0);
  input.address = args.textOr("address");
  input.platform = args.textOr("platform");
  input.area = args.textOr("area");
  if (auto status = args.text("status")) input.status = domain::requireDeviceStatus(*status);
  input.role = args.textOr("role");
  input.serial = args.textOr("serial");
  input.osVersion = args.textOr("os-version");
  input.tags = args.list("tag");
  input.credentialsRef = args.textOr("credentials");
  input.sshPort = args.integer("ssh-port");
  input.snmpPort = args.integer("snmp-port");
  printDevice(ctx, app::DeviceService(ctx.store()).create(input, ctx.change(args)));
}

void list(CliContext& ctx, const Args& args) {
  app::DeviceQuery query;
  query.statuses = statuses(args.list("status"));
  query.areas = args.list("area");
  query.platforms = args.list("platform");
  query.tags = args.list("tag");
  query.roles = args.list("role");
  query.nameContains = args.textOr("name-contains");
  query.limit = args.count("limit", 0);
  query.offset = args.count("offset", 0);
  auto devices = app::DeviceService(ctx.store()).list(query);
  const auto tree = loadAreaTree(ctx);
  printList(
      ctx, devices, {"NAME", "ADDRESS", "PLATFORM", "AREA", "STATUS", "ROLE", "TAGS"},
      [&](app::JsonWriter& w, const app::Device& d) { app::writeJson(w, d, tree.path(d.areaId)); },
      [&](app::Device& d) -> std::vector<std::string> {
        return {std::move(d.name),
                std::move(d.address),
                std::move(d.platform),
                tree.path(d.areaId),
                std::string(domain::toString(d.status)),
                std::move(d.role),
                joinComma(d.tags)};
      });
}

void show(CliContext& ctx, const Args& args) {
  printDevice(ctx, app::DeviceService(ctx.store()).get(args.positional(0)));
}

void update(CliContext& ctx, const Args& args) {
  app::DevicePatch patch;
  patch.name = args.text("name");
  patch.address = args.text("address");
  patch.platform = args.text("platform");
  patch.area = args.text("area");
  if (auto status = args.text("status")) patch.status = domain::requireDeviceStatus(*status);
  patch.role = args.text("role");
  patch.serial = args.text("serial");
  patch.osVersion = args.text("os-version");
  if (args.has("tag")) patch.tags = args.list("tag");
  if (args.flag("clear-tags")) {
    if (patch.tags) throw UsageError("options '--tag' and '--clear-tags' cannot be used together");
    patch.tags = std::vector<std::string>();
  }
  patch.addTags = args.list("add-tag");
  patch.removeTags = args.list("remove-tag");
  patch.credentialsRef = args.text("credentials");
  auto portPatch = [&](const char* set, const char* clear, std::optional<std::optional<int>>& to) {
    if (args.flag(clear)) {
      if (args.has(set)) {
        throw UsageError(
            fmt::format("options '--{}' and '--{}' cannot be used together", set, clear));
      }
      to.emplace();
    } else if (args.has(set)) {
      to.emplace(*args.integer(set));
    }
  };
  portPatch("ssh-port", "clear-ssh-port", patch.sshPort);
  portPatch("snmp-port", "clear-snmp-port", patch.snmpPort);
  if (patch.empty()) {
    throw UsageError("nothing to update: give at least one field option (see --help)");
  }
  printDevice(ctx,
              app::DeviceService(ctx.store()).update(args.positional(0), patch, ctx.change(args)));
}

void setStatus(CliContext& ctx, const Args& args) {
  auto status = domain::requireDeviceStatus(args.positional(1));
  printDevice(
      ctx, app::DeviceService(ctx.store()).setStatus(args.positional(0), status, ctx.change(args)));
}

void remove(CliContext& ctx, const Args& args) {
  app::DeviceService(ctx.store()).remove(args.positional(0), ctx.change(args));
  printDeleted(ctx, "device", args.positional(0));
}

const char* kStatusHelp =
    "INVENTORY, PLANNED, STAGED, ACTIVE, FAILED or DECOMMISSIONING (any case)";

/// The SSH host key netspine pinned for a device; --forget drops it, so that the next contact
/// pins the key the device offers then (after a planned key change).
void hostKey(CliContext& ctx, const Args& args) {
  auto txn = ctx.jobStore().begin();
  const auto& name = args.positional(0);
  auto device = txn->devices().findByName(name);
  if (!device) throw domain::NotFoundError(fmt::format("no device '{}'", name), "device");
  auto keys = txn->hostKeys({device->id});
  if (args.flag("forget")) {
    const bool forgotten = txn->forgetHostKey(device->id);
    txn->commit();
    ctx.print(forgotten ? fmt::format("forgot the host key of '{}': the next connection pins the "
                                      "key it offers\n",
                                      name)
                        : fmt::format("'{}' has no pinned host key\n", name));
    return;
  }
  auto it = keys.find(device->id);
  if (ctx.json()) {
    app::JsonWriter w;
    if (it == keys.end()) {
      w.null();
    } else {
      w.beginObject().key("key").value(it->second.key).key("first_seen");
      w.value(it->second.firstSeen).key("run_id").value(it->second.runId).endObject();
    }
    ctx.printJson(w);
    return;
  }
  ctx.print(it == keys.end() ? fmt::format("'{}' has no pinned host key yet\n", name)
                             : fmt::format("{}\npinned {} by run {}\n", it->second.key,
                                           it->second.firstSeen, it->second.runId));
}

/// The device's runtime status: the last result of each job kind and each check (icmp, tcp, ssh,
/// netconf, snmp), as the reachability job and the others left it.
void health(CliContext& ctx, const Args& args) {
  auto txn = ctx.jobStore().read();
  const auto& name = args.positional(0);
  auto device = txn->devices().findByName(name);
  if (!device) throw domain::NotFoundError(fmt::format("no device '{}'", name), "device");
  auto rows = txn->runtime(device->id);
  if (rows.empty() && !ctx.json()) {
    ctx.print(fmt::format("'{}' has no runtime status yet: no job has run on it\n", name));
    return;
  }
  printList(
      ctx, rows, {"CHECK", "STATE", "LATENCY", "LAST SEEN", "LAST ERROR", "RUN", "UPDATED"},
      [](app::JsonWriter& w, const domain::DeviceRuntime& r) { app::writeJson(w, r); },
      [](const domain::DeviceRuntime& r) -> std::vector<std::string> {
        const auto latency = r.up ? app::latencyText(r.latencyUs) : std::string();
        return {r.check,     r.up ? "up" : "down",
                latency,     r.lastSeen.empty() ? "never" : r.lastSeen,
                r.lastError, std::to_string(r.runId),
                r.updatedAt};
      });
}

void fieldOptions(po::options_description& o, bool forAdd) {
  auto text = [forAdd](const char* name, bool requiredToAdd = false) {
    auto v = po::value<std::string>()->value_name(name);
    return forAdd && requiredToAdd ? v->required() : v;
  };
  auto opt = o.add_options();
  opt("address", text("ADDR", true), "management address: IPv4, IPv6 or DNS name");
  opt("platform", text("ID", true), "platform id");
  opt("area", text("AREA", true), "area path or unique name");
  opt("status", text("STATUS"),
      forAdd ? "lifecycle status (default INVENTORY)" : "new status (transition rules apply)");
  opt("role", text("ROLE"), "role (free text)");
  opt("serial", text("SERIAL"), "serial number");
  opt("os-version", text("VERSION"),
      "software version the device runs (free text, e.g. 15.2(4)M7)");
  opt("tag", po::value<std::vector<std::string>>()->value_name("TAG"),
      forAdd ? "a tag (repeatable)" : "replace all tags with these (repeatable)");
  opt("credentials", text("REF"),
      "credentials reference: a name in the secrets file, never a secret");
  opt("ssh-port", po::value<int>()->value_name("N"), "SSH port override");
  opt("snmp-port", po::value<int>()->value_name("N"), "SNMP port override");
}

void listOptions(po::options_description& o) {
  auto many = [](const char* name) {
    return po::value<std::vector<std::string>>()->value_name(name);
  };
  auto opt = o.add_options();
  opt("status", many("STATUS"), kStatusHelp);
  opt("area", many("AREA"), "in this area or below it");
  opt("platform", many("ID"), "with this platform");
  opt("tag", many("TAG"), "with this tag");
  opt("role", many("ROLE"), "with this role");
  opt("name-contains", po::value<std::string>()->value_name("TEXT"), "whose name contains TEXT");
  opt("limit", po::value<std::int64_t>()->value_name("N"), "at most N devices");
  opt("offset", po::value<std::int64_t>()->value_name("N"), "skip the first N");
}

void updateOptions(po::options_description& o) {
  o.add_options()("name", po::value<std::string>()->value_name("NAME"), "rename");
  fieldOptions(o, false);
  auto opt = o.add_options();
  opt("clear-tags", po::bool_switch(), "remove every tag");
  opt("add-tag", po::value<std::vector<std::string>>()->value_name("TAG"),
      "add a tag (repeatable)");
  opt("remove-tag", po::value<std::vector<std::string>>()->value_name("TAG"),
      "remove a tag (repeatable)");
  opt("clear-ssh-port", po::bool_switch(), "back to the default SSH port");
  opt("clear-snmp-port", po::bool_switch(), "back to the default SNMP port");
}

}  // namespace

Command deviceCommands() {
  Command group{.name = "device", .summary = "manage devices"};
  group.subcommands.push_back({
      .name = "add",
      .summary = "create a device",
      .positionals = {"NAME"},
      .synopsis = "--address ADDR --platform ID --area AREA",
      .options = [](po::options_description& o) { fieldOptions(o, true); },
      .writes = true,
      .run = add,
  });
  group.subcommands.push_back({
      .name = "list",
      .summary = "list devices; repeated filters of one kind mean OR, kinds combine with AND",
      .options = listOptions,
      .run = list,
  });
  group.subcommands.push_back(
      {.name = "show", .summary = "show one device", .positionals = {"NAME"}, .run = show});
  group.subcommands.push_back({
      .name = "update",
      .summary = "change any field of a device",
      .positionals = {"NAME"},
      .options = updateOptions,
      .writes = true,
      .run = update,
  });
  group.subcommands.push_back({
      .name = "set-status",
      .summary = "move a device to another lifecycle status (transition rules apply)",
      .positionals = {"NAME", "STATUS"},
      .writes = true,
      .run = setStatus,
  });
  group.subcommands.push_back({
      .name = "delete",
      .summary = "delete a device",
      .positionals = {"NAME"},
      .writes = true,
      .run = remove,
  });
  group.subcommands.push_back({
      .name = "health",
      .summary = "the device's runtime status: the last result of each job kind and check",
      .positionals = {"NAME"},
      .run = health,
  });
  group.subcommands.push_back({
      .name = "host-key",
      .summary = "the SSH host key pinned for a device; --forget to accept a changed one",
      .positionals = {"NAME"},
      .options =
          [](po::options_description& o) {
            o.add_options()("forget", po::bool_switch(),
                            "forget the pinned key: the next connection pins the one it sees");
          },
      .run = hostKey,
  });
  return group;
}

}  // namespace netspine::cli
