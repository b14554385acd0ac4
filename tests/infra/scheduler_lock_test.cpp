// One scheduler at a time: the lock `netspine serve` takes before it runs the schedules.

#include <gtest/gtest.h>

#include "infra/scheduler_lock.hpp"
#include "support/test_databases.hpp"

namespace netspine::infra {
namespace {

class SchedulerLockTest : public ::testing::TestWithParam<DatabaseBackend> {};

TEST_P(SchedulerLockTest, OneHolderPerDatabaseUntilItLetsGo) {
  auto db = test::freshDatabase(GetParam());
  Database first(db->url());
  Database second(db->url());
  auto held = SchedulerLock::tryAcquire(first);
  ASSERT_TRUE(held);
  EXPECT_FALSE(held->describe().empty());
  EXPECT_FALSE(SchedulerLock::tryAcquire(second)) << "a second server must not schedule";
  held.reset();
  auto next = SchedulerLock::tryAcquire(second);
  EXPECT_TRUE(next) << "released when its holder goes";
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulerLockTest,
                         ::testing::Values(DatabaseBackend::SQLite, DatabaseBackend::PostgreSQL),
                         [](const auto& info) {
                           return info.param == DatabaseBackend::SQLite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace netspine::infra
