// A bounded, deterministic fuzz of the REST API (a fixed seed: every run sends the same
// requests): thousands of malformed requests — broken JSON, wrong types, huge numbers, deep
// nesting, invalid UTF-8, path traversal, SQL metacharacters, unknown fields, bulk lists with one
// bad element, oversize bodies, lying Content-Length, bad Authorization and If-Match headers,
// unknown methods, garbage on the socket — none of which may change anything. The server must
// answer none with a 5xx, answer every 4xx with the JSON error shape, stay up, and leave every
// row of the database as it was.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "api/api_fixture.hpp"
#include "api/raw_http.hpp"

namespace netspine::test {
namespace {

using namespace std::string_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::uint32_t kSeed = 20261127;
constexpr int kSqliteProbes = 3000;
constexpr int kPostgresProbes = 400;
constexpr std::size_t kMaxBody = 65536;  // server.max_body_bytes of the fuzzed server

// What the fuzz starts from (made through the API before it).
constexpr const char* kArea = "fz-emea";
constexpr const char* kSubArea = "fz-emea/fz-dc1";
constexpr const char* kSubAreaInPath = "fz-emea%2Ffz-dc1";
constexpr const char* kDevice = "fz-r1";
constexpr const char* kPlatform = "fz_plat";
constexpr const char* kBot = "fz-bot";

// ------------------------------------------------------------------------------ text helpers

/// `text` as a JSON string: quotes, backslashes and control characters escaped, every other
/// byte as it is (so invalid UTF-8 goes into the body unchanged).
std::string jsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

/// Percent-encoding of every byte but the unreserved ones ('/' included).
std::string encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string base64url(const std::string& text) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : text) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      out += kAlphabet[(bits >> (count - 6)) & 63];
      count -= 6;
    }
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 63];
  return out;
}

/// Bytes as a person reads them in a failure message: printable ASCII kept, the rest \xNN,
/// cut after `max` bytes.
std::string printable(const std::string& bytes, std::size_t max = 240) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (bytes.size() > max) out += fmt::format("… ({} bytes)", bytes.size());
  return out;
}

// ------------------------------------------------------------------------------ junk

const std::vector<std::string> kSqlJunk = {
    "' OR 1=1 --",
    "'; DROP TABLE devices; --",
    "\" OR \"\"=\"",
    "1' UNION SELECT token_hash FROM api_tokens --",
    "fz-r1' --",
    "%' OR name LIKE '%",
    "'); DELETE FROM areas; --",
    "admin'--",
    "1; UPDATE devices SET status='failed'",
    "' || (SELECT sqlite_version()) || '",
    "$$; DROP SCHEMA public CASCADE; $$",
    "x'; SELECT pg_sleep(5); --",
    "fz-r1\" OR 1=1 /*",
    "*/ OR /* '",
    "' AND 1=CAST((SELECT name FROM areas LIMIT 1) AS INT) --",
    "fz-r1'; UPDATE api_tokens SET role='admin' WHERE name='read",
};

const std::vector<std::string> kTraversalJunk = {
    "../../etc/passwd",
    "..",
    ".",
    "../fz-r1",
    "fz-r1/..",
    "fz-emea/../fz-emea/fz-dc1",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "fz-emea//fz-dc1",
    "fz-emea/./fz-dc1",
    "%2e%2e%2f",
    "....//....//",
    "fz-r1/../../admin",
    "~/.ssh/id_rsa",
    "file:///etc/passwd",
};

const std::vector<std::string> kUnicodeJunk = {
    "日本語",
    "emoji\xf0\x9f\x98\x80",
    "\xe2\x80\xae"
    "dlrow",
    "zero\xe2\x80\x8bwidth",
    "\xef\xbf\xbf",
    "\xf4\x8f\xbf\xbf",
    "a\xcc\x81",
    "\xc4\xb0stanbul",
    "tab\there",
    "new\nline",
    "nul\0byte"s,
    "\x1b[31mred",
    "\x7f",
    std::string(300, 'a'),
    std::string(70, 'b'),
};

const std::vector<std::string> kInvalidUtf8 = {
    "\xff",         "\xfe\xff",         "\xc0\xaf",     "\xc1\xbf",
    "\xe0\x80\xaf", "\xed\xa0\x80",     "\xed\xbf\xbf", "\xf4\x90\x80\x80",
    "\x80",         "abc\xe2\x82",      "\xe2\x28\xa1", "\xf8\x88\x80\x80\x80",
    "\xc3\x28",     "\xf5\x80\x80\x80",
};

// ------------------------------------------------------------------------------ body shapes

enum class Type { Text, NullableText, Integer, TextList, TextMap };

struct Field {
  std::string name;
  Type type = Type::Text;
  std::string valid;  // a JSON value that passes (empty: not in the valid object)
  bool key = false;   // names the object (required; bulk elements vary it)
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool nullable = false;
};

struct Shape {
  std::vector<Field> fields;
};

/// A write endpoint and the body it takes.
struct Target {
  std::string method;
  std::string path;
  const Shape* shape;
  bool listOnly = false;  // the body must be a list (bulk PATCH/DELETE)
  bool listOk = false;    // one object or a list
  std::string role = "admin";
  bool creates = false;  // POST of new objects: a repeated element conflicts
};

Field text(std::string name, std::string valid, bool key = false) {
  return {std::move(name), Type::Text, std::move(valid), key};
}
Field integer(std::string name, std::string valid, std::int64_t min, std::int64_t max,
              bool key = false, bool nullable = false) {
  return {std::move(name), Type::Integer, std::move(valid), key, min, max, nullable};
}

const Shape kAreaIn{{text("name", "\"fz-new-area\"", true), text("parent", "\"fz-emea\""),
                     text("description", "\"made by the fuzzer\"")}};
const Shape kAreaPatch{{text("name", "\"fz-renamed\""),
                        {"parent", Type::NullableText, "\"fz-emea\""},
                        text("description", "\"patched\"")}};
const Shape kAreaBulkPatch{{text("area", "\"fz-emea/fz-dc1\"", true),
                            {"parent", Type::NullableText, ""},
                            text("description", "\"patched\"")}};
const Shape kAreaRef{{text("area", "\"fz-emea/fz-dc1\"", true)}};
const Shape kPlatformIn{
    {text("id", "\"fz_new_plat\"", true), text("name", "\"New\""), text("vendor", "\"Fz\"")}};
const Shape kPlatformPatch{{text("name", "\"Renamed\""), text("vendor", "\"Other\"")}};
const Shape kPlatformBulkPatch{{text("id", "\"fz_plat\"", true), text("vendor", "\"Other\"")}};
const Shape kPlatformRef{{text("id", "\"fz_plat\"", true)}};
const Shape kDeviceIn{{text("name", "\"fz-new-dev\"", true),
                       text("address", "\"192.0.2.99\""),
                       text("platform", "\"cisco_ios\""),
                       text("area", "\"fz-emea/fz-dc1\""),
                       text("status", "\"active\""),
                       text("role", "\"leaf\""),
                       text("serial", "\"SN1\""),
                       text("os_version", "\"15.2(4)M7\""),
                       {"tags", Type::TextList, "[\"a\",\"b\"]"},
                       text("credentials", "\"lab\""),
                       integer("ssh_port", "2222", 1, 65535, false, true),
                       integer("snmp_port", "161", 1, 65535, false, true)}};
const Shape kDevicePatch{{text("address", "\"192.0.2.98\""),
                          text("status", "\"staged\""),
                          text("role", "\"spine\""),
                          text("os_version", "\"15.2(7)E8\""),
                          {"tags", Type::TextList, "[\"c\"]"},
                          {"add_tags", Type::TextList, "[\"d\"]"},
                          {"remove_tags", Type::TextList, "[\"a\"]"},
                          integer("ssh_port", "22", 1, 65535, false, true)}};
const Shape kDeviceBulkPatch{{text("device", "\"fz-r1\"", true),
                              integer("version", "", 0, std::int64_t{1} << 53),
                              text("role", "\"spine\""),
                              text("os_version", "\"4.28.3M\""),
                              {"tags", Type::TextList, "[\"c\"]"},
                              integer("snmp_port", "1161", 1, 65535, false, true)}};
const Shape kDeviceRef{
    {text("device", "\"fz-r1\"", true), integer("version", "", 0, std::int64_t{1} << 53)}};
const Shape kVlanIn{{text("area", "\"fz-emea/fz-dc1\""), integer("vid", "20", 1, 4094, true),
                     text("name", "\"fz-v20\""), text("description", "\"made by the fuzzer\"")}};
const Shape kVlanPatch{{integer("new_vid", "30", 1, 4094), text("name", "\"fz-v30\""),
                        text("description", "\"patched\"")}};
const Shape kVlanBulkPatch{{text("area", "\"fz-emea/fz-dc1\""), integer("vid", "10", 1, 4094, true),
                            integer("new_vid", "", 1, 4094), text("name", "\"fz-v11\"")}};
const Shape kVlanRef{{text("area", "\"fz-emea/fz-dc1\""), integer("vid", "10", 1, 4094, true)}};
const Shape kJobIn{{text("kind", "\"backup\"", true),
                    {"devices", Type::TextList, "[\"fz-r1\"]"},
                    text("select", ""),
                    {"parameters", Type::TextMap, "{\"mode\":\"full\"}"},
                    integer("concurrency", "2", 0, 1'000'000),
                    text("time_limit", "\"30m\"")}};
