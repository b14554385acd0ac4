#pragma once

#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "application/area_service.hpp"
#include "application/change_log_service.hpp"
#include "application/device_service.hpp"
#include "application/platform_service.hpp"
#include "application/vlan_service.hpp"
#include "domain/errors.hpp"
#include "infra/migrations.hpp"
#include "infra/sql_store.hpp"
#include "support/memory_store.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {

/// Where the services under test keep the inventory: every service suite runs on each.
enum class Backend { Memory, Sqlite, Postgres };

inline std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::Memory:
      return "Memory";
    case Backend::Sqlite:
      return "Sqlite";
    case Backend::Postgres:
      return "Postgres";
  }
  return "";
}

/// Forwards to the store a test picks in SetUp, so that services can be members.
class StoreProxy : public app::Store {
 public:
  std::unique_ptr<app::UnitOfWork> begin() override { return target->begin(); }
  app::Store* target = nullptr;
};

/// Services with a fixed clock over a fresh store (the in-memory fake, a migrated SQLite file or
/// a migrated PostgreSQL schema), all three starting with the built-in platforms (arista_eos,
/// cisco_ios, juniper_junos), and a seeded tree: areas emea, emea/ams1, amer, amer/ams1 (a
/// second "ams1", so that plain name is ambiguous), and emea/fra1.
class ServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Memory) {
      target_ = std::make_unique<MemoryStore>(infra::builtinPlatforms());
    } else {
      database_ = freshDatabase(GetParam() == Backend::Sqlite ? infra::DatabaseBackend::SQLite
                                                              : infra::DatabaseBackend::PostgreSQL);
      target_ = std::make_unique<infra::SqlStore>(database_->db());
    }
    store.target = target_.get();
    areas.create({"emea", "", ""}, ctx);
    areas.create({"ams1", "emea", "Amsterdam"}, ctx);
    areas.create({"fra1", "emea", ""}, ctx);
    areas.create({"amer", "", ""}, ctx);
    areas.create({"ams1", "amer", "the other ams1"}, ctx);
  }

  app::DeviceInput device(const std::string& name, const std::string& area = "emea/ams1") {
    app::DeviceInput in;
    in.name = name;
    in.address = "192.0.2.10";
    in.platform = "cisco_ios";
    in.area = area;
    return in;
  }

  /// Counts of everything stored: equal before and after means nothing was written.
  auto snapshot() {
    auto uow = store.begin();
    return std::make_tuple(uow->areas().list().size(), uow->platforms().list().size(),
                           uow->devices().list({}).size(), uow->vlans().list(std::nullopt).size(),
                           uow->changes().list({}).size());
  }

  /// Runs `f`, which must throw E naming `field`, and checks that nothing was written.
  template <class E, class F>
  void expectRefused(F&& f, const std::string& field, const std::string& messagePart = {}) {
    auto before = snapshot();
    try {
      f();
      ADD_FAILURE() << "expected a refusal on field '" << field << "'";
    } catch (const E& e) {
      EXPECT_EQ(e.field(), field) << e.what();
      if (!messagePart.empty()) {
        EXPECT_NE(std::string(e.what()).find(messagePart), std::string::npos) << e.what();
      }
    }
    EXPECT_EQ(snapshot(), before) << "a refused change wrote something";
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<app::Store> target_;
  StoreProxy store;
  app::Clock clock = [] { return std::string("2026-11-27T10:00:00.000Z"); };
  app::ChangeContext ctx{"test:alice", ""};
  app::AreaService areas{store, clock};
  app::PlatformService platforms{store, clock};
  app::DeviceService devices{store, clock};
  app::VlanService vlans{store, clock};
  app::ChangeLogService changes{store};
};

}  // namespace netspine::test

/// Runs the test suite SUITE (a ServiceTest) on every backend.
#define NETSPINE_SERVICE_SUITE(SUITE)                                                         \
  INSTANTIATE_TEST_SUITE_P(                                                                   \
      Backends, SUITE,                                                                        \
      ::testing::Values(::netspine::test::Backend::Memory, ::netspine::test::Backend::Sqlite, \
                        ::netspine::test::Backend::Postgres),                                 \
      ::netspine::test::backendName)
