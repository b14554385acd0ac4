// The contract of app::Store (application/store.hpp), held by every implementation alike:
// the in-memory fake of the service tests, SQLite and PostgreSQL.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>

#include "domain/errors.hpp"
#include "infra/migrations.hpp"
#include "infra/sql_store.hpp"
#include "support/memory_store.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {
namespace {

using app::Area;
using app::ChangeEntry;
using app::ChangeFilter;
using app::Device;
using app::DeviceFilter;
using app::DeviceStatus;
using app::Id;
using app::Platform;
using app::Vlan;
using domain::ConflictError;
using domain::NotFoundError;

/// A store and whatever backs it, alive for one test.
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  virtual app::Store& store() = 0;
};

class MemoryHarness : public StoreHarness {
 public:
  app::Store& store() override { return store_; }

 private:
  MemoryStore store_{infra::builtinPlatforms()};
};

class SqlHarness : public StoreHarness {
 public:
  explicit SqlHarness(std::unique_ptr<TestDatabase> db) : db_(std::move(db)), store_(db_->db()) {}
  app::Store& store() override { return store_; }

 private:
  std::unique_ptr<TestDatabase> db_;
  infra::SqlStore store_;
};

struct StoreKind {
  std::string name;
  std::function<std::unique_ptr<StoreHarness>()> make;
};

void PrintTo(const StoreKind& kind, std::ostream* out) {
  *out << kind.name;
}

std::vector<std::string> namesOf(const std::vector<Device>& devices) {
  std::vector<std::string> names;
  for (const auto& d : devices) names.push_back(d.name);
  return names;
}

using Names = std::vector<std::string>;

class StoreContract : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override { harness_ = GetParam().make(); }

  std::unique_ptr<app::UnitOfWork> begin() { return harness_->store().begin(); }

  /// Runs `f` in a unit of work and commits it.
  template <class F>
  auto committed(F&& f) {
    auto uow = begin();
    if constexpr (std::is_void_v<decltype(f(*uow))>) {
      f(*uow);
      uow->commit();
    } else {
      auto result = f(*uow);
      uow->commit();
      return result;
    }
  }

  static Device device(std::string name, Id areaId, DeviceStatus status = DeviceStatus::Active,
                       std::string platform = "cisco_ios", std::vector<std::string> tags = {},
                       std::string role = "") {
    Device d;
    d.name = std::move(name);
    d.address = "192.0.2.1";
    d.platform = std::move(platform);
    d.areaId = areaId;
    d.status = status;
    d.role = std::move(role);
    d.tags = std::move(tags);
    d.version = 1;
    d.createdAt = "2026-11-27T10:00:00.000Z";
    d.updatedAt = d.createdAt;
    return d;
  }

  /// Two top-level areas (emea, amer) and emea/ams1; their ids.
  struct Areas {
    Id emea = 0, amer = 0, ams1 = 0;
  };
  Areas seedAreas() {
    return committed([](app::UnitOfWork& u) {
      Areas a;
      a.emea = u.areas().insert({0, "emea", std::nullopt, "Europe"});
      a.amer = u.areas().insert({0, "amer", std::nullopt, ""});
      a.ams1 = u.areas().insert({0, "ams1", a.emea, "Amsterdam"});
      return a;
    });
  }

  std::unique_ptr<StoreHarness> harness_;
};

// ---- platforms

TEST_P(StoreContract, StartsWithTheBuiltinPlatforms) {
  auto uow = begin();
  auto platforms = uow->platforms().list();
  auto expected = infra::builtinPlatforms();
  std::sort(expected.begin(), expected.end(),
            [](const Platform& a, const Platform& b) { return a.id < b.id; });
  EXPECT_EQ(platforms, expected);
}

TEST_P(StoreContract, PlatformsCrud) {
  committed([](app::UnitOfWork& u) { u.platforms().insert({"aaa_os", "AAA OS", "AAA"}); });
  auto uow = begin();
  auto& platforms = uow->platforms();
  EXPECT_EQ(platforms.get("aaa_os"), (Platform{"aaa_os", "AAA OS", "AAA"}));
  EXPECT_EQ(platforms.get("nope"), std::nullopt);
  EXPECT_EQ(platforms.list().front().id, "aaa_os");  // ordered by id
  platforms.update({"aaa_os", "AAA OS 2", "AAA Networks"});
  EXPECT_EQ(platforms.get("aaa_os"), (Platform{"aaa_os", "AAA OS 2", "AAA Networks"}));
  platforms.remove("aaa_os");
  EXPECT_EQ(platforms.get("aaa_os"), std::nullopt);
  uow.reset();
  EXPECT_THROW(begin()->platforms().insert({"cisco_ios", "again", ""}), ConflictError);
}

