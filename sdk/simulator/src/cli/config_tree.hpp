#pragma once
// The configuration model shared by the three CLIs: an ordered tree of statements.
//
// IOS/EOS read it as sections (a header line, indented children, '!' separators); Junos as a
// hierarchy ('text { children }' or 'text;'). Keeping one model lets every OS edit it in place.

#include <string>
#include <string_view>
#include <vector>

namespace netspine::sim {

struct ConfigNode {
  std::string text;
  std::vector<ConfigNode> children;

  bool operator==(const ConfigNode&) const = default;
};

struct ConfigTree {
  std::vector<ConfigNode> nodes;

  bool operator==(const ConfigTree&) const = default;
};

// Sum of all statements, for sizing.
std::size_t countNodes(const std::vector<ConfigNode>& nodes);

// True when some rendered line of `text`, trimmed, equals `line` trimmed.
bool textHasLine(std::string_view text, std::string_view line);

}  // namespace netspine::sim
