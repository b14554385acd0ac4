#include "infra/database.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "domain/errors.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {
namespace {

using infra::Database;
using infra::DatabaseBackend;
using infra::DatabaseUrl;
using namespace Poco::Data::Keywords;

/// Parses `url`, which must be refused; returns the message.
std::string refusal(const std::string& url) {
  try {
    DatabaseUrl::parse(url);
  } catch (const domain::ValidationError& e) {
    EXPECT_EQ(e.field(), "db");
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << url;
  return {};
}

TEST(DatabaseUrlTest, PlainPathsAreSqlite) {
  for (std::string path :
       {"netspine.db", "/var/lib/netspine/netspine.db", "data/x.db", ":memory:"}) {
    auto url = DatabaseUrl::parse(path);
    EXPECT_EQ(url.backend, DatabaseBackend::SQLite) << path;
    EXPECT_EQ(url.path, path);
    EXPECT_EQ(url.connector(), "sqlite");
    EXPECT_EQ(url.connectionString(), path);
  }
}

TEST(DatabaseUrlTest, SqliteUrls) {
  EXPECT_EQ(DatabaseUrl::parse("sqlite:///var/lib/netspine.db").path, "/var/lib/netspine.db");
  EXPECT_EQ(DatabaseUrl::parse("sqlite:data/netspine.db").path, "data/netspine.db");
  EXPECT_EQ(DatabaseUrl::parse("sqlite:///tmp/with%20space.db").path, "/tmp/with space.db");
  EXPECT_EQ(DatabaseUrl::parse("sqlite:data/x.db").describe(), "sqlite:data/x.db");
}

TEST(DatabaseUrlTest, BadSqliteUrlsRefused) {
  EXPECT_NE(refusal("sqlite://host/x.db").find("takes no host"), std::string::npos);
  EXPECT_NE(refusal("sqlite:").find("names no file"), std::string::npos);
  EXPECT_NE(refusal("").find("empty"), std::string::npos);
}

TEST(DatabaseUrlTest, PostgresUrlWithEverything) {
  auto url = DatabaseUrl::parse(
      "postgresql://net%40ops:p%40ss%3Aw%2Frd@db.example.net:6432/inventory"
      "?sslmode=disable&connect_timeout=5");
  EXPECT_EQ(url.backend, DatabaseBackend::PostgreSQL);
  EXPECT_EQ(url.user, "net@ops");
  EXPECT_EQ(url.password, "p@ss:w/rd");
  EXPECT_EQ(url.host, "db.example.net");
  EXPECT_EQ(url.port, 6432);
  EXPECT_EQ(url.database, "inventory");
  ASSERT_EQ(url.options.size(), 2u);
  EXPECT_EQ(url.options[0], (std::pair<std::string, std::string>{"sslmode", "disable"}));
  EXPECT_EQ(url.options[1], (std::pair<std::string, std::string>{"connect_timeout", "5"}));
  EXPECT_EQ(url.connector(), "postgresql");
  EXPECT_EQ(url.connectionString(),
            "host='db.example.net' port='6432' dbname='inventory' user='net@ops' "
            "password='p@ss:w/rd' sslmode='disable' connect_timeout='5'");
  EXPECT_EQ(url.describe(),
            "postgresql://net%40ops:***@db.example.net:6432/inventory?sslmode=disable&"
            "connect_timeout=5");
}

TEST(DatabaseUrlTest, PostgresUrlMinimalAndVariants) {
  auto url = DatabaseUrl::parse("postgres://db1/netspine");
  EXPECT_EQ(url.backend, DatabaseBackend::PostgreSQL);
  EXPECT_EQ(url.host, "db1");
  EXPECT_EQ(url.port, 0);
  EXPECT_EQ(url.user, "");
  EXPECT_EQ(url.database, "netspine");
  EXPECT_EQ(url.connectionString(), "host='db1' dbname='netspine'");
  EXPECT_EQ(url.describe(), "postgresql://db1/netspine");

  auto v6 = DatabaseUrl::parse("postgresql://u@[::1]:5433/db");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 5433);
  EXPECT_EQ(v6.describe(), "postgresql://u@[::1]:5433/db");

  auto quote = DatabaseUrl::parse("postgresql://u:it%27s%5C@h/db");
  EXPECT_EQ(quote.connectionString(), R"(host='h' dbname='db' user='u' password='it\'s\\')");
}

TEST(DatabaseUrlTest, BadPostgresUrlsRefused) {
  EXPECT_NE(refusal("postgresql://u@h:99999/db").find("invalid port '99999'"), std::string::npos);
  EXPECT_NE(refusal("postgresql://u@h:port/db").find("invalid port 'port'"), std::string::npos);
  EXPECT_NE(refusal("postgresql://u@h/db?sslmode").find("not key=value"), std::string::npos);
  EXPECT_NE(refusal("postgresql://u@h/db?password=x").find("belongs in the URL"),
            std::string::npos);
  EXPECT_NE(refusal("postgresql://u@[::1/db").find("unclosed"), std::string::npos);
  EXPECT_NE(refusal("postgresql://u@h/a%2Fb").find("invalid database name"), std::string::npos);
  EXPECT_NE(refusal("mysql://u@h/db").find("unsupported database URL scheme 'mysql'"),
            std::string::npos);
  EXPECT_NE(refusal("postgresql://:secret@h/db").find("no user name"), std::string::npos);
}

TEST(DatabaseUrlTest, PasswordNeverInMessages) {
  const std::string secret = "S3cr3tPw";
  for (std::string url : {
           "postgresql://u:" + secret + "@h:70000/db",               // bad port
           "postgresql://u:" + secret + "@h/db?x",                   // bad option
           "postgresql://u:" + secret + "%zz@h/db",                  // bad escape in password
           "postgresql://u:" + secret + "%20x@h/db",                 // space in password
           "postgresql://u:" + secret + "/x@h/db/extra",             // slash in password
           "postgresql://u:" + secret + "@[::1/db",                  // bad host
           "postgresql://u:" + secret + "@h/db?password=" + secret,  // option password
       }) {
    std::string message = refusal(url);
    EXPECT_FALSE(message.empty()) << url;
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
  auto url = DatabaseUrl::parse("postgresql://u:" + secret + "@127.0.0.1:1/db");
  EXPECT_EQ(url.describe().find(secret), std::string::npos);
  EXPECT_NE(url.connectionString().find(secret), std::string::npos);
}

TEST(DatabaseUrlTest, FailedConnectionMasksPassword) {
  // Port 1 on loopback refuses at once.
  try {
    Database db("postgresql://netspine:TopSecret@127.0.0.1:1/db?connect_timeout=2");
    FAIL() << "connected to port 1";
  } catch (const infra::DatabaseError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("cannot open database postgresql://netspine:***@127.0.0.1:1/db"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("TopSecret"), std::string::npos) << message;
  }
}

TEST(DatabaseTest, NumbersPlaceholdersOutsideQuotes) {
  EXPECT_EQ(infra::numberPlaceholders("SELECT a FROM t WHERE a = ? AND b IN (?, ?)"),
            "SELECT a FROM t WHERE a = $1 AND b IN ($2, $3)");
  EXPECT_EQ(infra::numberPlaceholders("SELECT '?', 'it''s ?', \"odd?col\" FROM t WHERE x = ?"),
            "SELECT '?', 'it''s ?', \"odd?col\" FROM t WHERE x = $1");
  EXPECT_EQ(infra::numberPlaceholders("SELECT 1 -- why?\nWHERE a = ? /* or? */ AND b = ?"),
            "SELECT 1 -- why?\nWHERE a = $1 /* or? */ AND b = $2");
  EXPECT_EQ(infra::numberPlaceholders("LIKE ? ESCAPE '!'"), "LIKE $1 ESCAPE '!'");
  EXPECT_EQ(infra::numberPlaceholders("no placeholders"), "no placeholders");
}

TEST(DatabaseTest, PostgresBulkInsertUsesArrays) {
  EXPECT_EQ(infra::detail::unnestInsert("INSERT INTO t (a, b)", "(?, NULLIF(CAST(? AS BIGINT), 0))",
                                        {"TEXT[]", "BIGINT[]"}),
            "INSERT INTO t (a, b) SELECT u.c1, NULLIF(CAST(u.c2 AS BIGINT), 0) FROM "
            "UNNEST(CAST(? AS TEXT[]), CAST(? AS BIGINT[])) AS u(c1, c2)");
  EXPECT_THROW(infra::detail::unnestInsert("INSERT INTO t (a)", "(?, ?)", {"TEXT[]"}),
               std::logic_error);
  std::vector<std::string> texts{"a", "b\"c", "d\\e", "", "{x,y}"};
  EXPECT_EQ(infra::detail::arrayLiteral(texts, 0, 5), R"({"a","b\"c","d\\e","","{x,y}"})");
  EXPECT_EQ(infra::detail::arrayLiteral(texts, 1, 1), R"({"b\"c"})");
  std::vector<std::int64_t> numbers{1, -2, 3};
  EXPECT_EQ(infra::detail::arrayLiteral(numbers, 0, 3), "{1,-2,3}");
}