const Shape kTokenIn{
    {text("name", "\"fz-new-token\"", true), text("role", "\"read\""), text("expires", "\"30d\"")}};

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"POST", "/api/v1/areas", &kAreaIn, false, true, "admin", true},
      {"PATCH", "/api/v1/areas", &kAreaBulkPatch, true},
      {"DELETE", "/api/v1/areas", &kAreaRef, true},
      {"PATCH", std::string("/api/v1/areas/") + kSubAreaInPath, &kAreaPatch},
      {"POST", "/api/v1/platforms", &kPlatformIn, false, true, "admin", true},
      {"PATCH", "/api/v1/platforms", &kPlatformBulkPatch, true},
      {"DELETE", "/api/v1/platforms", &kPlatformRef, true},
      {"PATCH", std::string("/api/v1/platforms/") + kPlatform, &kPlatformPatch},
      {"POST", "/api/v1/devices", &kDeviceIn, false, true, "admin", true},
      {"PATCH", "/api/v1/devices", &kDeviceBulkPatch, true},
      {"DELETE", "/api/v1/devices", &kDeviceRef, true},
      {"PATCH", std::string("/api/v1/devices/") + kDevice, &kDevicePatch},
      {"POST", "/api/v1/vlans", &kVlanIn, false, true, "admin", true},
      {"PATCH", "/api/v1/vlans", &kVlanBulkPatch, true},
      {"DELETE", "/api/v1/vlans", &kVlanRef, true},
      {"PATCH", std::string("/api/v1/vlans/") + kSubAreaInPath + "/10", &kVlanPatch},
      {"POST", "/api/v1/jobs", &kJobIn, false, false, "operate"},
      {"POST", "/api/v1/tokens", &kTokenIn},
  };
  return all;
}

/// JSON values of the wrong type, or out of range, for a field of `f`'s type.
std::vector<std::string> wrongValues(const Field& f) {
  switch (f.type) {
    case Type::Text:
    case Type::NullableText: {
      std::vector<std::string> v = {
          "5",  "-1",      "0",  "1.5",           "true",  "false",
          "[]", "[\"x\"]", "{}", "{\"a\":\"b\"}", "1e999", "99999999999999999999"};
      if (f.type == Type::Text) v.push_back("null");
      return v;
    }
    case Type::Integer: {
      std::vector<std::string> v = {"\"5\"",
                                    "\"\"",
                                    "true",
                                    "false",
                                    "[]",
                                    "[1]",
                                    "{}",
                                    "{\"n\":1}",
                                    "1.5",
                                    "1e2",
                                    "1E0",
                                    "-1.0",
                                    "0.0",
                                    "1e999",
                                    "-1e999",
                                    "1e-999",
                                    "99999999999999999999",
                                    "-99999999999999999999",
                                    "18446744073709551615",
                                    "18446744073709551616",
                                    "9223372036854775807",
                                    "9223372036854775808",
                                    "-9223372036854775808",
                                    "-9223372036854775809",
                                    std::to_string(f.min - 1),
                                    std::to_string(f.max + 1)};
      if (!f.nullable) v.push_back("null");
      if (f.min > 0) v.push_back("-0");
      return v;
    }
    case Type::TextList:
      return {"\"x\"",        "5",         "{}",   "null",        "true",   "[5]",
              "[\"a\",null]", "[[\"a\"]]", "[{}]", "[\"a\",1.5]", "[true]", "{\"0\":\"a\"}"};
    case Type::TextMap:
      return {"\"x\"",          "[]",         "5",
              "null",           "true",       "{\"a\":null}",
              "{\"a\":[]}",     "{\"a\":{}}", "[[\"a\",\"b\"]]",
              "{\"a\":[\"b\"]}"};
  }
  return {};
}

// ------------------------------------------------------------------------------ probes

/// One malformed request and what may come back.
struct Probe {
  std::string kind;  // its category, for the summary and the messages
  // Sent with the fixture's HTTP client …
  std::string method;
  std::string target;
  std::string body;
  std::string role;  // admin, operate, read; "" for no Authorization (or the one in headers)
  Headers headers;
  // … or as raw bytes on a socket.
  bool raw = false;
  std::string bytes;
  bool halfClose = true;
  bool head = false;
  // What may come back.
  std::set<int> expect;        // the allowed statuses (empty: any below 500)
  bool mustFail = true;        // no 2xx or 3xx
  bool mayDrop = false;        // no answer at all is fine
  bool expectNothing = false;  // a 200 must list no results (a filter that matches nothing)

  std::string describe() const {
    if (raw) return fmt::format("[{}] raw bytes: {}", kind, printable(bytes, 400));
    std::string out = fmt::format("[{}] {} {} (token: {})", kind, printable(method),
                                  printable(target, 300), role.empty() ? "none" : role);
    for (const auto& [k, v] : headers) out += fmt::format("\n    {}: {}", k, printable(v, 120));
    if (!body.empty()) out += "\n    body: " + printable(body, 300);
    return out;
  }
};

/// What one probe got back.
struct Answer {
  bool answered = false;
  int status = 0;
  std::string body;
  std::string contentType;
  std::string problem;
};

/// Makes the probes. Deterministic: the same seed gives the same requests.
class Fuzzer {
 public:
  Fuzzer(std::uint32_t seed, std::map<std::string, std::string> tokens, std::string revoked)
      : rng_(seed), tokens_(std::move(tokens)), revoked_(std::move(revoked)) {}

  Probe next() {
    using Make = Probe (Fuzzer::*)();
    static const std::vector<std::pair<int, Make>> kinds = {
        {12, &Fuzzer::brokenJson}, {13, &Fuzzer::wrongType},    {6, &Fuzzer::hugeNumber},
        {4, &Fuzzer::deepNesting}, {6, &Fuzzer::invalidUtf8},   {9, &Fuzzer::pathJunk},
        {8, &Fuzzer::sqlJunk},     {5, &Fuzzer::unknownField},  {8, &Fuzzer::bulkOneBad},
        {3, &Fuzzer::oversize},    {5, &Fuzzer::contentLength}, {6, &Fuzzer::badAuth},
        {3, &Fuzzer::wrongRole},   {4, &Fuzzer::badMethod},     {4, &Fuzzer::badIfMatch},
        {6, &Fuzzer::badQuery},    {3, &Fuzzer::badIds},        {5, &Fuzzer::garbage},
        {4, &Fuzzer::badHeaders},
    };
    int total = 0;
    for (const auto& k : kinds) total += k.first;
    int roll = below(total);
    for (const auto& [weight, make] : kinds) {
      if (roll < weight) return (this->*make)();
      roll -= weight;
    }
    return brokenJson();
  }

