#include "output_filter.hpp"

#include <regex>

#include "command_table.hpp"
#include "text_util.hpp"

namespace netspine::sim {

namespace {

// A pattern as typed, Junos quotes removed.
std::string unquote(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = text.substr(1, text.size() - 2);
  return std::string(text);
}

class LineMatcher {
 public:
  LineMatcher(const std::string& pattern, bool ignoreCase)
      : literal_(pattern), ignoreCase_(ignoreCase) {
    // Literal patterns are the common case and must stay fast on a 20 MB configuration.
    if (pattern.find_first_of(".[]()*+?^$|\\{}") != std::string::npos) {
      try {
        auto flags = std::regex::ECMAScript | std::regex::optimize;
        if (ignoreCase) flags |= std::regex::icase;
        regex_.emplace(pattern, flags);
      } catch (const std::regex_error&) {
        regex_.reset();
      }
    }
    if (ignoreCase_) literal_ = lower(literal_);
  }
  bool operator()(std::string_view line) const {
    if (regex_) return std::regex_search(line.begin(), line.end(), *regex_);
    if (ignoreCase_) return lower(line).find(literal_) != std::string::npos;
    return line.find(literal_) != std::string_view::npos;
  }

 private:
  std::string literal_;
  bool ignoreCase_;
  std::optional<std::regex> regex_;
};

}  // namespace

PipedCommand splitPipes(std::string_view line) {
  PipedCommand out;
  bool quoted = false;
  std::size_t start = 0;
  bool first = true;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') quoted = !quoted;
    if (i < line.size() && (line[i] != '|' || quoted)) continue;
    std::string_view part = line.substr(start, i - start);
    if (first) {
      out.command = std::string(trim(part));
      first = false;
    } else {
      std::size_t lead = 0;
      while (lead < part.size() && part[lead] == ' ') ++lead;
      out.pipes.push_back({std::string(trim(part)), start + lead});
    }
    start = i + 1;
  }
  return out;
}

std::optional<Filter> parseFilter(OsKind os, const Pipe& pipe, std::size_t& errorColumn) {
  enum {
    Include,
    Exclude,
    Begin,
    Section,
    Count,
    NoMore,
    DisplaySet,
    DisplayOmit,
    Last,
    Find,
    Trim
  };
  CommandTable table;
  switch (os) {
    case OsKind::CiscoIos:
      table.add(Include, "include <rest>")
          .add(Exclude, "exclude <rest>")
          .add(Begin, "begin <rest>")
          .add(Section, "section <rest>")
          .add(Count, "count [rest]")
          .add(-1, "redirect <rest>")
          .add(-1, "append <rest>")
          .add(-1, "tee <rest>")
          .add(-1, "format <rest>");
      break;
    case OsKind::AristaEos:
      table.add(Include, "include <rest>")
          .add(Exclude, "exclude <rest>")
          .add(Begin, "begin <rest>")
          .add(Section, "section <rest>")
          .add(NoMore, "no-more")
          .add(-1, "json")
          .add(-1, "redirect <rest>")
          .add(-1, "append <rest>")
          .add(-1, "tee <rest>")
          .add(Count, "count [rest]");
      break;
    case OsKind::JuniperJunos:
      table.add(Include, "match <rest>")
          .add(Exclude, "except <rest>")
          .add(Count, "count")
          .add(NoMore, "no-more")
          .add(DisplaySet, "display set")
          .add(DisplayOmit, "display omit")
          .add(-1, "display xml")
          .add(-1, "display json")
          .add(Last, "last [rest]")
          .add(Find, "find <rest>")
          .add(Trim, "trim <arg>")
          .add(-1, "save <rest>")
          .add(-1, "compare [rest]")
          .add(-1, "hold")
          .add(-1, "resolve");
      break;
  }
  auto result = table.match(pipe.text);
  if (auto* error = std::get_if<CommandTable::Error>(&result)) {
    errorColumn = pipe.column + std::min(error->column, pipe.text.size());
    return std::nullopt;
  }
  const auto& match = std::get<CommandTable::Match>(result);
  errorColumn = pipe.column;
  if (match.id < 0) return std::nullopt;  // a real filter this simulator does not implement
  Filter filter{static_cast<FilterKind>(match.id), unquote(match.rest)};
  if (!match.args.empty()) filter.argument = match.args.front();
  return filter;
}

std::string applyFilter(OsKind os, const Filter& filter, std::string_view text) {
  std::string out;
  const bool junos = os == OsKind::JuniperJunos;
  switch (filter.kind) {
    case FilterKind::Include:
    case FilterKind::Exclude: {
      LineMatcher matches(filter.argument, junos);
      const bool keep = filter.kind == FilterKind::Include;
      forEachLine(text, [&](std::string_view line) {
        if (matches(line) == keep) (out += line) += '\n';
      });
      return out;
    }
    case FilterKind::Begin:
    case FilterKind::Find: {
      LineMatcher matches(filter.argument, junos);
      bool on = false;
      forEachLine(text, [&](std::string_view line) {
        if (!on && matches(line)) on = true;
        if (on) (out += line) += '\n';
      });
      return out;
    }
    case FilterKind::Section: {
      LineMatcher matches(filter.argument, false);
      bool inSection = false;
      forEachLine(text, [&](std::string_view line) {
        const bool indented = !line.empty() && line[0] == ' ';
        if (!indented) inSection = matches(line);
        if (inSection || (indented && matches(line))) (out += line) += '\n';
      });
      return out;
    }
    case FilterKind::Count: {
      std::size_t count = 0;
      if (filter.argument.empty()) {
        count = countLines(text);
      } else {
        LineMatcher matches(filter.argument, false);
        forEachLine(text, [&](std::string_view line) { count += matches(line) ? 1 : 0; });
      }
      return junos ? strf("Count: %zu lines\n", count)
                   : strf("Number of lines which match regexp = %zu\n", count);
    }
    case FilterKind::Last: {
      std::size_t keep = parseCount(filter.argument, 24);
      std::vector<std::string_view> lines;
      forEachLine(text, [&](std::string_view line) { lines.push_back(line); });
      for (std::size_t i = lines.size() > keep ? lines.size() - keep : 0; i < lines.size(); ++i)
        (out += lines[i]) += '\n';
      return out;
    }
    case FilterKind::Trim: {
      std::size_t columns = parseCount(filter.argument, 0);
      forEachLine(text, [&](std::string_view line) {
        (out += line.substr(std::min(columns, line.size()))) += '\n';
      });
      return out;
    }
    case FilterKind::NoMore:
    case FilterKind::DisplaySet:
    case FilterKind::DisplayOmit:
      break;
  }
  return std::string(text);
}

}  // namespace netspine::sim
