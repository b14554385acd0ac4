#include "infra/yaml_support.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/errors.hpp"

namespace netspine::infra {

YAML::Node parseYaml(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    if (e.mark.is_null())
      throw domain::ValidationError(fmt::format("{}: syntax error: {}", file, e.msg));
    throw domain::ValidationError(
        fmt::format("{}:{}:{}: syntax error: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

namespace {

std::optional<YAML::Node> find(const YAML::Node& map, std::string_view key) {
  if (map.IsMap()) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
    }
  }
  return std::nullopt;
}

}  // namespace

YAML::Node valueOf(const YAML::Node& map, std::string_view key) {
  return find(map, key).value_or(YAML::Node());
}

bool hasKey(const YAML::Node& map, std::string_view key) {
  return find(map, key).has_value();
}

int lineOf(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const auto mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "an object";
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", node.Scalar());
    default:
      return "nothing";
  }
}

std::vector<YamlEntry> entriesOf(const YAML::Node& map, std::string_view prefix,
                                 ProblemList& problems) {
  std::vector<YamlEntry> entries;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const int line = lineOf(it->first);
    if (!it->first.IsScalar() || it->first.Scalar().empty()) {
      problems.add(line, fmt::format("expected a key name, got {}", describe(it->first)));
      continue;
    }
    const std::string& key = it->first.Scalar();
    auto earlier = std::find_if(entries.begin(), entries.end(),
                                [&](const YamlEntry& e) { return e.key == key; });
    if (earlier != entries.end()) {
      problems.add(
          line, fmt::format("duplicate key '{}{}' (first at line {})", prefix, key, earlier->line));
      continue;
    }
    entries.push_back({key, line, it->second});
  }
  return entries;
}

void reportUnknownKey(const YamlEntry& entry, std::string_view prefix,
                      std::span<const std::string_view> known, ProblemList& problems,
                      std::span<const std::string_view> listed) {
  auto match = closestMatch(entry.key, known);
  if (!match.empty()) {
    problems.add(entry.line, fmt::format("unknown key '{}{}' (did you mean '{}{}'?)", prefix,
                                         entry.key, prefix, match));
  } else {
    problems.add(entry.line, fmt::format("unknown key '{}{}' (known keys: {})", prefix, entry.key,
                                         joinNames(listed.empty() ? known : listed)));
  }
}

std::optional<std::string> scalarText(const YAML::Node& value, int line, std::string_view what,
                                      ProblemList& problems) {
  if (value.IsScalar()) return value.Scalar();
  if (value.IsDefined() && !value.IsNull()) {
    problems.add(line, fmt::format("{}: expected a string, got {}", what, describe(value)));
  }
  return std::nullopt;
}

std::optional<int> integerValue(const YAML::Node& value, int line, std::string_view what,
                                ProblemList& problems) {
  if (value.IsScalar()) return parseInteger(value.Scalar(), line, what, problems);
  if (value.IsDefined() && !value.IsNull()) {
    problems.add(line, fmt::format("{}: expected an integer, got {}", what, describe(value)));
  }
  return std::nullopt;
}

bool expectMap(const YAML::Node& value, int line, std::string_view what, ProblemList& problems) {
  if (value.IsMap()) return true;
  if (value.IsDefined() && !value.IsNull()) {
    problems.add(line, fmt::format("{}: expected an object, got {}", what, describe(value)));
  }
  return false;
}

bool expectList(const YAML::Node& value, int line, std::string_view what, ProblemList& problems) {
  if (value.IsSequence()) return true;
  if (value.IsDefined() && !value.IsNull()) {
    problems.add(line, fmt::format("{}: expected a list, got {}", what, describe(value)));
  }
  return false;
}

}  // namespace netspine::infra
