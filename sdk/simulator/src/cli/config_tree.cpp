#include "config_tree.hpp"

#include "text_util.hpp"

namespace netspine::sim {

std::size_t countNodes(const std::vector<ConfigNode>& nodes) {
  std::size_t count = nodes.size();
  for (const auto& node : nodes) count += countNodes(node.children);
  return count;
}

bool textHasLine(std::string_view text, std::string_view line) {
  const std::string_view wanted = trim(line);
  bool found = false;
  forEachLine(text, [&](std::string_view candidate) {
    if (!found && trim(candidate) == wanted) found = true;
  });
  return found;
}

}  // namespace netspine::sim