TEST(DatabaseTest, SqliteOpensWithWalAndForeignKeysInANewFolder) {
  auto tmp =
      std::filesystem::temp_directory_path() / ("netspine-db-open-" + std::to_string(::getpid()));
  std::filesystem::remove_all(tmp);
  const auto file = tmp / "deep" / "er" / "netspine.db";
  {
    Database db(file.string());
    EXPECT_EQ(db.backend(), DatabaseBackend::SQLite);
    std::string mode;
    Poco::Int64 foreignKeys = 0, timeout = 0, synchronous = 0;
    db.session() << "PRAGMA journal_mode", into(mode), now;
    db.session() << "PRAGMA foreign_keys", into(foreignKeys), now;
    db.session() << "PRAGMA busy_timeout", into(timeout), now;
    db.session() << "PRAGMA synchronous", into(synchronous), now;
    EXPECT_EQ(mode, "wal");
    EXPECT_EQ(foreignKeys, 1);
    EXPECT_EQ(timeout, 5000);
    EXPECT_EQ(synchronous, 1);  // NORMAL
  }
  EXPECT_TRUE(std::filesystem::exists(file));
  std::filesystem::remove_all(tmp);
}

class DatabaseBackendTest : public ::testing::TestWithParam<DatabaseBackend> {};

