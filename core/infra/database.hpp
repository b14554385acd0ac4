#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace netspine::infra {

enum class DatabaseBackend { SQLite, PostgreSQL };

/// Where the inventory lives, as given by `--db`, the config file or a test. A plain path or
/// `sqlite:///abs/path` / `sqlite:rel/path` is SQLite; `postgresql://user:pass@host:port/db?opt=v`
/// (or `postgres://`) is PostgreSQL, its query options passed through to libpq.
struct DatabaseUrl {
  DatabaseBackend backend = DatabaseBackend::SQLite;
  std::string path;  // SQLite: the file, or ":memory:"
  std::string user;  // PostgreSQL parts, percent-decoded; empty: libpq's default
  std::string password;
  std::string host;
  int port = 0;  // 0: libpq's default
  std::string database;
  std::vector<std::pair<std::string, std::string>> options;  // sslmode=disable, …

  /// Throws domain::ValidationError on field "db"; no message ever holds the password.
  static DatabaseUrl parse(std::string_view text);

  /// The POCO connector key ("sqlite", "postgresql").
  std::string connector() const;
  /// What the POCO connector opens; holds the password, so it is never printed.
  std::string connectionString() const;
  /// The URL for people and logs, password masked.
  std::string describe() const;
};

/// `text` for a message or a log: every occurrence of `secret` (when not empty), the password
/// of any `scheme://user:PASSWORD@host` and of any libpq `password=PASSWORD` replaced by ***.
std::string redactSecrets(std::string text, std::string_view secret = {});

/// A failure of the database itself (cannot open, lost connection), not of a domain rule.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Which integrity rule a failed statement broke, if any (the store's backstop for races).
enum class Violation { None, Unique, ForeignKey };
Violation violationOf(const Poco::Exception& error);

/// Rewrites `?` placeholders as `$1..$n` (PostgreSQL), leaving quoted text and comments alone.
std::string numberPlaceholders(std::string_view sql);

/// A value bound to a `?` of a statement built at run time (filters): an integer or a text.
/// (Not a std::variant: g++ 12 warns falsely on moving those.)
struct SqlValue {
  SqlValue(std::int64_t n) : number(n) {}                        // NOLINT: implicit on purpose
  SqlValue(std::string t) : text(std::move(t)), isText(true) {}  // NOLINT
  std::int64_t number = 0;
  std::string text;
  bool isText = false;
};
using SqlParams = std::vector<SqlValue>;

/// One open connection (a Poco::Data::Session) to one database. SQL is written once, with `?`
/// placeholders; this class adapts it to the backend. Not thread-safe: one user at a time.
/// SQLite is opened in WAL mode with foreign keys on, busy_timeout 5000 ms, synchronous=NORMAL
/// and a 64 MiB page cache; its file's folder is created.
class Database {
 public:
  explicit Database(const DatabaseUrl& url);
  explicit Database(std::string_view url) : Database(DatabaseUrl::parse(url)) {}
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  DatabaseBackend backend() const { return url_.backend; }
  const DatabaseUrl& url() const { return url_; }
  std::string describe() const { return url_.describe(); }
  Poco::Data::Session& session() { return session_; }

  /// `sql` as this backend wants it.
  std::string sql(std::string_view text) const;
  /// A statement of this session over `text`; add bindings and extractions, then execute().
  Poco::Data::Statement statement(std::string_view text);
  /// Runs one statement that takes no parameters and whose result, if any, is not needed.
  void execute(std::string_view text);
  /// A single integer result (COUNT(*), MAX(id)); PostgreSQL returns these as BIGINT.
  std::int64_t queryInt(std::string_view text, const SqlParams& params = {});

  /// Inserts one row per element of the column vectors (all of one size): `head` is
  /// "INSERT INTO t (a, b)", `row` the VALUES tuple "(?, NULLIF(?, 0))". SQLite steps one
  /// prepared statement per row; PostgreSQL, whose POCO driver binds no vectors, takes the
  /// columns as arrays in one INSERT … SELECT … FROM UNNEST(…) per 10,000 rows.
  template <class... Columns>
  void insertRows(std::string_view head, std::string_view row,
                  const std::vector<Columns>&... columns);

  /// SQLite takes the write lock at once (BEGIN IMMEDIATE), so two writers wait rather than
  /// fail on a lock upgrade.
  void begin();
  /// A transaction for reading: SQLite's deferred BEGIN (no write lock; a snapshot from the
  /// first read).
  void beginRead();
  void commit();
  void rollback();
  bool inTransaction() const { return inTransaction_; }

 private:
  static Poco::Data::Session open(const DatabaseUrl& url);
  void configureSqlite();

  DatabaseUrl url_;
  Poco::Data::Session session_;
  bool inTransaction_ = false;
};

/// Binds `params` in order to the statement's `?` placeholders.
void bindParams(Poco::Data::Statement& statement, const SqlParams& params);

namespace detail {

/// A PostgreSQL array literal of `values[first, first + n)`.
std::string arrayLiteral(const std::vector<std::string>& values, std::size_t first, std::size_t n);
std::string arrayLiteral(const std::vector<std::int64_t>& values, std::size_t first, std::size_t n);
inline const char* arrayType(const std::vector<std::string>*) {
  return "TEXT[]";
}
inline const char* arrayType(const std::vector<std::int64_t>*) {
  return "BIGINT[]";
}
/// The PostgreSQL INSERT of Database::insertRows, with one array placeholder per column.
std::string unnestInsert(std::string_view head, std::string_view row,
                         const std::vector<std::string>& arrayTypes);

}  // namespace detail

template <class... Columns>
void Database::insertRows(std::string_view head, std::string_view row,
                          const std::vector<Columns>&... columns) {
  using namespace Poco::Data::Keywords;
  const std::size_t rows = std::get<0>(std::forward_as_tuple(columns...)).size();
  if (((columns.size() != rows) || ...)) throw std::logic_error("insertRows: ragged columns");
  if (rows == 0) return;
  if (backend() == DatabaseBackend::SQLite) {
    Poco::Data::Statement st = statement(std::string(head) + " VALUES " + std::string(row));
    // POCO binds by reference; vectors of const are not bindable, the values are not modified.
    (st, ..., use(const_cast<std::vector<Columns>&>(columns)));
    st.execute();
    return;
  }
  const std::string sql = detail::unnestInsert(head, row, {detail::arrayType(&columns)...});
  constexpr std::size_t kBatch = 10'000;
  for (std::size_t first = 0; first < rows; first += kBatch) {
    const std::size_t n = std::min(kBatch, rows - first);
    Poco::Data::Statement st = statement(sql);
    (st, ..., bind(detail::arrayLiteral(columns, first, n)));
    st.execute();
  }
}

}  // namespace netspine::infra
