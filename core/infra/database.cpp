#include "infra/database.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <mutex>

#include "domain/errors.hpp"

namespace netspine::infra {
namespace {

using namespace Poco::Data::Keywords;

constexpr const char* kField = "db";

[[noreturn]] void fail(const std::string& message) {
  throw domain::ValidationError("db: " + message, kField);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `what` names the part in the error, never its value (it may be the password).
std::string percentDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int hi = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      fail(fmt::format("bad percent-encoding in the {} of the database URL", what));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

DatabaseUrl parseSqlite(std::string_view rest) {
  // rest follows "sqlite:": "///abs/path", or "rel/path".
  DatabaseUrl url;
  if (startsWith(rest, "//")) {
    rest.remove_prefix(2);
    if (!startsWith(rest, "/"))
      fail("a sqlite:// URL takes no host: use sqlite:///absolute/path or sqlite:relative/path");
  }
  url.path = percentDecode(rest, "path");
  if (url.path.empty()) fail("the sqlite URL names no file: use sqlite:///absolute/path");
  return url;
}

int parsePort(std::string_view text) {
  if (text.empty() || text.size() > 5 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    fail(fmt::format("invalid port '{}' in the postgresql URL: expected 1-65535", text));
  int port = std::stoi(std::string(text));
  if (port < 1 || port > 65535)
    fail(fmt::format("invalid port '{}' in the postgresql URL: expected 1-65535", text));
  return port;
}

DatabaseUrl parsePostgres(std::string_view rest) {
  // rest follows "postgresql://": [user[:password]@][host][:port][/database][?k=v&…]
  DatabaseUrl url;
  url.backend = DatabaseBackend::PostgreSQL;
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  // The user info ends at the last '@', so a '/' in an unencoded password cannot leak into
  // the parts that error messages show.
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      url.password = percentDecode(userinfo.substr(colon + 1), "password");
      userinfo = userinfo.substr(0, colon);
    }
    url.user = percentDecode(userinfo, "user name");
    if (url.user.empty() && !url.password.empty())
      fail("the postgresql URL has a password but no user name");
  }
  std::string_view authority = rest;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    url.database = percentDecode(rest.substr(slash + 1), "database name");
    if (url.database.find('/') != std::string::npos)
      fail(fmt::format("invalid database name '{}' in the postgresql URL", url.database));
  }
  if (startsWith(authority, "[")) {  // [::1]:5432
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      fail(fmt::format("unclosed '[' in the host '{}' of the postgresql URL", authority));
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':')
        fail(fmt::format("unexpected '{}' after the host of the postgresql URL", after));
      url.port = parsePort(after.substr(1));
    }
  } else {
    if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
      url.port = parsePort(authority.substr(colon + 1));
      authority = authority.substr(0, colon);
    }
    url.host = percentDecode(authority, "host");
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0)
      fail(fmt::format("option '{}' of the postgresql URL is not key=value", pair));
    std::string key = percentDecode(pair.substr(0, eq), "option name");
    if (!std::all_of(key.begin(), key.end(), [](char c) {
          return std::islower(static_cast<unsigned char>(c)) || c == '_';
        }))
      fail(fmt::format("invalid option name '{}' in the postgresql URL", key));
    if (key == "password" || key == "user" || key == "host" || key == "port" || key == "dbname")
      fail(fmt::format("option '{}' belongs in the URL itself, not in its query", key));
    url.options.emplace_back(key, percentDecode(pair.substr(eq + 1), "option " + key));
  }
  // POCO's PostgreSQL connector splits its connection string at spaces.
  auto noSpace = [](const std::string& value, std::string_view what, bool show) {
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
      fail(show ? fmt::format("the {} '{}' holds white space, which the PostgreSQL driver cannot "
                              "pass on",
                              what, value)
                : fmt::format("the {} holds white space, which the PostgreSQL driver cannot pass "
                              "on: use a ~/.pgpass file instead",
                              what));
  };
  noSpace(url.user, "user name", true);
  noSpace(url.password, "password", false);
  noSpace(url.host, "host", true);
  noSpace(url.database, "database name", true);
  for (const auto& [key, value] : url.options) noSpace(value, "option " + key, true);
  return url;
}

/// A libpq keyword=value pair, quoted so that quotes and backslashes survive.
std::string libpqPair(std::string_view key, std::string_view value) {
  std::string out(key);
  out += "='";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

std::string percentEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

void registerConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A Database is used by one thread at a time (SqlStore serialises its units of work), so
    // SQLite need not lock every connection on every call (the default "serialized" mode).
    Poco::Data::SQLite::Utility::setThreadMode(Poco::Data::SQLite::Utility::THREAD_MODE_MULTI);
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

}  // namespace

