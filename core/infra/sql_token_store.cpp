#include "infra/sql_token_store.hpp"

#include <Poco/Data/TypeHandler.h>
#include <Poco/Tuple.h>
#include <fmt/format.h>

#include "infra/sql_repositories.hpp"

namespace netspine::infra {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Int64;

constexpr const char* kColumns =
    "id, name, token_hash, prefix, role, created_at, created_by, expires_at, last_used_at";
using TokenRow = Poco::Tuple<Int64, std::string, std::string, std::string, std::string, std::string,
                             std::string, std::string, std::string>;

app::ApiToken toToken(TokenRow& r) {
  app::ApiToken t;
  t.id = r.get<0>();
  t.name = std::move(r.get<1>());
  t.tokenHash = std::move(r.get<2>());
  t.prefix = std::move(r.get<3>());
  auto role = domain::parseRole(r.get<4>());
  if (!role) {
    throw DatabaseError(
        fmt::format("token {} has an invalid role in the database: {}", t.id, r.get<4>()));
  }
  t.role = *role;
  t.createdAt = std::move(r.get<5>());
  t.createdBy = std::move(r.get<6>());
  t.expiresAt = std::move(r.get<7>());
  t.lastUsedAt = std::move(r.get<8>());
  return t;
}

/// A transaction on the store's connection, rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.begin(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) {
      try {
        db_.rollback();
      } catch (...) {
      }
    }
  }
  void commit() {
    db_.commit();
    open_ = false;
  }

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace

void SqlTokenStore::insert(app::ApiToken& token, const app::ChangeEntry* change) {
  Transaction txn(db_);
  guarded(fmt::format("token '{}'", token.name), [&] {
    Int64 id = 0;
    Poco::Data::Statement st = db_.statement(
        "INSERT INTO api_tokens (name, token_hash, prefix, role, created_at, created_by, "
        "expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    st, bind(token.name), bind(token.tokenHash), bind(token.prefix),
        bind(std::string(domain::toString(token.role))), bind(token.createdAt),
        bind(token.createdBy), bind(token.expiresAt), bind(token.lastUsedAt), into(id);
    st.execute();
    token.id = id;
  });
  if (change) {
    auto entry = *change;
    entry.objectId = std::to_string(token.id);
    SqlChangeLogRepository(db_).append(entry);
  }
  txn.commit();
}

std::vector<app::ApiToken> SqlTokenStore::list() {
  return query(" ORDER BY name", {});
}

std::optional<app::ApiToken> SqlTokenStore::findByHash(std::string_view tokenHash) {
  auto rows = query(" WHERE token_hash = ?", {std::string(tokenHash)});
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

void SqlTokenStore::touch(app::Id id, const std::string& time) {
  guarded(fmt::format("noting the use of token {}", id), [&] {
    Poco::Data::Statement st = db_.statement("UPDATE api_tokens SET last_used_at = ? WHERE id = ?");
    st, bind(time), bind(Int64{id});
    st.execute();
  });
}

bool SqlTokenStore::remove(std::string_view name, const app::ChangeEntry* change) {
  Transaction txn(db_);
  std::vector<Int64> ids;
  guarded(fmt::format("removing token '{}'", name), [&] {
    Poco::Data::Statement st = db_.statement("DELETE FROM api_tokens WHERE name = ? RETURNING id");
    st, bind(std::string(name)), into(ids);
    st.execute();
  });
  if (ids.empty()) return false;
  if (change) {
    auto entry = *change;
    entry.objectId = std::to_string(ids.front());
    SqlChangeLogRepository(db_).append(entry);
  }
  txn.commit();
  return true;
}

std::vector<app::ApiToken> SqlTokenStore::query(const std::string& tail, const SqlParams& params) {
  std::vector<TokenRow> rows;
  guarded("reading api tokens", [&] {
    Poco::Data::Statement st =
        db_.statement(fmt::format("SELECT {} FROM api_tokens{}", kColumns, tail));
    bindParams(st, params);
    st, into(rows);
    st.execute();
  });
  std::vector<app::ApiToken> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(toToken(r));
  return out;
}

}  // namespace netspine::infra
