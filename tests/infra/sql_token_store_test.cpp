// SqlTokenStore and TokenService on SQLite and PostgreSQL: round trips, unique names and
// hashes, and that a token authenticates by its secret while only the hash is stored.

#include "infra/sql_token_store.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <set>
#include <string>

#include "application/config_service.hpp"
#include "domain/errors.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {
namespace {

using app::ApiToken;
using app::TimePoint;
using domain::Role;
using infra::DatabaseBackend;
using infra::SqlTokenStore;
using namespace std::chrono_literals;

ApiToken sampleToken(const std::string& name, const std::string& hash) {
  ApiToken t;
  t.name = name;
  t.tokenHash = hash;
  t.prefix = "nst_abcd";
  t.role = Role::Operate;
  t.createdAt = "2026-11-27T08:00:00.000Z";
  t.createdBy = "cli:alice";
  return t;
}

TimePoint at(int hour, int minute, int second = 0) {
  // 2026-11-27 (UTC) plus the time of day.
  return TimePoint(std::chrono::seconds(1795737600)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

class SqlTokenStoreTest : public ::testing::TestWithParam<DatabaseBackend> {
 protected:
  std::unique_ptr<TestDatabase> t = freshDatabase(GetParam());
  infra::Database& db = t->db();
  SqlTokenStore store{db};
  TimePoint now = at(8, 0);
  app::TokenService service{store, [this] { return now; }};
};

TEST_P(SqlTokenStoreTest, InsertFindTouchListRemove) {
  auto a = sampleToken("ci", "hash-a");
  store.insert(a);
  EXPECT_GT(a.id, 0);
  auto b = sampleToken("backup", "hash-b");
  b.role = Role::Admin;
  b.expiresAt = "2027-01-01T00:00:00.000Z";
  store.insert(b);
  EXPECT_NE(a.id, b.id);

  auto found = store.findByHash("hash-b");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, b.id);
  EXPECT_EQ(found->name, "backup");
  EXPECT_EQ(found->tokenHash, "hash-b");
  EXPECT_EQ(found->prefix, "nst_abcd");
  EXPECT_EQ(found->role, Role::Admin);
  EXPECT_EQ(found->createdAt, "2026-11-27T08:00:00.000Z");
  EXPECT_EQ(found->createdBy, "cli:alice");
  EXPECT_EQ(found->expiresAt, "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(found->lastUsedAt, "");
  EXPECT_FALSE(store.findByHash("hash-c"));

  store.touch(a.id, "2026-11-27T09:00:00.000Z");
  EXPECT_EQ(store.findByHash("hash-a")->lastUsedAt, "2026-11-27T09:00:00.000Z");

  auto all = store.list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "backup");  // by name
  EXPECT_EQ(all[1].name, "ci");

  EXPECT_TRUE(store.remove("ci"));
  EXPECT_FALSE(store.remove("ci"));
  EXPECT_FALSE(store.findByHash("hash-a"));
  EXPECT_EQ(store.list().size(), 1u);
}

TEST_P(SqlTokenStoreTest, NamesAndHashesAreUnique) {
  auto a = sampleToken("ci", "hash-a");
  store.insert(a);
  auto sameName = sampleToken("ci", "hash-b");
  EXPECT_THROW(store.insert(sameName), domain::ConflictError);
  auto sameHash = sampleToken("other", "hash-a");
  EXPECT_THROW(store.insert(sameHash), domain::ConflictError);
  EXPECT_EQ(store.list().size(), 1u);
}

TEST_P(SqlTokenStoreTest, CreatedTokenAuthenticatesAndOnlyItsHashIsStored) {
  auto created = service.create("ci", "Admin", std::nullopt, "cli:alice");
  ASSERT_EQ(created.secret.size(), 44u);
  EXPECT_EQ(created.secret.substr(0, 4), "nst_");
  EXPECT_EQ(created.token.prefix, created.secret.substr(0, 8));
  EXPECT_EQ(created.token.role, Role::Admin);
  EXPECT_EQ(created.token.createdBy, "cli:alice");

  // The row holds the SHA-256 hex of the secret, and the secret nowhere.
  std::string hash, prefix;
  db.session() << db.sql("SELECT token_hash, prefix FROM api_tokens WHERE name = 'ci'"),
      Poco::Data::Keywords::into(hash), Poco::Data::Keywords::into(prefix),
      Poco::Data::Keywords::now;
  EXPECT_EQ(hash, app::sha256Hex(created.secret));
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_NE(hash, created.secret);
  EXPECT_EQ(prefix, created.secret.substr(0, 8));
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR prefix = ? OR "
                        "name = ? OR created_by = ?",
                        {created.secret, created.secret, created.secret, created.secret}),
            0);

  auto who = service.authenticate(created.secret, at(8, 1));
  ASSERT_TRUE(who);
  EXPECT_EQ(who->name, "ci");
  EXPECT_EQ(who->role, Role::Admin);
  EXPECT_EQ(who->lastUsedAt, "2026-11-27T08:01:00.000Z");
  EXPECT_EQ(store.findByHash(hash)->lastUsedAt, "2026-11-27T08:01:00.000Z");
}

