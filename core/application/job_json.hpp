#pragma once
// JSON shapes of the job pipeline's objects and configuration revisions, shared by the CLI's
// --json output and the REST API.

#include "application/config_archive.hpp"
#include "application/config_service.hpp"
#include "application/json_writer.hpp"
#include "domain/job.hpp"

namespace netspine::app {

void writeJson(JsonWriter& w, const domain::Job& job);
void writeJson(JsonWriter& w, const domain::JobRun& run);
void writeJson(JsonWriter& w, const domain::Task& task);
void writeJson(JsonWriter& w, const domain::RunLogEntry& entry);
void writeJson(JsonWriter& w, const domain::DeviceRuntime& runtime);
void writeJson(JsonWriter& w, const ConfigRevision& revision);
/// {from, to, diff}
void writeJson(JsonWriter& w, const ConfigDiff& diff);

}  // namespace netspine::app