TEST_P(StoreContract, PlatformInUseCannotBeRemoved) {
  auto areas = seedAreas();
  auto uow = begin();
  uow->devices().insert(device("r1", areas.ams1, DeviceStatus::Active, "juniper_junos"));
  EXPECT_EQ(uow->platforms().deviceCount("juniper_junos"), 1);
  EXPECT_EQ(uow->platforms().deviceCount("cisco_ios"), 0);
  EXPECT_THROW(uow->platforms().remove("juniper_junos"), ConflictError);
}

// ---- areas

TEST_P(StoreContract, AreasCrud) {
  auto a = seedAreas();
  auto uow = begin();
  auto& areas = uow->areas();
  EXPECT_EQ(areas.get(a.ams1), (Area{a.ams1, "ams1", a.emea, "Amsterdam"}));
  EXPECT_EQ(areas.get(a.emea), (Area{a.emea, "emea", std::nullopt, "Europe"}));
  EXPECT_EQ(areas.get(999999), std::nullopt);
  auto list = areas.list();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end(),
                             [](const Area& x, const Area& y) { return x.id < y.id; }));
  EXPECT_EQ(areas.findChild(std::nullopt, "emea")->id, a.emea);
  EXPECT_EQ(areas.findChild(a.emea, "ams1")->id, a.ams1);
  EXPECT_EQ(areas.findChild(std::nullopt, "ams1"), std::nullopt);
  EXPECT_EQ(areas.findChild(a.amer, "ams1"), std::nullopt);

  Id second = areas.insert({0, "ams1", a.amer, ""});
  auto both = areas.findByName("ams1");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].id, a.ams1);
  EXPECT_EQ(both[1].id, second);

  areas.update({second, "mia1", std::nullopt, "moved to the top"});
  EXPECT_EQ(areas.get(second), (Area{second, "mia1", std::nullopt, "moved to the top"}));
  EXPECT_EQ(areas.findChild(std::nullopt, "mia1")->id, second);
  areas.remove(second);
  EXPECT_EQ(areas.get(second), std::nullopt);
}

TEST_P(StoreContract, AreaNamesUniqueAmongSiblings) {
  auto a = seedAreas();
  // Each refusal in a unit of its own: PostgreSQL aborts a unit after a failed statement.
  for (auto attempt : std::vector<std::function<void(app::UnitOfWork&)>>{
           [&](app::UnitOfWork& u) {
             u.areas().insert({0, "emea", std::nullopt, ""});
           },
           [&](app::UnitOfWork& u) {
             u.areas().insert({0, "ams1", a.emea, ""});
           },
           [&](app::UnitOfWork& u) {
             u.areas().update({a.amer, "emea", std::nullopt, ""});
           },
           [&](app::UnitOfWork& u) {
             u.areas().update({a.amer, "ams1", a.emea, ""});
           },
       }) {
    auto uow = begin();
    EXPECT_THROW(attempt(*uow), ConflictError);
  }
  auto uow = begin();
  EXPECT_NO_THROW(uow->areas().insert({0, "ams1", a.amer, ""}));
  EXPECT_NO_THROW(uow->areas().insert({0, "ams1", std::nullopt, ""}));
  EXPECT_NO_THROW(uow->areas().update({a.amer, "amer", std::nullopt, "renamed nothing"}));
}

TEST_P(StoreContract, AreaParentMustExist) {
  auto uow = begin();
  EXPECT_THROW(uow->areas().insert({0, "orphan", 424242, ""}), ConflictError);
}

TEST_P(StoreContract, AreaWithDependentsCannotBeRemoved) {
  auto a = seedAreas();
  committed([&](app::UnitOfWork& u) {
    u.devices().insert(device("r1", a.amer));
    u.vlans().insert({0, a.amer, 10, "users", ""});
  });
  {
    auto uow = begin();
    auto deps = uow->areas().dependents(a.emea);
    EXPECT_EQ(deps.children, 1);
    EXPECT_EQ(deps.devices, 0);
    EXPECT_TRUE(deps.any());
    deps = uow->areas().dependents(a.amer);
    EXPECT_EQ(deps.devices, 1);
    EXPECT_EQ(deps.vlans, 1);
    EXPECT_EQ(deps.children, 0);
    EXPECT_FALSE(uow->areas().dependents(a.ams1).any());
    EXPECT_THROW(uow->areas().remove(a.emea), ConflictError);
  }
  {
    auto uow = begin();
    EXPECT_THROW(uow->areas().remove(a.amer), ConflictError);
  }
  committed([&](app::UnitOfWork& u) {
    u.areas().remove(a.ams1);
    u.areas().remove(a.emea);
  });
  EXPECT_EQ(begin()->areas().list().size(), 1u);
}