TEST_P(SqlTokenStoreTest, WrongExpiredAndRevokedSecretsAreRefused) {
  auto created = service.create("ci", "read", at(9, 0), "cli:alice");
  EXPECT_EQ(created.token.expiresAt, "2026-11-27T09:00:00.000Z");
  std::string wrong = created.secret;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(service.authenticate(wrong, at(8, 1)));
  EXPECT_FALSE(service.authenticate("", at(8, 1)));
  EXPECT_FALSE(service.authenticate("Bearer " + created.secret, at(8, 1)));
  EXPECT_FALSE(service.authenticate(app::sha256Hex(created.secret), at(8, 1)));
  EXPECT_TRUE(service.authenticate(created.secret, at(8, 59, 59)));
  EXPECT_FALSE(service.authenticate(created.secret, at(9, 0)));  // expired
  EXPECT_FALSE(service.authenticate(created.secret, at(10, 0)));

  auto other = service.create("other", "operate", std::nullopt, "cli:alice");
  EXPECT_TRUE(service.authenticate(other.secret, at(8, 1)));
  service.revoke("other");
  EXPECT_FALSE(service.authenticate(other.secret, at(8, 2)));
  EXPECT_THROW(service.revoke("other"), domain::NotFoundError);
}

TEST_P(SqlTokenStoreTest, LastUsedIsWrittenAtMostOncePerMinute) {
  auto created = service.create("ci", "read", std::nullopt, "cli:alice");
  auto hash = app::sha256Hex(created.secret);
  ASSERT_TRUE(service.authenticate(created.secret, at(8, 10, 0)));
  EXPECT_EQ(store.findByHash(hash)->lastUsedAt, "2026-11-27T08:10:00.000Z");
  ASSERT_TRUE(service.authenticate(created.secret, at(8, 10, 59)));
  EXPECT_EQ(store.findByHash(hash)->lastUsedAt, "2026-11-27T08:10:00.000Z");
  ASSERT_TRUE(service.authenticate(created.secret, at(8, 11, 0)));
  EXPECT_EQ(store.findByHash(hash)->lastUsedAt, "2026-11-27T08:11:00.000Z");
}

TEST_P(SqlTokenStoreTest, CreateValidates) {
  EXPECT_THROW(service.create("has space", "read", std::nullopt, "a"), domain::ValidationError);
  EXPECT_THROW(service.create("ci", "root", std::nullopt, "a"), domain::ValidationError);
  EXPECT_THROW(service.create("ci", "read", at(7, 59), "a"), domain::ValidationError);
  EXPECT_THROW(service.create("ci", "read", now, "a"), domain::ValidationError);
  service.create("ci", "read", std::nullopt, "a");
  try {
    service.create("ci", "admin", std::nullopt, "a");
    FAIL() << "a second 'ci'";
  } catch (const domain::ConflictError& e) {
    EXPECT_EQ(std::string(e.what()), "name: token 'ci' already exists");
  }
  EXPECT_EQ(store.list().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTokenStoreTest,
                         ::testing::Values(DatabaseBackend::SQLite, DatabaseBackend::PostgreSQL),
                         [](const auto& info) {
                           return info.param == DatabaseBackend::SQLite ? "Sqlite" : "Postgres";
                         });

TEST(TokenSecretTest, SecretsAreBase62AndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto s = app::newTokenSecret();
    ASSERT_EQ(s.size(), 44u);
    EXPECT_EQ(s.substr(0, 4), "nst_");
    for (char c : s.substr(4)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(TokenExpiryTest, DurationsAndUtcTimes) {
  const TimePoint now = at(8, 0);
  EXPECT_EQ(app::parseExpiry("90m", now), at(9, 30));
  EXPECT_EQ(app::parseExpiry("2026-11-28", now), at(0, 0) + 24h);
  EXPECT_EQ(app::parseExpiry("2026-11-27T18:30", now), at(18, 30));
  EXPECT_EQ(app::parseExpiry("2026-11-27T18:30:15Z", now), at(18, 30, 15));
  for (const char* bad : {"2026-13-01", "2026-02-30", "2026-11-27T25:00", "2026-11-27 18:30",
                          "soon", "", "2026-11-27T18:30:15+01:00"}) {
    EXPECT_THROW(app::parseExpiry(bad, now), domain::ValidationError) << bad;
  }
}

/// A store whose last-use write fails (a database busy with another writer).
class TouchFails : public app::TokenStore {
 public:
  explicit TouchFails(app::TokenStore& inner) : inner_(inner) {}
  void insert(app::ApiToken& token, const app::ChangeEntry* change) override {
    inner_.insert(token, change);
  }
  std::vector<app::ApiToken> list() override { return inner_.list(); }
  std::optional<app::ApiToken> findByHash(std::string_view hash) override {
    return inner_.findByHash(hash);
  }
  void touch(app::Id, const std::string&) override {
    ++touches;
    throw infra::DatabaseError("database is locked");
  }
  bool remove(std::string_view name, const app::ChangeEntry* change) override {
    return inner_.remove(name, change);
  }
  int touches = 0;

 private:
  app::TokenStore& inner_;
};

TEST(TokenServiceTest, AValidTokenIsAcceptedWhenTheLastUseCannotBeWritten) {
  auto db = freshSqlite();
  infra::SqlTokenStore sql(db->db());
  TouchFails store(sql);
  app::TokenService service(store);
  const auto created = service.create("bot", "read", std::nullopt, "cli:test");
  const auto token = service.authenticate(created.secret, app::systemNow());
  ASSERT_TRUE(token);
  EXPECT_EQ(token->name, "bot");
  EXPECT_EQ(store.touches, 1);
  EXPECT_FALSE(service.authenticate(created.secret + "x", app::systemNow()));
}

}  // namespace
}  // namespace netspine::test
