#pragma once

#include <memory>
#include <string_view>

#include "application/token_service.hpp"
#include "infra/database.hpp"

namespace netspine::infra {

/// The api_tokens table (schema of Migrator, version 5) in SQLite or PostgreSQL. Each call is
/// one statement on the connection of `db`; a broken unique rule throws domain::ConflictError,
/// any other database failure DatabaseError.
class SqlTokenStore : public app::TokenStore {
 public:
  /// Uses `db`, which must outlive the store.
  explicit SqlTokenStore(Database& db) : db_(db) {}

  void insert(app::ApiToken& token, const app::ChangeEntry* change = nullptr) override;
  std::vector<app::ApiToken> list() override;
  std::optional<app::ApiToken> findByHash(std::string_view tokenHash) override;
  void touch(app::Id id, const std::string& time) override;
  bool remove(std::string_view name, const app::ChangeEntry* change = nullptr) override;

 private:
  std::vector<app::ApiToken> query(const std::string& tail, const SqlParams& params);
  Database& db_;
};

}  // namespace netspine::infra