// ---- devices

TEST_P(StoreContract, DeviceRoundTripsEveryField) {
  auto a = seedAreas();
  Device d =
      device("core-1", a.ams1, DeviceStatus::Staged, "arista_eos", {"spine", "dc", "bgp"}, "spine");
  d.address = "2001:db8::1";
  d.serial = "SN-1";
  d.osVersion = "4.28.3M";
  d.credentialsRef = "dc-admin";
  d.sshPort = 2222;
  d.snmpPort = 1161;
  d.version = 7;
  d.createdAt = "2026-11-27T10:00:00.000Z";
  d.updatedAt = "2026-11-27T11:00:00.000Z";
  d.id = committed([&](app::UnitOfWork& u) { return u.devices().insert(d); });
  EXPECT_GT(d.id, 0);
  d.tags = {"bgp", "dc", "spine"};  // returned sorted

  auto uow = begin();
  EXPECT_EQ(uow->devices().get(d.id), d);
  EXPECT_EQ(uow->devices().findByName("core-1"), d);
  EXPECT_EQ(uow->devices().findByName("core-2"), std::nullopt);
  EXPECT_EQ(uow->devices().get(d.id + 1000), std::nullopt);
  EXPECT_EQ(uow->devices().get(d.id)->osVersion, "4.28.3M");
  EXPECT_EQ(uow->devices().findByNameForUpdate("core-1"), d);
  EXPECT_EQ(uow->devices().findByNameForUpdate("core-2"), std::nullopt);
  auto listed = uow->devices().list({});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], d);
}

TEST_P(StoreContract, InsertManyAndUpdateStoreTheOsVersion) {
  auto a = seedAreas();
  std::vector<Device> batch{device("r1", a.ams1), device("r2", a.ams1)};
  batch[0].osVersion = "15.2(4)M7";
  committed([&](app::UnitOfWork& u) { u.devices().insertMany(batch); });
  Device r2 = batch[1];
  r2.osVersion = "20.4R3-S1.3";
  committed([&](app::UnitOfWork& u) { u.devices().update(r2); });
  Device r1 = batch[0];
  r1.osVersion.clear();
  r1.serial = "SN-r1";
  committed([&](app::UnitOfWork& u) { u.devices().update(r1); });
  auto uow = begin();
  EXPECT_EQ(uow->devices().get(batch[0].id)->osVersion, "");
  EXPECT_EQ(uow->devices().get(batch[0].id)->serial, "SN-r1");
  EXPECT_EQ(uow->devices().get(batch[1].id)->osVersion, "20.4R3-S1.3");
  EXPECT_EQ(uow->devices().findByName("r2"), r2);
}

TEST_P(StoreContract, DeviceUpdateStoresWhatItIsGiven) {
  auto a = seedAreas();
  Device d = device("r1", a.ams1, DeviceStatus::Active, "cisco_ios", {"a", "b"});
  d.sshPort = 22;
  d.snmpPort = 161;
  d.id = committed([&](app::UnitOfWork& u) { return u.devices().insert(d); });

  Device changed = d;
  changed.name = "r1-renamed";
  changed.address = "198.51.100.7";
  changed.platform = "juniper_junos";
  changed.areaId = a.amer;
  changed.status = DeviceStatus::Decommissioning;
  changed.role = "edge";
  changed.serial = "X";
  changed.osVersion = "15.2(7)E8";
  changed.credentialsRef = "other";
  changed.tags = {"c", "b"};
  changed.sshPort.reset();
  changed.snmpPort.reset();
  changed.version = 42;
  changed.updatedAt = "2027-01-01T00:00:00.000Z";
  committed([&](app::UnitOfWork& u) { u.devices().update(changed); });

  changed.tags = {"b", "c"};
  auto uow = begin();
  EXPECT_EQ(uow->devices().get(d.id), changed);
  EXPECT_EQ(uow->devices().findByName("r1"), std::nullopt);
  EXPECT_EQ(namesOf(uow->devices().list(DeviceFilter{.tags = {"a"}})), Names{});
}

TEST_P(StoreContract, DeviceWithoutAreaOrTags) {
  Device d = device("loose", 0);
  d.id = committed([&](app::UnitOfWork& u) { return u.devices().insert(d); });
  auto uow = begin();
  EXPECT_EQ(uow->devices().get(d.id), d);
}

