// SqlStore's repository of devices: filters, tags in device_tags, fast bulk insert.

#include <Poco/Data/TypeHandler.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <unordered_map>

#include "domain/device_status.hpp"
#include "infra/sql_repositories.hpp"

namespace netspine::infra {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Int64;

/// One row of kDeviceColumns, as the database returns it (no NULLs: see the COALESCEs).
struct DeviceRow {
  Int64 id = 0;
  std::string name;
  std::string address;
  std::string platform;
  Int64 areaId = 0;
  std::string status;
  std::string role;
  std::string serial;
  std::string osVersion;
  std::string credentialsRef;
  Int64 sshPort = 0;
  Int64 snmpPort = 0;
  Int64 version = 0;
  std::string createdAt;
  std::string updatedAt;
  std::string tags;  // comma-separated (tags hold no commas)
};

/// The columns of a DeviceRow; {tags} is the backend's string aggregate over t.tag.
constexpr const char* kDeviceColumns =
    "d.id, d.name, d.address, d.platform, COALESCE(d.area_id, 0), d.status, d.role, d.serial, "
    "d.os_version, d.credentials_ref, COALESCE(d.ssh_port, 0), COALESCE(d.snmp_port, 0), "
    "d.version, d.created_at, d.updated_at, "
    "COALESCE((SELECT {tags} FROM device_tags t WHERE t.device_id = d.id), '')";

constexpr const char* kInsertHead =
    "INSERT INTO devices (name, address, platform, area_id, status, role, serial, "
    "os_version, credentials_ref, ssh_port, snmp_port, version, created_at, updated_at)";
constexpr const char* kInsertRow =
    "(?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, NULLIF(CAST(? AS INTEGER), 0), "
    "NULLIF(CAST(? AS INTEGER), 0), ?, ?, ?)";

}  // namespace
}  // namespace netspine::infra

namespace Poco::Data {

template <>
class TypeHandler<netspine::infra::DeviceRow> {
 public:
  using Row = netspine::infra::DeviceRow;
  static std::size_t size() { return 16; }

  static void extract(std::size_t pos, Row& row, const Row&, AbstractExtractor::Ptr ext) {
    ext->extract(pos++, row.id);
    ext->extract(pos++, row.name);
    ext->extract(pos++, row.address);
    ext->extract(pos++, row.platform);
    ext->extract(pos++, row.areaId);
    ext->extract(pos++, row.status);
    ext->extract(pos++, row.role);
    ext->extract(pos++, row.serial);
    ext->extract(pos++, row.osVersion);
    ext->extract(pos++, row.credentialsRef);
    ext->extract(pos++, row.sshPort);
    ext->extract(pos++, row.snmpPort);
    ext->extract(pos++, row.version);
    ext->extract(pos++, row.createdAt);
    ext->extract(pos++, row.updatedAt);
    ext->extract(pos++, row.tags);
  }

  static void prepare(std::size_t pos, const Row& row, AbstractPreparator::Ptr prep) {
    TypeHandler<Int64>::prepare(pos++, row.id, prep);
    TypeHandler<std::string>::prepare(pos++, row.name, prep);
    TypeHandler<std::string>::prepare(pos++, row.address, prep);
    TypeHandler<std::string>::prepare(pos++, row.platform, prep);
    TypeHandler<Int64>::prepare(pos++, row.areaId, prep);
    TypeHandler<std::string>::prepare(pos++, row.status, prep);
    TypeHandler<std::string>::prepare(pos++, row.role, prep);
    TypeHandler<std::string>::prepare(pos++, row.serial, prep);
    TypeHandler<std::string>::prepare(pos++, row.osVersion, prep);
    TypeHandler<std::string>::prepare(pos++, row.credentialsRef, prep);
    TypeHandler<Int64>::prepare(pos++, row.sshPort, prep);
    TypeHandler<Int64>::prepare(pos++, row.snmpPort, prep);
    TypeHandler<Int64>::prepare(pos++, row.version, prep);
    TypeHandler<std::string>::prepare(pos++, row.createdAt, prep);
    TypeHandler<std::string>::prepare(pos++, row.updatedAt, prep);
    TypeHandler<std::string>::prepare(pos++, row.tags, prep);
  }

