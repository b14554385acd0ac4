// netspine token create|list|revoke: the secret is printed once and is what authenticates; no
// list ever shows it or its hash.

#include "application/config_service.hpp"
#include "application/token_service.hpp"
#include "cli_fixture.hpp"
#include "infra/database.hpp"
#include "infra/sql_token_store.hpp"

namespace netspine::cli::testing {
namespace {

class CliTokenTest : public CliTest {
 protected:
  /// What the REST API will do with a bearer secret.
  std::optional<app::ApiToken> authenticate(const std::string& secret) {
    infra::Database db(db_);
    infra::SqlTokenStore store(db);
    return app::TokenService(store).authenticate(secret, app::systemNow());
  }

  /// The secret line of `token create`'s text output.
  static std::string secretOf(const std::string& out) {
    for (const auto& line : lines(out)) {
      if (line.rfind("nst_", 0) == 0) return line;
    }
    return {};
  }
};

TEST_F(CliTokenTest, CreatePrintsATokenThatAuthenticates) {
  auto out = ok({"token", "create", "ci", "--role", "Operate"});
  const auto secret = secretOf(out);
  ASSERT_EQ(secret.size(), 44u) << out;
  EXPECT_NE(out.find("created token 'ci' (role operate, expires never)"), std::string::npos) << out;
  auto who = authenticate(secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->name, "ci");
  EXPECT_EQ(who->role, domain::Role::Operate);
  EXPECT_EQ(who->createdBy, "cli:test");
  EXPECT_FALSE(authenticate(secret.substr(0, 43) + (secret.back() == 'x' ? "y" : "x")));
}

TEST_F(CliTokenTest, CreateAsJsonAndListNeverShowsTheSecret) {
  auto json = parseObject(
      ok({"--json", "token", "create", "deploy", "--role", "admin", "--expires", "30d"}));
  const auto secret = json->getValue<std::string>("token");
  EXPECT_EQ(json->getValue<std::string>("name"), "deploy");
  EXPECT_EQ(json->getValue<std::string>("role"), "admin");
  EXPECT_EQ(json->getValue<std::string>("prefix"), secret.substr(0, 8));
  EXPECT_FALSE(json->getValue<std::string>("expires_at").empty());
  ASSERT_TRUE(authenticate(secret));
  ok({"token", "create", "reader", "--role", "read", "--expires", "2099-01-01"});

  const auto text = ok({"token", "list"});
  const auto jsonList = ok({"--json", "token", "list"});
  for (const auto& out : {text, jsonList}) {
    EXPECT_EQ(out.find(secret), std::string::npos) << out;
    EXPECT_EQ(out.find(app::sha256Hex(secret)), std::string::npos) << out;
  }
  auto rows = lines(text);
  ASSERT_EQ(rows.size(), 3u) << text;
  EXPECT_EQ(cells(rows[0]), (std::vector<std::string>{"NAME", "PREFIX", "ROLE", "CREATED",
                                                      "EXPIRES", "LAST", "USED"}));
  auto deploy = cells(rows[1]);
  ASSERT_EQ(deploy.size(), 6u) << text;
  EXPECT_EQ(deploy[0], "deploy");
  EXPECT_EQ(deploy[1], secret.substr(0, 8));
  EXPECT_EQ(deploy[2], "admin");
  EXPECT_NE(deploy[5], "never");  // authenticated above
  auto reader = cells(rows[2]);
  ASSERT_EQ(reader.size(), 6u) << text;
  EXPECT_EQ(reader[4], "2099-01-01T00:00:00.000Z");
  EXPECT_EQ(reader[5], "never");

  auto array = parseArray(jsonList);
  ASSERT_EQ(array->size(), 2u);
  EXPECT_FALSE(array->getObject(0)->has("token"));
  EXPECT_FALSE(array->getObject(0)->has("token_hash"));
}

TEST_F(CliTokenTest, RevokeStopsTheToken) {
  const auto secret = secretOf(ok({"token", "create", "ci", "--role", "read"}));
  ASSERT_TRUE(authenticate(secret));
  EXPECT_EQ(ok({"token", "revoke", "ci"}), "deleted token 'ci'\n");
  EXPECT_FALSE(authenticate(secret));
  auto r = run({"token", "revoke", "ci"});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("token 'ci' not found"), std::string::npos) << r;
  EXPECT_EQ(parseArray(ok({"--json", "token", "list"}))->size(), 0u);
}

TEST_F(CliTokenTest, BadInputIsRefused) {
  auto r = run({"token", "create", "ci"});
  EXPECT_EQ(r.code, 2) << r;  // usage: --role missing
  r = run({"token", "create", "ci", "--role", "root"});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("'root' is not a role"), std::string::npos) << r;
  r = run({"token", "create", "ci", "--role", "read", "--expires", "2001-01-01"});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("not in the future"), std::string::npos) << r;
  r = run({"token", "create", "ci", "--role", "read", "--expires", "soon"});
  EXPECT_NE(r.code, 0) << r;
  ok({"token", "create", "ci", "--role", "read"});
  r = run({"token", "create", "ci", "--role", "read"});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("token 'ci' already exists"), std::string::npos) << r;
  EXPECT_EQ(r.out.find("nst_"), std::string::npos) << r;
}

}  // namespace
}  // namespace netspine::cli::testing