DatabaseUrl DatabaseUrl::parse(std::string_view text) {
  if (text.empty()) fail("the database URL is empty");
  if (startsWith(text, "postgresql://")) return parsePostgres(text.substr(13));
  if (startsWith(text, "postgres://")) return parsePostgres(text.substr(11));
  if (startsWith(text, "sqlite:")) return parseSqlite(text.substr(7));
  if (auto sep = text.find("://"); sep != std::string_view::npos) {
    std::string_view scheme = text.substr(0, sep);
    if (!scheme.empty() && std::all_of(scheme.begin(), scheme.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
        }))
      fail(
          fmt::format("unsupported database URL scheme '{}': use a SQLite file path, "
                      "sqlite:///absolute/path or postgresql://user@host:port/database",
                      scheme));
  }
  DatabaseUrl url;
  url.path = std::string(text);
  return url;
}

std::string DatabaseUrl::connector() const {
  return backend == DatabaseBackend::SQLite ? Poco::Data::SQLite::Connector::KEY
                                            : Poco::Data::PostgreSQL::Connector::KEY;
}

std::string DatabaseUrl::connectionString() const {
  if (backend == DatabaseBackend::SQLite) return path;
  std::vector<std::string> pairs;
  if (!host.empty()) pairs.push_back(libpqPair("host", host));
  if (port != 0) pairs.push_back(libpqPair("port", std::to_string(port)));
  if (!database.empty()) pairs.push_back(libpqPair("dbname", database));
  if (!user.empty()) pairs.push_back(libpqPair("user", user));
  if (!password.empty()) pairs.push_back(libpqPair("password", password));
  for (const auto& [key, value] : options) pairs.push_back(libpqPair(key, value));
  return fmt::format("{}", fmt::join(pairs, " "));
}

std::string DatabaseUrl::describe() const {
  if (backend == DatabaseBackend::SQLite) return "sqlite:" + path;
  std::string out = "postgresql://";
  if (!user.empty()) {
    out += percentEncode(user);
    if (!password.empty()) out += ":***";
    out += '@';
  }
  out += host.find(':') != std::string::npos ? "[" + host + "]" : percentEncode(host);
  if (port != 0) out += ":" + std::to_string(port);
  if (!database.empty()) out += "/" + percentEncode(database);
  for (std::size_t i = 0; i < options.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += options[i].first + "=" + percentEncode(options[i].second);
  }
  return out;
}

Violation violationOf(const Poco::Exception& error) {
  const std::string text = error.displayText();
  if (dynamic_cast<const Poco::Data::SQLite::ConstraintViolationException*>(&error) ||
      text.find("constraint failed") != std::string::npos) {
    if (text.find("FOREIGN KEY") != std::string::npos) return Violation::ForeignKey;
    if (text.find("UNIQUE") != std::string::npos || text.find("PRIMARY KEY") != std::string::npos)
      return Violation::Unique;
  }
  // POCO's PostgreSQL driver reports the SQLSTATE in the message.
  if (text.find("State: 23505") != std::string::npos) return Violation::Unique;
  if (text.find("State: 23503") != std::string::npos) return Violation::ForeignKey;
  return Violation::None;
}

namespace {

/// `sql` with each `?` outside quoted text and comments replaced by `by(n)`, n = 1, 2, …
std::string replacePlaceholders(std::string_view sql, const std::function<std::string(int)>& by) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    std::size_t end = i;          // the last character of a quoted or comment span starting at i
    if (c == '\'' || c == '"') {  // doubled quotes stay inside
      for (end = i + 1; end < sql.size(); ++end) {
        if (sql[end] != c) continue;
        if (end + 1 < sql.size() && sql[end + 1] == c) {
          ++end;
          continue;
        }
        break;
      }
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      end = sql.find("*/", i + 2);
      if (end != std::string_view::npos) ++end;
    } else if (c == '?') {
      out += by(++n);
      continue;
    } else {
      out += c;
      continue;
    }
    end = std::min(end, sql.size() - 1);
    out.append(sql.substr(i, end + 1 - i));
    i = end;
  }
  return out;
}

}  // namespace

std::string numberPlaceholders(std::string_view sql) {
  return replacePlaceholders(sql, [](int n) { return "$" + std::to_string(n); });
}

