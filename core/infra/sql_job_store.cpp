// The job tables (jobs, job_runs, tasks, run_log, schedule_state, device_runtime) over one
// Database: the queue's claim, guarded batch writes of results, and the readers.
//
// Batches: a write of many rows is one statement per batch. SQLite steps one prepared statement
// per row with vector bindings (POCO prepares a statement again on every execute(), so a
// statement re-executed per row would be parsed per row); PostgreSQL, whose POCO driver binds no
// vectors, takes the rows as arrays: UPDATE … FROM UNNEST(…) / INSERT … SELECT … FROM UNNEST(…).
// Guarded updates return the ids they wrote (RETURNING id), which says per row whether the
// guard held.

#include "infra/sql_job_store.hpp"

#include <Poco/Data/TypeHandler.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Tuple.h>
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "application/json_writer.hpp"
#include "infra/sql_repositories.hpp"

namespace netspine::infra {
namespace {

using namespace Poco::Data::Keywords;
using domain::Job;
using domain::JobRun;
using domain::RunLogEntry;
using domain::Task;
using domain::TaskState;
using Poco::Int64;
using Id = app::Id;

/// Rows handled by one PostgreSQL statement of a batch (as Database::insertRows does).
constexpr std::size_t kPgBatch = 10'000;

/// The class of PostgreSQL advisory locks a claim takes per run with a concurrency limit (the
/// object is the run id); two-key locks never collide with the migrations' one-key lock.
constexpr int kClaimLockClass = 0x6e736a72;  // "nsjr"

// --- rows as the database returns them (no NULLs: every column is NOT NULL)

constexpr const char* kJobColumns =
    "id, kind, devices_json, selector, parameters_json, schedule, requested_by, created_at";
using JobRow = Poco::Tuple<Int64, std::string, std::string, std::string, std::string, std::string,
                           std::string, std::string>;

constexpr const char* kRunColumns =
    "id, job_id, kind, state, created_at, queued_at, started_at, finished_at, cancel_requested, "
    "total, ok, failed, skipped, cancelled, max_concurrency, deadline, problem, canary, "
    "stop_on_failure";
using RunRow = Poco::Tuple<Int64, Int64, std::string, std::string, std::string, std::string,
                           std::string, std::string, Int64, Int64, Int64, Int64, Int64, Int64,
                           Int64, Int64, std::string, Int64, Int64>;

/// The term of the partial indexes of open tasks (queued or running), written in every query
/// that should use them: SQLite uses a partial index only for a query that has its term.
constexpr const char* kOpenTasks = "state IN ('queued', 'running')";

constexpr const char* kTaskColumns =
    "id, run_id, device_id, device, state, category, message, attempts, duration_ms, data_json, "
    "worker, lease_until, not_before, started_at, finished_at, solo";
using TaskRow =
    Poco::Tuple<Int64, Int64, Int64, std::string, std::string, std::string, std::string, Int64,
                Int64, std::string, std::string, Int64, Int64, std::string, std::string, Int64>;

constexpr const char* kLogColumns = "id, run_id, time, level, device, message";
using LogRow = Poco::Tuple<Int64, Int64, std::string, Int64, std::string, std::string>;

constexpr const char* kRuntimeColumns =
    "device_id, check_name, up, latency_us, last_seen, last_error, updated_at, run_id";
using RuntimeRow =
    Poco::Tuple<Int64, std::string, Int64, Int64, std::string, std::string, std::string, Int64>;

// --- JSON columns

std::string devicesJson(const std::vector<std::string>& devices) {
  std::string out = "[";
  for (std::size_t i = 0; i < devices.size(); ++i) {
    if (i != 0) out += ',';
    app::JsonWriter::escape(out, devices[i]);
  }
  return out + "]";
}

std::string parametersJson(const std::map<std::string, std::string>& parameters) {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : parameters) {
    if (!first) out += ',';
    first = false;
    app::JsonWriter::escape(out, key);
    out += ':';
    app::JsonWriter::escape(out, value);
  }
  return out + "}";
}

[[noreturn]] void badColumn(std::string_view what, Id id, std::string_view column,
                            std::string_view detail) {
  throw DatabaseError(
      fmt::format("{} {} has an invalid {} in the database: {}", what, id, column, detail));
}

std::vector<std::string> parseDevices(const std::string& text, Id jobId) {
  std::vector<std::string> devices;
  if (text.empty()) return devices;
  try {
    Poco::JSON::Parser parser;
    auto array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
    devices.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) devices.push_back(array->get(i).toString());
  } catch (const Poco::Exception& e) {
    badColumn("job", jobId, "devices_json", e.displayText());
  }
  return devices;
}

std::map<std::string, std::string> parseParameters(const std::string& text, Id jobId) {
  std::map<std::string, std::string> parameters;
  if (text.empty()) return parameters;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object) parameters.emplace(key, value.toString());
  } catch (const Poco::Exception& e) {
    badColumn("job", jobId, "parameters_json", e.displayText());
  }
  return parameters;
}

// --- rows to domain values

Job toJob(JobRow& r) {
  Job job;
  job.id = r.get<0>();
  job.kind = std::move(r.get<1>());
  job.devices = parseDevices(r.get<2>(), job.id);
  if (!r.get<3>().empty()) {
    try {
      job.selector = domain::DeviceSelector::parse(r.get<3>());
    } catch (const std::exception& e) {
      badColumn("job", job.id, "selector", e.what());
    }
  }
  job.parameters = parseParameters(r.get<4>(), job.id);
  job.schedule = std::move(r.get<5>());
  job.requestedBy = std::move(r.get<6>());
  job.createdAt = std::move(r.get<7>());
  return job;
}

