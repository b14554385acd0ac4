#pragma once

#include <string>
#include <string_view>

#include "application/json_writer.hpp"
#include "domain/entities.hpp"

namespace netspine::app {

// JSON shapes of the inventory objects, shared by CLI output, the change log and (later) the API.
// Areas and devices name their area by path, never by internal id alone.

void writeJson(JsonWriter& w, const domain::Area& area, std::string_view path,
               std::string_view parentPath);
void writeJson(JsonWriter& w, const domain::Platform& platform);
void writeJson(JsonWriter& w, const domain::Device& device, std::string_view areaPath);
void writeJson(JsonWriter& w, const domain::Vlan& vlan, std::string_view areaPath);
void writeJson(JsonWriter& w, const domain::ChangeEntry& entry);

}  // namespace netspine::app
