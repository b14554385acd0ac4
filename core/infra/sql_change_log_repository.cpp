// SqlStore's change log.

#include <Poco/Data/TypeHandler.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <limits>

#include "infra/sql_repositories.hpp"

namespace netspine::infra {

using namespace Poco::Data::Keywords;
using Poco::Int64;

void SqlChangeLogRepository::append(const app::ChangeEntry& entry) {
  appendMany({entry});
}

void SqlChangeLogRepository::appendMany(const std::vector<app::ChangeEntry>& entries) {
  const std::size_t n = entries.size();
  std::vector<std::string> time(n), actor(n), action(n), type(n), id(n), name(n), before(n),
      after(n), message(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& e = entries[i];
    time[i] = e.time;
    actor[i] = e.actor;
    action[i] = e.action;
    type[i] = e.objectType;
    id[i] = e.objectId;
    name[i] = e.objectName;
    before[i] = e.before;
    after[i] = e.after;
    message[i] = e.message;
  }
  guarded("recording changes", [&] {
    db_.insertRows(
        "INSERT INTO change_log (time, actor, action, object_type, object_id, object_name, "
        "before_json, after_json, message)",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?)", time, actor, action, type, id, name, before, after, message);
  });
}

std::vector<app::ChangeEntry> SqlChangeLogRepository::list(const app::ChangeFilter& filter) {
  std::vector<std::string> terms;
  SqlParams params;
  if (!filter.objectType.empty()) {
    terms.push_back("object_type = ?");
    params.push_back(filter.objectType);
  }
  if (!filter.object.empty()) {
    terms.push_back("(object_id = ? OR object_name = ?)");
    params.push_back(filter.object);
    params.push_back(filter.object);
  }
  if (!filter.actor.empty()) {
    terms.push_back("actor = ?");
    params.push_back(filter.actor);
  }
  if (!filter.since.empty()) {
    terms.push_back("time >= ?");
    params.push_back(filter.since);
  }
  if (!filter.until.empty()) {
    terms.push_back("time < ?");
    params.push_back(filter.until);
  }
  if (filter.beforeId != 0) {
    terms.push_back("(time < ? OR (time = ? AND id < ?))");
    params.push_back(filter.beforeTime);
    params.push_back(filter.beforeTime);
    params.push_back(filter.beforeId);
  }
  std::string sql =
      "SELECT id, time, actor, action, object_type, object_id, object_name, before_json, "
      "after_json, message FROM change_log";
  for (std::size_t i = 0; i < terms.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + terms[i];
  sql += " ORDER BY time DESC, id DESC";
  if (filter.limit > 0 || filter.offset > 0) {
    sql += " LIMIT ? OFFSET ?";
    params.push_back(filter.limit > 0 ? filter.limit : std::numeric_limits<std::int64_t>::max());
    params.push_back(std::max<std::int64_t>(filter.offset, 0));
  }

  std::vector<Poco::Tuple<Int64, std::string, std::string, std::string, std::string, std::string,
                          std::string, std::string, std::string, std::string>>
      rows;
  guarded("reading the change log", [&] {
    Poco::Data::Statement st = db_.statement(sql);
    bindParams(st, params);
    st, into(rows);
    st.execute();
  });
  std::vector<app::ChangeEntry> entries;
  entries.reserve(rows.size());
  for (auto& r : rows) {
    app::ChangeEntry e;
    e.id = r.get<0>();
    e.time = std::move(r.get<1>());
    e.actor = std::move(r.get<2>());
    e.action = std::move(r.get<3>());
    e.objectType = std::move(r.get<4>());
    e.objectId = std::move(r.get<5>());
    e.objectName = std::move(r.get<6>());
    e.before = std::move(r.get<7>());
    e.after = std::move(r.get<8>());
    e.message = std::move(r.get<9>());
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace netspine::infra