TEST_P(DatabaseBackendTest, TransactionsCommitAndRollBack) {
  auto t = freshDatabase(GetParam(), /*migrate=*/false);
  Database& db = t->db();
  db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
  db.begin();
  auto insert = db.statement("INSERT INTO t (id, name) VALUES (?, ?)");
  insert, bind(Poco::Int64{1}), bind(std::string("a"));
  insert.execute();
  db.commit();
  db.begin();
  auto second = db.statement("INSERT INTO t (id, name) VALUES (?, ?)");
  second, bind(Poco::Int64{2}), bind(std::string("b"));
  second.execute();
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM t"), 2);
  db.rollback();
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM t"), 1);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM t WHERE name = ?", {std::string("a")}), 1);
  EXPECT_FALSE(db.inTransaction());
}

TEST_P(DatabaseBackendTest, ViolationsAreClassified) {
  auto t = freshDatabase(GetParam(), /*migrate=*/false);
  Database& db = t->db();
  db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
  db.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id))");
  db.execute("INSERT INTO p (id, name) VALUES (1, 'a')");
  auto violation = [&](const std::string& sql) {
    try {
      db.execute(sql);
    } catch (const Poco::Exception& e) {
      return infra::violationOf(e);
    }
    ADD_FAILURE() << "no error from " << sql;
    return infra::Violation::None;
  };
  EXPECT_EQ(violation("INSERT INTO p (id, name) VALUES (2, 'a')"), infra::Violation::Unique);
  EXPECT_EQ(violation("INSERT INTO p (id, name) VALUES (1, 'b')"), infra::Violation::Unique);
  EXPECT_EQ(violation("INSERT INTO c (id, p) VALUES (1, 42)"), infra::Violation::ForeignKey);
  EXPECT_EQ(violation("SELECT nonsense FROM nowhere"), infra::Violation::None);
}

