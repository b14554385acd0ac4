#include "infra/scheduler_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace netspine::infra {

namespace {
constexpr long long kAdvisoryKey = 0x6e7370696e65;  // "nspine"
}

std::optional<SchedulerLock> SchedulerLock::tryAcquire(Database& db) {
  if (db.backend() == DatabaseBackend::PostgreSQL) {
    const auto got = db.queryInt(
        fmt::format("SELECT CASE WHEN pg_try_advisory_lock({}) THEN 1 ELSE 0 END", kAdvisoryKey));
    if (got != 1) return std::nullopt;
    return SchedulerLock(-1, &db, fmt::format("advisory lock {}", kAdvisoryKey));
  }
  const std::string path =
      db.url().path == ":memory:" ? std::string() : db.url().path + ".scheduler.lock";
  if (path.empty()) return SchedulerLock(-1, nullptr, "in-memory database");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw DatabaseError(
        fmt::format("{}: cannot open the scheduler lock: {}", path, std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  return SchedulerLock(fd, nullptr, path);
}

SchedulerLock::SchedulerLock(SchedulerLock&& other) noexcept
    : fd_(other.fd_), pg_(other.pg_), what_(std::move(other.what_)) {
  other.fd_ = -1;
  other.pg_ = nullptr;
}

SchedulerLock::~SchedulerLock() {
  if (fd_ >= 0) ::close(fd_);
  if (pg_) {
    try {
      pg_->queryInt(
          fmt::format("SELECT CASE WHEN pg_advisory_unlock({}) THEN 1 ELSE 0 END", kAdvisoryKey));
    } catch (...) {
      // The session's end releases it anyway.
    }
  }
}

}  // namespace netspine::infra