TEST_P(StoreContract, DeviceRemoveTakesItsTags) {
  auto a = seedAreas();
  auto tagged = device("r1", a.ams1, DeviceStatus::Active, "cisco_ios", {"x"});
  Id id = committed([&](app::UnitOfWork& u) { return u.devices().insert(tagged); });
  committed([&](app::UnitOfWork& u) { u.devices().remove(id); });
  auto uow = begin();
  EXPECT_EQ(uow->devices().get(id), std::nullopt);
  EXPECT_EQ(uow->devices().count(DeviceFilter{.tags = {"x"}}), 0);
  Id again = uow->devices().insert(tagged);
  EXPECT_EQ(uow->devices().get(again)->tags, Names{"x"});
}

TEST_P(StoreContract, DeviceNamesAreUnique) {
  auto a = seedAreas();
  Id r2 = committed([&](app::UnitOfWork& u) {
    u.devices().insert(device("r1", a.ams1));
    return u.devices().insert(device("r2", a.ams1));
  });
  {
    auto uow = begin();
    EXPECT_THROW(uow->devices().insert(device("r1", a.amer)), ConflictError);
  }
  {
    auto uow = begin();
    Device renamed = *uow->devices().get(r2);
    renamed.name = "r1";
    EXPECT_THROW(uow->devices().update(renamed), ConflictError);
  }
  {
    auto uow = begin();  // a tag is unique per device
    EXPECT_THROW(uow->devices().insert(
                     device("r3", a.ams1, DeviceStatus::Active, "cisco_ios", {"core", "core"})),
                 ConflictError);
  }
  auto uow = begin();
  std::vector<Device> batch{device("r4", a.ams1), device("r2", a.ams1)};
  EXPECT_THROW(uow->devices().insertMany(batch), ConflictError);
}

TEST_P(StoreContract, DeviceReferencesMustExist) {
  auto a = seedAreas();
  {
    auto uow = begin();
    EXPECT_THROW(uow->devices().insert(device("r1", a.ams1, DeviceStatus::Active, "nx_os")),
                 ConflictError);
  }
  auto uow = begin();
  EXPECT_THROW(uow->devices().insert(device("r1", 424242)), ConflictError);
}

TEST_P(StoreContract, MissingRowsAreNotFound) {
  auto uow = begin();
  Device ghost = device("ghost", 0);
  ghost.id = 424242;
  EXPECT_THROW(uow->devices().update(ghost), NotFoundError);
  EXPECT_THROW(uow->devices().remove(424242), NotFoundError);
  EXPECT_THROW(uow->areas().update({424242, "x", std::nullopt, ""}), NotFoundError);
  EXPECT_THROW(uow->areas().remove(424242), NotFoundError);
  EXPECT_THROW(uow->vlans().remove(424242), NotFoundError);
  EXPECT_THROW(uow->platforms().update({"nope", "", ""}), NotFoundError);
  EXPECT_THROW(uow->platforms().remove("nope"), NotFoundError);
}

/// Eight devices over two areas, three platforms, statuses, roles and tags.
class DeviceFilters : public StoreContract {
 protected:
  void SetUp() override {
    StoreContract::SetUp();
    a = seedAreas();
    committed([&](app::UnitOfWork& u) {
      using S = DeviceStatus;
      u.devices().insert(
          device("ams-core-1", a.ams1, S::Active, "arista_eos", {"core", "dc"}, "core"));
      u.devices().insert(device("ams-core-2", a.ams1, S::Active, "arista_eos", {"core"}, "core"));
      u.devices().insert(device("ams-edge-1", a.ams1, S::Staged, "cisco_ios", {"edge"}, "edge"));
      u.devices().insert(device("AMS-Lab_1", a.ams1, S::Planned, "cisco_ios", {}, "lab"));
      u.devices().insert(device("emea-100%", a.emea, S::Failed, "juniper_junos", {"dc"}, "edge"));
      u.devices().insert(
          device("mia-core-1", a.amer, S::Active, "juniper_junos", {"core"}, "core"));
      u.devices().insert(
          device("mia-edge-1", a.amer, S::Inventory, "cisco_ios", {"edge", "x"}, "edge"));
      u.devices().insert(device("zz-old", a.amer, S::Decommissioning, "cisco_ios", {"x"}, ""));
    });
  }
  Names listed(const DeviceFilter& f) {
    auto uow = begin();
    auto devices = uow->devices().list(f);
    auto counted = uow->devices().count(f);
    if (f.limit == 0 && f.offset == 0) {
      EXPECT_EQ(counted, static_cast<std::int64_t>(devices.size()));
    }
    return namesOf(devices);
  }
  Areas a;
};

