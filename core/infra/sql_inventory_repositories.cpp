// SqlStore's repositories of areas, platforms and VLANs.

#include <Poco/Data/TypeHandler.h>
#include <Poco/Tuple.h>

#include "infra/sql_repositories.hpp"

namespace netspine::infra {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Int64;

template <class T>
std::optional<T> first(std::vector<T> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::string areaName(const app::Area& area) {
  return fmt::format("area '{}'", area.name);
}

}  // namespace

// ---- areas

std::vector<app::Area> SqlAreaRepository::query(const std::string& where, const SqlParams& params) {
  std::vector<Poco::Tuple<Int64, std::string, Int64, std::string>> rows;
  guarded("reading areas", [&] {
    Poco::Data::Statement st =
        db_.statement("SELECT id, name, COALESCE(parent_id, 0), description FROM areas " + where +
                      " ORDER BY id");
    bindParams(st, params);
    st, into(rows);
    st.execute();
  });
  std::vector<app::Area> areas;
  areas.reserve(rows.size());
  for (auto& row : rows) {
    app::Area a;
    a.id = row.get<0>();
    a.name = std::move(row.get<1>());
    if (row.get<2>() != 0) a.parentId = row.get<2>();
    a.description = std::move(row.get<3>());
    areas.push_back(std::move(a));
  }
  return areas;
}

std::optional<app::Area> SqlAreaRepository::get(app::Id id) {
  return first(query("WHERE id = ?", {id}));
}

std::vector<app::Area> SqlAreaRepository::findByName(std::string_view name) {
  return query("WHERE name = ?", {std::string(name)});
}

std::optional<app::Area> SqlAreaRepository::findChild(std::optional<app::Id> parent,
                                                      std::string_view name) {
  return first(query("WHERE COALESCE(parent_id, 0) = ? AND name = ?",
                     {parent.value_or(0), std::string(name)}));
}

std::vector<app::Area> SqlAreaRepository::list() {
  return query("", {});
}

app::Id SqlAreaRepository::insert(const app::Area& area) {
  return guarded(areaName(area), [&] {
    Int64 id = 0;
    Poco::Data::Statement st = db_.statement(
        "INSERT INTO areas (name, parent_id, description) "
        "VALUES (?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id");
    st, bind(area.name), bind(Int64{area.parentId.value_or(0)}), bind(area.description), into(id);
    st.execute();
    return app::Id{id};
  });
}

void SqlAreaRepository::update(const app::Area& area) {
  guarded(areaName(area), [&] {
    Poco::Data::Statement st = db_.statement(
        "UPDATE areas SET name = ?, parent_id = NULLIF(CAST(? AS BIGINT), 0), description = ? "
        "WHERE id = ?");
    st, bind(area.name), bind(Int64{area.parentId.value_or(0)}), bind(area.description),
        bind(Int64{area.id});
    requireRow(st.execute(), areaName(area));
  });
}

void SqlAreaRepository::remove(app::Id id) {
  guarded(fmt::format("area {}", id), [&] {
    Poco::Data::Statement st = db_.statement("DELETE FROM areas WHERE id = ?");
    st, bind(Int64{id});
    requireRow(st.execute(), fmt::format("area {}", id));
  });
}

app::AreaDependents SqlAreaRepository::dependents(app::Id id) {
  app::AreaDependents deps;
  Int64 devices = 0, vlans = 0, children = 0;
  Poco::Data::Statement st = db_.statement(
      "SELECT (SELECT COUNT(*) FROM devices WHERE area_id = ?), "
      "(SELECT COUNT(*) FROM vlans WHERE area_id = ?), "
      "(SELECT COUNT(*) FROM areas WHERE COALESCE(parent_id, 0) = ?)");
  st, bind(Int64{id}), bind(Int64{id}), bind(Int64{id}), into(devices), into(vlans), into(children);
  st.execute();
  deps.devices = devices;
  deps.vlans = vlans;
  deps.children = children;
  return deps;
}

// ---- platforms

std::vector<app::Platform> SqlPlatformRepository::query(const std::string& where,
                                                        const SqlParams& params) {
  std::vector<Poco::Tuple<std::string, std::string, std::string>> rows;
  guarded("reading platforms", [&] {
    Poco::Data::Statement st =
        db_.statement("SELECT id, name, vendor FROM platforms " + where + " ORDER BY id");
    bindParams(st, params);
    st, into(rows);
    st.execute();
  });
  std::vector<app::Platform> platforms;
  platforms.reserve(rows.size());
  for (auto& row : rows) {
    platforms.push_back(
        {std::move(row.get<0>()), std::move(row.get<1>()), std::move(row.get<2>())});
  }
  return platforms;
}

std::optional<app::Platform> SqlPlatformRepository::get(std::string_view id) {
  return first(query("WHERE id = ?", {std::string(id)}));
}

std::vector<app::Platform> SqlPlatformRepository::list() {
  return query("", {});
}

void SqlPlatformRepository::insert(const app::Platform& platform) {
  guarded(fmt::format("platform '{}'", platform.id), [&] {
    Poco::Data::Statement st =
        db_.statement("INSERT INTO platforms (id, name, vendor) VALUES (?, ?, ?)");
    st, bind(platform.id), bind(platform.name), bind(platform.vendor);
    st.execute();
  });
}

void SqlPlatformRepository::update(const app::Platform& platform) {
  const std::string what = fmt::format("platform '{}'", platform.id);
  guarded(what, [&] {
    Poco::Data::Statement st =
        db_.statement("UPDATE platforms SET name = ?, vendor = ? WHERE id = ?");
    st, bind(platform.name), bind(platform.vendor), bind(platform.id);
    requireRow(st.execute(), what);
  });
}

void SqlPlatformRepository::remove(std::string_view id) {
  const std::string what = fmt::format("platform '{}'", id);
  guarded(what, [&] {
    Poco::Data::Statement st = db_.statement("DELETE FROM platforms WHERE id = ?");
    st, bind(std::string(id));
    requireRow(st.execute(), what);
  });
}

std::int64_t SqlPlatformRepository::deviceCount(std::string_view id) {
  return guarded(fmt::format("counting the devices of platform '{}'", id), [&] {
    return db_.queryInt("SELECT COUNT(*) FROM devices WHERE platform = ?", {std::string(id)});
  });
}

// ---- VLANs

std::vector<app::Vlan> SqlVlanRepository::query(const std::string& where, const SqlParams& params) {
  std::vector<Poco::Tuple<Int64, Int64, Int64, std::string, std::string>> rows;
  Poco::Data::Statement st = db_.statement(
      "SELECT id, area_id, vid, name, description FROM vlans " + where + " ORDER BY area_id, vid");
  bindParams(st, params);
  st, into(rows);
  st.execute();
  std::vector<app::Vlan> vlans;
  vlans.reserve(rows.size());
  for (auto& row : rows) {
    app::Vlan v;
    v.id = row.get<0>();
    v.areaId = row.get<1>();
    v.vid = static_cast<int>(row.get<2>());
    v.name = std::move(row.get<3>());
    v.description = std::move(row.get<4>());
    vlans.push_back(std::move(v));
  }
  return vlans;
}

std::optional<app::Vlan> SqlVlanRepository::get(app::Id id) {
  return first(query("WHERE id = ?", {id}));
}

std::optional<app::Vlan> SqlVlanRepository::findByVid(app::Id areaId, int vid) {
  return first(query("WHERE area_id = ? AND vid = ?", {areaId, std::int64_t{vid}}));
}

std::optional<app::Vlan> SqlVlanRepository::findByName(app::Id areaId, std::string_view name) {
  return first(query("WHERE area_id = ? AND name = ?", {areaId, std::string(name)}));
}

std::vector<app::Vlan> SqlVlanRepository::list(std::optional<app::Id> areaId) {
  if (!areaId) return query("", {});
  return query("WHERE area_id = ?", {*areaId});
}

app::Id SqlVlanRepository::insert(const app::Vlan& vlan) {
  return guarded(fmt::format("vlan {} '{}' of area {}", vlan.vid, vlan.name, vlan.areaId), [&] {
    Int64 id = 0;
    Poco::Data::Statement st = db_.statement(
        "INSERT INTO vlans (area_id, vid, name, description) VALUES (?, ?, ?, ?) RETURNING id");
    st, bind(Int64{vlan.areaId}), bind(Int64{vlan.vid}), bind(vlan.name), bind(vlan.description),
        into(id);
    st.execute();
    return app::Id{id};
  });
}

void SqlVlanRepository::update(const app::Vlan& vlan) {
  const std::string what = fmt::format("vlan {} '{}' of area {}", vlan.vid, vlan.name, vlan.areaId);
  guarded(what, [&] {
    Poco::Data::Statement st = db_.statement(
        "UPDATE vlans SET area_id = ?, vid = ?, name = ?, description = ? WHERE id = ?");
    st, bind(Int64{vlan.areaId}), bind(Int64{vlan.vid}), bind(vlan.name), bind(vlan.description),
        bind(Int64{vlan.id});
    requireRow(st.execute(), what);
  });
}

void SqlVlanRepository::remove(app::Id id) {
  const std::string what = fmt::format("vlan {}", id);
  guarded(what, [&] {
    Poco::Data::Statement st = db_.statement("DELETE FROM vlans WHERE id = ?");
    st, bind(Int64{id});
    requireRow(st.execute(), what);
  });
}

}  // namespace netspine::infra
