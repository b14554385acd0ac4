#include "api/json_io.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "application/json_writer.hpp"

namespace netspine::api {

ApiError badField(const std::string& field, const std::string& message) {
  return ApiError(400, "invalid", field.empty() ? message : field + ": " + message,
                  {{field.empty() ? "body" : field, {message}}});
}

bool validUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string sanitizeUtf8(std::string_view text) {
  if (validUtf8(text)) return std::string(text);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Byte by byte: ASCII is kept, every other byte becomes U+FFFD. Lossy, for messages only.
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += "\xEF\xBF\xBD";
    }
  }
  return out;
}

namespace {

/// The deepest nesting of arrays and objects outside strings.
int nestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > kMaxJsonDepth) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::string typeName(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) return "an object";
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) return "a list";
  if (v.isString()) return "a string";
  if (v.type() == typeid(bool)) return "a boolean";
  if (v.isNumeric()) return "a number";
  return "a value";
}

}  // namespace

Poco::Dynamic::Var parseJson(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos)
    throw badField("body", "expected a JSON body, got nothing");
  if (!validUtf8(body)) throw badField("body", "not valid UTF-8");
  if (nestingDepth(body) > kMaxJsonDepth)
    throw badField("body", fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
  try {
    Poco::JSON::Parser parser;
    return parser.parse(body);
  } catch (const Poco::Exception& e) {
    throw badField("body", "invalid JSON: " + e.message());
  } catch (const std::exception& e) {
    throw badField("body", std::string("invalid JSON: ") + e.what());
  }
}

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  auto v = parseJson(body);
  if (v.type() != typeid(Poco::JSON::Object::Ptr))
    throw badField("body", "expected a JSON object, got " + typeName(v));
  return v.extract<Poco::JSON::Object::Ptr>();
}

std::vector<Poco::JSON::Object::Ptr> parseObjectList(const std::string& body, std::size_t max) {
  auto v = parseJson(body);
  if (v.type() != typeid(Poco::JSON::Array::Ptr))
    throw badField("body", "expected a JSON list of objects, got " + typeName(v));
  auto array = v.extract<Poco::JSON::Array::Ptr>();
  if (array->size() == 0) throw badField("body", "expected at least one object, got an empty list");
  if (array->size() > max)
    throw badField("body",
                   fmt::format("at most {} objects per request, got {}", max, array->size()));
  std::vector<Poco::JSON::Object::Ptr> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto item = array->get(static_cast<unsigned>(i));
    if (item.type() != typeid(Poco::JSON::Object::Ptr))
      throw badField(fmt::format("[{}]", i), "expected an object, got " + typeName(item));
    out.push_back(item.extract<Poco::JSON::Object::Ptr>());
  }
  return out;
}

Fields::Fields(Poco::JSON::Object::Ptr object, std::string where)
    : object_(std::move(object)), where_(std::move(where)) {}

void Fields::only(std::initializer_list<std::string_view> known) const {
  for (const auto& [name, value] : *object_) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw badField(where(name), fmt::format("unknown field (known: {})", fmt::join(known, ", ")));
    }
  }
}

bool Fields::has(const std::string& name) const {
  return object_->has(name);
}

bool Fields::isNull(const std::string& name) const {
  return object_->has(name) && object_->get(name).isEmpty();
}

std::optional<std::string> Fields::text(const std::string& name) const {
  if (!object_->has(name)) return std::nullopt;
  const auto v = object_->get(name);
  if (!v.isString()) throw badField(where(name), "expected a string, got " + typeName(v));
  return v.extract<std::string>();
}

std::string Fields::requiredText(const std::string& name) const {
  auto v = text(name);
  if (!v) throw badField(where(name), "required");
  return *v;
}

std::optional<std::int64_t> Fields::integer(const std::string& name, std::int64_t min,
                                            std::int64_t max) const {
  if (!object_->has(name)) return std::nullopt;
  const auto v = object_->get(name);
  if (v.type() == typeid(bool) || !v.isInteger()) {
    if (v.isNumeric() && v.type() != typeid(bool)) {
      throw badField(where(name), fmt::format("expected a whole number from {} to {}, got {}", min,
                                              max, v.toString()));
    }
    throw badField(where(name), "expected a whole number, got " + typeName(v));
  }
  std::int64_t n = 0;
  try {
    n = v.convert<std::int64_t>();
  } catch (const Poco::Exception&) {
    // Also an unsigned value above INT64_MAX: POCO's conversion checks the range.
    throw badField(where(name), fmt::format("expected a whole number from {} to {}", min, max));
  }
  if (n < min || n > max)
    throw badField(where(name),
                   fmt::format("expected a whole number from {} to {}, got {}", min, max, n));
  return n;
}

std::optional<bool> Fields::boolean(const std::string& name) const {
  if (!object_->has(name)) return std::nullopt;
  const auto v = object_->get(name);
  if (v.type() != typeid(bool))
    throw badField(where(name), "expected true or false, got " + typeName(v));
  return v.extract<bool>();
}

std::optional<std::vector<std::string>> Fields::texts(const std::string& name) const {
  if (!object_->has(name)) return std::nullopt;
  const auto v = object_->get(name);
  if (v.type() != typeid(Poco::JSON::Array::Ptr))
    throw badField(where(name), "expected a list of strings, got " + typeName(v));
  auto array = v.extract<Poco::JSON::Array::Ptr>();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto item = array->get(static_cast<unsigned>(i));
    if (!item.isString())
      throw badField(fmt::format("{}[{}]", where(name), i),
                     "expected a string, got " + typeName(item));
    out.push_back(item.extract<std::string>());
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> Fields::textMap(
    const std::string& name) const {
  if (!object_->has(name)) return std::nullopt;
  const auto v = object_->get(name);
  if (v.type() != typeid(Poco::JSON::Object::Ptr))
    throw badField(where(name), "expected an object of strings, got " + typeName(v));
  auto object = v.extract<Poco::JSON::Object::Ptr>();
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : *object) {
    if (value.type() == typeid(Poco::JSON::Object::Ptr) ||
        value.type() == typeid(Poco::JSON::Array::Ptr) || value.isEmpty())
      throw badField(where(name) + "." + key, "expected a string, got " + typeName(value));
    out.emplace_back(key, value.toString());
  }
  return out;
}

std::string errorBody(const ApiError& error) {
  app::JsonWriter w;
  w.beginObject().key("error").beginObject();
  // Messages and field names may quote the request, which may not be valid UTF-8.
  w.key("code").value(error.code()).key("message").value(sanitizeUtf8(error.what()));
  w.key("fields").beginObject();
  for (const auto& [field, messages] : error.fields()) {
    w.escapedKey(sanitizeUtf8(field)).beginArray();
    for (const auto& m : messages) w.value(sanitizeUtf8(m));
    w.endArray();
  }
  w.endObject().endObject().endObject();
  return w.take();
}

}  // namespace netspine::api