TEST_P(DeviceFilters, NoFilterListsAllByName) {
  EXPECT_EQ(listed({}), (Names{"AMS-Lab_1", "ams-core-1", "ams-core-2", "ams-edge-1", "emea-100%",
                               "mia-core-1", "mia-edge-1", "zz-old"}));
  EXPECT_EQ(begin()->devices().names(), listed({}));
}

TEST_P(DeviceFilters, OrderingAndKeysetPaging) {
  EXPECT_EQ(listed(DeviceFilter{.orderBy = "status"}),
            (Names{"ams-core-1", "ams-core-2", "mia-core-1", "zz-old", "emea-100%", "mia-edge-1",
                   "AMS-Lab_1", "ams-edge-1"}));
  EXPECT_EQ(listed(DeviceFilter{.orderBy = "name", .descending = true, .limit = 3}),
            (Names{"zz-old", "mia-edge-1", "mia-core-1"}));
  EXPECT_EQ(listed(DeviceFilter{.afterName = "ams-core-2", .limit = 2}),
            (Names{"ams-edge-1", "emea-100%"}));
  EXPECT_EQ(listed(DeviceFilter{.orderBy = "name", .descending = true, .afterName = "emea-100%"}),
            (Names{"ams-edge-1", "ams-core-2", "ams-core-1", "AMS-Lab_1"}));
  // The keyset combines with filters, and the count ignores neither.
  EXPECT_EQ(listed(DeviceFilter{.statuses = {DeviceStatus::Active}, .afterName = "ams-core-1"}),
            (Names{"ams-core-2", "mia-core-1"}));
}

TEST_P(DeviceFilters, OrderingByOsVersion) {
  committed([&](app::UnitOfWork& u) {
    for (auto [name, version] : {std::pair{"ams-core-1", "4.28.3M"},
                                 {"mia-core-1", "20.4R3-S1.3"},
                                 {"zz-old", "12.2(55)SE"},
                                 {"ams-edge-1", "4.28.3M"}}) {
      Device d = *u.devices().findByName(name);
      d.osVersion = version;
      u.devices().update(d);
    }
  });
  // Byte order ("1" < "2" < "4"), ties and the empty ones by name.
  EXPECT_EQ(listed(DeviceFilter{.orderBy = "os_version"}),
            (Names{"AMS-Lab_1", "ams-core-2", "emea-100%", "mia-edge-1", "zz-old", "mia-core-1",
                   "ams-core-1", "ams-edge-1"}));
  EXPECT_EQ(listed(DeviceFilter{.statuses = {DeviceStatus::Active, DeviceStatus::Staged},
                                .orderBy = "os_version",
                                .descending = true}),
            (Names{"ams-edge-1", "ams-core-1", "mia-core-1", "ams-core-2"}));
}

TEST_P(DeviceFilters, StatusesAreOred) {
  EXPECT_EQ(listed(DeviceFilter{.statuses = {DeviceStatus::Active}}),
            (Names{"ams-core-1", "ams-core-2", "mia-core-1"}));
  EXPECT_EQ(listed(DeviceFilter{.statuses = {DeviceStatus::Staged, DeviceStatus::Failed}}),
            (Names{"ams-edge-1", "emea-100%"}));
}

TEST_P(DeviceFilters, AreasPlatformsAndRolesAreOred) {
  EXPECT_EQ(listed(DeviceFilter{.areaIds = {a.emea, a.amer}}),
            (Names{"emea-100%", "mia-core-1", "mia-edge-1", "zz-old"}));
  EXPECT_EQ(listed(DeviceFilter{.platforms = {"juniper_junos"}}),
            (Names{"emea-100%", "mia-core-1"}));
  EXPECT_EQ(listed(DeviceFilter{.platforms = {"arista_eos", "juniper_junos"}}).size(), 4u);
  EXPECT_EQ(listed(DeviceFilter{.roles = {"lab", "edge"}}),
            (Names{"AMS-Lab_1", "ams-edge-1", "emea-100%", "mia-edge-1"}));
}

TEST_P(DeviceFilters, TagsMatchAnyOfTheGiven) {
  EXPECT_EQ(listed(DeviceFilter{.tags = {"dc"}}), (Names{"ams-core-1", "emea-100%"}));
  EXPECT_EQ(listed(DeviceFilter{.tags = {"dc", "x"}}),
            (Names{"ams-core-1", "emea-100%", "mia-edge-1", "zz-old"}));
  EXPECT_EQ(listed(DeviceFilter{.tags = {"nothing"}}), Names{});
  // A device with both tags is listed once, with all its tags.
  auto uow = begin();
  auto both = uow->devices().list(DeviceFilter{.tags = {"edge", "x"}});
  ASSERT_EQ(namesOf(both), (Names{"ams-edge-1", "mia-edge-1", "zz-old"}));
  EXPECT_EQ(both[1].tags, (Names{"edge", "x"}));
}