  static void bind(std::size_t, const Row&, AbstractBinder::Ptr, AbstractBinder::Direction) {
    throw Poco::NotImplementedException("DeviceRow is read-only");
  }
};

}  // namespace Poco::Data

namespace netspine::infra {
namespace {

app::Device toDevice(DeviceRow&& row) {
  app::Device d;
  d.id = row.id;
  d.name = std::move(row.name);
  d.address = std::move(row.address);
  d.platform = std::move(row.platform);
  d.areaId = row.areaId;
  auto status = domain::parseDeviceStatus(row.status);
  if (!status)
    throw DatabaseError(
        fmt::format("device '{}' has an unknown status '{}' in the database", d.name, row.status));
  d.status = *status;
  d.role = std::move(row.role);
  d.serial = std::move(row.serial);
  d.osVersion = std::move(row.osVersion);
  d.credentialsRef = std::move(row.credentialsRef);
  if (row.sshPort != 0) d.sshPort = static_cast<int>(row.sshPort);
  if (row.snmpPort != 0) d.snmpPort = static_cast<int>(row.snmpPort);
  d.version = row.version;
  d.createdAt = std::move(row.createdAt);
  d.updatedAt = std::move(row.updatedAt);
  for (std::size_t start = 0; start < row.tags.size();) {
    auto end = std::min(row.tags.find(',', start), row.tags.size());
    d.tags.emplace_back(row.tags, start, end - start);
    start = end + 1;
  }
  if (d.tags.size() > 1) std::sort(d.tags.begin(), d.tags.end());
  return d;
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

/// A LIKE pattern for "contains `text`", any case; '!' escapes the wildcards.
std::string containsPattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out + "%";
}

struct DeviceQuery {
  std::string where;  // on alias d
  SqlParams whereParams;
  std::string tail;  // ORDER BY, paging
  SqlParams tailParams;
};

DeviceQuery queryOf(const app::DeviceFilter& f) {
  DeviceQuery q;
  std::vector<std::string> terms;
  auto in = [&](std::string term, const auto& values, auto toValue) {
    if (values.empty()) return;
    terms.push_back(term + " IN (" + placeholders(values.size()) + ")");
    for (const auto& v : values) q.whereParams.push_back(toValue(v));
  };
  auto text = [](const auto& v) { return SqlValue(std::string(v)); };
  in("d.id", f.ids, [](app::Id id) { return SqlValue(id); });
  in("d.status", f.statuses,
     [](app::DeviceStatus s) { return SqlValue(std::string(domain::toString(s))); });
  in("d.area_id", f.areaIds, [](app::Id id) { return SqlValue(id); });
  in("d.platform", f.platforms, text);
  in("d.role", f.roles, text);
  if (!f.tags.empty()) {
    // EXISTS per device rather than IN over the tag's devices: a tag on all 100,000 devices
    // would otherwise build a set of 100,000 ids for every page of 50.
    terms.push_back("EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = d.id AND t.tag IN (" +
                    placeholders(f.tags.size()) + "))");
    for (const auto& tag : f.tags) q.whereParams.push_back(tag);
  }
  if (!f.nameContains.empty()) {
    terms.push_back("LOWER(d.name) LIKE ? ESCAPE '!'");
    q.whereParams.push_back(containsPattern(f.nameContains));
  }
  for (std::size_t i = 0; i < terms.size(); ++i)
    q.where += (i == 0 ? "WHERE " : " AND ") + terms[i];
  if (!f.afterName.empty()) {
    q.where += (q.where.empty() ? "WHERE " : " AND ") +
               std::string(f.descending ? "d.name < ?" : "d.name > ?");
    q.whereParams.push_back(f.afterName);
  }
  static constexpr std::string_view kColumns[] = {
      "",     "name",   "address",    "status",     "platform",
      "role", "serial", "os_version", "created_at", "updated_at"};
  if (std::find(std::begin(kColumns), std::end(kColumns), f.orderBy) == std::end(kColumns))
    throw std::logic_error("device filter: unknown ordering column " + f.orderBy);
  // orderBy is one of the columns above, never user text.
  const char* dir = f.descending ? " DESC" : "";
  q.tail = f.orderBy == "name" || f.orderBy.empty()
               ? fmt::format("ORDER BY d.name{}", dir)
               : fmt::format("ORDER BY d.{}{}, d.name{}", f.orderBy, dir, dir);
  if (f.limit > 0 || f.offset > 0) {
    q.tail += " LIMIT ? OFFSET ?";
    q.tailParams = {f.limit > 0 ? f.limit : std::numeric_limits<std::int64_t>::max(),
                    std::max<std::int64_t>(f.offset, 0)};
  }
  return q;
}

}  // namespace

std::vector<app::Device> SqlDeviceRepository::query(const std::string& where,
                                                    const SqlParams& whereParams,
                                                    const std::string& tail,
                                                    const SqlParams& tailParams) {
  return guarded("reading devices", [&] { return read(where, whereParams, tail, tailParams); });
}

std::vector<app::Device> SqlDeviceRepository::read(const std::string& where,
                                                   const SqlParams& whereParams,
                                                   const std::string& tail,
                                                   const SqlParams& tailParams) {
  const char* tags = db_.backend() == DatabaseBackend::SQLite ? "group_concat(t.tag, ',')"
                                                              : "string_agg(t.tag, ',')";
  std::vector<DeviceRow> rows;
  Poco::Data::Statement st = db_.statement(
      fmt::format("SELECT {} FROM devices d {} {}",
                  fmt::format(fmt::runtime(kDeviceColumns), fmt::arg("tags", tags)), where, tail));
  bindParams(st, whereParams);
  bindParams(st, tailParams);
  st, into(rows);
  st.execute();
  std::vector<app::Device> devices;
  devices.reserve(rows.size());
  for (auto& row : rows) devices.push_back(toDevice(std::move(row)));
  return devices;
}

std::optional<app::Device> SqlDeviceRepository::get(app::Id id) {
  auto found = query("WHERE d.id = ?", {id});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<app::Device> SqlDeviceRepository::findByName(std::string_view name) {
  auto found = query("WHERE d.name = ?", {std::string(name)});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<app::Device> SqlDeviceRepository::findByNameForUpdate(std::string_view name) {
  // SQLite has no FOR UPDATE; its write transaction (BEGIN IMMEDIATE) holds the database.
  const std::string lock = db_.backend() == DatabaseBackend::PostgreSQL ? "FOR UPDATE OF d" : "";
  auto found = query("WHERE d.name = ?", {std::string(name)}, lock);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<app::Device> SqlDeviceRepository::list(const app::DeviceFilter& filter) {
  auto q = queryOf(filter);
  return query(q.where, q.whereParams, q.tail, q.tailParams);
}

std::int64_t SqlDeviceRepository::count(const app::DeviceFilter& filter) {
  auto q = queryOf(filter);
  return guarded("counting devices", [&] {
    return db_.queryInt("SELECT COUNT(*) FROM devices d " + q.where, q.whereParams);
  });
}

std::vector<std::string> SqlDeviceRepository::names() {
  std::vector<std::string> names;
  guarded("reading device names", [&] {
    Poco::Data::Statement st = db_.statement("SELECT name FROM devices ORDER BY name");
    st, into(names);
    st.execute();
  });
  return names;
}

void SqlDeviceRepository::insertTags(const std::vector<app::Device>& devices) {
  std::vector<Int64> ids;
  std::vector<std::string> tags;
  for (const auto& d : devices) {
    for (const auto& tag : d.tags) {
      ids.push_back(d.id);
      tags.push_back(tag);
    }
  }
  db_.insertRows("INSERT INTO device_tags (device_id, tag)", "(?, ?)", ids, tags);
}

app::Id SqlDeviceRepository::insert(const app::Device& device) {
  return guarded(fmt::format("device '{}'", device.name), [&] {
    app::Device stored = device;
    Poco::Data::Statement st =
        db_.statement(fmt::format("{} VALUES {} RETURNING id", kInsertHead, kInsertRow));
    st, bind(device.name), bind(device.address), bind(device.platform), bind(Int64{device.areaId}),
        bind(std::string(domain::toString(device.status))), bind(device.role), bind(device.serial),
        bind(device.osVersion), bind(device.credentialsRef),
        bind(Int64{device.sshPort.value_or(0)}), bind(Int64{device.snmpPort.value_or(0)}),
        bind(Int64{device.version}), bind(device.createdAt), bind(device.updatedAt),
        into(stored.id);
    st.execute();
    insertTags({stored});
    return stored.id;
  });
}

void SqlDeviceRepository::insertMany(std::vector<app::Device>& devices) {
  if (devices.empty()) return;
  guarded(fmt::format("{} devices", devices.size()), [&] {
    const std::int64_t before = db_.queryInt("SELECT COALESCE(MAX(id), 0) FROM devices");
    const std::size_t n = devices.size();
    std::vector<std::string> names(n), addresses(n), platforms(n), statuses(n), roles(n),
        serials(n), osVersions(n), credentials(n), created(n), updated(n);
    std::vector<Int64> areas(n), sshPorts(n), snmpPorts(n), versions(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& d = devices[i];
      names[i] = d.name;
      addresses[i] = d.address;
      platforms[i] = d.platform;
      areas[i] = d.areaId;
      statuses[i] = domain::toString(d.status);
      roles[i] = d.role;
      serials[i] = d.serial;
      osVersions[i] = d.osVersion;
      credentials[i] = d.credentialsRef;
      sshPorts[i] = d.sshPort.value_or(0);
      snmpPorts[i] = d.snmpPort.value_or(0);
      versions[i] = d.version;
      created[i] = d.createdAt;
      updated[i] = d.updatedAt;
    }
    db_.insertRows(kInsertHead, kInsertRow, names, addresses, platforms, areas, statuses, roles,
                   serials, osVersions, credentials, sshPorts, snmpPorts, versions, created,
                   updated);

    // Ids grow, so the new rows are above the old maximum; names tell them apart.
    std::vector<Int64> ids;
    std::vector<std::string> idNames;
    Poco::Data::Statement st = db_.statement("SELECT id, name FROM devices WHERE id > ?");
    st, bind(Int64{before}), into(ids), into(idNames);
    st.execute();
    std::unordered_map<std::string_view, Int64> idOf;
    idOf.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) idOf.emplace(idNames[i], ids[i]);
    for (auto& d : devices) {
      auto it = idOf.find(d.name);
      if (it == idOf.end())
        throw DatabaseError(fmt::format("device '{}' was inserted but cannot be found", d.name));
      d.id = it->second;
    }
    insertTags(devices);
  });
}

void SqlDeviceRepository::update(const app::Device& device) {
  const std::string what = fmt::format("device '{}'", device.name);
  guarded(what, [&] {
    Poco::Data::Statement st = db_.statement(
        "UPDATE devices SET name = ?, address = ?, platform = ?, "
        "area_id = NULLIF(CAST(? AS BIGINT), 0), status = ?, role = ?, serial = ?, "
        "os_version = ?, credentials_ref = ?, ssh_port = NULLIF(CAST(? AS INTEGER), 0), "
        "snmp_port = NULLIF(CAST(? AS INTEGER), 0), version = ?, created_at = ?, updated_at = ? "
        "WHERE id = ?");
    st, bind(device.name), bind(device.address), bind(device.platform), bind(Int64{device.areaId}),
        bind(std::string(domain::toString(device.status))), bind(device.role), bind(device.serial),
        bind(device.osVersion), bind(device.credentialsRef),
        bind(Int64{device.sshPort.value_or(0)}), bind(Int64{device.snmpPort.value_or(0)}),
        bind(Int64{device.version}), bind(device.createdAt), bind(device.updatedAt),
        bind(Int64{device.id});
    requireRow(st.execute(), what);
    Poco::Data::Statement clear = db_.statement("DELETE FROM device_tags WHERE device_id = ?");
    clear, bind(Int64{device.id});
    clear.execute();
    insertTags({device});
  });
}

void SqlDeviceRepository::remove(app::Id id) {
  const std::string what = fmt::format("device {}", id);
  guarded(what, [&] {
    Poco::Data::Statement st = db_.statement("DELETE FROM devices WHERE id = ?");
    st, bind(Int64{id});
    requireRow(st.execute(), what);
  });
}

}  // namespace netspine::infra
