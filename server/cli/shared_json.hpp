#pragma once
// JSON shapes the CLI's --json output and the REST API share (beyond the core's writeJson).

#include <cstdint>

#include "application/job_service.hpp"
#include "application/json_writer.hpp"
#include "domain/schedule.hpp"
#include "infra/plugin_host.hpp"

namespace netspine::cli {

/// A loaded plugin's manifest: id, kind, version, description, file, provides, API version.
void writePluginJson(app::JsonWriter& w, const infra::LoadedPlugin& plugin);
/// A schedule with its target, parameters, timing and its next `count` fire times from `from`.
void writeScheduleJson(app::JsonWriter& w, const domain::Schedule& schedule,
                       domain::Schedule::TimePoint from, std::int64_t count);

}  // namespace netspine::cli