JobRun toRun(RunRow& r) {
  JobRun run;
  run.id = r.get<0>();
  run.jobId = r.get<1>();
  run.kind = std::move(r.get<2>());
  auto state = domain::parseRunState(r.get<3>());
  if (!state) badColumn("run", run.id, "state", r.get<3>());
  run.state = *state;
  run.createdAt = std::move(r.get<4>());
  run.queuedAt = std::move(r.get<5>());
  run.startedAt = std::move(r.get<6>());
  run.finishedAt = std::move(r.get<7>());
  run.cancelRequested = r.get<8>() != 0;
  run.total = r.get<9>();
  run.tally.ok = static_cast<std::size_t>(r.get<10>());
  run.tally.failed = static_cast<std::size_t>(r.get<11>());
  run.tally.skipped = static_cast<std::size_t>(r.get<12>());
  run.tally.cancelled = static_cast<std::size_t>(r.get<13>());
  run.concurrency = static_cast<unsigned>(std::max<Int64>(r.get<14>(), 0));
  run.deadlineMs = r.get<15>();
  run.problem = std::move(r.get<16>());
  run.canary = static_cast<unsigned>(std::max<Int64>(r.get<17>(), 0));
  run.stopOnFailure = r.get<18>() != 0;
  return run;
}

Task toTask(TaskRow& r) {
  Task task;
  task.id = r.get<0>();
  task.runId = r.get<1>();
  task.deviceId = r.get<2>();
  task.device = std::move(r.get<3>());
  auto state = domain::parseTaskState(r.get<4>());
  if (!state) badColumn("task", task.id, "state", r.get<4>());
  task.state = *state;
  task.category = std::move(r.get<5>());
  task.message = std::move(r.get<6>());
  task.attempts = static_cast<int>(r.get<7>());
  task.durationMs = r.get<8>();
  task.data = std::move(r.get<9>());
  task.worker = std::move(r.get<10>());
  task.leaseUntilMs = r.get<11>();
  task.notBeforeMs = r.get<12>();
  task.startedAt = std::move(r.get<13>());
  task.finishedAt = std::move(r.get<14>());
  task.solo = r.get<15>() != 0;
  return task;
}

RunLogEntry toLogEntry(LogRow& r) {
  RunLogEntry e;
  e.id = r.get<0>();
  e.runId = r.get<1>();
  e.time = std::move(r.get<2>());
  const Int64 level = r.get<3>();
  if (level < static_cast<Int64>(domain::LogLevel::Debug) ||
      level > static_cast<Int64>(domain::LogLevel::Error))
    badColumn("log line", e.id, "level", std::to_string(level));
  e.level = static_cast<domain::LogLevel>(level);
  e.device = std::move(r.get<4>());
  e.message = std::move(r.get<5>());
  return e;
}

domain::DeviceRuntime toRuntime(RuntimeRow& r) {
  domain::DeviceRuntime rt;
  rt.deviceId = r.get<0>();
  rt.check = std::move(r.get<1>());
  rt.up = r.get<2>() != 0;
  rt.latencyUs = r.get<3>();
  rt.lastSeen = std::move(r.get<4>());
  rt.lastError = std::move(r.get<5>());
  rt.updatedAt = std::move(r.get<6>());
  rt.runId = r.get<7>();
  return rt;
}

constexpr const char* kConfigColumns =
    "id, device_id, path, commit_id, stored_at, bytes, sha256, run_id";
using ConfigRow =
    Poco::Tuple<Int64, Int64, std::string, std::string, std::string, Int64, std::string, Int64>;

app::ConfigRevision toConfig(ConfigRow& r) {
  app::ConfigRevision c;
  c.id = r.get<0>();
  c.deviceId = r.get<1>();
  c.path = std::move(r.get<2>());
  c.commit = std::move(r.get<3>());
  c.storedAt = std::move(r.get<4>());
  c.bytes = r.get<5>();
  c.sha256 = std::move(r.get<6>());
  c.runId = r.get<7>();
  return c;
}

// --- SQL helpers

/// "1, 2, 3": integers written into the SQL text (an IN list of ids).
std::string idList(const std::vector<Int64>& ids) {
  return fmt::format("{}", fmt::join(ids, ", "));
}

/// A quoted SQL literal of one of netspine's own state names (no quotes in them).
std::string literal(std::string_view name) {
  return fmt::format("'{}'", name);
}

void addPaging(std::string& sql, SqlParams& params, std::int64_t limit, std::int64_t offset) {
  if (limit <= 0 && offset <= 0) return;
  sql += " LIMIT ? OFFSET ?";
  params.push_back(limit > 0 ? limit : std::numeric_limits<std::int64_t>::max());
  params.push_back(std::max<std::int64_t>(offset, 0));
}

std::string where(const std::vector<std::string>& terms) {
  std::string out;
  for (std::size_t i = 0; i < terms.size(); ++i) out += (i == 0 ? " WHERE " : " AND ") + terms[i];
  return out;
}

std::string runWhere(const app::RunFilter& filter, SqlParams& params) {
  std::vector<std::string> terms;
  if (filter.state) {
    terms.push_back("state = ?");
    params.push_back(std::string(domain::toString(*filter.state)));
  }
  if (filter.jobId != 0) {
    terms.push_back("job_id = ?");
    params.push_back(filter.jobId);
  }
  if (!filter.kind.empty()) {
    terms.push_back("kind = ?");
    params.push_back(filter.kind);
  }
  return where(terms);
}

std::string taskWhere(const app::TaskFilter& filter, SqlParams& params) {
  std::vector<std::string> terms;
  if (filter.runId != 0) {
    terms.push_back("run_id = ?");
    params.push_back(filter.runId);
  }
  if (filter.state) {
    terms.push_back("state = ?");
    params.push_back(std::string(domain::toString(*filter.state)));
  }
  if (!filter.category.empty()) {
    terms.push_back("category = ?");
    params.push_back(filter.category);
  }
  return where(terms);
}

/// "UNNEST(CAST(? AS BIGINT[]), CAST(? AS TEXT[])) AS u(id, state)" for columns of these types.
template <class... Columns>
std::string unnestOf(std::string_view names, const std::vector<Columns>&... columns) {
  std::vector<std::string> arrays = {fmt::format("CAST(? AS {})", detail::arrayType(&columns))...};
  return fmt::format("UNNEST({}) AS u({})", fmt::join(arrays, ", "), names);
}