TEST_P(DeviceFilters, NameContainsIgnoresCaseAndWildcards) {
  EXPECT_EQ(listed(DeviceFilter{.nameContains = "CORE"}),
            (Names{"ams-core-1", "ams-core-2", "mia-core-1"}));
  EXPECT_EQ(listed(DeviceFilter{.nameContains = "ams-"}),
            (Names{"AMS-Lab_1", "ams-core-1", "ams-core-2", "ams-edge-1"}));
  EXPECT_EQ(listed(DeviceFilter{.nameContains = "%"}), Names{"emea-100%"});
  EXPECT_EQ(listed(DeviceFilter{.nameContains = "_"}), Names{"AMS-Lab_1"});
  EXPECT_EQ(listed(DeviceFilter{.nameContains = "b_1"}), Names{"AMS-Lab_1"});
  EXPECT_EQ(listed(DeviceFilter{.nameContains = "a%s"}), Names{});
  EXPECT_EQ(listed(DeviceFilter{.nameContains = "!"}), Names{});
}

TEST_P(DeviceFilters, FieldsCombineWithAnd) {
  EXPECT_EQ(listed(DeviceFilter{.statuses = {DeviceStatus::Active},
                                .areaIds = {a.ams1},
                                .platforms = {"arista_eos", "cisco_ios"},
                                .tags = {"dc", "core"},
                                .roles = {"core"},
                                .nameContains = "-1"}),
            Names{"ams-core-1"});
  EXPECT_EQ(listed(DeviceFilter{.statuses = {DeviceStatus::Failed}, .areaIds = {a.ams1}}), Names{});
}

TEST_P(DeviceFilters, LimitAndOffsetPageByName) {
  EXPECT_EQ(listed(DeviceFilter{.limit = 3}), (Names{"AMS-Lab_1", "ams-core-1", "ams-core-2"}));
  EXPECT_EQ(listed(DeviceFilter{.limit = 3, .offset = 3}),
            (Names{"ams-edge-1", "emea-100%", "mia-core-1"}));
  EXPECT_EQ(listed(DeviceFilter{.limit = 3, .offset = 6}), (Names{"mia-edge-1", "zz-old"}));
  EXPECT_EQ(listed(DeviceFilter{.offset = 7}), Names{"zz-old"});
  EXPECT_EQ(listed(DeviceFilter{.limit = 3, .offset = 8}), Names{});
  EXPECT_EQ(listed(DeviceFilter{.tags = {"core"}, .limit = 2, .offset = 1}),
            (Names{"ams-core-2", "mia-core-1"}));
  // count ignores paging
  EXPECT_EQ(begin()->devices().count(DeviceFilter{.tags = {"core"}, .limit = 1}), 3);
  // tags of a page
  auto page = begin()->devices().list(DeviceFilter{.limit = 1, .offset = 1});
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].tags, (Names{"core", "dc"}));
}

TEST_P(StoreContract, InsertManySetsIdsInOrder) {
  auto a = seedAreas();
  std::vector<Device> devices;
  for (int i = 0; i < 1500; ++i) {  // above SqlStore's by-id tag lookup, several PG batches
    devices.push_back(device(fmt::format("n{:04}", i), i % 2 ? a.ams1 : a.amer,
                             DeviceStatus::Inventory, "cisco_ios",
                             {fmt::format("t{}", i % 3), "all"}));
  }
  committed([&](app::UnitOfWork& u) { u.devices().insertMany(devices); });
  auto uow = begin();
  std::set<Id> ids;
  for (const auto& d : devices) {
    ids.insert(d.id);
    auto stored = uow->devices().get(d.id);
    ASSERT_TRUE(stored) << d.name;
    Device expected = d;
    std::sort(expected.tags.begin(), expected.tags.end());
    EXPECT_EQ(*stored, expected);
  }
  EXPECT_EQ(ids.size(), devices.size());
  auto all = uow->devices().list({});
  ASSERT_EQ(all.size(), 1500u);
  EXPECT_EQ(all[7].tags, (Names{"all", "t1"}));
  EXPECT_EQ(uow->devices().count(DeviceFilter{.tags = {"t2"}}), 500);
  EXPECT_EQ(uow->devices().list(DeviceFilter{.areaIds = {a.ams1}, .tags = {"t0"}}).size(), 250u);
  // Many filtered or paged devices: their tags too.
  auto tagged = uow->devices().list(DeviceFilter{.tags = {"all"}});
  ASSERT_EQ(tagged.size(), 1500u);
  EXPECT_EQ(tagged[1499].tags, (Names{"all", "t2"}));  // n1499
  auto page = uow->devices().list(DeviceFilter{.limit = 1200, .offset = 100});
  ASSERT_EQ(page.size(), 1200u);
  EXPECT_EQ(page[0].name, "n0100");
  EXPECT_EQ(page[0].tags, (Names{"all", "t1"}));
}

