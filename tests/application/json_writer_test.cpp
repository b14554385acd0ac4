#include "application/json_writer.hpp"

#include <gtest/gtest.h>

#include "application/inventory_json.hpp"

namespace netspine::app {
namespace {

TEST(JsonWriter, EscapesEverythingJsonRequires) {
  std::string out;
  JsonWriter::escape(out, "plain");
  EXPECT_EQ(out, "\"plain\"");
  out.clear();
  JsonWriter::escape(out, std::string("q\"b\\n\nr\rt\tc\x01z\x7f\xc3\xa9", 16));
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\nr\\rt\\tc\\u0001z\\u007f\xc3\xa9\"");
  out.clear();
  JsonWriter::escape(out, "");
  EXPECT_EQ(out, "\"\"");
}

TEST(JsonWriter, PlacesCommasInNestedStructures) {
  JsonWriter w;
  w.beginArray();
  w.beginObject().key("a").value(1).key("b").beginArray().value("x").value(true).null().endArray();
  w.key("c").raw("{\"d\":2}").endObject();
  w.beginObject().endObject();
  w.value(std::int64_t{-9007199254740993});
  w.endArray();
  EXPECT_EQ(w.str(), R"([{"a":1,"b":["x",true,null],"c":{"d":2}},{},-9007199254740993])");
}

TEST(JsonWriter, FlushedKeepsThePlaceInTheStructure) {
  JsonWriter w;
  std::string out;
  w.beginArray().value(1);
  out += w.str();
  w.flushed();
  w.value(2).endArray();
  out += w.str();
  EXPECT_EQ(out, "[1,2]");
}

TEST(InventoryJson, DeviceShape) {
  domain::Device d;
  d.id = 7;
  d.name = "r1";
  d.address = "192.0.2.1";
  d.platform = "cisco_ios";
  d.status = domain::DeviceStatus::Active;
  d.osVersion = "15.2(4)M7";
  d.tags = {"core", "pe"};
  d.sshPort = 2222;
  d.version = 3;
  JsonWriter w;
  writeJson(w, d, "emea/ams1");
  EXPECT_EQ(
      w.str(),
      R"({"id":7,"name":"r1","address":"192.0.2.1","platform":"cisco_ios","area":"emea/ams1",)"
      R"("status":"ACTIVE","role":"","serial":"","os_version":"15.2(4)M7","tags":["core","pe"],)"
      R"("credentials":"",)"
      R"("ssh_port":2222,"snmp_port":null,"version":3,"created_at":"","updated_at":""})");
}

}  // namespace
}  // namespace netspine::app
