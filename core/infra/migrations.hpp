#pragma once

#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "infra/database.hpp"

namespace netspine::infra {

/// One step of the schema. Statements run in order, in one transaction, on either backend;
/// they may use the dialect tokens {pk} (auto-increment id primary key), {bigint}, {text}
/// (text compared and sorted byte by byte on both backends) and {without_rowid} (after a
/// CREATE TABLE whose primary key is the whole row).
struct Migration {
  int version = 0;
  std::string description;
  std::vector<std::string> statements;
};

/// The platforms every database starts with (migration 2).
const std::vector<domain::Platform>& builtinPlatforms();

/// Brings a database's schema to the version this netspine knows, recording each step in
/// schema_migrations(version, description, applied_at).
class Migrator {
 public:
  /// With netspine's own migrations.
  explicit Migrator(Database& db);
  /// With `migrations` (ascending versions), for tests of older and newer schemas.
  Migrator(Database& db, std::vector<Migration> migrations);

  static const std::vector<Migration>& builtin();

  /// Applies every missing migration, each in its own transaction, and returns those applied.
  /// Refuses (as check()) a database newer than this netspine.
  std::vector<Migration> migrate();
  /// The highest version applied; 0 for an empty database.
  int currentVersion();
  int latestVersion() const;
  /// Throws domain::ValidationError unless the database is exactly at latestVersion().
  void check();

 private:
  bool hasHistory();  // schema_migrations exists
  std::vector<int> appliedVersions();
  void refuseNewer(int current);

  Database& db_;
  std::vector<Migration> migrations_;
};

}  // namespace netspine::infra
