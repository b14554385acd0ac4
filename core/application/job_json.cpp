#include "application/job_json.hpp"

namespace netspine::app {

void writeJson(JsonWriter& w, const domain::Job& j) {
  w.beginObject().key("id").value(j.id).key("kind").value(j.kind);
  if (j.selector) {
    w.key("select").value(j.selector->toString());
  } else {
    w.key("devices").beginArray();
    for (const auto& d : j.devices) w.value(d);
    w.endArray();
  }
  w.key("parameters").beginObject();
  for (const auto& [k, v] : j.parameters) w.key(k).value(v);
  w.endObject();
  w.key("schedule").value(j.schedule).key("requested_by").value(j.requestedBy);
  w.key("created_at").value(j.createdAt).endObject();
}

void writeJson(JsonWriter& w, const domain::JobRun& run) {
  w.beginObject()
      .key("id")
      .value(run.id)
      .key("job_id")
      .value(run.jobId)
      .key("kind")
      .value(run.kind)
      .key("state")
      .value(domain::toString(run.state))
      .key("total")
      .value(run.total)
      .key("ok")
      .value(static_cast<std::int64_t>(run.tally.ok))
      .key("failed")
      .value(static_cast<std::int64_t>(run.tally.failed))
      .key("skipped")
      .value(static_cast<std::int64_t>(run.tally.skipped))
      .key("cancelled")
      .value(static_cast<std::int64_t>(run.tally.cancelled))
      .key("cancel_requested")
      .value(run.cancelRequested)
      .key("problem")
      .value(run.problem)
      .key("concurrency")
      .value(static_cast<std::int64_t>(run.concurrency))
      .key("canary")
      .value(static_cast<std::int64_t>(run.canary))
      .key("stop_on_failure")
      .value(run.stopOnFailure)
      .key("created_at")
      .value(run.createdAt)
      .key("queued_at")
      .value(run.queuedAt)
      .key("started_at")
      .value(run.startedAt)
      .key("finished_at")
      .value(run.finishedAt)
      .endObject();
}

void writeJson(JsonWriter& w, const domain::Task& t) {
  w.beginObject().key("id").value(t.id).key("device").value(t.device);
  w.key("state").value(domain::toString(t.state)).key("category").value(t.category);
  w.key("message").value(t.message).key("attempts").value(t.attempts);
  w.key("duration_ms").value(t.durationMs);
  w.key("data");
  if (t.data.empty()) {
    w.beginObject().endObject();
  } else {
    w.raw(t.data);
  }
  w.key("started_at").value(t.startedAt).key("finished_at").value(t.finishedAt).endObject();
}

void writeJson(JsonWriter& w, const domain::RunLogEntry& e) {
  w.beginObject().key("id").value(e.id).key("time").value(e.time);
  w.key("level").value(domain::toString(e.level)).key("device").value(e.device);
  w.key("message").value(e.message).endObject();
}

void writeJson(JsonWriter& w, const domain::DeviceRuntime& r) {
  w.beginObject().key("check").value(r.check).key("up").value(r.up);
  w.key("latency_us").value(r.latencyUs).key("last_seen").value(r.lastSeen);
  w.key("last_error").value(r.lastError).key("updated_at").value(r.updatedAt);
  w.key("run_id").value(r.runId).endObject();
}

void writeJson(JsonWriter& w, const ConfigRevision& r) {
  w.beginObject()
      .key("commit")
      .value(r.commit)
      .key("stored_at")
      .value(r.storedAt)
      .key("bytes")
      .value(r.bytes)
      .key("sha256")
      .value(r.sha256)
      .key("run_id")
      .value(r.runId)
      .key("path")
      .value(r.path)
      .endObject();
}

void writeJson(JsonWriter& w, const ConfigDiff& d) {
  w.beginObject().key("from");
  writeJson(w, d.from);
  w.key("to");
  writeJson(w, d.to);
  w.key("diff").value(d.diff).endObject();
}

}  // namespace netspine::app
