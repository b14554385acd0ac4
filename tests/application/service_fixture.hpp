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
#include "support/memory_store.hpp"

namespace netspine::test {

/// Services over an in-memory store with a fixed clock, and a seeded inventory:
/// platforms cisco_ios and juniper_junos, areas emea, emea/ams1, amer, amer/ams1 (a second
/// "ams1", so that plain name is ambiguous), and emea/fra1.
class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    platforms.create({"cisco_ios", "Cisco IOS", "Cisco"}, ctx);
    platforms.create({"juniper_junos", "Juniper Junos", "Juniper"}, ctx);
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

  MemoryStore store;
  app::Clock clock = [] { return std::string("2026-11-27T10:00:00.000Z"); };
  app::ChangeContext ctx{"test:alice", ""};
  app::AreaService areas{store, clock};
  app::PlatformService platforms{store, clock};
  app::DeviceService devices{store, clock};
  app::VlanService vlans{store, clock};
  app::ChangeLogService changes{store};
};

}  // namespace netspine::test
