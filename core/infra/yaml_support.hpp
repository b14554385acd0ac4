#pragma once

// Internal to the YAML/JSON readers (inventory, config): parsing with located errors, and
// walking mappings with the same messages for unknown keys and wrong types everywhere.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "infra/problem_list.hpp"

namespace netspine::infra {

/// Parses YAML (or JSON). Throws domain::ValidationError "FILE:LINE:COLUMN: syntax error: ...".
YAML::Node parseYaml(const std::string& text, const std::string& file);

/// The value of `key` in a mapping, or a null node when the key is missing (yaml-cpp's own
/// lookup gives a node that throws on use).
YAML::Node valueOf(const YAML::Node& map, std::string_view key);
bool hasKey(const YAML::Node& map, std::string_view key);

/// 1-based line of a node, 0 when unknown.
int lineOf(const YAML::Node& node);

/// How a value reads in a message: "a list", "an object", "nothing", or the scalar quoted.
std::string describe(const YAML::Node& node);

/// One key: value pair of a mapping; `line` is the key's line.
struct YamlEntry {
  std::string key;
  int line = 0;
  YAML::Node value;
};

/// The entries of a mapping in file order. Keys that are not plain text and repeated keys are
/// reported (as "PREFIXkey") and left out.
std::vector<YamlEntry> entriesOf(const YAML::Node& map, std::string_view prefix,
                                 ProblemList& problems);

/// "unknown key 'PREFIXkey' (did you mean 'PREFIXknown'?)" with the closest of `known`, or
/// listing `listed` (by default `known`) when none is close.
void reportUnknownKey(const YamlEntry& entry, std::string_view prefix,
                      std::span<const std::string_view> known, ProblemList& problems,
                      std::span<const std::string_view> listed = {});

/// A scalar's text. Nothing (null) gives nullopt silently; a list or an object is reported as
/// "WHAT: expected a string, got a list".
std::optional<std::string> scalarText(const YAML::Node& value, int line, std::string_view what,
                                      ProblemList& problems);

/// A decimal integer; anything else is reported as "WHAT: expected an integer, got ...".
std::optional<int> integerValue(const YAML::Node& value, int line, std::string_view what,
                                ProblemList& problems);

/// True for a mapping; reports "WHAT: expected an object, got ..." for anything but nothing.
bool expectMap(const YAML::Node& value, int line, std::string_view what, ProblemList& problems);
/// True for a sequence; reports "WHAT: expected a list, got ..." for anything but nothing.
bool expectList(const YAML::Node& value, int line, std::string_view what, ProblemList& problems);

}  // namespace netspine::infra