/// Runs a statement over rows given as columns (all of one size) and returns the ids it
/// reports (RETURNING id). SQLite: `sqlite` with one `?` per column, stepped per row;
/// PostgreSQL: `pg` with one array placeholder per column, per kPgBatch rows.
template <class... Columns>
std::vector<Int64> batchReturningIds(Database& db, std::string_view sqlite, std::string_view pg,
                                     const std::vector<Columns>&... columns) {
  const std::size_t rows = std::get<0>(std::forward_as_tuple(columns...)).size();
  if (((columns.size() != rows) || ...)) throw std::logic_error("batch update: ragged columns");
  std::vector<Int64> ids;
  if (rows == 0) return ids;
  if (db.backend() == DatabaseBackend::SQLite) {
    Poco::Data::Statement st = db.statement(sqlite);
    // POCO binds by reference; the values are not modified.
    (st, ..., use(const_cast<std::vector<Columns>&>(columns)));
    st, into(ids);
    st.execute();
    return ids;
  }
  for (std::size_t first = 0; first < rows; first += kPgBatch) {
    const std::size_t n = std::min(kPgBatch, rows - first);
    std::vector<Int64> part;
    Poco::Data::Statement st = db.statement(pg);
    (st, ..., bind(detail::arrayLiteral(columns, first, n)));
    st, into(part);
    st.execute();
    ids.insert(ids.end(), part.begin(), part.end());
  }
  return ids;
}

/// Indexes of `tasks` with an id not seen before in the list: a task given twice is written
/// once, by its first occurrence (the second would find it no longer in its old state).
std::vector<std::size_t> firstOccurrences(const std::vector<Task>& tasks) {
  std::vector<std::size_t> out;
  out.reserve(tasks.size());
  std::unordered_set<Id> seen;
  seen.reserve(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (seen.insert(tasks[i].id).second) out.push_back(i);
  }
  return out;
}

std::vector<bool> writtenFlags(const std::vector<Task>& tasks,
                               const std::vector<std::size_t>& batch,
                               const std::vector<Int64>& writtenIds) {
  std::unordered_set<Int64> written(writtenIds.begin(), writtenIds.end());
  std::vector<bool> out(tasks.size(), false);
  for (std::size_t i : batch) out[i] = written.count(tasks[i].id) > 0;
  return out;
}

}  // namespace

/// One transaction on the store's connection, holding the store for its lifetime.
class SqlJobTxn : public app::JobTxn {
 public:
  explicit SqlJobTxn(SqlJobStore& store, bool readOnly = false)
      : store_(store), lock_(acquire(store)), db_(store.db_), devices_(store.db_) {
    try {
      guarded("starting a transaction", [&] { readOnly ? db_.beginRead() : db_.begin(); });
    } catch (...) {
      store_.owner_ = std::thread::id();
      throw;
    }
  }

  ~SqlJobTxn() override {
    if (db_.inTransaction()) {
      try {
        db_.rollback();
      } catch (...) {  // a destructor must not throw; the connection reports it on next use
      }
    }
    store_.owner_ = std::thread::id();
  }

  // --- creating

