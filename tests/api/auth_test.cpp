// Every endpoint × every role, from the route table itself: no token is 401, a role below the
// route's is 403, a role at or above it gets past authorization (the placeholder objects do not
// exist, so nothing is changed). Plus bad, revoked and expired tokens.

#include <fmt/format.h>

#include "api/api_server.hpp"
#include "api_fixture.hpp"
#include "domain/api_token.hpp"

namespace netspine::test {
namespace {

std::string placeholderPath(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    const auto end = pattern.find('}', i);
    const auto name = pattern.substr(i + 1, end - i - 1);
    out += name == "id" ? (pattern.find("/platforms/") != std::string::npos ? "nosuch" : "999999")
           : name == "vid" ? "4000"
                           : "nosuch";
    i = end;
  }
  return out;
}

std::string placeholderBody(const api::Route& r) {
  if (r.doc.requestSchema.empty()) return "";
  const bool collection = r.pattern.find('{') == std::string::npos;
  // A collection's bulk update or delete takes a list; an empty one is refused (400).
  if (collection && (r.method == "PATCH" || r.method == "DELETE")) return "[]";
  return "{}";
}

TEST(ApiAuth, EveryEndpointAndRole) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  const auto routes = api::apiRoutes();
  ASSERT_GE(routes.size(), 40u);
  int checked = 0;
  for (const auto& r : routes) {
    const auto path = placeholderPath(r.pattern);
    const auto body = placeholderBody(r);
    SCOPED_TRACE(r.method + " " + path);
    const auto anonymous = serve.call(r.method, path, body);
    if (!r.role) {
      EXPECT_NE(anonymous.status, 401) << anonymous.body;
      EXPECT_NE(anonymous.status, 403) << anonymous.body;
    } else {
      EXPECT_EQ(anonymous.status, 401) << anonymous.body;
      EXPECT_EQ(anonymous.errorCode(), "unauthenticated");
      EXPECT_EQ(anonymous.header("WWW-Authenticate"), "Bearer realm=\"netspine\"");
    }
    for (auto role : {domain::Role::Read, domain::Role::Operate, domain::Role::Admin}) {
      const std::string name(domain::toString(role));
      const auto reply = serve.as(name, r.method, path, body);
      SCOPED_TRACE("role " + name + ": " + reply.body.substr(0, 300));
      EXPECT_LT(reply.status, 500);
      if (!r.role || domain::allows(role, *r.role)) {
        EXPECT_NE(reply.status, 401);
        EXPECT_NE(reply.status, 403);
      } else {
        EXPECT_EQ(reply.status, 403);
        EXPECT_EQ(reply.errorCode(), "forbidden");
        EXPECT_NE(reply.body.find(std::string(domain::toString(*r.role))), std::string::npos);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(routes.size()) * 3);
  // Nothing was changed by any of it: the change log holds only the three tokens' creation.
  EXPECT_EQ(serve.database().db().queryInt("SELECT COUNT(*) FROM change_log"), 3);
}

TEST(ApiAuth, RolesMatchTheIssue) {
  // read: GET only; operate: also run and cancel jobs; admin: everything else.
  for (const auto& r : api::apiRoutes()) {
    SCOPED_TRACE(r.method + " " + r.pattern);
    if (!r.role) {
      EXPECT_TRUE(r.pattern == "/health" || r.pattern == "/metrics" ||
                  r.pattern == "/api/v1/openapi.json");
    } else if (r.method == "GET") {
      EXPECT_EQ(*r.role,
                r.pattern.starts_with("/api/v1/tokens") ? domain::Role::Admin : domain::Role::Read);
    } else if (r.pattern == "/api/v1/jobs" || r.pattern == "/api/v1/runs/{id}/cancel") {
      EXPECT_EQ(*r.role, domain::Role::Operate);
    } else {
      EXPECT_EQ(*r.role, domain::Role::Admin);
    }
  }
}

TEST(ApiAuth, BadRevokedAndExpiredTokensAreRefused) {
  ServeProcess serve;
  serve.start();
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(
      serve.call("GET", "/api/v1/areas", "", "nst_0000000000000000000000000000000000000000").status,
      401);
  auto basic = serve.call("GET", "/api/v1/areas", "", "", {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic.status, 401);
  EXPECT_NE(basic.body.find("Bearer"), std::string::npos);
  EXPECT_EQ(serve.as("read", "GET", "/api/v1/areas").status, 200);

  ASSERT_EQ(serve.cli("token revoke read").status, 0);
  auto revoked = serve.as("read", "GET", "/api/v1/areas");
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(revoked.errorCode(), "invalid_token");

  // A token that expires: valid, then refused once its time has passed (also when the server
  // has checked it before, at the same inventory version).
  auto made = serve.cli("token create short --role read --expires 3s");
  ASSERT_EQ(made.status, 0) << made.output;
  const auto secret = made.output.substr(made.output.find("nst_"), 44);
  EXPECT_EQ(serve.call("GET", "/api/v1/areas", "", secret).status, 200);
  EXPECT_EQ(serve.call("GET", "/api/v1/areas", "", secret).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  auto expired = serve.call("GET", "/api/v1/areas", "", secret);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.errorCode(), "invalid_token");
}

}  // namespace
}  // namespace netspine::test
