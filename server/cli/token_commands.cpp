// netspine token create|list|revoke: the bearer tokens of the REST API. A secret is printed once,
// by create; nothing else ever prints it or its hash.

#include <fmt/format.h>

#include "application/token_service.hpp"
#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

std::string orNever(const std::string& time) {
  return time.empty() ? std::string("never") : time;
}

void create(CliContext& ctx, const Args& args) {
  if (!args.has("role")) throw UsageError("missing --role ROLE (read, operate or admin)");
  app::TokenService service(ctx.tokenStore());
  std::optional<app::TimePoint> expires;
  if (auto text = args.text("expires")) expires = app::parseExpiry(*text, app::systemNow());
  const auto created =
      service.create(args.positional(0), args.textOr("role"), expires, ctx.change(args).actor);
  const auto& t = created.token;
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject()
        .key("name")
        .value(t.name)
        .key("role")
        .value(domain::toString(t.role))
        .key("prefix")
        .value(t.prefix)
        .key("expires_at")
        .value(t.expiresAt)
        .key("token")
        .value(created.secret)
        .endObject();
    ctx.printJson(w);
    return;
  }
  ctx.print(fmt::format(
      "created token '{}' (role {}, expires {})\n{}\nthis is the only time the token is shown: "
      "keep it now\n",
      t.name, domain::toString(t.role), orNever(t.expiresAt), created.secret));
}

void list(CliContext& ctx, const Args&) {
  auto tokens = app::TokenService(ctx.tokenStore()).list();
  printList(
      ctx, tokens, {"NAME", "PREFIX", "ROLE", "CREATED", "EXPIRES", "LAST USED"},
      [](app::JsonWriter& w, const app::ApiToken& t) {
        w.beginObject()
            .key("name")
            .value(t.name)
            .key("prefix")
            .value(t.prefix)
            .key("role")
            .value(domain::toString(t.role))
            .key("created_at")
            .value(t.createdAt)
            .key("created_by")
            .value(t.createdBy)
            .key("expires_at")
            .value(t.expiresAt)
            .key("last_used_at")
            .value(t.lastUsedAt)
            .endObject();
      },
      [](const app::ApiToken& t) -> std::vector<std::string> {
        return {t.name,
                t.prefix,
                std::string(domain::toString(t.role)),
                t.createdAt,
                orNever(t.expiresAt),
                orNever(t.lastUsedAt)};
      });
}

void revoke(CliContext& ctx, const Args& args) {
  app::TokenService(ctx.tokenStore()).revoke(args.positional(0), ctx.change(args).actor);
  printDeleted(ctx, "token", args.positional(0));
}

}  // namespace

Command tokenCommands() {
  Command group{.name = "token", .summary = "bearer tokens of the REST API: create, list, revoke"};
  group.subcommands.push_back({
      .name = "create",
      .summary = "create a token and print its secret, the only time it is shown",
      .positionals = {"NAME"},
      .synopsis = "--role ROLE",
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("role", po::value<std::string>()->value_name("ROLE"),
                "read, operate or admin (any case)");
            opt("expires", po::value<std::string>()->value_name("WHEN"),
                "a duration from now (30d, 12h) or a UTC time (2027-01-31[T18:00[:00]][Z]); "
                "default: never");
          },
      .run = create,
  });
  group.subcommands.push_back(
      {.name = "list", .summary = "list tokens (never their secrets)", .run = list});
  group.subcommands.push_back({
      .name = "revoke",
      .summary = "delete a token: requests bearing it are refused from then on",
      .positionals = {"NAME"},
      .run = revoke,
  });
  return group;
}

}  // namespace netspine::cli