namespace detail {

std::string arrayLiteral(const std::vector<std::string>& values, std::size_t first, std::size_t n) {
  std::string out = "{";
  for (std::size_t i = first; i < first + n; ++i) {
    if (i != first) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string arrayLiteral(const std::vector<std::int64_t>& values, std::size_t first,
                         std::size_t n) {
  std::string out = "{";
  for (std::size_t i = first; i < first + n; ++i) {
    if (i != first) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

std::string unnestInsert(std::string_view head, std::string_view row,
                         const std::vector<std::string>& arrayTypes) {
  // "(?, NULLIF(?, 0))" -> "SELECT u.c1, NULLIF(u.c2, 0) FROM UNNEST(CAST(? AS TEXT[]), …)"
  if (row.size() < 2 || row.front() != '(' || row.back() != ')')
    throw std::logic_error("insertRows: the row must be a parenthesised tuple");
  std::string select = replacePlaceholders(row.substr(1, row.size() - 2),
                                           [](int n) { return "u.c" + std::to_string(n); });
  std::vector<std::string> arrays, names;
  for (std::size_t i = 0; i < arrayTypes.size(); ++i) {
    arrays.push_back("CAST(? AS " + arrayTypes[i] + ")");
    names.push_back("c" + std::to_string(i + 1));
  }
  if (select.find("u.c" + std::to_string(arrayTypes.size())) == std::string::npos ||
      select.find("u.c" + std::to_string(arrayTypes.size() + 1)) != std::string::npos)
    throw std::logic_error("insertRows: one placeholder per column expected");
  return fmt::format("{} SELECT {} FROM UNNEST({}) AS u({})", head, select, fmt::join(arrays, ", "),
                     fmt::join(names, ", "));
}

}  // namespace detail

void bindParams(Poco::Data::Statement& statement, const SqlParams& params) {
  for (const auto& value : params) {
    if (value.isText) {
      statement, Poco::Data::Keywords::bind(value.text);
    } else {
      statement, Poco::Data::Keywords::bind(Poco::Int64{value.number});
    }
  }
}

Database::Database(const DatabaseUrl& url) : url_(url), session_(open(url)) {
  if (backend() == DatabaseBackend::SQLite) {
    configureSqlite();
  } else {
    execute("SET client_min_messages TO WARNING");  // no NOTICEs printed by libpq on stderr
  }
}

Poco::Data::Session Database::open(const DatabaseUrl& url) {
  registerConnectors();
  if (url.backend == DatabaseBackend::SQLite && url.path != ":memory:") {
    auto parent = std::filesystem::path(url.path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      throw DatabaseError(fmt::format("cannot open database {}: cannot create folder {}: {}",
                                      url.describe(), parent.string(), ec.message()));
  }
  try {
    // POCO 1.11 leaks libpq's connection when connecting fails: tests/lsan.supp.
    return Poco::Data::Session(url.connector(), url.connectionString());
  } catch (const Poco::Exception& e) {
    // Drivers may echo their connection string.
    throw DatabaseError(fmt::format("cannot open database {}: {}", url.describe(),
                                    redactSecrets(e.displayText(), url.password)));
  }
}

std::string redactSecrets(std::string text, std::string_view secret) {
  constexpr std::string_view kMask = "***";
  if (!secret.empty()) {
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + kMask.size())) {
      text.replace(pos, secret.size(), kMask);
    }
  }
  // scheme://user:password@host
  for (auto pos = text.find("://"); pos != std::string::npos; pos = text.find("://", pos + 3)) {
    auto end = text.find_first_of(" \t\n'\"/", pos + 3);
    auto at = text.rfind('@', end);
    if (at == std::string::npos || at < pos) continue;
    auto colon = text.find(':', pos + 3);
    if (colon < at) text.replace(colon + 1, at - colon - 1, kMask);
  }
  // libpq connection strings: password=secret
  for (auto pos = text.find("password="); pos != std::string::npos;
       pos = text.find("password=", pos + 1)) {
    auto start = pos + 9;
    auto end = std::min(text.find_first_of(" \t\n", start), text.size());
    text.replace(start, end - start, kMask);
  }
  return text;
}

void Database::configureSqlite() {
  std::string mode;
  session_ << "PRAGMA journal_mode=WAL", into(mode), now;
  execute("PRAGMA foreign_keys=ON");
  execute("PRAGMA synchronous=NORMAL");
  // Up to 64 MiB of pages (the default is 2 MiB): a 100,000-device inventory stays in memory
  // instead of spilling to the WAL in the middle of a bulk insert.
  execute("PRAGMA cache_size=-65536");
  // Reads map the file instead of copying pages out of the kernel's cache.
  session_ << "PRAGMA mmap_size=1073741824", now;
  Poco::Int64 timeout = 0;
  session_ << "PRAGMA busy_timeout=5000", into(timeout), now;
}

std::string Database::sql(std::string_view text) const {
  return backend() == DatabaseBackend::PostgreSQL ? numberPlaceholders(text) : std::string(text);
}

Poco::Data::Statement Database::statement(std::string_view text) {
  Poco::Data::Statement st(session_);
  st << sql(text);
  return st;
}

void Database::execute(std::string_view text) {
  Poco::Data::Statement st = statement(text);
  st.execute();
}

std::int64_t Database::queryInt(std::string_view text, const SqlParams& params) {
  Poco::Int64 value = 0;
  Poco::Data::Statement st = statement(text);
  bindParams(st, params);
  st, into(value);
  st.execute();
  return value;
}

void Database::beginRead() {
  if (backend() == DatabaseBackend::SQLite) {
    execute("BEGIN");
  } else {
    session_.begin();
  }
  inTransaction_ = true;
}

void Database::begin() {
  if (backend() == DatabaseBackend::SQLite) {
    execute("BEGIN IMMEDIATE");
  } else {
    session_.begin();
  }
  inTransaction_ = true;
}

void Database::commit() {
  if (backend() == DatabaseBackend::SQLite) {
    execute("COMMIT");
  } else {
    session_.commit();
  }
  inTransaction_ = false;
}

void Database::rollback() {
  inTransaction_ = false;
  if (backend() == DatabaseBackend::SQLite) {
    execute("ROLLBACK");
  } else {
    session_.rollback();
  }
}

}  // namespace netspine::infra
