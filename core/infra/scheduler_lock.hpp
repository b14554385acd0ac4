#pragma once

#include <optional>
#include <string>

#include "infra/database.hpp"

namespace netspine::infra {

/// The right to run the scheduler: one holder per database at a time. SQLite: an exclusive
/// flock on "<database file>.scheduler.lock"; PostgreSQL: a session advisory lock. Released when
/// the object dies or the process does (a crashed server never leaves it held).
class SchedulerLock {
 public:
  /// Takes the lock if it is free; nothing when another process holds it.
  static std::optional<SchedulerLock> tryAcquire(Database& db);
  SchedulerLock(SchedulerLock&& other) noexcept;
  SchedulerLock& operator=(SchedulerLock&&) = delete;
  ~SchedulerLock();
  /// What holds it, for the log: the lock file, or "advisory lock N".
  const std::string& describe() const { return what_; }

 private:
  SchedulerLock(int fd, Database* pg, std::string what)
      : fd_(fd), pg_(pg), what_(std::move(what)) {}
  int fd_ = -1;
  Database* pg_ = nullptr;
  std::string what_;
};

}  // namespace netspine::infra
