// What SqlStore adds to the store contract (store_contract_test.cpp): one unit of work at a
// time per connection, and bulk inserts that keep rows together.

#include "infra/sql_store.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "infra/migrations.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {
namespace {

using app::Device;
using app::DeviceStatus;

TEST(SqlStoreTest, UnitsOfWorkRunOneAtATime) {
  auto t = freshSqlite();
  infra::SqlStore store(t->db());
  std::atomic<bool> secondStarted{false};
  auto first = store.begin();
  first->areas().insert({0, "first", std::nullopt, ""});
  std::thread other([&] {
    auto second = store.begin();  // waits for the first to end
    secondStarted = true;
    EXPECT_EQ(second->areas().findByName("first").size(), 1u);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(secondStarted);
  first->commit();
  first.reset();
  other.join();
  EXPECT_TRUE(secondStarted);
}

TEST(SqlStoreTest, OwnsADatabaseOpenedByUrl) {
  auto t = freshSqlite();
  std::string url = t->url();
  infra::SqlStore store(url);
  EXPECT_EQ(store.database().backend(), infra::DatabaseBackend::SQLite);
  EXPECT_EQ(store.begin()->platforms().list().size(), 3u);
}

/// Bulk insert and list keep ids, tags and ports of every row together (benchmarked in bench/).
TEST(SqlStoreTest, BulkInsertAndListRoundTrip) {
  constexpr int kDevices = 5'000;
  auto t = freshSqlite();
  infra::SqlStore store(t->db());
  app::Id area = 0;
  {
    auto uow = store.begin();
    area = uow->areas().insert({0, "dc1", std::nullopt, ""});
    uow->commit();
  }
  std::vector<Device> devices(kDevices);
  for (int i = 0; i < kDevices; ++i) {
    Device& d = devices[i];
    d.name = fmt::format("dev-{:06}", i);
    d.address = fmt::format("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
    d.platform = i % 2 ? "cisco_ios" : "arista_eos";
    d.areaId = area;
    d.status = DeviceStatus::Active;
    d.role = "leaf";
    d.tags = {fmt::format("rack{}", i % 50), "prod"};
    d.sshPort = 22;
    d.version = 1;
    d.createdAt = d.updatedAt = "2026-11-27T10:00:00.000Z";
  }
  {
    auto uow = store.begin();
    uow->devices().insertMany(devices);
    uow->commit();
  }
  auto listed = store.begin()->devices().list({});
  ASSERT_EQ(listed.size(), devices.size());
  EXPECT_EQ(listed[1234].name, "dev-001234");
  EXPECT_EQ(listed[1234].id, devices[1234].id);
  EXPECT_EQ(listed[1234].tags, (std::vector<std::string>{"prod", "rack34"}));
  EXPECT_EQ(listed[1234].sshPort, 22);
  EXPECT_EQ(listed.back().address, "10.0.19.135");
}

}  // namespace
}  // namespace netspine::test