  void insertJob(Job& job) override {
    guarded(fmt::format("job '{}'", job.kind), [&] {
      Int64 id = 0;
      Poco::Data::Statement st = db_.statement(
          "INSERT INTO jobs (kind, devices_json, selector, parameters_json, schedule, "
          "requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
      st, bind(job.kind), bind(devicesJson(job.devices)),
          bind(job.selector ? job.selector->toString() : std::string()),
          bind(parametersJson(job.parameters)), bind(job.schedule), bind(job.requestedBy),
          bind(job.createdAt), into(id);
      st.execute();
      job.id = id;
    });
  }

  void insertRun(JobRun& run) override {
    guarded(fmt::format("run of job {}", run.jobId), [&] {
      Int64 id = 0;
      Poco::Data::Statement st = db_.statement(
          "INSERT INTO job_runs (job_id, kind, state, created_at, queued_at, started_at, "
          "finished_at, cancel_requested, total, ok, failed, skipped, cancelled, "
          "max_concurrency, deadline, canary, stop_on_failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
      st, bind(Int64{run.jobId}), bind(run.kind), bind(std::string(domain::toString(run.state))),
          bind(run.createdAt), bind(run.queuedAt), bind(run.startedAt), bind(run.finishedAt),
          bind(Int64{run.cancelRequested ? 1 : 0}), bind(Int64{run.total}),
          bind(static_cast<Int64>(run.tally.ok)), bind(static_cast<Int64>(run.tally.failed)),
          bind(static_cast<Int64>(run.tally.skipped)),
          bind(static_cast<Int64>(run.tally.cancelled)), bind(Int64{run.concurrency}),
          bind(Int64{run.deadlineMs}), bind(Int64{run.canary}),
          bind(Int64{run.stopOnFailure ? 1 : 0}), into(id);
      st.execute();
      run.id = id;
    });
  }

  void insertTasks(std::vector<Task>& tasks) override {
    if (tasks.empty()) return;
    guarded(fmt::format("{} tasks", tasks.size()), [&] {
      const std::size_t n = tasks.size();
      std::vector<Int64> runIds(n), deviceIds(n), attempts(n), durations(n), leases(n),
          notBefore(n);
      std::vector<std::string> devices(n), states(n), categories(n), messages(n), data(n),
          workers(n), started(n), finished(n);
      for (std::size_t i = 0; i < n; ++i) {
        const Task& t = tasks[i];
        runIds[i] = t.runId;
        deviceIds[i] = t.deviceId;
        devices[i] = t.device;
        states[i] = domain::toString(t.state);
        categories[i] = t.category;
        messages[i] = t.message;
        attempts[i] = t.attempts;
        durations[i] = t.durationMs;
        data[i] = t.data;
        workers[i] = t.worker;
        leases[i] = t.leaseUntilMs;
        notBefore[i] = t.notBeforeMs;
        started[i] = t.startedAt;
        finished[i] = t.finishedAt;
      }
      constexpr const char* kHead =
          "run_id, device_id, device, state, category, message, attempts, duration_ms, "
          "data_json, worker, lease_until, not_before, started_at, finished_at)";
      std::vector<Int64> ids;
      if (db_.backend() == DatabaseBackend::PostgreSQL) {
        // Ids taken from the sequence first: right even while other sessions insert tasks.
        Poco::Data::Statement st = db_.statement(
            "SELECT nextval(pg_get_serial_sequence('tasks', 'id')) FROM generate_series(1, ?)");
        st, bind(static_cast<Int64>(n)), into(ids);
        st.execute();
        if (ids.size() != n)
          throw DatabaseError(fmt::format("{} task ids asked for, {} given", n, ids.size()));
        std::sort(ids.begin(), ids.end());
        db_.insertRows(std::string("INSERT INTO tasks (id, ") + kHead,
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ids, runIds, deviceIds,
                       devices, states, categories, messages, attempts, durations, data, workers,
                       leases, notBefore, started, finished);
      } else {
        // The transaction holds the write lock (BEGIN IMMEDIATE) and the rows are stepped in
        // order, so the new rows are exactly those above the old maximum, in the same order.
        const Int64 before = db_.queryInt("SELECT COALESCE(MAX(id), 0) FROM tasks");
        db_.insertRows(std::string("INSERT INTO tasks (") + kHead,
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runIds, deviceIds, devices,
                       states, categories, messages, attempts, durations, data, workers, leases,
                       notBefore, started, finished);
        Poco::Data::Statement st = db_.statement("SELECT id FROM tasks WHERE id > ? ORDER BY id");
        st, bind(before), into(ids);
        st.execute();
        if (ids.size() != n)
          throw DatabaseError(
              fmt::format("{} tasks were inserted but {} new ones are found", n, ids.size()));
      }
      for (std::size_t i = 0; i < n; ++i) tasks[i].id = ids[i];
    });
  }

  void appendLog(const std::vector<RunLogEntry>& entries) override {
    if (entries.empty()) return;
    const std::size_t n = entries.size();
    std::vector<Int64> runIds(n), levels(n);
    std::vector<std::string> times(n), devices(n), messages(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& e = entries[i];
      runIds[i] = e.runId;
      times[i] = e.time;
      levels[i] = static_cast<Int64>(e.level);
      devices[i] = e.device;
      messages[i] = e.message;
    }
    guarded("writing the run log", [&] {
      db_.insertRows("INSERT INTO run_log (run_id, time, level, device, message)",
                     "(?, ?, ?, ?, ?)", runIds, times, levels, devices, messages);
    });
  }

  // --- reading

  std::optional<Job> job(Id id) override {
    auto found = readJobs(" WHERE id = ?", {id});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::vector<Job> jobs(std::int64_t limit, std::int64_t offset) override {
    std::string tail = " ORDER BY id DESC";
    SqlParams params;
    addPaging(tail, params, limit, offset);
    return readJobs(tail, params);
  }

  std::optional<JobRun> run(Id id) override {
    auto found = readRuns(" WHERE id = ?", {id});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::vector<JobRun> runs(const app::RunFilter& filter) override {
    SqlParams params;
    std::string tail = runWhere(filter, params) + " ORDER BY id DESC";
    addPaging(tail, params, filter.limit, filter.offset);
    return readRuns(tail, params);
  }

  std::int64_t countRuns(const app::RunFilter& filter) override {
    SqlParams params;
    const std::string sql = "SELECT COUNT(*) FROM job_runs" + runWhere(filter, params);
    return guarded("counting runs", [&] { return db_.queryInt(sql, params); });
  }

  std::int64_t countJobs() override {
    return guarded("counting jobs", [&] { return db_.queryInt("SELECT COUNT(*) FROM jobs"); });
  }

  std::vector<Task> tasks(const app::TaskFilter& filter) override {
    SqlParams params;
    std::string tail = taskWhere(filter, params) + " ORDER BY id";
    addPaging(tail, params, filter.limit, filter.offset);
    return readTasks(tail, params);
  }

  std::int64_t countTasks(const app::TaskFilter& filter) override {
    SqlParams params;
    const std::string sql = "SELECT COUNT(*) FROM tasks" + taskWhere(filter, params);
    return guarded("counting tasks", [&] { return db_.queryInt(sql, params); });
  }

  std::int64_t countTasks(Id runId, TaskState state) override {
    return guarded("counting tasks", [&] {
      // Queued and running tasks are counted in the partial index of open tasks.
      const bool open = state == TaskState::Queued || state == TaskState::Running;
      return db_.queryInt(std::string("SELECT COUNT(*) FROM tasks WHERE run_id = ? AND state = ?") +
                              (open ? " AND " + std::string(kOpenTasks) : std::string()),
                          {runId, std::string(domain::toString(state))});
    });
  }

  std::vector<RunLogEntry> log(const app::LogFilter& filter) override {
    std::vector<std::string> terms;
    SqlParams params;
    if (filter.runId != 0) {
      terms.push_back("run_id = ?");
      params.push_back(filter.runId);
    }
    if (filter.minLevel != domain::LogLevel::Debug) {
      terms.push_back("level >= ?");
      params.push_back(static_cast<std::int64_t>(filter.minLevel));
    }
    if (!filter.device.empty()) {
      terms.push_back("device = ?");
      params.push_back(filter.device);
    }
    if (filter.afterId != 0) {
      terms.push_back("id > ?");
      params.push_back(filter.afterId);
    }
    std::string tail = where(terms) + " ORDER BY id";
    if (filter.limit > 0) {
      tail += " LIMIT ?";
      params.push_back(filter.limit);
    }
    return readRows<LogRow>("reading the run log", "run_log", kLogColumns, tail, params,
                            toLogEntry);
  }

  app::DeviceRepository& devices() override { return devices_; }

  // --- run state

  void updateRun(const JobRun& run) override {
    const std::string what = fmt::format("run {}", run.id);
    guarded(what, [&] {
      Poco::Data::Statement st = db_.statement(
          "UPDATE job_runs SET state = ?, created_at = ?, queued_at = ?, started_at = ?, "
          "finished_at = ?, cancel_requested = ?, ok = ?, failed = ?, skipped = ?, cancelled = ?, "
          "problem = ? WHERE id = ?");
      st, bind(std::string(domain::toString(run.state))), bind(run.createdAt), bind(run.queuedAt),
          bind(run.startedAt), bind(run.finishedAt), bind(Int64{run.cancelRequested ? 1 : 0}),
          bind(static_cast<Int64>(run.tally.ok)), bind(static_cast<Int64>(run.tally.failed)),
          bind(static_cast<Int64>(run.tally.skipped)),
          bind(static_cast<Int64>(run.tally.cancelled)), bind(run.problem), bind(Int64{run.id});
      requireRow(st.execute(), what);
    });
  }

  std::vector<JobRun> overdueRuns(app::EpochMs now) override {
    std::vector<std::string> open;
    for (auto state : domain::kAllRunStates) {
      if (!domain::isFinal(state)) open.push_back(literal(domain::toString(state)));
    }
    return readRuns(fmt::format(" WHERE state IN ({}) AND deadline > 0 AND deadline < ? "
                                "ORDER BY id",
                                fmt::join(open, ", ")),
                    {now});
  }

  // --- the queue

  std::vector<Task> claim(const std::string& worker, std::size_t max, app::EpochMs now,
                          app::EpochMs leaseUntil, const std::string& nowText,
                          bool allowSolo) override {
    if (max == 0) return {};
    return guarded("claiming tasks", [&] {
      const bool pg = db_.backend() == DatabaseBackend::PostgreSQL;

      // The oldest claimable tasks, more than asked for: some may belong to runs that are
      // cancelled or full. PostgreSQL: locked, and those another claim holds are passed over.
      std::vector<Int64> ids, runOf, soloOf;
      {
        Poco::Data::Statement st = db_.statement(
            std::string("SELECT id, run_id, solo FROM tasks WHERE state = 'queued' AND "
                        "not_before <= ? AND ") +
            kOpenTasks + " ORDER BY id LIMIT ?" + (pg ? " FOR UPDATE SKIP LOCKED" : ""));
        st, bind(Int64{now}), bind(static_cast<Int64>(max * 4 + 64)), into(ids), into(runOf),
            into(soloOf);
        st.execute();
      }
      if (ids.empty()) return std::vector<Task>{};

      // Their runs: which are cancelled, and how many more tasks each limited one may start.
      struct Room {
        bool skip = true;  // cancelled, or not found
        bool limited = false;
        Int64 free = 0;
      };
      std::vector<Int64> runIds = runOf;
      std::sort(runIds.begin(), runIds.end());
      runIds.erase(std::unique(runIds.begin(), runIds.end()), runIds.end());
      std::unordered_map<Int64, Room> rooms;
      std::vector<Int64> limited;
      {
        std::vector<Int64> found, limits, cancelled;
        Poco::Data::Statement st = db_.statement(fmt::format(
            "SELECT id, max_concurrency, cancel_requested FROM job_runs WHERE id IN ({}) "
            "ORDER BY id",
            idList(runIds)));
        st, into(found), into(limits), into(cancelled);
        st.execute();
        for (std::size_t i = 0; i < found.size(); ++i) {
          Room& room = rooms[found[i]];
          room.skip = cancelled[i] != 0;
          if (!room.skip && limits[i] > 0) {
            room.limited = true;
            room.free = limits[i];
            limited.push_back(found[i]);
          }
        }
      }
      if (!limited.empty()) {
        if (pg) {
          // Claims of one limited run, in any session, count and start its tasks one after the
          // other (locks taken in run order: no deadlock between claims). The count below is a
          // new statement, so it sees what the claim that held the lock committed.
          std::vector<Int64> keys;
          for (Int64 id : limited) keys.push_back(id & 0x7fffffff);
          std::sort(keys.begin(), keys.end());
          keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
          db_.queryInt(
              fmt::format("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock({}, k) "
                          "FROM UNNEST(ARRAY[{}]) AS u(k)) AS locked",
                          kClaimLockClass, idList(keys)));
        }
        std::vector<Int64> run, running;
        Poco::Data::Statement st =
            db_.statement(fmt::format("SELECT run_id, COUNT(*) FROM tasks WHERE run_id IN ({}) AND "
                                      "state = 'running' AND {} GROUP BY run_id",
                                      idList(limited), kOpenTasks));
        st, into(run), into(running);
        st.execute();
        for (std::size_t i = 0; i < run.size(); ++i) rooms[run[i]].free -= running[i];
      }

      std::vector<Int64> chosen;
      bool soloChosen = false;
      for (std::size_t i = 0; i < ids.size() && chosen.size() < max; ++i) {
        Room& room = rooms[runOf[i]];  // a run not found stays skipped
        if (room.skip) continue;
        if (soloOf[i] != 0) {
          // A task whose worker died under it runs alone, so that it cannot take others down
          // with it again: the first one, and nothing else.
          if (!allowSolo || soloChosen) continue;
          if (room.limited && room.free <= 0) continue;
          chosen.assign(1, ids[i]);
          soloChosen = true;
          break;
        }
        if (room.limited) {
          if (room.free <= 0) continue;
          --room.free;
        }
        chosen.push_back(ids[i]);
      }
      if (chosen.empty()) return std::vector<Task>{};

      std::vector<TaskRow> rows;
      Poco::Data::Statement st = db_.statement(
          fmt::format("UPDATE tasks SET state = 'running', worker = ?, lease_until = ?, "
                      "attempts = attempts + 1, started_at = ? WHERE state = 'queued' AND "
                      "id IN ({}) RETURNING {}",
                      idList(chosen), kTaskColumns));
      st, bind(worker), bind(Int64{leaseUntil}), bind(nowText), into(rows);
      st.execute();
      std::vector<Task> claimed;
      claimed.reserve(rows.size());
      for (auto& r : rows) claimed.push_back(toTask(r));
      std::sort(claimed.begin(), claimed.end(),
                [](const Task& a, const Task& b) { return a.id < b.id; });
      return claimed;
    });
  }

  std::size_t extendLeases(const std::string& worker, app::EpochMs leaseUntil) override {
    return guarded("extending leases", [&] {
      Poco::Data::Statement st =
          db_.statement(std::string("UPDATE tasks SET lease_until = ? WHERE worker = ? AND "
                                    "state = 'running' AND ") +
                        kOpenTasks);
      st, bind(Int64{leaseUntil}), bind(worker);
      return st.execute();
    });
  }

  std::vector<Id> cancelledRunsOf(const std::string& worker) override {
    std::vector<Int64> ids;
    guarded("reading cancelled runs", [&] {
      Poco::Data::Statement st = db_.statement(
          "SELECT r.id FROM job_runs r WHERE r.cancel_requested = 1 AND EXISTS (SELECT 1 FROM "
          "tasks t WHERE t.run_id = r.id AND t.worker = ? AND t.state = 'running' AND "
          "t.state IN ('queued', 'running')) ORDER BY r.id");
      st, bind(worker), into(ids);
      st.execute();
    });
    return {ids.begin(), ids.end()};
  }

  std::vector<Task> runningTasks(const std::string& worker) override {
    const std::string open = std::string(" AND ") + kOpenTasks;
    if (worker.empty()) return readTasks(" WHERE state = 'running'" + open + " ORDER BY id", {});
    return readTasks(" WHERE worker = ? AND state = 'running'" + open + " ORDER BY id", {worker});
  }

  std::vector<Task> expiredTasks(app::EpochMs now) override {
    return readTasks(std::string(" WHERE state = 'running' AND lease_until < ? AND ") + kOpenTasks +
                         " ORDER BY id",
                     {now});
  }

  std::vector<Task> queuedTasks(Id runId) override {
    return readTasks(
        std::string(" WHERE run_id = ? AND state = 'queued' AND ") + kOpenTasks + " ORDER BY id",
        {runId});
  }

  std::size_t releaseHeld(Id runId, app::EpochMs now) override {
    return guarded(fmt::format("releasing the held tasks of run {}", runId), [&] {
      Poco::Data::Statement st = db_.statement(
          std::string("UPDATE tasks SET not_before = ? WHERE run_id = ? AND state = 'queued' AND "
                      "not_before >= ? AND ") +
          kOpenTasks);
      st, bind(Int64{now}), bind(Int64{runId}), bind(Int64{domain::kHeldBack});
      return st.execute();
    });
  }

  std::vector<bool> finishTasks(const std::vector<Task>& tasks, TaskState from) override {
    if (tasks.empty()) return {};
    const auto batch = firstOccurrences(tasks);
    const std::size_t n = batch.size();
    std::vector<Int64> ids(n), durations(n), attempts(n);
    std::vector<std::string> states(n), categories(n), messages(n), data(n), finished(n),
        workers(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Task& t = tasks[batch[i]];
      ids[i] = t.id;
      states[i] = domain::toString(t.state);
      categories[i] = t.category;
      messages[i] = t.message;
      durations[i] = t.durationMs;
      data[i] = t.data;
      finished[i] = t.finishedAt;
      workers[i] = t.worker;
      attempts[i] = t.attempts;
    }
    const bool running = from == TaskState::Running;
    const std::string fromState = literal(domain::toString(from));
    std::vector<Int64> written = guarded("writing task results", [&] {
      if (running) {
        return batchReturningIds(
            db_,
            "UPDATE tasks SET state = ?, category = ?, message = ?, duration_ms = ?, "
            "data_json = ?, finished_at = ? WHERE id = ? AND state = 'running' AND worker = ? "
            "AND attempts = ? RETURNING id",
            "UPDATE tasks AS t SET state = u.state, category = u.category, message = u.message, "
            "duration_ms = u.duration_ms, data_json = u.data_json, finished_at = u.finished_at "
            "FROM " +
                unnestOf("state, category, message, duration_ms, data_json, finished_at, id, "
                         "worker, attempts",
                         states, categories, messages, durations, data, finished, ids, workers,
                         attempts) +
                " WHERE t.id = u.id AND t.state = 'running' AND t.worker = u.worker AND "
                "t.attempts = u.attempts RETURNING t.id",
            states, categories, messages, durations, data, finished, ids, workers, attempts);
      }
      return batchReturningIds(
          db_,
          "UPDATE tasks SET state = ?, category = ?, message = ?, duration_ms = ?, "
          "data_json = ?, finished_at = ? WHERE id = ? AND state = " +
              fromState + " RETURNING id",
          "UPDATE tasks AS t SET state = u.state, category = u.category, message = u.message, "
          "duration_ms = u.duration_ms, data_json = u.data_json, finished_at = u.finished_at "
          "FROM " +
              unnestOf("state, category, message, duration_ms, data_json, finished_at, id", states,
                       categories, messages, durations, data, finished, ids) +
              " WHERE t.id = u.id AND t.state = " + fromState + " RETURNING t.id",
          states, categories, messages, durations, data, finished, ids);
    });
    return writtenFlags(tasks, batch, written);
  }

  std::vector<bool> requeueTasks(const std::vector<Task>& tasks, bool refundAttempt) override {
    if (tasks.empty()) return {};
    const auto batch = firstOccurrences(tasks);
    const std::size_t n = batch.size();
    std::vector<Int64> ids(n), notBefore(n), attempts(n), solo(n), refund(n);
    std::vector<std::string> messages(n), workers(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Task& t = tasks[batch[i]];
      ids[i] = t.id;
      notBefore[i] = t.notBeforeMs;
      messages[i] = t.message;
      workers[i] = t.worker;
      attempts[i] = t.attempts;
      solo[i] = t.solo ? 1 : 0;
      refund[i] = refundAttempt ? 1 : 0;
    }
    std::vector<Int64> written = guarded("requeueing tasks", [&] {
      return batchReturningIds(
          db_,
          "UPDATE tasks SET state = 'queued', worker = '', lease_until = 0, not_before = ?, "
          "message = ?, solo = ?, attempts = attempts - ? WHERE id = ? AND state = 'running' "
          "AND worker = ? AND attempts = ? RETURNING id",
          "UPDATE tasks AS t SET state = 'queued', worker = '', lease_until = 0, "
          "not_before = u.not_before, message = u.message, solo = u.solo, "
          "attempts = t.attempts - u.refund FROM " +
              unnestOf("not_before, message, solo, refund, id, worker, attempts", notBefore,
                       messages, solo, refund, ids, workers, attempts) +
              " WHERE t.id = u.id AND t.state = 'running' AND t.worker = u.worker AND "
              "t.attempts = u.attempts RETURNING t.id",
          notBefore, messages, solo, refund, ids, workers, attempts);
    });
    return writtenFlags(tasks, batch, written);
  }

  // --- schedules and runtime status

  std::optional<domain::ScheduleState> scheduleState(const std::string& name) override {
    std::vector<Int64> slots, runIds;
    guarded(fmt::format("schedule '{}'", name), [&] {
      Poco::Data::Statement st =
          db_.statement("SELECT last_slot, last_run_id FROM schedule_state WHERE name = ?");
      st, bind(name), into(slots), into(runIds);
      st.execute();
    });
    if (slots.empty()) return std::nullopt;
    return domain::ScheduleState{name, slots.front(), runIds.front()};
  }

  void saveScheduleState(const domain::ScheduleState& state) override {
    guarded(fmt::format("schedule '{}'", state.name), [&] {
      Poco::Data::Statement st = db_.statement(
          "INSERT INTO schedule_state (name, last_slot, last_run_id) VALUES (?, ?, ?) "
          "ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot, "
          "last_run_id = excluded.last_run_id");
      st, bind(state.name), bind(Int64{state.lastSlotMs}), bind(Int64{state.lastRunId});
      st.execute();
    });
  }

  void upsertRuntime(const std::vector<domain::DeviceRuntime>& rows) override {
    if (rows.empty()) return;
    // One row per (device, check), as if written one after the other: PostgreSQL refuses to
    // update a row twice in one statement.
    std::vector<domain::DeviceRuntime> merged;
    std::map<std::pair<Id, std::string>, std::size_t> at;
    for (const auto& row : rows) {
      auto [it, fresh] = at.try_emplace({row.deviceId, row.check}, merged.size());
      if (fresh) {
        merged.push_back(row);
        continue;
      }
      auto& kept = merged[it->second];
      std::string lastSeen = row.lastSeen.empty() ? kept.lastSeen : row.lastSeen;
      kept = row;
      kept.lastSeen = std::move(lastSeen);
    }
    const std::size_t n = merged.size();
    std::vector<Int64> deviceIds(n), up(n), latency(n), runIds(n);
    std::vector<std::string> checks(n), lastSeen(n), lastError(n), updated(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& r = merged[i];
      deviceIds[i] = r.deviceId;
      checks[i] = r.check;
      up[i] = r.up ? 1 : 0;
      latency[i] = r.latencyUs;
      lastSeen[i] = r.lastSeen;
      lastError[i] = r.lastError;
      updated[i] = r.updatedAt;
      runIds[i] = r.runId;
    }
    constexpr const char* kConflict =
        " ON CONFLICT (device_id, check_name) DO UPDATE SET up = excluded.up, "
        "latency_us = excluded.latency_us, last_seen = CASE WHEN excluded.last_seen = '' THEN "
        "device_runtime.last_seen ELSE excluded.last_seen END, "
        "last_error = excluded.last_error, updated_at = excluded.updated_at, "
        "run_id = excluded.run_id";
    const std::string head = fmt::format("INSERT INTO device_runtime ({})", kRuntimeColumns);
    guarded("writing device runtime status", [&] {
      if (db_.backend() == DatabaseBackend::SQLite) {
        Poco::Data::Statement st =
            db_.statement(head + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + kConflict);
        st, use(deviceIds), use(checks), use(up), use(latency), use(lastSeen), use(lastError),
            use(updated), use(runIds);
        st.execute();
        return;
      }
      const std::string sql = head + " SELECT * FROM " +
                              unnestOf(kRuntimeColumns, deviceIds, checks, up, latency, lastSeen,
                                       lastError, updated, runIds) +
                              kConflict;
      for (std::size_t first = 0; first < n; first += kPgBatch) {
        const std::size_t count = std::min(kPgBatch, n - first);
        Poco::Data::Statement st = db_.statement(sql);
        st, bind(detail::arrayLiteral(deviceIds, first, count)),
            bind(detail::arrayLiteral(checks, first, count)),
            bind(detail::arrayLiteral(up, first, count)),
            bind(detail::arrayLiteral(latency, first, count)),
            bind(detail::arrayLiteral(lastSeen, first, count)),
            bind(detail::arrayLiteral(lastError, first, count)),
            bind(detail::arrayLiteral(updated, first, count)),
            bind(detail::arrayLiteral(runIds, first, count));
        st.execute();
      }
    });
  }

  std::vector<domain::DeviceRuntime> runtime(Id deviceId) override {
    return readRows<RuntimeRow>("reading the runtime status of a device", "device_runtime",
                                kRuntimeColumns, " WHERE device_id = ? ORDER BY check_name",
                                {deviceId}, toRuntime);
  }

  std::vector<domain::DeviceRuntime> runtimeOf(const std::vector<Id>& deviceIds) override {
    if (deviceIds.empty()) return {};
    const std::vector<Int64> ids(deviceIds.begin(), deviceIds.end());
    return readRows<RuntimeRow>(
        "reading the runtime status of devices", "device_runtime", kRuntimeColumns,
        fmt::format(" WHERE device_id IN ({})", idList(ids)), {}, toRuntime);
  }

  // --- configuration backups and SSH host keys

  std::map<Id, app::ConfigRevision> latestConfigs(const std::vector<Id>& deviceIds) override {
    std::map<Id, app::ConfigRevision> latest;
    if (deviceIds.empty()) return latest;
    const std::vector<Int64> ids(deviceIds.begin(), deviceIds.end());
    auto rows = readRows<ConfigRow>(
        "reading the latest configuration revisions", "device_configs", kConfigColumns,
        fmt::format(" WHERE id IN (SELECT MAX(id) FROM device_configs WHERE device_id IN ({}) "
                    "GROUP BY device_id)",
                    idList(ids)),
        {}, toConfig);
    for (auto& row : rows) latest.emplace(row.deviceId, std::move(row));
    return latest;
  }

  void insertConfigs(std::vector<app::ConfigRevision>& rows) override {
    for (auto& c : rows) {
      guarded(fmt::format("configuration revision of device {}", c.deviceId), [&] {
        Int64 id = 0;
        Poco::Data::Statement st = db_.statement(
            "INSERT INTO device_configs (device_id, path, commit_id, stored_at, bytes, sha256, "
            "run_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
        st, bind(Int64{c.deviceId}), bind(c.path), bind(c.commit), bind(c.storedAt),
            bind(Int64{c.bytes}), bind(c.sha256), bind(Int64{c.runId}), into(id);
        st.execute();
        c.id = id;
      });
    }
  }

  std::vector<app::ConfigRevision> configs(Id deviceId, std::int64_t limit, std::int64_t offset,
                                           const std::string& commitPrefix) override {
    std::string tail = " WHERE device_id = ?";
    SqlParams params{deviceId};
    if (!commitPrefix.empty()) {
      tail += " AND commit_id LIKE ?";
      params.push_back(commitPrefix + "%");
    }
    tail += " ORDER BY id DESC";
    addPaging(tail, params, limit, offset);
    return readRows<ConfigRow>("reading configuration revisions", "device_configs", kConfigColumns,
                               tail, params, toConfig);
  }

  std::map<Id, std::string> areaPaths(const std::vector<Id>& deviceIds) override {
    std::map<Id, std::string> paths;
    if (deviceIds.empty()) return paths;
    const std::vector<Int64> ids(deviceIds.begin(), deviceIds.end());
    for (auto id : ids) paths[id] = "";
    std::vector<Int64> devices;
    std::vector<std::string> names;
    guarded("reading the area paths of devices", [&] {
      // Up the area tree from each device's area; the row whose next parent is NULL is the path.
      Poco::Data::Statement st = db_.statement(fmt::format(
          "WITH RECURSIVE chain (device_id, parent_id, path) AS ("
          " SELECT d.id, a.parent_id, a.name FROM devices d JOIN areas a ON a.id = d.area_id"
          " WHERE d.id IN ({})"
          " UNION ALL"
          " SELECT c.device_id, p.parent_id, p.name || '/' || c.path"
          " FROM chain c JOIN areas p ON p.id = c.parent_id)"
          " SELECT device_id, path FROM chain WHERE parent_id IS NULL",
          idList(ids)));
      st, into(devices), into(names);
      st.execute();
    });
    for (std::size_t i = 0; i < devices.size(); ++i) paths[devices[i]] = names[i];
    return paths;
  }

  std::map<Id, app::HostKey> hostKeys(const std::vector<Id>& deviceIds) override {
    std::map<Id, app::HostKey> keys;
    if (deviceIds.empty()) return keys;
    const std::vector<Int64> ids(deviceIds.begin(), deviceIds.end());
    std::vector<Int64> devices, runs;
    std::vector<std::string> texts, seen;
    guarded("reading pinned host keys", [&] {
      Poco::Data::Statement st = db_.statement(
          fmt::format("SELECT device_id, host_key, first_seen, run_id FROM device_host_keys "
                      "WHERE device_id IN ({})",
                      idList(ids)));
      st, into(devices), into(texts), into(seen), into(runs);
      st.execute();
    });
    for (std::size_t i = 0; i < devices.size(); ++i) {
      keys[devices[i]] = app::HostKey{devices[i], texts[i], seen[i], runs[i]};
    }
    return keys;
  }

  void pinHostKeys(const std::vector<app::HostKey>& keys) override {
    for (const auto& k : keys) {
      guarded(fmt::format("pinning the host key of device {}", k.deviceId), [&] {
        Poco::Data::Statement st = db_.statement(
            "INSERT INTO device_host_keys (device_id, host_key, first_seen, run_id) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO NOTHING");
        st, bind(Int64{k.deviceId}), bind(k.key), bind(k.firstSeen), bind(Int64{k.runId});
        st.execute();
      });
    }
  }

  bool forgetHostKey(Id deviceId) override {
    std::size_t removed = 0;
    guarded(fmt::format("forgetting the host key of device {}", deviceId), [&] {
      Poco::Data::Statement st = db_.statement("DELETE FROM device_host_keys WHERE device_id = ?");
      st, bind(Int64{deviceId});
      removed = st.execute();
    });
    return removed > 0;
  }

  void commit() override {
    if (!db_.inTransaction()) throw std::logic_error("job transaction already ended");
    guarded("committing a transaction", [&] { db_.commit(); });
  }

 private:
  static std::unique_lock<std::mutex> acquire(SqlJobStore& store) {
    if (store.owner_.load() == std::this_thread::get_id())
      throw std::logic_error("a transaction of this job store is already open on this thread");
    std::unique_lock<std::mutex> lock(store.mutex_);
    store.owner_ = std::this_thread::get_id();
    return lock;
  }

  /// `SELECT columns FROM table<tail>` with `params`, each row converted by `convert`.
  template <class Row, class Convert>
  auto readRows(const char* what, const char* table, const char* columns, const std::string& tail,
                const SqlParams& params, Convert convert)
      -> std::vector<std::invoke_result_t<Convert, Row&>> {
    std::vector<Row> rows;
    guarded(what, [&] {
      Poco::Data::Statement st =
          db_.statement(fmt::format("SELECT {} FROM {}{}", columns, table, tail));
      bindParams(st, params);
      st, into(rows);
      st.execute();
    });
    std::vector<std::invoke_result_t<Convert, Row&>> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(convert(r));
    return out;
  }

  std::vector<Job> readJobs(const std::string& tail, const SqlParams& params) {
    return readRows<JobRow>("reading jobs", "jobs", kJobColumns, tail, params, toJob);
  }

  std::vector<JobRun> readRuns(const std::string& tail, const SqlParams& params) {
    return readRows<RunRow>("reading runs", "job_runs", kRunColumns, tail, params, toRun);
  }

  std::vector<Task> readTasks(const std::string& tail, const SqlParams& params) {
    return readRows<TaskRow>("reading tasks", "tasks", kTaskColumns, tail, params, toTask);
  }

  SqlJobStore& store_;
  std::unique_lock<std::mutex> lock_;
  Database& db_;
  SqlDeviceRepository devices_;
};

SqlJobStore::SqlJobStore(Database& db) : db_(db) {}

SqlJobStore::SqlJobStore(std::string_view url)
    : owned_(std::make_unique<Database>(url)), db_(*owned_) {}

std::unique_ptr<app::JobTxn> SqlJobStore::begin() {
  return std::make_unique<SqlJobTxn>(*this);
}

std::unique_ptr<app::JobTxn> SqlJobStore::read() {
  return std::make_unique<SqlJobTxn>(*this, true);
}

}  // namespace netspine::infra