TEST_P(StoreContract, InsertManyRefusesDuplicates) {
  auto a = seedAreas();
  std::vector<Device> devices{device("d1", a.ams1), device("d2", a.ams1), device("d1", a.amer)};
  {
    auto uow = begin();
    EXPECT_THROW(uow->devices().insertMany(devices), ConflictError);
  }
  EXPECT_EQ(begin()->devices().count({}), 0);
}

// ---- units of work

TEST_P(StoreContract, UncommittedUnitLeavesNothing) {
  auto a = seedAreas();
  {
    auto uow = begin();
    Id area = uow->areas().insert({0, "tmp", std::nullopt, ""});
    uow->platforms().insert({"tmp_os", "Tmp", ""});
    uow->devices().insert(device("tmp-1", area, DeviceStatus::Active, "tmp_os", {"t"}));
    uow->vlans().insert({0, area, 5, "tmp", ""});
    uow->changes().append(
        {0, "2026-11-27T10:00:00.000Z", "test", "create", "area", "9", "tmp", "", "{}", ""});
    uow->areas().remove(a.ams1);
    EXPECT_EQ(uow->devices().count({}), 1);  // visible inside the unit
  }
  auto uow = begin();
  EXPECT_EQ(uow->areas().list().size(), 3u);
  EXPECT_TRUE(uow->areas().get(a.ams1));
  EXPECT_EQ(uow->platforms().get("tmp_os"), std::nullopt);
  EXPECT_EQ(uow->devices().count({}), 0);
  EXPECT_TRUE(uow->vlans().list(std::nullopt).empty());
  EXPECT_TRUE(uow->changes().list({}).empty());
}

TEST_P(StoreContract, SecondUnitOnTheSameThreadRefused) {
  auto uow = begin();
  EXPECT_THROW(begin(), std::logic_error);
  uow.reset();
  EXPECT_NO_THROW(begin());
}

TEST_P(StoreContract, CommittedUnitIsSeenByTheNext) {
  {
    auto uow = begin();
    uow->areas().insert({0, "kept", std::nullopt, ""});
    uow->commit();
  }
  EXPECT_EQ(begin()->areas().findByName("kept").size(), 1u);
}

// ---- VLANs

TEST_P(StoreContract, VlansCrud) {
  auto a = seedAreas();
  Id users = committed([&](app::UnitOfWork& u) {
    u.vlans().insert({0, a.amer, 30, "voice", ""});
    u.vlans().insert({0, a.ams1, 20, "servers", ""});
    return u.vlans().insert({0, a.ams1, 10, "users", "staff"});
  });
  auto uow = begin();
  auto& vlans = uow->vlans();
  EXPECT_EQ(vlans.get(users), (Vlan{users, a.ams1, 10, "users", "staff"}));
  EXPECT_EQ(vlans.findByVid(a.ams1, 10)->id, users);
  EXPECT_EQ(vlans.findByVid(a.amer, 10), std::nullopt);
  EXPECT_EQ(vlans.findByName(a.ams1, "users")->id, users);
  EXPECT_EQ(vlans.findByName(a.amer, "users"), std::nullopt);
  auto all = vlans.list(std::nullopt);
  ASSERT_EQ(all.size(), 3u);
  // by area, then vid (ams1 was created after amer)
  EXPECT_EQ(all[0].vid, 30);  // amer's id is lower than ams1's
  auto inAms1 = vlans.list(a.ams1);
  ASSERT_EQ(inAms1.size(), 2u);
  EXPECT_EQ(inAms1[0].vid, 10);
  EXPECT_EQ(inAms1[1].vid, 20);
  vlans.update({users, a.ams1, 11, "staff", "moved"});
  EXPECT_EQ(vlans.get(users), (Vlan{users, a.ams1, 11, "staff", "moved"}));
  vlans.remove(users);
  EXPECT_EQ(vlans.get(users), std::nullopt);
}

