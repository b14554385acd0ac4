#pragma once
// API tokens: bearer secrets of the REST API. A secret is shown once, when it is created; the
// database keeps only its SHA-256 hex, so neither a reader of the database nor a list, log line
// or change log entry ever sees one.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/job_service.hpp"
#include "application/store.hpp"
#include "domain/api_token.hpp"

namespace netspine::app {

/// One row of api_tokens. Times are ISO 8601 UTC ("2026-11-27T14:05:09.123Z"); empty
/// expiresAt: never expires, empty lastUsedAt: never used.
struct ApiToken {
  Id id = 0;
  std::string name;
  std::string tokenHash;  // SHA-256 hex of the secret
  std::string prefix;     // the secret's first 8 characters, to tell tokens apart
  domain::Role role = domain::Role::Read;
  std::string createdAt;
  std::string createdBy;
  std::string expiresAt;
  std::string lastUsedAt;
};

/// Where tokens are kept. Only stores: validation and hashing are TokenService's.
class TokenStore {
 public:
  virtual ~TokenStore() = default;
  /// Sets token.id; a name or hash already taken throws domain::ConflictError. `change`, when
  /// given, goes into the change log in the same transaction (its objectId set to the id).
  virtual void insert(ApiToken& token, const ChangeEntry* change = nullptr) = 0;
  /// Every token, by name.
  virtual std::vector<ApiToken> list() = 0;
  virtual std::optional<ApiToken> findByHash(std::string_view tokenHash) = 0;
  /// Sets last_used_at of token `id`.
  virtual void touch(Id id, const std::string& time) = 0;
  /// False when no token has that name; else `change`, when given, is logged in the same
  /// transaction (its objectId set to the removed token's id).
  virtual bool remove(std::string_view name, const ChangeEntry* change = nullptr) = 0;
};

/// A token just created, and its secret: the only time the secret exists outside its holder.
struct CreatedToken {
  ApiToken token;
  std::string secret;
};

/// "nst_" and 40 base62 characters from the kernel's CSPRNG.
std::string newTokenSecret();

/// `text` as a token's expiry: a duration from `now` ("30d", "12h", as schedules take them) or
/// a UTC time ("2027-01-31", "2027-01-31T18:00", "2027-01-31T18:00:00Z"). ValidationError on
/// field "expires" for anything else.
TimePoint parseExpiry(std::string_view text, TimePoint now);

/// Creates, checks, lists and revokes API tokens.
class TokenService {
 public:
  /// A token is touched (last_used_at written) at most this often, not on every request.
  static constexpr std::chrono::seconds kTouchInterval{60};

  explicit TokenService(TokenStore& store, TimeSource clock = systemNow)
      : store_(store), clock_(std::move(clock)) {}

  /// ValidationError for a bad name or role or an expiry not in the future; ConflictError when
  /// the name is taken.
  CreatedToken create(const std::string& name, std::string_view role,
                      std::optional<TimePoint> expires, const std::string& actor);
  /// The token whose secret this is, unless unknown or expired; notes the use.
  std::optional<ApiToken> authenticate(std::string_view secret, TimePoint now);
  std::vector<ApiToken> list();
  /// NotFoundError for an unknown name. Creating and revoking are in the change log (type
  /// "token": name, role, expiry, who; never the secret or its hash).
  void revoke(const std::string& name, const std::string& actor = {});

 private:
  TokenStore& store_;
  TimeSource clock_;
};

}  // namespace netspine::app
