#include "application/token_service.hpp"

#include "application/json_writer.hpp"

#include <fmt/format.h>
#include <sys/random.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <system_error>

#include "application/config_service.hpp"
#include "domain/errors.hpp"
#include "domain/schedule.hpp"
#include "domain/validation.hpp"

namespace netspine::app {
namespace {

constexpr std::string_view kSecretPrefix = "nst_";
constexpr std::size_t kSecretChars = 40;
constexpr std::size_t kShownPrefix = 8;
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void fillRandom(unsigned char* out, std::size_t n) {
  while (n > 0) {
    const ssize_t got = getrandom(out, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    out += got;
    n -= static_cast<std::size_t>(got);
  }
}

/// Compares without stopping at the first difference, so timing tells nothing of the hash.
bool equalConstantTime(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

/// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS", each with an optional "Z"; UTC.
std::optional<TimePoint> parseUtcTime(std::string_view text) {
  if (!text.empty() && text.back() == 'Z') text.remove_suffix(1);
  std::tm tm{};
  int consumed = 0;
  const std::string s(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3 ||
      consumed != 10)
    return std::nullopt;
  if (s.size() > 10) {
    int more = 0;
    if (std::sscanf(s.c_str() + 10, "T%2d:%2d%n", &hour, &minute, &more) != 2 || more != 6)
      return std::nullopt;
    consumed += more;
    if (s.size() > static_cast<std::size_t>(consumed)) {
      if (std::sscanf(s.c_str() + consumed, ":%2d%n", &second, &more) != 1 || more != 3)
        return std::nullopt;
      consumed += more;
    }
    if (s.size() != static_cast<std::size_t>(consumed)) return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t t = timegm(&tm);
  if (tm.tm_mday != day) return std::nullopt;  // 2027-02-30 rolled over
  return std::chrono::system_clock::from_time_t(t);
}

/// The change-log entry of a token's creation or deletion: what the token may do, never its
/// secret, hash or prefix.
ChangeEntry tokenChange(const ApiToken& token, const std::string& action, const std::string& actor,
                        const std::string& time) {
  JsonWriter w;
  w.beginObject().key("name").value(token.name).key("role").value(domain::toString(token.role));
  w.key("created_at").value(token.createdAt).key("created_by").value(token.createdBy);
  w.key("expires_at").value(token.expiresAt).endObject();
  ChangeEntry e;
  e.time = time;
  e.actor = actor;
  e.action = action;
  e.objectType = "token";
  e.objectName = token.name;
  (action == "create" ? e.after : e.before) = w.take();
  return e;
}

}  // namespace

std::string newTokenSecret() {
  std::string secret(kSecretPrefix);
  unsigned char buffer[64];
  while (secret.size() < kSecretPrefix.size() + kSecretChars) {
    fillRandom(buffer, sizeof buffer);
    for (unsigned char b : buffer) {
      // 248 = 4 * 62: taking bytes below it keeps every character equally likely.
      if (b >= 248 || secret.size() == kSecretPrefix.size() + kSecretChars) continue;
      secret += kBase62[b % 62];
    }
  }
  return secret;
}

TimePoint parseExpiry(std::string_view text, TimePoint now) {
  if (text.size() >= 5 && std::isdigit(static_cast<unsigned char>(text[0])) && text[4] == '-') {
    if (auto t = parseUtcTime(text)) return *t;
    throw domain::ValidationError(
        fmt::format("expires: '{}' is not a UTC time (2027-01-31, 2027-01-31T18:00[:00][Z])", text),
        "expires");
  }
  return now + domain::parseInterval(text, "expires");
}

CreatedToken TokenService::create(const std::string& name, std::string_view role,
                                  std::optional<TimePoint> expires, const std::string& actor) {
  domain::validateTokenName(name);
  const TimePoint now = clock_();
  if (expires && *expires <= now) {
    throw domain::ValidationError(
        fmt::format("expires: {} is not in the future", isoTime(*expires)), "expires");
  }
  CreatedToken created;
  created.secret = newTokenSecret();
  ApiToken& token = created.token;
  token.name = name;
  token.role = domain::requireRole(role);
  token.tokenHash = sha256Hex(created.secret);
  token.prefix = created.secret.substr(0, kShownPrefix);
  token.createdAt = isoTime(now);
  token.createdBy = actor;
  token.expiresAt = expires ? isoTime(*expires) : std::string();
  const ChangeEntry change = tokenChange(token, "create", actor, token.createdAt);
  try {
    store_.insert(token, &change);
  } catch (const domain::ConflictError&) {
    throw domain::ConflictError(fmt::format("name: token '{}' already exists", name), "name");
  }
  return created;
}

std::optional<ApiToken> TokenService::authenticate(std::string_view secret, TimePoint now) {
  if (secret.size() != kSecretPrefix.size() + kSecretChars ||
      secret.substr(0, kSecretPrefix.size()) != kSecretPrefix)
    return std::nullopt;
  const std::string hash = sha256Hex(secret);
  auto token = store_.findByHash(hash);
  if (!token || !equalConstantTime(token->tokenHash, hash)) return std::nullopt;
  const std::string nowText = isoTime(now);
  if (!token->expiresAt.empty() && nowText >= token->expiresAt) return std::nullopt;
  // ISO times of one width compare as text.
  if (token->lastUsedAt.empty() || isoTime(now - kTouchInterval) >= token->lastUsedAt) {
    // Bookkeeping only: a busy database (SQLite's writer lock) must not refuse a valid token.
    try {
      store_.touch(token->id, nowText);
      token->lastUsedAt = nowText;
    } catch (const std::exception&) {
    }
  }
  return token;
}

std::vector<ApiToken> TokenService::list() {
  return store_.list();
}

void TokenService::revoke(const std::string& name, const std::string& actor) {
  ApiToken gone;
  for (auto& t : store_.list()) {
    if (t.name == name) gone = t;
  }
  const ChangeEntry change = tokenChange(gone, "delete", actor, isoTime(clock_()));
  if (gone.name.empty() || !store_.remove(name, &change))
    throw domain::NotFoundError(fmt::format("token '{}' not found", name), "name");
}

}  // namespace netspine::app
