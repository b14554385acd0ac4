#include "application/inventory_json.hpp"

namespace netspine::app {

void writeJson(JsonWriter& w, const domain::Area& area, std::string_view path,
               std::string_view parentPath) {
  w.beginObject();
  w.key("id").value(area.id);
  w.key("name").value(area.name);
  w.key("path").value(path);
  w.key("parent");
  if (area.parentId) {
    w.value(parentPath);
  } else {
    w.null();
  }
  w.key("description").value(area.description);
  w.endObject();
}

void writeJson(JsonWriter& w, const domain::Platform& platform) {
  w.beginObject();
  w.key("id").value(platform.id);
  w.key("name").value(platform.name);
  w.key("vendor").value(platform.vendor);
  w.endObject();
}

void writeJson(JsonWriter& w, const domain::Device& device, std::string_view areaPath) {
  w.beginObject();
  w.key("id").value(device.id);
  w.key("name").value(device.name);
  w.key("address").value(device.address);
  w.key("platform").value(device.platform);
  w.key("area").value(areaPath);
  w.key("status").value(domain::toString(device.status));
  w.key("role").value(device.role);
  w.key("serial").value(device.serial);
  w.key("os_version").value(device.osVersion);
  w.key("tags").beginArray();
  for (const auto& t : device.tags) w.value(t);
  w.endArray();
  w.key("credentials").value(device.credentialsRef);
  w.key("ssh_port");
  device.sshPort ? w.value(*device.sshPort) : w.null();
  w.key("snmp_port");
  device.snmpPort ? w.value(*device.snmpPort) : w.null();
  w.key("version").value(device.version);
  w.key("created_at").value(device.createdAt);
  w.key("updated_at").value(device.updatedAt);
  w.endObject();
}

void writeJson(JsonWriter& w, const domain::Vlan& vlan, std::string_view areaPath) {
  w.beginObject();
  w.key("id").value(vlan.id);
  w.key("area").value(areaPath);
  w.key("vid").value(vlan.vid);
  w.key("name").value(vlan.name);
  w.key("description").value(vlan.description);
  w.endObject();
}

void writeJson(JsonWriter& w, const domain::ChangeEntry& entry) {
  w.beginObject();
  w.key("id").value(entry.id);
  w.key("time").value(entry.time);
  w.key("actor").value(entry.actor);
  w.key("action").value(entry.action);
  w.key("object_type").value(entry.objectType);
  w.key("object_id").value(entry.objectId);
  w.key("object_name").value(entry.objectName);
  w.key("before");
  entry.before.empty() ? w.null() : w.raw(entry.before);
  w.key("after");
  entry.after.empty() ? w.null() : w.raw(entry.after);
  w.key("message").value(entry.message);
  w.endObject();
}

}  // namespace netspine::app