TEST_P(DatabaseBackendTest, InsertRowsInsertsEveryRow) {
  auto t = freshDatabase(GetParam(), /*migrate=*/false);
  Database& db = t->db();
  db.execute("CREATE TABLE t (n BIGINT NOT NULL, s TEXT NOT NULL, z BIGINT)");
  std::vector<Poco::Int64> numbers;
  std::vector<std::string> texts;
  for (int i = 0; i < 25'000; ++i) {  // more than one PostgreSQL batch
    numbers.push_back(i);
    texts.push_back(fmt::format("row '{}', \"q\" \\ {{x}} NULL", i));
  }
  texts[7] = "";
  db.insertRows("INSERT INTO t (n, s, z)", "(?, ?, NULLIF(CAST(? AS BIGINT), 0))", numbers, texts,
                numbers);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM t"), 25'000);
  EXPECT_EQ(db.queryInt("SELECT SUM(n) FROM t"), std::int64_t{24'999} * 25'000 / 2);
  EXPECT_EQ(db.queryInt("SELECT n FROM t WHERE s = ?", {texts[1234]}), 1234);
  EXPECT_EQ(db.queryInt("SELECT n FROM t WHERE s = ''"), 7);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM t WHERE z IS NULL"), 1);  // row 0
  std::vector<Poco::Int64> none;
  std::vector<std::string> noText;
  db.insertRows("INSERT INTO t (n, s)", "(?, ?)", none, noText);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM t"), 25'000);
}

TEST_P(DatabaseBackendTest, Int64RoundTripsAndDescribeHidesPassword) {
  auto t = freshDatabase(GetParam(), /*migrate=*/false);
  Database& db = t->db();
  EXPECT_EQ(db.queryInt("SELECT CAST(? AS BIGINT) + 1", {std::int64_t{5'000'000'000}}),
            5'000'000'001);
  EXPECT_EQ(db.describe().find("password"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseBackendTest,
                         ::testing::Values(DatabaseBackend::SQLite, DatabaseBackend::PostgreSQL),
                         [](const auto& info) {
                           return info.param == DatabaseBackend::SQLite ? "Sqlite" : "Postgres";
                         });

TEST(RedactSecrets, PasswordsNeverReachMessages) {
  using infra::redactSecrets;
  EXPECT_EQ(redactSecrets("cannot open postgresql://u:pw123@h:5/db: refused"),
            "cannot open postgresql://u:***@h:5/db: refused");
  EXPECT_EQ(redactSecrets("connect failed: host=h password=pw123 dbname=x"),
            "connect failed: host=h password=*** dbname=x");
  EXPECT_EQ(redactSecrets("auth for pw123 failed", "pw123"), "auth for *** failed");
  EXPECT_EQ(redactSecrets("a\nb", "pw123"), "a\nb");
  // A secret found again inside its own mask must not be masked again (that never ended).
  EXPECT_EQ(redactSecrets("auth for * failed", "*"), "auth for *** failed");
  EXPECT_EQ(redactSecrets("x**y", "**"), "x***y");
}

}  // namespace
}  // namespace netspine::test
