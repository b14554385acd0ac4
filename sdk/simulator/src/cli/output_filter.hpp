#pragma once
// What follows '|' on a command line: include/exclude/begin/section/count (IOS, EOS),
// match/except/count/last/find/display (Junos), no-more (EOS, Junos).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <netspine/sim/device.hpp>

namespace netspine::sim {

struct Pipe {
  std::string text;        // "include hostname"
  std::size_t column = 0;  // of its first word in the whole line
};

struct PipedCommand {
  std::string command;  // the part before the first '|'
  std::vector<Pipe> pipes;
};

PipedCommand splitPipes(std::string_view line);

enum class FilterKind {
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

struct Filter {
  FilterKind kind;
  std::string argument;  // the pattern, or the line count of 'last'
};

// The filter a pipe names on this OS; nullopt when the OS has no such filter (the caller
// prints its invalid-input error at `errorColumn`).
std::optional<Filter> parseFilter(OsKind os, const Pipe& pipe, std::size_t& errorColumn);

// Applies a text filter (not NoMore/DisplaySet/DisplayOmit, which the caller handles).
std::string applyFilter(OsKind os, const Filter& filter, std::string_view text);

}  // namespace netspine::sim