 private:
  // -------------------------------------------------------------------- randomness
  int below(int n) { return static_cast<int>(rng_() % static_cast<std::uint32_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
  }
  const Target& target() { return pick(targets()); }

  // -------------------------------------------------------------------- bodies
  using Members = std::vector<std::pair<std::string, std::string>>;  // key, JSON value

  static std::string object(const Members& members) {
    std::string out = "{";
    for (const auto& [k, v] : members) {
      if (out.size() > 1) out += ',';
      out += jsonString(k) + ":" + v;
    }
    return out + "}";
  }
  static std::string list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) out += (out.size() > 1 ? "," : "") + item;
    return out + "]";
  }

  /// The valid object of `shape`, element `n` of a bulk list: its key field made unique.
  static Members valid(const Shape& shape, int n = 0) {
    Members m;
    for (const auto& f : shape.fields) {
      if (f.valid.empty()) continue;
      std::string v = f.valid;
      if (f.key && n > 0) {
        if (f.type == Type::Integer && &shape == &kVlanIn) {
          v = std::to_string(100 + n);
        } else if (v.starts_with("\"fz-new") || v.starts_with("\"fz_new")) {
          v = v.substr(0, v.size() - 1) + std::to_string(n) + "\"";
        }
      }
      if (f.name == "name" && &shape == &kVlanIn && n > 0) v = fmt::format("\"fz-v{}\"", 100 + n);
      m.emplace_back(f.name, v);
    }
    return m;
  }

  static void set(Members& m, const std::string& key, const std::string& value) {
    for (auto& [k, v] : m) {
      if (k == key) {
        v = value;
        return;
      }
    }
    m.emplace_back(key, value);
  }

  /// A junk text (SQL, traversal, Unicode, control characters): valid JSON, content to break.
  std::string junkText() {
    switch (below(3)) {
      case 0:
        return pick(kSqlJunk);
      case 1:
        return pick(kTraversalJunk);
      default:
        return pick(kUnicodeJunk);
    }
  }

  /// Some of the text fields of `m` set to junk (never the field `except`).
  void decorate(const Shape& shape, Members& m, const std::string& except) {
    for (const auto& f : shape.fields) {
      if (f.name != except && f.type == Type::Text && chance(25))
        set(m, f.name, jsonString(junkText()));
    }
  }

  /// The object of `shape` with one field wrong: a guaranteed 400 when the body is parsed.
  /// `freeText`: junk for the free-text fields besides (the wrong field stays wrong).
  Members withWrongField(const Shape& shape, bool numbersOnly = false,
                         const std::string& freeText = {}) {
    Members m = valid(shape);
    std::vector<const Field*> fields;
    for (const auto& f : shape.fields) {
      if (!numbersOnly || f.type == Type::Integer) fields.push_back(&f);
    }
    if (fields.empty()) {
      for (const auto& f : shape.fields) fields.push_back(&f);  // numbers in text fields
    }
    const Field& f = *pick(fields);
    auto values = wrongValues(f);
    if (numbersOnly) {
      values.erase(
          std::remove_if(values.begin(), values.end(),
                         [](const std::string& v) {
                           return v.empty() ||
                                  !(std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-');
                         }),
          values.end());
    }
    decorate(shape, m, f.name);
    if (!freeText.empty()) {
      for (const auto& other : shape.fields) {
        if (other.name != f.name &&
            (other.name == "description" || other.name == "role" || other.name == "serial" ||
             other.name == "os_version" || other.name == "vendor"))
          set(m, other.name, jsonString(freeText));
      }
    }
    set(m, f.name, pick(values));
    if (chance(30)) std::shuffle(m.begin(), m.end(), rng_);
    return m;
  }

  /// A body for `t`: the object `bad` alone, or in a list among valid objects (for an endpoint
  /// that takes lists).
  std::string bodyFor(const Target& t, const Members& bad) {
    if (t.listOnly || (t.listOk && chance(30))) {
      std::vector<std::string> items;
      const int before = t.listOnly || chance(50) ? below(3) : 0;
      for (int i = 1; i <= before; ++i) items.push_back(object(valid(*t.shape, i)));
      const int at = below(static_cast<int>(items.size()) + 1);
      items.insert(items.begin() + at, object(bad));
      goodFirst_ = at > 0;
      return list(items);
    }
    return object(bad);
  }

  Probe write(std::string kind, const Target& t, std::string body, std::set<int> expect = {400}) {
    Probe p;
    p.kind = std::move(kind);
    p.method = t.method;
    p.target = t.path;
    p.body = std::move(body);
    p.role = chance(15) ? "admin" : t.role;
    p.expect = std::move(expect);
    // Valid elements before the bad one are written (in the transaction) first, and may fail
    // on their own: deleting one object twice, an area that still holds devices.
    if (goodFirst_ && p.expect == std::set<int>{400}) p.expect = {400, 404, 409};
    goodFirst_ = false;
    return p;
  }

  Probe get(std::string kind, std::string targetPath, std::string role = "read") {
    Probe p;
    p.kind = std::move(kind);
    p.method = "GET";
    p.target = std::move(targetPath);
    p.role = std::move(role);
    p.mustFail = false;
    return p;
  }

  /// A request line, headers and body as bytes.
  static std::string request(const std::string& method, const std::string& targetPath,
                             const std::vector<std::string>& headerLines, const std::string& body) {
    std::string out = method + " " + targetPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& h : headerLines) out += h + "\r\n";
    return out + "\r\n" + body;
  }

  std::string bearer(const std::string& role) { return "Authorization: Bearer " + tokens_[role]; }

  /// A body for a write endpoint that is wrong in its very first field: every prefix of it is
  /// broken JSON and the whole of it a 400, however much of it the server reads.
  std::string wrongFirst(const Target& t) {
    Members m = valid(*t.shape);
    const std::string firstName = t.shape->fields.front().name;
    set(m, firstName, t.shape->fields.front().type == Type::Integer ? "\"1\"" : "[]");
    std::stable_partition(m.begin(), m.end(),
                          [&](const auto& kv) { return kv.first == firstName; });
    const std::string o = object(m);
    return t.listOnly ? "[" + o + "]" : o;
  }

  // -------------------------------------------------------------------- categories

  /// Syntactically broken JSON: truncated, a structural character dropped or doubled, or one of
  /// the classic malformations.
  Probe brokenJson() {
    const Target& t = target();
    const std::string good = bodyFor(t, valid(*t.shape));
    goodFirst_ = false;  // broken as a whole: refused before any object is looked at
    std::string body;
    switch (below(4)) {
      case 0:  // a strict prefix of a JSON object or list is never JSON
        body = good.substr(0, static_cast<std::size_t>(below(static_cast<int>(good.size()))));
        break;
      case 1: {  // one structural character gone (the valid bodies quote no such characters)
        std::vector<std::size_t> at;
        for (std::size_t i = 0; i < good.size(); ++i) {
          if (std::string_view("{}[]:,\"").find(good[i]) != std::string_view::npos) at.push_back(i);
        }
        body = good;
        body.erase(pick(at), 1);
        break;
      }
      case 2: {  // one opening, colon, comma or quote doubled
        std::vector<std::size_t> at;
        for (std::size_t i = 0; i < good.size(); ++i) {
          if (std::string_view("{[:,\"").find(good[i]) != std::string_view::npos) at.push_back(i);
        }
        body = good;
        const auto i = pick(at);
        body.insert(i, 1, body[i]);
        break;
      }
      default: {
        static const std::vector<std::string> classics = {
            "{",
            "}",
            "[",
            "]",
            "{]",
            "[}",
            "{\"name\"}",
            "{\"name\":}",
            "{\"name\" \"x\"}",
            "{name:\"x\"}",
            "{'name':'x'}",
            "{\"name\":\"x\",}",
            "[{\"name\":\"x\"},]",
            "{\"name\":\"x\"",
            "{\"name\":\"x}",
            "{\"a\":NaN}",
            "{\"a\":Infinity}",
            "{\"a\":-Infinity}",
            "{\"a\":undefined}",
            "{\"a\":01}",
            "{\"a\":.5}",
            "{\"a\":5.}",
            "{\"a\":+1}",
            "{\"a\":0x10}",
            "{\"a\":1e}",
            "{\"a\":--1}",
            "{\"a\":\"\\x41\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\uZZZZ\"}",
            "{\"a\":\"tab\there\"}",
            "{\"a\":\"line\nbreak\"}",
            "/* comment */ {\"a\":1}",
            "{\"a\":1} // comment",
            "{\"a\":tru}",
            "{\"a\":nul}",
            "{\"a\":True}",
            "\xef\xbb\xbf{\"a\":1}",
            "\"just a string\"",
            "42",
            "-0",
            "null",
            "true",
            "[]",
            "[[]]",
            "[1,2,3]",
            "[null]",
            "  \r\n\t ",
            "\0"s,
            "{\"a\":1}\0"s,
            "{\"a\":1}}",
            "{\"a\":1} {\"b\":2}",
            "{\"a\":1}garbage",
            "{\"a\" : 1 , }",
            "{,}",
            "{:}",
            "{\"\":}",
            "[,1]",
            "[1,,2]",
            "{\"a\":[1,2}",
            "{\"a\":{\"b\":1]}",
            "<xml/>",
            "a=1&b=2",
            "{\"a\":\"\\ud800\"}junk",
        };
        body = pick(classics);
      }
    }
    return write("broken-json", t, std::move(body));
  }

  /// A field of the wrong type or out of its range.
  Probe wrongType() {
    const Target& t = target();
    return write("wrong-type", t, bodyFor(t, withWrongField(*t.shape)));
  }

  /// Huge, fractional, negative-zero and out-of-range numbers in number fields (numbers in text
  /// fields where a shape has none).
  Probe hugeNumber() {
    const Target& t = target();
    return write("huge-number", t, bodyFor(t, withWrongField(*t.shape, true)));
  }

  /// Nesting far past the limit (a recursive parser would overflow its stack), or just past it.
  Probe deepNesting() {
    const Target& t = target();
    const int depth = pick(std::vector<int>{10'000, 10'000, 5'000, 33, 40, 1'000});
    std::string body;
    switch (below(5)) {
      case 0:
        body = std::string(static_cast<std::size_t>(depth), '[') +
               std::string(static_cast<std::size_t>(depth), ']');
        break;
      case 1:
        body = std::string(static_cast<std::size_t>(depth), '[');  // never closed
        break;
      case 2: {
        std::string open;
        for (int i = 0; i < std::min(depth, 10'000); ++i) open += "{\"a\":";
        body = open + "1" + std::string(static_cast<std::size_t>(std::min(depth, 10'000)), '}');
        break;
      }
      case 3: {  // deep inside a field of an otherwise valid object
        Members m = valid(*t.shape);
        const auto& f = pick(t.shape->fields);
        set(m, f.name,
            std::string(static_cast<std::size_t>(depth), '[') + "\"x\"" +
                std::string(static_cast<std::size_t>(depth), ']'));
        body = bodyFor(t, m);
        goodFirst_ = false;  // refused as a whole, before any object
        break;
      }
      default: {  // brackets inside a string do not nest; a wrong field still fails it
        Members m = withWrongField(*t.shape);
        m.emplace(m.begin(), "note", jsonString(std::string(static_cast<std::size_t>(depth), '[')));
        body = bodyFor(t, m);
      }
    }
    return write("deep-nesting", t, std::move(body));
  }

  /// Invalid UTF-8 in a value, a key or after the JSON, and escaped lone surrogates.
  Probe invalidUtf8() {
    const Target& t = target();
    const std::string bad = pick(kInvalidUtf8);
    Members m = valid(*t.shape);
    std::string body;
    switch (below(5)) {
      case 0:
      case 1: {
        const auto& f = pick(t.shape->fields);
        set(m, f.name, jsonString(f.type == Type::Text ? "fz" + bad : bad));
        body = bodyFor(t, m);
        goodFirst_ = false;  // refused as a whole, before any object
        break;
      }
      case 2:
        m.emplace_back("na" + bad + "me", "\"x\"");
        body = bodyFor(t, m);
        goodFirst_ = false;  // refused as a whole, before any object
        break;
      case 3:
        body = bodyFor(t, withWrongField(*t.shape)) + bad;
        goodFirst_ = false;  // refused as a whole, before any object
        break;
      default: {  // an escaped lone surrogate: JSON grammar allows it, Unicode has no such text
        const auto& f = pick(t.shape->fields);
        set(m, f.name,
            pick(std::vector<std::string>{"\"\\ud800\"", "\"fz\\udfff\"", "\"\\ud800\\u0041\"",
                                          "\"\\udbff\\udbff\"", "\"\\udc00\\ud800\"",
                                          "\"fz-\\ud83d\""}));
        body = bodyFor(t, m);
        goodFirst_ = false;  // refused as a whole, before any object
      }
    }
    return write("invalid-utf8", t, std::move(body));
  }

  /// Traversal and junk in path parameters and in the path itself.
  Probe pathJunk() {
    static const std::vector<std::string> segments = {
        "..",
        "%2e%2e",
        "..%2f..%2fetc%2fpasswd",
        "%2e%2e%2f%2e%2e%2f",
        "..%5c..%5c",
        "%252e%252e%252f",
        "fz-r1%00",
        "%00",
        "fz-r1%2f..%2f..",
        "..%2ffz-r1",
        "fz-emea%2f..%2ffz-emea",
        "%c0%ae%c0%ae%2f",
        "%ff",
        "%e2%82",
        "%zz",
        "%",
        "%2",
        "%u002e",
        "....%2f%2f",
        "fz-r1%3b%20DROP%20TABLE%20devices",
        "%27%20OR%201%3D1%20--",
        "a%0d%0aX-Injected:%201",
        "%7b%7d",
        "~root",
        "%24(id)",
        std::string(5000, 'a'),
        "%e2%80%ae",
        "%f0%9f%98%80",
        "CON",
        "fz-r1.",
        "fz-r1%2f",
        "%2f",
        "%2fetc%2fpasswd",
        "fz-emea%2f%2ffz-dc1",
        "-1",
        "0",
    };
    static const std::vector<std::string> whole = {
        "/api/v1/../v1/devices",
        "/api/v1/./devices",
        "//api/v1/devices",
        "/api/v1/devices//",
        "/api/v1//devices",
        "/api/v1/devices/fz-r1/..",
        "/API/V1/DEVICES",
        "/api/v1/devices%2ffz-r1",
        "/api/v1%2fdevices",
        "/api/v2/devices",
        "/",
        "/health/..",
        "/api/v1/openapi.json/..",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/v1/devices/fz-r1/configs/..%2f..%2f..%2fetc%2fpasswd",
        "/api/v1/devices/fz-r1/configs/HEAD~1",
        "/api/v1/devices/fz-r1/configs/--output=x",
        "/api/v1/devices/fz-r1/configs/latest/..",
        "/api/v1/devices/fz-r1/config-diff?from=..&to=HEAD",
        "/api/v1/devices/fz-r1/config-diff?from=abcd&to=%2e%2e",
        "/api/v1/devices/fz-r1/configs/0123456789abcdef0123456789abcdef01234567",
        "/api/v1/devices/fz-r1/configs/dead?format=..",
        "/api/v1/areas/fz-emea%2f..%2f..",
        "/api/v1/vlans/..%2f..%2f/10",
        "/api/v1/runs/1/log?device=..%2f..%2fetc%2fpasswd",
        "/api/v1/tokens/..%2fadmin",
        "/api/v1/openapi.json?x=1",
        "/metrics/..%2fhealth",
    };
    static const std::vector<std::string> patterns = {
        "/api/v1/areas/{}",
        "/api/v1/platforms/{}",
        "/api/v1/devices/{}",
        "/api/v1/devices/{}/status",
        "/api/v1/devices/{}/configs",
        "/api/v1/devices/{}/configs/{}",
        "/api/v1/devices/{}/config-diff",
        "/api/v1/vlans/{}/10",
        "/api/v1/vlans/fz-emea/{}",
        "/api/v1/jobs/{}",
        "/api/v1/runs/{}",
        "/api/v1/runs/{}/tasks",
        "/api/v1/runs/{}/log",
        "/api/v1/tokens/{}",
    };
    std::string path;
    if (chance(30)) {
      path = pick(whole);
    } else {
      path = pick(patterns);
      for (auto at = path.find("{}"); at != std::string::npos; at = path.find("{}"))
        path.replace(at, 2, chance(80) ? pick(segments) : encode(pick(kTraversalJunk)));
    }
    const int how = below(10);
    if (how < 6) {  // reading is always safe
      Probe p = get("path", path, pick(std::vector<std::string>{"read", "operate", "admin"}));
      return p;
    }
    Probe p;
    p.kind = "path";
    p.target = path;
    if (how < 8) {  // deleting what the path names: it names nothing that exists
      p.method = "DELETE";
      p.role = "admin";
    } else {  // patching it, with a body that is wrong besides
      const Target& t = target();
      p.method = "PATCH";
      p.role = "admin";
      p.body = wrongFirst(t);
    }
    return p;
  }

  /// SQL metacharacters where the server looks things up, filters and validates names.
  Probe sqlJunk() {
    const std::string junk = pick(kSqlJunk);
    switch (below(6)) {
      case 0: {  // a filter that matches nothing, unless it were spliced into the SQL
        const std::string param = pick(std::vector<std::string>{"q", "tag", "role", "platform"});
        Probe p = get("sql", "/api/v1/devices?" + param + "=" + encode(junk));
        p.expectNothing = true;
        p.expect = {200};
        return p;
      }
      case 1: {
        static const std::vector<std::string> lists = {
            "/api/v1/devices?ordering=",
            "/api/v1/devices?status=",
            "/api/v1/devices?area=",
            "/api/v1/devices?cursor=",
            "/api/v1/areas?q=",
            "/api/v1/vlans?area=",
            "/api/v1/changes?object=",
            "/api/v1/changes?actor=",
            "/api/v1/changes?since=",
            "/api/v1/changes?object=device%3A",
            "/api/v1/runs?kind=",
            "/api/v1/runs?state=",
            "/api/v1/runs/1/tasks?category=",
            "/api/v1/runs/1/log?device=",
            "/api/v1/devices/fz-r1/config-diff?from=",
        };
        Probe p = get("sql", pick(lists) + encode(junk));
        if (p.target.find("changes?actor") != std::string::npos ||
            p.target.find("areas?q") != std::string::npos)
          p.expectNothing = true;
        return p;
      }
      case 2: {  // a lookup of a name no object has: 404 (or 400), never "all of them"
        static const std::vector<std::pair<std::string, std::string>> lookups = {
            {"DELETE", "/api/v1/devices/{}"},   {"DELETE", "/api/v1/areas/{}"},
            {"DELETE", "/api/v1/platforms/{}"}, {"DELETE", "/api/v1/tokens/{}"},
            {"DELETE", "/api/v1/vlans/{}/10"},  {"PATCH", "/api/v1/devices/{}"},
            {"PATCH", "/api/v1/areas/{}"},      {"PATCH", "/api/v1/platforms/{}"},
            {"PATCH", "/api/v1/vlans/{}/10"},   {"GET", "/api/v1/devices/{}"},
        };
        const auto& [method, pattern] = pick(lookups);
        Probe p;
        p.kind = "sql";
        p.method = method;
        p.target = pattern;
        p.target.replace(p.target.find("{}"), 2, encode(junk));
        p.role = "admin";
        p.expect = {400, 404};
        if (method == "PATCH") {  // a valid change, of nothing
          if (pattern.find("devices") != std::string::npos) p.body = "{\"role\":\"spine\"}";
          if (pattern.find("areas") != std::string::npos) p.body = "{\"description\":\"x\"}";
          if (pattern.find("platforms") != std::string::npos) p.body = "{\"vendor\":\"x\"}";
          if (pattern.find("vlans") != std::string::npos) p.body = "{\"name\":\"x\"}";
        }
        return p;
      }
      case 3: {  // as a name: names are letters, digits, '.', '_' and '-' only
        static const std::vector<std::pair<const Target*, std::string>> named = {
            {&targets()[0], "name"},
            {&targets()[4], "id"},
            {&targets()[8], "name"},
            {&targets()[17], "name"}};
        const auto& [t, field] = pick(named);
        Members m = valid(*t->shape);
        set(m, field, jsonString(junk));
        return write("sql", *t, bodyFor(*t, m));
      }
      case 4: {  // in a bulk reference to an object that does not exist
        static const std::vector<std::pair<int, std::string>> refs = {
            {10, "device"}, {2, "area"}, {6, "id"}, {14, "area"}, {9, "device"}, {1, "area"}};
        const auto& [index, field] = pick(refs);
        const Target& t = targets()[static_cast<std::size_t>(index)];
        Members m = valid(*t.shape);
        set(m, field, jsonString(junk));
        return write("sql", t, list({object(m)}), {400, 404});
      }
      default: {  // in free text, with a wrong field besides
        const Target& t = target();
        return write("sql", t, bodyFor(t, withWrongField(*t.shape, false, junk)));
      }
    }
  }

  /// A field the endpoint does not know: a typo must not pass silently.
  Probe unknownField() {
    static const std::vector<std::string> names = {
        "bogus",
        "Name",
        "NAME",
        "name ",
        " name",
        "",
        "__proto__",
        "constructor",
        "n\xd0\xb0me",
        "$where",
        "id;DROP TABLE devices",
        "../name",
        "password",
        "token_hash",
        "created_at",
        "role ",
        "ID",
    };
    const Target& t = target();
    Members m = valid(*t.shape);
    decorate(*t.shape, m, "");
    const std::string value =
        pick(std::vector<std::string>{"1", "\"x\"", "null", "[]", "{}", "true", "\"admin\""});
    m.insert(m.begin() + below(static_cast<int>(m.size()) + 1), {pick(names), value});
    return write("unknown-field", t, bodyFor(t, m));
  }

  /// A bulk list of valid objects and one bad one, anywhere in it: all or nothing.
  Probe bulkOneBad() {
    std::vector<const Target*> bulkTargets;
    for (const auto& t : targets()) {
      if (t.listOnly || t.listOk) bulkTargets.push_back(&t);
    }
    const Target& t = *pick(bulkTargets);
    std::vector<std::string> items;
    const int good = 1 + below(4);
    for (int i = 1; i <= good; ++i) items.push_back(object(valid(*t.shape, i)));
    std::string bad;
    switch (below(t.creates ? 7 : 6)) {
      case 0:
        bad = object(withWrongField(*t.shape));
        break;
      case 1:
        bad = pick(std::vector<std::string>{"5", "\"x\"", "null", "[]", "true", "[{}]"});
        break;
      case 2: {
        Members m = valid(*t.shape, 50);
        m.emplace_back("bogus", "1");
        bad = object(m);
        break;
      }
      case 3:
        bad = "{}";  // every bulk element names its object
        break;
      case 4: {  // too many: at most 1000 objects per request
        const std::string one = object(valid(*t.shape, t.creates ? 0 : 1));
        std::vector<std::string> many(1001, one);
        if (t.creates) {
          for (int i = 0; i < 1001; ++i)
            many[static_cast<std::size_t>(i)] = object(valid(*t.shape, i + 1));
        }
        Probe p = write("bulk", t, list(many));
        if (p.body.size() > kMaxBody) {
          p.expect = {413};
          p.mayDrop = true;
        }
        return p;
      }
      case 5:
        return write("bulk", t, chance(50) ? "[]" : "[" + std::string(3, ' ') + "]");
      default:  // the same new object twice: the second one conflicts
        bad = items[static_cast<std::size_t>(below(good))];
    }
    items.insert(items.begin() + below(good + 1), bad);
    return write("bulk", t, list(items), {400, 404, 409});
  }

  /// Bodies over server.max_body_bytes (413), and at it (400).
  Probe oversize() {
    const Target& t = target();
    const std::string broken = wrongFirst(t);
    auto padded = [&](std::size_t size) {
      std::string body = broken;
      body.insert(body.size() - 1, size > body.size() ? size - body.size() : 0, ' ');
      return body;
    };
    switch (below(6)) {
      case 0:
      case 1: {
        const std::size_t size =
            pick(std::vector<std::size_t>{kMaxBody + 1, kMaxBody + 1000, 2 * kMaxBody, 300'000});
        Probe p = write("oversize", t, padded(size), {413});
        p.mayDrop = true;
        return p;
      }
      case 2:
        return write("oversize", t, padded(chance(50) ? kMaxBody : kMaxBody - 1));
      case 3: {  // chunked, with no length to refuse up front: refused once over the limit
        std::string bytes = request(
            t.method, t.path,
            {bearer("admin"), "Content-Type: application/json", "Transfer-Encoding: chunked"}, "");
        const std::string body = padded(kMaxBody + 4096);
        for (std::size_t at = 0; at < body.size(); at += 8192) {
          const auto piece = body.substr(at, 8192);
          bytes += fmt::format("{:x}\r\n", piece.size()) + piece + "\r\n";
        }
        bytes += "0\r\n\r\n";
        Probe p;
        p.kind = "oversize";
        p.raw = true;
        p.bytes = std::move(bytes);
        p.expect = {413};
        p.mayDrop = true;
        return p;
      }
      case 4: {  // a huge Content-Length and a small body
        Probe p;
        p.kind = "oversize";
        p.raw = true;
        p.bytes = request(
            t.method, t.path,
            {bearer("admin"), "Content-Type: application/json",
             "Content-Length: " + pick(std::vector<std::string>{"65537", "10000000", "2147483648",
                                                                "9223372036854775807"})},
            broken);
        p.expect = {413};
        p.mayDrop = true;
        return p;
      }
      default: {  // a big body where none is read: ignored, the answer comes
        Probe p = get("oversize", pick(std::vector<std::string>{"/health", "/api/v1/devices",
                                                                "/api/v1/devices/fz-r1"}));
        p.body = std::string(200'000, 'x');
        p.mayDrop = true;
        return p;
      }
    }
  }

  /// Content-Length that lies, is doubled or is not a number; Transfer-Encoding besides it.
  Probe contentLength() {
    const Target& t = target();
    const std::string body = wrongFirst(t);
    const std::string role = chance(70) ? "admin" : "read";
    std::vector<std::string> lines = {bearer(role), "Content-Type: application/json"};
    std::string sent = body;
    switch (below(12)) {
      case 0:
        lines.push_back(fmt::format("Content-Length: {}", below(static_cast<int>(body.size()))));
        break;
      case 1:
        lines.push_back(fmt::format("Content-Length: {}", body.size() + 1 + below(100)));
        break;
      case 2:
        lines.push_back(fmt::format("Content-Length: {}", body.size()));
        lines.push_back(fmt::format("Content-Length: {}", below(static_cast<int>(body.size()))));
        break;
      case 3:
        lines.push_back(fmt::format("Content-Length: {}", below(static_cast<int>(body.size()))));
        lines.push_back(fmt::format("Content-Length: {}", body.size()));
        break;
      case 4:
        lines.push_back("Content-Length: " +
                        pick(std::vector<std::string>{"-1", "abc", "1e3", "0x10", " 12", "12 ",
                                                      "+12", "99999999999999999999", "", "1,2",
                                                      "0000012", "١٢", "12abc", "-0", "\xff"}));
        break;
      case 5:
        lines.push_back("Content-Length: 0");
        break;
      case 6:
        lines.push_back(fmt::format("Content-Length: {}", body.size()));
        lines.push_back("Transfer-Encoding: chunked");
        break;
      case 7: {  // chunked, with a broken chunk size
        lines.push_back("Transfer-Encoding: chunked");
        sent = pick(std::vector<std::string>{"zz\r\n", "-1\r\n", "ffffffffffffffff\r\n",
                                             "fffffffffffffffffffff\r\n", "5;a=b\r\n", "\r\n",
                                             "1000\r\n"}) +
               body + "\r\n0\r\n\r\n";
        break;
      }
      case 8:  // chunked with no last chunk
        lines.push_back("Transfer-Encoding: chunked");
        sent = fmt::format("{:x}\r\n", body.size()) + body + "\r\n";
        break;
      case 9:
        lines.push_back("Transfer-Encoding: " +
                        pick(std::vector<std::string>{"gzip", "chunked, gzip", "identity",
                                                      "CHUNKED", "chunked, chunked", "xchunked"}));
        lines.push_back(fmt::format("Content-Length: {}", body.size()));
        break;
      case 10:  // no length at all: the body runs to the end of the connection
        break;
      default:  // a second request hidden in the first one's body; read-only, as everything
        lines.push_back("Content-Length: 0");
        sent = "GET /api/v1/devices HTTP/1.1\r\nHost: x\r\n" + bearer("read") + "\r\n\r\n";
    }
    Probe p;
    p.kind = "content-length";
    p.raw = true;
    p.bytes = request(t.method, t.path, lines, sent);
    p.mayDrop = true;
    return p;
  }

  /// Authorization that is missing, empty, of another scheme, or names no live token.
  Probe badAuth() {
    const std::string& admin = tokens_["admin"];
    std::string changed = admin;
    changed.back() = changed.back() == 'a' ? 'b' : 'a';
    std::string upper = admin;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::vector<std::string> values = {
        "",
        "Bearer",
        "Bearer ",
        "Bearer  ",
        "Basic YWRtaW46YWRtaW4=",
        "Bearer " + changed,
        "Bearer " + admin.substr(0, 20),
        "Bearer " + admin.substr(0, admin.size() - 1),
        "Bearer " + admin + "x",
        "Bearer " + admin + admin,
        "Bearer " + upper,
        "Bearer nst_" + std::string(40, 'x'),
        "Bearer ' OR 1=1 --",
        "Bearer ' OR '1'='1",
        "Bearer " + std::string(6000, 'A'),
        "Token " + admin,
        "Bearer\t" + admin,
        "Bearer:" + admin,
        "Bearer=" + admin,
        admin,
        "Bearer " + encode(admin + "/"),
        "Bearer nst_\xff\xfe" + admin.substr(6),
        "Bearer " + revoked_,
        "Bearer " + revoked_.substr(0, 12),
        "Digest username=\"admin\"",
        "Bearer null",
        "Bearer undefined",
        "Bearer *",
        "Bearer %",
    };
    Probe p;
    p.kind = "auth";
    p.role = "";
    if (chance(85)) p.headers.emplace_back("Authorization", pick(values));
    p.expect = {401};
    if (chance(50)) {
      static const std::vector<std::string> reads = {
          "/api/v1/devices", "/api/v1/areas",    "/api/v1/devices/fz-r1", "/api/v1/changes",
          "/api/v1/tokens",  "/api/v1/jobs",     "/api/v1/runs",          "/api/v1/vlans",
          "/api/v1/status",  "/api/v1/platforms"};
      p.method = "GET";
      p.target = pick(reads);
    } else {
      const Target& t = target();
      p.method = t.method;
      p.target = t.path;
      p.body = chance(50) ? wrongFirst(t) : bodyFor(t, withWrongField(*t.shape));
    }
    return p;
  }

  /// A valid body, with a token whose role may not write: 403 before anything is written.
  Probe wrongRole() {
    const Target& t = target();
    Probe p;
    p.kind = "role";
    p.method = t.method;
    p.target = t.path;
    p.role = t.role == "admin" && chance(50) ? "operate" : "read";
    Members m = valid(*t.shape);
    p.body = t.listOnly ? list({object(m)}) : object(m);
    p.expect = {403};
    if (chance(20)) {  // single-object writes of the seeded objects
      static const std::vector<std::pair<std::string, std::string>> ones = {
          {"DELETE", "/api/v1/devices/fz-r1"},
          {"DELETE", "/api/v1/platforms/fz_plat"},
          {"DELETE", "/api/v1/vlans/fz-emea%2Ffz-dc1/10"},
          {"DELETE", "/api/v1/tokens/fz-bot"},
          {"POST", "/api/v1/tokens"},
          {"POST", "/api/v1/runs/1/cancel"},
          {"GET", "/api/v1/tokens"},
      };
      const auto& [method, path] = pick(ones);
      p.method = method;
      p.target = path;
      p.role = path.find("/runs/") != std::string::npos
                   ? "read"
                   : pick(std::vector<std::string>{"read", "operate"});
      p.body = method == "POST" && path == "/api/v1/tokens"
                   ? "{\"name\":\"fz-sneaky\",\"role\":\"admin\"}"
                   : "";
    }
    return p;
  }

  /// Methods no route has, odd spellings of those it has, and broken method tokens.
  Probe badMethod() {
    static const std::vector<std::string> methods = {
        "PUT",      "OPTIONS",    "TRACE",    "CONNECT",
        "PROPFIND", "MKCOL",      "PURGE",    "FOO",
        "get",      "Post",       "pAtCh",    "delete",
        "HEAD",     "LINK",       "M-SEARCH", std::string(40, 'X'),
        "GET\x01",  "G\xc3\xa9T", "",         "POST,GET",
        "DELETE/"};
    static const std::vector<std::string> paths = {"/health",
                                                   "/metrics",
                                                   "/api/v1/openapi.json",
                                                   "/api/v1/areas",
                                                   "/api/v1/devices",
                                                   "/api/v1/devices/fz-r1",
                                                   "/api/v1/vlans",
                                                   "/api/v1/jobs",
                                                   "/api/v1/tokens",
                                                   "/api/v1/runs/1/cancel",
                                                   "/api/v1/platforms/fz_plat"};
    const std::string method = pick(methods);
    const std::string path = pick(paths);
    const Target& t = target();
    const std::string body = chance(60) ? wrongFirst(t) : "";
    std::vector<std::string> lines = {bearer(chance(70) ? "admin" : "read")};
    if (!body.empty()) {
      lines.push_back("Content-Type: application/json");
      lines.push_back(fmt::format("Content-Length: {}", body.size()));
    }
    Probe p;
    p.kind = "method";
    p.raw = true;
    p.head = method == "HEAD";
    p.bytes = request(method, path, lines, body);
    p.mayDrop = true;
    return p;
  }

  /// If-Match values that name no current version: 412 (or 400) before anything changes.
  Probe badIfMatch() {
    static const std::vector<std::string> values = {
        "\"nope\"",
        "W/\"nope\"",
        "\"unterminated",
        "\"1-\"",
        "\"1-abc\"",
        "\"1-999999999\"",
        "W/\"1-999999999\"",
        "\"\"",
        "\",\"",
        "W/",
        "\"0-0\"",
        "\"-1-1\"",
        "\"99999999999999999999-1\"",
        "\"1-99999999999999999999\"",
        "\"1-1234567890123456789\"",
        "\"' OR 1=1 --\"",
        "\"\xff\xfe\"",
        "\"nope\", W/\"nope2\"",
        "0123456789abcdef",
        "\"0123456789abcdeg\"",
        "\"" + std::string(5000, 'a') + "\"",
        ",,,,x",
        "null",
    };
    static const std::vector<std::tuple<std::string, std::string, std::string>> writes = {
        {"PATCH", "/api/v1/devices/fz-r1", "{\"role\":\"patched\"}"},
        {"PATCH", "/api/v1/areas/fz-emea%2Ffz-dc1", "{\"description\":\"patched\"}"},
        {"PATCH", "/api/v1/areas/fz-emea", "{\"description\":\"patched\"}"},
        {"PATCH", "/api/v1/vlans/fz-emea%2Ffz-dc1/10", "{\"name\":\"patched\"}"},
        {"PATCH", "/api/v1/platforms/fz_plat", "{\"vendor\":\"patched\"}"},
        {"DELETE", "/api/v1/devices/fz-r1", ""},
        {"DELETE", "/api/v1/platforms/fz_plat", ""},
        {"DELETE", "/api/v1/vlans/fz-emea%2Ffz-dc1/10", ""},
        {"DELETE", "/api/v1/areas/fz-emea%2Ffz-dc1", ""},
    };
    const auto& [method, path, body] = pick(writes);
    Probe p;
    p.kind = "if-match";
    p.method = method;
    p.target = path;
    p.body = body;
    p.role = "admin";
    p.headers.emplace_back("If-Match", pick(values));
    p.expect = {400, 412};
    return p;
  }

  /// Paging and filter parameters out of range, repeated, unknown or badly encoded.
  Probe badQuery() {
    static const std::vector<std::string> lists = {"/api/v1/areas",
                                                   "/api/v1/platforms",
                                                   "/api/v1/devices",
                                                   "/api/v1/vlans",
                                                   "/api/v1/changes",
                                                   "/api/v1/jobs",
                                                   "/api/v1/runs",
                                                   "/api/v1/runs/1/tasks",
                                                   "/api/v1/runs/1/log",
                                                   "/api/v1/schedules",
                                                   "/api/v1/plugins",
                                                   "/api/v1/tokens",
                                                   "/api/v1/devices/fz-r1/configs",
                                                   "/health",
                                                   "/api/v1/status"};
    static const std::vector<std::string> params = {
        "limit=0",
        "limit=-1",
        "limit=1001",
        "limit=99999999999999999999",
        "limit=1e3",
        "limit=1.5",
        "limit=",
        "limit=abc",
        "limit=%00",
        "limit=0x10",
        "limit=%201",
        "limit=+1",
        "limit=1000",
        "limit=%d9%a3",
        "offset=-1",
        "offset=9007199254740992",
        "offset=9007199254740993",
        "offset=99999999999999999999",
        "offset=9223372036854775807",
        "offset=1e9",
        "offset=abc",
        "offset=",
        "limit=1&limit=2",
        "cursor=",
        "cursor=!!!",
        "cursor=%25%25%25",
        "cursor=" + base64url("|"),
        "cursor=" + base64url("x|abc"),
        "cursor=" + base64url("' OR 1=1 --|1"),
        "cursor=" + base64url("\xff\xfe"),
        "cursor=" + base64url("99999999999999999999"),
        "cursor=" + base64url("2026-01-01T00:00:00Z|99999999999999999999"),
        "cursor=AAAA",
        "cursor====",
        "cursor=" + std::string(5000, 'A'),
        "cursor=x&offset=5",
        "ordering=name",
        "ordering=-name",
        "ordering=--name",
        "ordering=id",
        "ordering=token_hash",
        "ordering=name%3BDROP%20TABLE%20devices",
        "ordering=(SELECT%201)",
        "ordering=-",
        "ordering=",
        "ordering=created_at%20desc",
        "status=ACTIVE",
        "status=bogus",
        "status=active,,,failed",
        "status=,",
        "area=fz-emea",
        "area=fz-emea%2F..%2Ffz-emea",
        "area=nowhere",
        "q=%25",
        "q=_",
        "q=!",
        "q=%5C",
        "q=%5F%25",
        "q=a+b",
        "object=device%3A",
        "object=%3A",
        "object=device%3A99999999999999999999",
        "object=bogus%3A1",
        "object=area%3Afz-emea%2F..",
        "since=2026-13-45",
        "since=0000-00-00",
        "since=9999-99-99",
        "until=2026-11-27T08%3A30%3A00Z",
        "until=yesterday",
        "since=2026-11-27T08%3A30%3A00%2B99%3A99",
        "state=bogus",
        "state=RUNNING",
        "job=-1",
        "job=0",
        "job=99999999999999999999",
        "level=bogus",
        "level=ERROR",
        "category=%00",
        "count=-1",
        "count=101",
        "count=abc",
        "format=xml",
        "bogus=1",
        "limit[]=1",
        "=1",
        "&&&",
        "a",
        "%ff=1",
        "q=%ff",
        "q=%c0%af",
        "q=%00",
        "q=%",
        "q=%g1",
        "q=%e2%82",
        "q=" + std::string(5000, 'q'),
    };
    std::string query;
    const int n = 1 + below(3);
    for (int i = 0; i < n; ++i) query += (i ? "&" : "") + pick(params);
    return get("query", pick(lists) + "?" + query,
               pick(std::vector<std::string>{"read", "operate", "admin"}));
  }

  /// Ids that are negative, zero, huge, not numbers; VLAN ids out of range.
  Probe badIds() {
    static const std::vector<std::string> ids = {"-1",
                                                 "0",
                                                 "-0",
                                                 "99999999999999999999",
                                                 "9223372036854775808",
                                                 "1e3",
                                                 "0x10",
                                                 "1.5",
                                                 "%2d1",
                                                 "+1",
                                                 "%201",
                                                 "1%00",
                                                 "abc",
                                                 "٣",
                                                 "999999",
                                                 "00000000000000000001"};
    static const std::vector<std::string> vids = {
        "-1",  "0",    "4095", "99999", "-0",
        "1.5", "1e1",  "0x0a", "%2B10", "1%00",
        "abc", "4094", "9",    "٣",     "99999999999999999999"};
    Probe p;
    p.kind = "ids";
    p.expect = {400, 404};
    switch (below(4)) {
      case 0:
        p.method = "GET";
        p.target = pick(std::vector<std::string>{"/api/v1/jobs/{}", "/api/v1/runs/{}",
                                                 "/api/v1/runs/{}/tasks", "/api/v1/runs/{}/log"});
        p.target.replace(p.target.find("{}"), 2, pick(ids));
        p.role = "read";
        break;
      case 1:
        p.method = "POST";
        p.target = "/api/v1/runs/" + pick(ids) + "/cancel";
        p.role = "operate";
        break;
      case 2:
        p.method = pick(std::vector<std::string>{"GET", "DELETE"});
        p.target = std::string("/api/v1/vlans/") + kSubAreaInPath + "/" + pick(vids);
        p.role = "admin";
        break;
      default:
        p.method = "PATCH";
        p.target = std::string("/api/v1/vlans/") + kSubAreaInPath + "/" + pick(vids);
        p.body = "{\"name\":\"renamed\"}";
        p.role = "admin";
    }
    return p;
  }

  /// Bytes that are no HTTP request, or barely one.
  Probe garbage() {
    Probe p;
    p.kind = "garbage";
    p.raw = true;
    p.mayDrop = true;
    p.mustFail = false;  // a few of these are GETs that happen to survive
    const std::string read = bearer("read");
    switch (below(4)) {
      case 0: {  // random bytes
        std::string bytes(static_cast<std::size_t>(1 + below(2000)), '\0');
        for (auto& c : bytes) c = static_cast<char>(rng_() & 0xff);
        p.bytes = std::move(bytes);
        break;
      }
      case 1: {  // a read request with random bytes flipped
        std::string bytes = request("GET", "/api/v1/devices?q=fz", {read}, "");
        const int flips = 1 + below(4);
        for (int i = 0; i < flips; ++i)
          bytes[static_cast<std::size_t>(below(static_cast<int>(bytes.size())))] =
              static_cast<char>(rng_() & 0xff);
        p.bytes = std::move(bytes);
        break;
      }
      default: {
        const std::vector<std::string> classics = {
            "GET\r\n\r\n",
            "GET /health\r\n\r\n",
            "GET /health HTTP/1.1",
            "GET /health HTTP/9.9\r\n\r\n",
            "GET /health HTTP/1.1.1\r\n\r\n",
            "GET /health FOO/1.1\r\n\r\n",
            "GET /health http/1.1\r\n\r\n",
            " GET /health HTTP/1.1\r\n\r\n",
            "GET  /health HTTP/1.1\r\n\r\n",
            "GET /health HTTP/1.1\n\n",
            "GET /health HTTP/1.1\r\r\r\r",
            "GET /health HTTP/1.0\r\n\r\n",
            "GET /health HTTP/0.9\r\n\r\n",
            "\r\n\r\n\r\n",
            "\r\nGET /health HTTP/1.1\r\n\r\n",
            "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s + std::string(64, '\x42'),
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "GET * HTTP/1.1\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\n\r\n",
            "GET http://127.0.0.1/health HTTP/1.1\r\n\r\n",
            "GET health HTTP/1.1\r\n\r\n",
            "GET ?a=b HTTP/1.1\r\n\r\n",
            "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n",
            "GET /api/v1/devices/" + std::string(16000, 'a') + " HTTP/1.1\r\n" + read + "\r\n\r\n",
            "GET /health?" + std::string(15000, '&') + " HTTP/1.1\r\n\r\n",
            std::string(8, '\0'),
            "GET /he\0alth HTTP/1.1\r\n\r\n"s,
            "GET /api/v1/devices/\xff\xfe HTTP/1.1\r\n" + read + "\r\n\r\n",
            "GET /api/v1/devices?q=\xc3\x28 HTTP/1.1\r\n" + read + "\r\n\r\n",
            "GET /api/v1/devices/fz r1 HTTP/1.1\r\n" + read + "\r\n\r\n",
            "GET /api/v1/devices/../../etc/passwd HTTP/1.1\r\n" + read + "\r\n\r\n",
            "GET /api/v1/devices\\..\\..\\etc HTTP/1.1\r\n" + read + "\r\n\r\n",
            "GET /api/v1/devices#frag HTTP/1.1\r\n" + read + "\r\n\r\n",
            "GET /api/v1/devices?q=%%% HTTP/1.1\r\n" + read + "\r\n\r\n",
            "POST /api/v1/areas HTTP/1.1\r\n" + bearer("admin") + "\r\n\r\n",
            "POST /api/v1/areas HTTP/1.1\r\n" + bearer("admin") +
                "\r\nContent-Length: 5\r\n\r\n\xff\xfe\xfd\xfc\xfb",
            "DELETE /api/v1/devices HTTP/1.1\r\n" + bearer("admin") +
                "\r\nContent-Length: 2\r\n\r\n[]",
            "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\n\r\n\x01\x02",
        };
        p.bytes = pick(classics);
        p.halfClose = !p.bytes.ends_with("HTTP/1.1") || chance(50);
      }
    }
    if (!p.halfClose) p.mayDrop = true;
    return p;
  }

  /// Headers that are malformed, too long, too many, doubled, or not ASCII.
  Probe badHeaders() {
    const bool reading = chance(50);
    const Target& t = target();
    const std::string body = reading ? "" : wrongFirst(t);
    std::vector<std::string> lines;
    switch (below(16)) {
      case 0:
        lines = {"Garbage"};
        break;
      case 1:
        lines = {"Bad Header: x"};
        break;
      case 2:
        lines = {std::string(300, 'H') + ": x"};
        break;
      case 3:
        lines = {"X-Long: " + std::string(9000, 'v')};
        break;
      case 4:
        for (int i = 0; i < 150; ++i) lines.push_back(fmt::format("X-H{}: {}", i, i));
        break;
      case 5:
        lines = {"X-Folded: 1", " continued"};
        break;
      case 6:
        lines = {"X-Nul: a\0b"s};
        break;
      case 7:
        lines = {"X-\xff\xfe: \xc0\xaf", "X-Ok: \xe2\x82"};
        break;
      case 8:  // the first Authorization is the read token
        lines = {bearer("read"), bearer("admin")};
        break;
      case 9:
        lines = {"Host:", "Host: a", "Host: b"};
        break;
      case 10:
        lines = {"Content-Type: " +
                 pick(std::vector<std::string>{"text/plain", "application/json; charset=latin1",
                                               "multipart/form-data; boundary=x", "\xff"})};
        break;
      case 11:
        lines = {"Content-Encoding: gzip"};
        break;
      case 12:
        lines = {"Expect: " + pick(std::vector<std::string>{"100-continue", "999-bogus", ""})};
        break;
      case 13:
        lines = {"Connection: close, upgrade", "Upgrade: websocket"};
        break;
      case 14:
        lines = {"X-A: 1\rX-B: 2"};
        break;
      default:
        lines = {":", ": x", "X-Empty:"};
    }
    if (lines.size() != 2 || lines[0].rfind("Authorization", 0) != 0)
      lines.insert(lines.begin(), bearer(reading ? "read" : "admin"));
    if (!reading) lines.push_back(fmt::format("Content-Length: {}", body.size()));
    Probe p;
    p.kind = "headers";
    p.raw = true;
    p.bytes =
        request(reading ? "GET" : t.method, reading ? "/api/v1/devices" : t.path, lines, body);
    p.mayDrop = true;
    p.mustFail = !reading;
    return p;
  }

  std::mt19937 rng_;
  bool goodFirst_ = false;  // the last bodyFor put valid objects before the bad one
  std::map<std::string, std::string> tokens_;
  std::string revoked_;
};

// ------------------------------------------------------------------------------ the database

/// Every row of every table, as text, one line each, in a fixed order; api_tokens.last_used_at
/// left out (using a token sets it).
std::vector<std::string> snapshot(infra::Database& db) {
  using namespace Poco::Data::Keywords;
  const bool sqlite = db.backend() == infra::DatabaseBackend::SQLite;
  static constexpr const char* kSqliteTables =
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
  static constexpr const char* kPostgresTables =
      "SELECT CAST(table_name AS TEXT) FROM information_schema.tables "
      "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name";
  std::vector<std::string> tables;
  {
    auto st = db.statement(sqlite ? kSqliteTables : kPostgresTables);
    st, into(tables);
    st.execute();
  }
  std::vector<std::string> lines;
  for (const auto& table : tables) {
    std::vector<std::string> columns;
    {
      std::string sql =
          sqlite ? "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid"
                 : "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE "
                   "table_schema = current_schema() AND table_name = '" +
                       table + "' ORDER BY ordinal_position";
      auto st = db.statement(sql);
      st, into(columns);
      st.execute();
    }
    std::string row;
    for (const auto& c : columns) {
      if (table == "api_tokens" && c == "last_used_at") continue;
      row += (row.empty() ? "" : " || ' | ' || ") +
             fmt::format("COALESCE(CAST(\"{}\" AS TEXT), '<null>')", c);
    }
    std::vector<std::string> rows;
    auto st = db.statement(fmt::format("SELECT {} FROM {} ORDER BY 1", row, table));
    st, into(rows);
    st.execute();
    lines.push_back(fmt::format("{}: {} rows", table, rows.size()));
    for (auto& r : rows) lines.push_back(table + ": " + r);
  }
  return lines;
}

/// The lines of `after` not in `before` (+) and of `before` not in `after` (-).
std::string difference(const std::vector<std::string>& before,
                       const std::vector<std::string>& after) {
  std::multiset<std::string> a(before.begin(), before.end());
  std::multiset<std::string> b(after.begin(), after.end());
  std::string out;
  int shown = 0;
  for (const auto& line : before) {
    if (b.count(line) < a.count(line) && shown++ < 30) out += "  - " + printable(line, 300) + "\n";
  }
  for (const auto& line : after) {
    if (a.count(line) < b.count(line) && shown++ < 30) out += "  + " + printable(line, 300) + "\n";
  }
  return out;
}

// ------------------------------------------------------------------------------ the run

bool isErrorShape(const std::string& body) {
  try {
    auto v = Poco::JSON::Parser().parse(body);
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) return false;
    auto error = v.extract<Poco::JSON::Object::Ptr>()->getObject("error");
    return error && error->has("code") && error->get("code").isString() && error->has("message") &&
           error->get("message").isString() && !error->getObject("fields").isNull();
  } catch (const std::exception&) {
    return false;
  }
}

/// How many results a 200 of a list lists (-1: not a list answer).
int resultCount(const std::string& body) {
  try {
    auto v = Poco::JSON::Parser().parse(body);
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) return -1;
    auto results = v.extract<Poco::JSON::Object::Ptr>()->getArray("results");
    return results ? static_cast<int>(results->size()) : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

class ApiFuzz : public ::testing::Test {
 protected:
  void seed() {
    auto must = [&](const std::string& method, const std::string& path, const std::string& body,
                    int status) {
      auto r = server_->as("admin", method, path, body);
      EXPECT_EQ(r.status, status) << method << " " << path << ": " << r.body;
      return r;
    };
    must("POST", "/api/v1/areas", fmt::format("{{\"name\":\"{}\"}}", kArea), 201);
    must("POST", "/api/v1/areas",
         fmt::format("{{\"name\":\"fz-dc1\",\"parent\":\"{}\",\"description\":\"first\"}}", kArea),
         201);
    must("POST", "/api/v1/platforms",
         fmt::format("{{\"id\":\"{}\",\"name\":\"Fuzz OS\",\"vendor\":\"Fz\"}}", kPlatform), 201);
    must("POST", "/api/v1/devices",
         fmt::format("{{\"name\":\"{}\",\"platform\":\"cisco_ios\",\"area\":\"{}\",\"address\":"
                     "\"192.0.2.1\",\"tags\":[\"core\",\"edge\"],\"ssh_port\":22,\"role\":"
                     "\"leaf\"}}",
                     kDevice, kSubArea),
         201);
    must("POST", "/api/v1/vlans",
         fmt::format("{{\"area\":\"{}\",\"vid\":10,\"name\":\"users\"}}", kSubArea), 201);
    must("POST", "/api/v1/tokens", fmt::format("{{\"name\":\"{}\",\"role\":\"read\"}}", kBot), 201);
    auto revoked =
        must("POST", "/api/v1/tokens", "{\"name\":\"fz-revoked\",\"role\":\"admin\"}", 201);
    if (revoked.status == 201) revoked_ = revoked.json()->getValue<std::string>("secret");
    must("DELETE", "/api/v1/tokens/fz-revoked", "", 204);
    EXPECT_FALSE(revoked_.empty());
  }

  Answer send(const Probe& p) {
    Answer a;
    if (p.raw) {
      RawOptions options;
      options.halfClose = p.halfClose;
      options.headRequest = p.head;
      options.timeout = std::chrono::milliseconds(p.halfClose ? 20000 : 3000);
      auto r = rawExchange(server_->port(), p.bytes, options);
      a.answered = r.answered;
      a.status = r.status;
      a.body = r.body;
      a.problem = r.problem;
      if (auto it = r.headers.find("content-type"); it != r.headers.end())
        a.contentType = it->second;
      return a;
    }
    try {
      auto r = server_->call(p.method, p.target, p.body,
                             p.role.empty() ? std::string() : server_->token(p.role), p.headers);
      a.answered = true;
      a.status = r.status;
      a.body = r.body;
      a.contentType = r.header("Content-Type");
    } catch (const std::exception& e) {
      a.problem = e.what();
    }
    return a;
  }

  bool alive() {
    int status = 0;
    return waitpid(server_->pid(), &status, WNOHANG) == 0;
  }

  void run(ServeProcess::Options options, int probes) {
    options.extraConfig += fmt::format("  max_body_bytes: {}\n", kMaxBody);
    server_ = std::make_unique<ServeProcess>(std::move(options));
    server_->start();
    ASSERT_FALSE(HasFatalFailure());
    seed();
    ASSERT_FALSE(HasFailure()) << "could not make the objects to fuzz";
    const auto before = snapshot(server_->database().db());
    // The snapshot sees what was made (a comparison of two empty snapshots would prove nothing).
    for (const auto& [table, text] :
         std::vector<std::pair<std::string, std::string>>{{"areas", "fz-dc1"},
                                                          {"platforms", kPlatform},
                                                          {"devices", kDevice},
                                                          {"device_tags", "edge"},
                                                          {"vlans", "users"},
                                                          {"change_log", kDevice},
                                                          {"api_tokens", kBot}}) {
      ASSERT_TRUE(std::any_of(before.begin(), before.end(),
                              [&](const std::string& line) {
                                return line.starts_with(table + ": ") &&
                                       line.find(text) != std::string::npos;
                              }))
          << "the snapshot of the database has no row of " << table << " with " << text;
    }

    Fuzzer fuzzer(kSeed,
                  {{"admin", server_->token("admin")},
                   {"operate", server_->token("operate")},
                   {"read", server_->token("read")}},
                  revoked_);
    std::map<int, int> byStatus;
    int dropped = 0;
    std::vector<std::string> serverErrors, succeeded, unexpected, badShape, drops, leaks;
    // NETSPINE_FUZZ_TRACE=FILE writes every request and its answer there.
    std::unique_ptr<std::ofstream> trace;
    if (const char* file = std::getenv("NETSPINE_FUZZ_TRACE"))
      trace = std::make_unique<std::ofstream>(file);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < probes; ++i) {
      const Probe p = fuzzer.next();
      const Answer a = send(p);
      const std::string what = fmt::format("#{} {}", i, p.describe());
      if (trace) {
        *trace << what << "\n    => "
               << (a.answered
                       ? fmt::format("{} {} {}", a.status, a.contentType, printable(a.body, 200))
                       : "no answer: " + a.problem)
               << "\n";
      }
      if (!a.answered) {
        ++dropped;
        if (!p.mayDrop) drops.push_back(what + "\n    no answer: " + a.problem);
      } else {
        ++byStatus[a.status];
        const std::string got = fmt::format("\n    got {}: {}", a.status, printable(a.body, 300));
        if (a.status >= 500) serverErrors.push_back(what + got);
        if (a.status < 400 && p.mustFail) succeeded.push_back(what + got);
        if (!p.expect.empty() && !p.expect.count(a.status) && a.status < 500)
          unexpected.push_back(what + got);
        const bool pocoOwn =
            p.raw && a.status == 400 && a.contentType.find("application/json") == std::string::npos;
        if (a.status >= 400 && !p.head && !pocoOwn && !isErrorShape(a.body))
          badShape.push_back(what + got);
        if (p.expectNothing && a.status == 200 && resultCount(a.body) != 0)
          leaks.push_back(what + got);
      }
      if (i % 100 == 99 && !alive()) {
        FAIL() << "netspine serve died during probe " << what << "\nits log:\n" << server_->log();
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    std::string summary = fmt::format("fuzz: {} requests in {:.1f} s:", probes, seconds);
    for (const auto& [status, n] : byStatus) summary += fmt::format(" {}×{}", status, n);
    summary += fmt::format(" no-answer×{}", dropped);
    std::cout << summary << std::endl;

    auto report = [](const std::vector<std::string>& list) {
      std::string out;
      // NETSPINE_FUZZ_SHOW=N shows N of each kind of failure (default 5).
      const char* show = std::getenv("NETSPINE_FUZZ_SHOW");
      const std::size_t max = show ? std::strtoul(show, nullptr, 10) : 5;
      for (std::size_t i = 0; i < list.size() && i < max; ++i) out += "\n  " + list[i];
      if (list.size() > max) out += fmt::format("\n  … and {} more", list.size() - max);
      return out;
    };
    EXPECT_TRUE(serverErrors.empty())
        << serverErrors.size() << " answers with a 5xx:" << report(serverErrors);
    EXPECT_TRUE(succeeded.empty())
        << succeeded.size() << " malformed requests succeeded:" << report(succeeded);
    EXPECT_TRUE(unexpected.empty())
        << unexpected.size() << " answers with another status than expected:" << report(unexpected);
    EXPECT_TRUE(badShape.empty()) << badShape.size() << " 4xx answers without the JSON error shape:"
                                  << report(badShape);
    EXPECT_TRUE(drops.empty()) << drops.size()
                               << " well-formed requests got no answer:" << report(drops);
    EXPECT_TRUE(leaks.empty()) << leaks.size()
                               << " filters that match nothing listed something:" << report(leaks);

    ASSERT_TRUE(alive()) << "netspine serve is gone; its log:\n" << server_->log();
    // Nothing the server noticed itself: a sanitizer report (ASan/UBSan builds), an internal
    // error it answered with a 500.
    const std::string log = server_->log();
    for (const char* alarm : {"Sanitizer", "runtime error:", "internal error", "database error"}) {
      const auto at = log.find(alarm);
      EXPECT_EQ(at, std::string::npos)
          << "the server's log has '" << alarm << "':\n"
          << log.substr(at == std::string::npos ? 0 : (at > 400 ? at - 400 : 0), 3000);
    }
    auto health = server_->call("GET", "/health");
    EXPECT_EQ(health.status, 200) << health.body;
    auto device = server_->as("read", "GET", std::string("/api/v1/devices/") + kDevice);
    EXPECT_EQ(device.status, 200) << device.body;

    const auto after = snapshot(server_->database().db());
    EXPECT_TRUE(before == after) << "the database changed:\n" << difference(before, after);
  }

  std::unique_ptr<ServeProcess> server_;
  std::string revoked_;
};

TEST_F(ApiFuzz, ThousandsOfMalformedRequestsChangeNothingOnSqlite) {
  run({}, kSqliteProbes);
}

TEST_F(ApiFuzz, MalformedRequestsChangeNothingOnPostgres) {
  run({.backend = infra::DatabaseBackend::PostgreSQL}, kPostgresProbes);
}

// A body the server does not read — a route that takes none, or an answer before the body is
// read (401, 403, 404, 405, an unknown query parameter) — must still be skipped, or the
// connection closed after the answer. Otherwise the body is taken for the next request on the
// connection: behind a proxy that reuses connections, anyone can smuggle a request past it and
// have its answer (or the next client's request) land where it should not.
TEST_F(ApiFuzz, AnUnreadBodyIsNeverTakenForAnotherRequest) {
  server_ = std::make_unique<ServeProcess>();
  server_->start();
  ASSERT_FALSE(HasFatalFailure());
  const std::string inner = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  auto auth = [&](const std::string& role) {
    return "Authorization: Bearer " + server_->token(role) + "\r\n";
  };
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"GET /health", ""},
      {"GET /api/v1/devices", auth("read")},
      {"DELETE /api/v1/devices/nothing", auth("admin")},
      {"POST /api/v1/runs/5/cancel", auth("operate")},
      {"POST /api/v1/areas", "Authorization: Bearer nst_nothing\r\n"},
      {"POST /api/v1/areas", ""},
      {"POST /api/v1/tokens", auth("read")},
      {"PUT /api/v1/areas", auth("admin")},
      {"POST /api/v1/areas?bogus=1", auth("admin")},
      {"POST /api/v1/nowhere", auth("admin")},
  };
  for (const bool chunked : {false, true}) {
    for (const auto& [line, headers] : requests) {
      std::string bytes = line + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
      if (chunked) {
        bytes += fmt::format("Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{}\r\n0\r\n\r\n",
                             inner.size(), inner);
      } else {
        bytes += fmt::format("Content-Length: {}\r\n\r\n{}", inner.size(), inner);
      }
      RawOptions options;
      options.readRest = true;
      options.timeout = std::chrono::milliseconds(5000);
      const auto reply = rawExchange(server_->port(), bytes, options);
      const std::string what =
          fmt::format("{} ({}) with a body of {}", line, chunked ? "chunked" : "Content-Length",
                      printable(inner));
      EXPECT_TRUE(reply.answered) << what << ": " << reply.problem;
      EXPECT_LT(reply.status, 500) << what << ": " << reply.body;
      EXPECT_TRUE(reply.rest.empty())
          << what << ": answered " << reply.status
          << ", then took its body for a request of its own and answered that: "
          << printable(reply.rest, 160);
    }
  }
}

// A body announced over server.max_body_bytes is refused at once, from its Content-Length, and
// the connection closed: the server neither waits for a body it will not take (a client may
// wait for the answer before sending it) nor reads megabytes of it first.
TEST_F(ApiFuzz, AnOversizeBodyIsRefusedWithoutWaitingForIt) {
  ServeProcess::Options options;
  options.extraConfig = fmt::format("  max_body_bytes: {}\n", kMaxBody);
  server_ = std::make_unique<ServeProcess>(std::move(options));
  server_->start();
  ASSERT_FALSE(HasFatalFailure());
  for (const std::size_t announced : {kMaxBody + 1, std::size_t{10'000'000}}) {
    const std::string bytes = fmt::format(
        "POST /api/v1/areas HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n"
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"name\":",
        server_->token("admin"), announced);
    RawOptions options;
    options.halfClose = false;  // the rest of the body may come yet, as far as the server knows
    options.timeout = std::chrono::milliseconds(5000);
    const auto started = std::chrono::steady_clock::now();
    const auto reply = rawExchange(server_->port(), bytes, options);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    EXPECT_TRUE(reply.answered) << "Content-Length " << announced << ": no answer within " << ms
                                << " ms (" << reply.problem << ")";
    EXPECT_EQ(reply.status, 413) << reply.body;
  }
}

}  // namespace
}  // namespace netspine::test