TEST_P(StoreContract, VlanVidAndNameUniqueInArea) {
  auto a = seedAreas();
  Id id = committed([&](app::UnitOfWork& u) {
    u.vlans().insert({0, a.ams1, 10, "users", ""});
    return u.vlans().insert({0, a.ams1, 20, "servers", ""});
  });
  for (auto attempt : std::vector<std::function<void(app::UnitOfWork&)>>{
           [&](app::UnitOfWork& u) {
             u.vlans().insert({0, a.ams1, 10, "other", ""});
           },
           [&](app::UnitOfWork& u) {
             u.vlans().insert({0, a.ams1, 30, "users", ""});
           },
           [&](app::UnitOfWork& u) {
             u.vlans().update({id, a.ams1, 10, "servers", ""});
           },
           [&](app::UnitOfWork& u) {
             u.vlans().insert({0, 424242, 10, "users", ""});
           },
       }) {
    auto uow = begin();
    EXPECT_THROW(attempt(*uow), ConflictError);
  }
  auto uow = begin();
  EXPECT_NO_THROW(uow->vlans().insert({0, a.amer, 10, "users", ""}));
}

// ---- change log

TEST_P(StoreContract, ChangeLogNewestFirstWithFilters) {
  auto entry = [](std::string time, std::string actor, std::string type, std::string id,
                  std::string name) {
    return ChangeEntry{0, time, actor, "update", type, id, name, "{\"a\":1}", "{\"a\":2}", "why"};
  };
  committed([&](app::UnitOfWork& u) {
    u.changes().append(entry("2026-11-27T10:00:00.000Z", "cli:alice", "device", "1", "r1"));
    u.changes().appendMany({
        entry("2026-11-27T10:00:01.000Z", "api:bot", "device", "2", "r2"),
        entry("2026-11-27T10:00:01.000Z", "cli:alice", "area", "1", "emea"),  // same time
        entry("2026-11-27T09:00:00.000Z", "cli:bob", "device", "3", "1"),     // older, name "1"
    });
  });
  auto uow = begin();
  auto all = uow->changes().list({});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].objectName, "emea");  // same time: the later entry first
  EXPECT_EQ(all[1].objectName, "r2");
  EXPECT_EQ(all[2].objectName, "r1");
  EXPECT_EQ(all[3].objectName, "1");
  EXPECT_GT(all[0].id, all[1].id);
  EXPECT_EQ(all[2].before, "{\"a\":1}");
  EXPECT_EQ(all[2].after, "{\"a\":2}");
  EXPECT_EQ(all[2].message, "why");
  EXPECT_EQ(all[2].action, "update");

  auto names = [&](const ChangeFilter& f) {
    Names out;
    for (const auto& e : uow->changes().list(f)) out.push_back(e.objectName);
    return out;
  };
  EXPECT_EQ(names(ChangeFilter{.objectType = "device"}), (Names{"r2", "r1", "1"}));
  EXPECT_EQ(names(ChangeFilter{.objectType = "device", .object = "r1"}), Names{"r1"});
  // an object matches by id or by name
  EXPECT_EQ(names(ChangeFilter{.objectType = "device", .object = "1"}), (Names{"r1", "1"}));
  EXPECT_EQ(names(ChangeFilter{.object = "1"}), (Names{"emea", "r1", "1"}));
  EXPECT_EQ(names(ChangeFilter{.actor = "cli:alice"}), (Names{"emea", "r1"}));
  EXPECT_EQ(names(ChangeFilter{.limit = 2}), (Names{"emea", "r2"}));
  EXPECT_EQ(names(ChangeFilter{.limit = 2, .offset = 2}), (Names{"r1", "1"}));
  EXPECT_EQ(names(ChangeFilter{.offset = 3}), Names{"1"});
  // A time range (since inclusive, until exclusive) and keyset paging from an entry.
  EXPECT_EQ(names(ChangeFilter{.since = "2026-11-27T10:00:00.000Z"}), (Names{"emea", "r2", "r1"}));
  EXPECT_EQ(
      names(ChangeFilter{.since = "2026-11-27T09:00:00.000Z", .until = "2026-11-27T10:00:01.000Z"}),
      (Names{"r1", "1"}));
  EXPECT_EQ(names(ChangeFilter{.beforeTime = all[0].time, .beforeId = all[0].id}),
            (Names{"r2", "r1", "1"}));
  EXPECT_EQ(names(ChangeFilter{.beforeTime = all[1].time, .beforeId = all[1].id, .limit = 1}),
            Names{"r1"});
}

std::vector<StoreKind> storeKinds() {
  return {
      {"Memory", [] { return std::make_unique<MemoryHarness>(); }},
      {"Sqlite", [] { return std::make_unique<SqlHarness>(freshSqlite()); }},
      {"Postgres", [] { return std::make_unique<SqlHarness>(freshPostgres()); }},
  };
}

std::string kindName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::ValuesIn(storeKinds()), kindName);
INSTANTIATE_TEST_SUITE_P(Stores, DeviceFilters, ::testing::ValuesIn(storeKinds()), kindName);

}  // namespace
}  // namespace netspine::test
