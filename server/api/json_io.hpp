#pragma once
// Reading request bodies safely: size, UTF-8 and nesting are checked before the JSON parser sees
// the text, and every field is read with its name, so a bad value is a 400 naming the field.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"

namespace netspine::api {

/// Nesting deeper than this is refused before parsing (a body of 100,000 '[' must not recurse).
inline constexpr int kMaxJsonDepth = 32;

/// The body as JSON; ApiError 400 (field "body") for an empty body, invalid UTF-8, nesting
/// deeper than kMaxJsonDepth or broken JSON (with the parser's position).
Poco::Dynamic::Var parseJson(const std::string& body);
/// parseJson, and it must be an object.
Poco::JSON::Object::Ptr parseObject(const std::string& body);

/// The fields of one JSON object, read by name. `where` prefixes field names in errors
/// ("[3].name" for the fourth object of a bulk body).
class Fields {
 public:
  Fields(Poco::JSON::Object::Ptr object, std::string where = {});

  /// Refuses fields not in `known` (a typo must not be silently ignored).
  void only(std::initializer_list<std::string_view> known) const;
  bool has(const std::string& name) const;
  bool isNull(const std::string& name) const;
  std::optional<std::string> text(const std::string& name) const;
  std::string requiredText(const std::string& name) const;
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min,
                                      std::int64_t max) const;
  std::optional<bool> boolean(const std::string& name) const;
  std::optional<std::vector<std::string>> texts(const std::string& name) const;
  /// An object of strings ({"k": "v"}); numbers and booleans are taken as their text.
  std::optional<std::vector<std::pair<std::string, std::string>>> textMap(
      const std::string& name) const;
  std::string where(const std::string& name) const { return where_ + name; }

 private:
  Poco::JSON::Object::Ptr object_;
  std::string where_;
};

/// The body as a list of objects (a bulk request): a JSON array of at most `max` objects.
std::vector<Poco::JSON::Object::Ptr> parseObjectList(const std::string& body, std::size_t max);

/// {"error": {"code", "message", "fields"}}
std::string errorBody(const ApiError& error);

/// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool validUtf8(std::string_view text);
/// `text`, or when it is not valid UTF-8, with every non-ASCII byte replaced by U+FFFD.
std::string sanitizeUtf8(std::string_view text);

}  // namespace netspine::api
